//! Objects and food for a table top: cup, bowl of fruit, books, lamp, bottle
//! and cake.

use super::Pen;
use crate::color::Rgb;

/// A cup of coffee on its saucer, steam rising.
pub fn cup(p: &mut Pen, col: Rgb) {
    p.ellipse(0.0, 0.04, 0.55, 0.06, col * 0.9);
    p.ring(0.36, 0.5, 0.16, 0.18, 0.07, false, col);
    p.poly(
        &[(-0.38, 0.9), (0.38, 0.9), (0.28, 0.08), (-0.28, 0.08)],
        col,
    );
    p.ellipse(0.0, 0.9, 0.36, 0.07, Rgb::new(0.3, 0.17, 0.08));
    p.path(
        &[(-0.05, 1.0), (0.03, 1.12), (-0.03, 1.24)],
        0.03,
        Rgb::new(0.8, 0.8, 0.8),
    );
}

/// A bowl in `col` heaped with fruit.
pub fn fruit_bowl(p: &mut Pen, col: Rgb) {
    for (x, y, r, c) in [
        (-0.32, 0.62, 0.17, 0xd82a20),
        (0.3, 0.62, 0.16, 0xf08a1a),
        (0.0, 0.75, 0.17, 0x8ac030),
        (-0.12, 0.58, 0.15, 0xe8c828),
        (0.18, 0.8, 0.12, 0x6a2a7a),
    ] {
        p.circle(x, y, r, Rgb::hex(c));
    }
    let rim: Vec<(f32, f32)> = (0..=12)
        .map(|i| {
            let t = i as f32 / 6.0 - 1.0;
            (t * 0.5, 0.5 - 0.42 * (1.0 - t * t).sqrt())
        })
        .collect();
    p.poly(&rim, col);
    p.rect(-0.12, 0.0, 0.12, 0.1, 0.02, col * 0.8);
}

/// A small stack of books, the top one in `col`.
pub fn book(p: &mut Pen, col: Rgb) {
    let pages = Rgb::new(0.95, 0.92, 0.84);
    for (k, c) in [(0, 0x2a4a6a), (1, 0x6a2a2a), (2, 0)] {
        let y = k as f32 * 0.3;
        let cover = if c == 0 { col } else { Rgb::hex(c) };
        let dx = [0.0, 0.06, -0.04][k];
        p.rect(-0.5 + dx, y, 0.5 + dx, y + 0.3, 0.02, cover);
        p.rect(-0.46 + dx, y + 0.06, 0.44 + dx, y + 0.24, 0.0, pages);
    }
}

/// A table lamp with a shade in `col` and its warm light.
pub fn lamp(p: &mut Pen, col: Rgb) {
    p.glow(0.0, 0.6, 1.2, Rgb::new(1.0, 0.8, 0.45) * 0.35);
    p.ellipse(0.0, 0.04, 0.3, 0.05, Rgb::new(0.3, 0.25, 0.2));
    p.line(0.0, 0.05, 0.0, 0.6, 0.05, Rgb::new(0.55, 0.45, 0.3));
    p.poly(
        &[(-0.2, 0.95), (0.2, 0.95), (0.42, 0.55), (-0.42, 0.55)],
        col,
    );
    p.ellipse(0.0, 0.55, 0.42, 0.04, Rgb::new(1.4, 1.2, 0.8));
}

/// A bottle in `col` glass, with a label and a cork.
pub fn bottle(p: &mut Pen, col: Rgb) {
    p.rect(-0.17, 0.0, 0.17, 0.6, 0.06, col);
    p.poly(
        &[(-0.17, 0.55), (0.17, 0.55), (0.06, 0.74), (-0.06, 0.74)],
        col,
    );
    p.rect(-0.06, 0.7, 0.06, 0.95, 0.02, col);
    p.rect(-0.05, 0.92, 0.05, 1.0, 0.01, Rgb::new(0.6, 0.45, 0.3));
    p.rect(-0.15, 0.18, 0.15, 0.4, 0.01, Rgb::new(0.92, 0.88, 0.78));
    p.line(-0.1, 0.06, -0.1, 0.5, 0.03, col.lerp(Rgb::WHITE, 0.5));
}

/// A two-tier cake iced in `col`, with candles.
pub fn cake(p: &mut Pen, col: Rgb) {
    let sponge = Rgb::new(0.8, 0.6, 0.4);
    p.ellipse(0.0, 0.03, 0.62, 0.06, Rgb::new(0.9, 0.9, 0.92));
    p.rect(-0.5, 0.05, 0.5, 0.4, 0.03, sponge);
    p.rect(-0.52, 0.34, 0.52, 0.44, 0.04, col);
    p.rect(-0.32, 0.44, 0.32, 0.7, 0.03, sponge);
    p.rect(-0.34, 0.66, 0.34, 0.75, 0.04, col);
    for x in [-0.4, -0.2, 0.0, 0.2, 0.4] {
        p.circle(x, 0.32, 0.05, col);
    }
    for x in [-0.15, 0.0, 0.15] {
        p.line(x, 0.75, x, 0.9, 0.035, Rgb::new(0.95, 0.95, 1.0));
        p.ellipse(x, 0.94, 0.025, 0.045, Rgb::new(1.6, 1.1, 0.4));
    }
}
