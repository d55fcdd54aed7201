//! Plants: pine, palm, oak, flowers and cactus.

use super::Pen;
use crate::color::Rgb;

const BARK: Rgb = Rgb::new(0.36, 0.24, 0.15);

/// A conifer: a short trunk under four stacked, narrowing tiers.
pub fn pine(p: &mut Pen, col: Rgb) {
    p.rect(-0.04, 0.0, 0.04, 0.16, 0.0, BARK);
    for k in 0..4 {
        let t = k as f32 / 4.0;
        let base = 0.1 + t * 0.62;
        let half = 0.3 * (1.0 - t * 0.62);
        let top = base + 0.34 - t * 0.04;
        p.poly(
            &[(-half, base), (half, base), (0.0, top.min(1.0))],
            col * (0.9 + 0.1 * t),
        );
    }
}

/// A palm: a leaning, segmented trunk and drooping fronds.
pub fn palm(p: &mut Pen, col: Rgb) {
    let trunk: Vec<(f32, f32)> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0;
            (0.12 * t * t, t * 0.78)
        })
        .collect();
    p.path(&trunk, 0.06, BARK * 1.3);
    let (tx, ty) = (0.12, 0.8);
    for (dx, dy, droop) in [
        (-0.45, 0.1, 0.2),
        (0.45, 0.1, 0.2),
        (-0.3, 0.2, 0.1),
        (0.32, 0.22, 0.1),
        (-0.05, 0.2, 0.0),
        (0.4, -0.05, 0.25),
        (-0.4, -0.05, 0.25),
    ] {
        let pts = [
            (tx, ty),
            (tx + dx * 0.5, ty + dy * 0.5 + 0.08),
            (tx + dx, ty + dy - droop),
        ];
        p.path(&pts, 0.06, col);
    }
    p.circle(tx + 0.03, ty - 0.04, 0.035, Rgb::new(0.4, 0.28, 0.12));
}

/// A broad deciduous tree: a thick trunk and a crown of overlapping masses.
pub fn oak(p: &mut Pen, col: Rgb) {
    p.poly(
        &[(-0.08, 0.0), (0.08, 0.0), (0.05, 0.45), (-0.05, 0.45)],
        BARK,
    );
    p.line(0.0, 0.35, -0.2, 0.55, 0.05, BARK);
    p.line(0.0, 0.38, 0.22, 0.58, 0.05, BARK);
    for (x, y, r, k) in [
        (-0.28, 0.55, 0.2, 0.85),
        (0.28, 0.56, 0.2, 0.85),
        (-0.15, 0.75, 0.24, 0.95),
        (0.17, 0.76, 0.23, 0.95),
        (0.0, 0.62, 0.22, 0.9),
        (0.0, 0.86, 0.18, 1.05),
    ] {
        p.ellipse(x, y, r * 1.1, r, col * k);
    }
}

/// A clump of stems with five-petalled blooms in `col`.
pub fn flowers(p: &mut Pen, col: Rgb) {
    let stem = Rgb::new(0.22, 0.5, 0.2);
    let heart = Rgb::new(0.95, 0.8, 0.2);
    let blooms = [
        (-0.4, 0.62),
        (-0.12, 0.85),
        (0.15, 0.7),
        (0.42, 0.58),
        (0.0, 0.5),
    ];
    for &(x, y) in &blooms {
        p.path(&[(x * 0.3, 0.0), (x * 0.7, y * 0.5), (x, y)], 0.03, stem);
    }
    p.ellipse(-0.2, 0.25, 0.1, 0.04, stem);
    p.ellipse(0.22, 0.22, 0.1, 0.04, stem);
    let petals = [
        (0.0, 1.0),
        (0.95, 0.31),
        (0.59, -0.81),
        (-0.59, -0.81),
        (-0.95, 0.31),
    ];
    for &(x, y) in &blooms {
        for (dx, dy) in petals {
            p.circle(x + dx * 0.07, y + dy * 0.07, 0.065, col);
        }
        p.circle(x, y, 0.045, heart);
    }
}

/// A saguaro: a tall ribbed column with two raised arms.
pub fn cactus(p: &mut Pen, col: Rgb) {
    p.path(&[(-0.1, 0.35), (-0.3, 0.35), (-0.3, 0.7)], 0.13, col * 0.9);
    p.path(&[(0.1, 0.5), (0.28, 0.5), (0.28, 0.8)], 0.12, col * 0.9);
    p.rect(-0.1, 0.0, 0.1, 1.0, 0.1, col);
    p.line(0.0, 0.05, 0.0, 0.9, 0.015, col * 0.7);
}
