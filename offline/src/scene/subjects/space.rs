//! Space: a planet (banded, sometimes ringed), a cratered moon, a spiral
//! galaxy of soft points, and an astronaut in a white suit.

use super::Pen;
use crate::color::Rgb;
use crate::rng::Rng;

/// A planet centred half a unit up; gas giants get bands and a ring.
pub fn planet(p: &mut Pen, col: Rgb, rng: &mut Rng) {
    let ringed = rng.chance(0.6);
    let ring = col.lerp(Rgb::new(0.9, 0.85, 0.75), 0.5);
    if ringed {
        p.ring(0.0, 0.5, 0.62, 0.14, 0.06, false, ring * 0.7);
    }
    p.circle(0.0, 0.5, 0.38, col);
    for (y, k) in [(0.62, 0.85), (0.45, 1.1), (0.32, 0.8)] {
        p.ellipse(0.0, y, 0.34, 0.035, col * k);
    }
    p.ellipse(-0.12, 0.64, 0.1, 0.07, col.lerp(Rgb::WHITE, 0.3));
    if ringed {
        p.ring(0.0, 0.5, 0.62, 0.14, 0.06, true, ring);
    }
}

pub fn moon(p: &mut Pen, col: Rgb) {
    p.circle(0.0, 0.5, 0.48, col);
    for (x, y, r) in [
        (-0.18, 0.62, 0.09),
        (0.15, 0.4, 0.12),
        (0.05, 0.75, 0.06),
        (-0.2, 0.3, 0.05),
    ] {
        p.circle(x, y, r, col * 0.75);
    }
}

/// Two spiral arms of glowing points around a bright core.
pub fn galaxy(p: &mut Pen, col: Rgb, rng: &mut Rng) {
    let n = 120 + 40 * p.steps;
    let twist = rng.range(5.0, 7.0);
    for i in 0..n {
        let arm = (i % 2) as f32 * std::f32::consts::PI;
        let t = rng.f32();
        let a = arm + t * twist + rng.range(-0.35, 0.35);
        let r = 0.05 + t * 0.6;
        let (x, y) = (a.cos() * r * 1.3, 0.5 + a.sin() * r * 0.55);
        let bright = (1.0 - t) * 0.5 + 0.1;
        p.glow(
            x,
            y,
            0.025 + 0.05 * (1.0 - t),
            col.lerp(Rgb::WHITE, 1.0 - t) * bright,
        );
    }
    p.glow(0.0, 0.5, 0.22, Rgb::new(1.0, 0.95, 0.85) * 0.9);
}

/// A space-suited figure: helmet with a gold visor, backpack, thick limbs.
pub fn astronaut(p: &mut Pen, col: Rgb) {
    let seam = col * 0.75;
    let visor = Rgb::new(0.85, 0.6, 0.2);
    p.rect(-0.26, 0.38, 0.04, 0.78, 0.05, seam);
    p.line(-0.1, 0.05, -0.08, 0.4, 0.14, col);
    p.line(0.12, 0.05, 0.1, 0.4, 0.14, col);
    p.rect(-0.2, 0.36, 0.22, 0.76, 0.1, col);
    p.line(-0.2, 0.7, -0.28, 0.45, 0.11, col);
    p.line(0.22, 0.7, 0.34, 0.5, 0.11, col);
    p.rect(-0.08, 0.5, 0.12, 0.62, 0.02, Rgb::new(0.3, 0.4, 0.7));
    p.circle(0.02, 0.88, 0.16, col);
    p.ellipse(0.06, 0.88, 0.11, 0.09, visor);
    p.ellipse(0.03, 0.91, 0.04, 0.025, Rgb::new(1.0, 0.95, 0.8));
}
