//! People: a standing figure, a head-and-shoulders bust for portraits, and a
//! crowd of small figures.

use super::Pen;
use crate::color::Rgb;
use crate::rng::Rng;

const SKIN: [u32; 4] = [0xf0c8a0, 0xc89670, 0x8a5a3a, 0xe0b090];
const HAIR: Rgb = Rgb::new(0.16, 0.1, 0.07);

/// A standing person in clothes of `col`, one unit tall.
pub fn figure(p: &mut Pen, col: Rgb) {
    let skin = Rgb::hex(SKIN[0]);
    let legs = col.lerp(Rgb::new(0.12, 0.12, 0.16), 0.6);
    p.line(-0.06, 0.02, -0.05, 0.45, 0.09, legs);
    p.line(0.06, 0.02, 0.05, 0.45, 0.09, legs);
    p.line(-0.15, 0.74, -0.2, 0.44, 0.07, col * 0.85);
    p.line(0.15, 0.74, 0.21, 0.46, 0.07, col * 0.85);
    p.poly(
        &[(-0.16, 0.78), (0.16, 0.78), (0.13, 0.4), (-0.13, 0.4)],
        col,
    );
    p.ellipse(0.0, 0.88, 0.09, 0.1, skin);
    p.ellipse(-0.01, 0.93, 0.095, 0.06, HAIR);
}

/// Head and shoulders, filling the frame; `col` is the clothing.
pub fn portrait(p: &mut Pen, col: Rgb) {
    let skin = Rgb::hex(SKIN[3]);
    p.ellipse(0.0, 0.62, 0.25, 0.3, HAIR);
    p.ellipse(0.0, 0.05, 0.48, 0.28, col);
    p.rect(-0.07, 0.2, 0.07, 0.42, 0.02, skin * 0.85);
    p.ellipse(0.0, 0.58, 0.18, 0.23, skin);
    p.ellipse(0.0, 0.76, 0.2, 0.1, HAIR);
    for x in [-0.07, 0.07] {
        p.ellipse(x, 0.6, 0.025, 0.018, Rgb::new(0.1, 0.08, 0.08));
    }
    p.line(-0.04, 0.46, 0.04, 0.46, 0.015, Rgb::new(0.6, 0.3, 0.3));
}

/// Six to eight small figures in varied clothes, the middle one in `col`.
pub fn crowd(p: &mut Pen, col: Rgb, rng: &mut Rng) {
    let n = 6 + rng.below(3);
    for i in 0..n {
        let t = i as f32 / (n - 1) as f32;
        let x = -0.75 + 1.5 * t + rng.range(-0.05, 0.05);
        let tall = rng.range(0.8, 1.0);
        let (h, s, l) = col.to_hsl();
        let c = if i == n / 2 {
            col
        } else {
            Rgb::from_hsl(h + rng.range(-80.0, 80.0), s, l)
        };
        let skin = Rgb::hex(SKIN[rng.below(SKIN.len() as u32) as usize]);
        p.line(x - 0.04, 0.02, x - 0.035, 0.42 * tall, 0.07, c * 0.5);
        p.line(x + 0.04, 0.02, x + 0.035, 0.42 * tall, 0.07, c * 0.5);
        p.poly(
            &[
                (x - 0.12, 0.76 * tall),
                (x + 0.12, 0.76 * tall),
                (x + 0.1, 0.38 * tall),
                (x - 0.1, 0.38 * tall),
            ],
            c,
        );
        p.ellipse(x, 0.86 * tall, 0.075, 0.085, skin);
    }
}
