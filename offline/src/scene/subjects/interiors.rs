//! Furniture of a room: a window onto the sky, a fireplace with its fire, a
//! table, a bookshelf.

use super::Pen;
use crate::color::Rgb;

const WOOD: Rgb = Rgb::new(0.45, 0.28, 0.16);
const BOOKS: [u32; 6] = [0x8a2a2a, 0x2a4a7a, 0x2a6a3a, 0xc8a040, 0x6a3a6a, 0xd8d0c0];

/// A window with its frame in `col`, showing the sky of the time of day.
pub fn window(p: &mut Pen, col: Rgb) {
    let (top, bottom) = if p.night {
        (Rgb::new(0.02, 0.04, 0.12), Rgb::new(0.1, 0.14, 0.3))
    } else {
        (Rgb::new(0.35, 0.6, 0.9), Rgb::new(0.8, 0.9, 0.98))
    };
    p.rect(-0.42, 0.0, 0.42, 1.0, 0.0, col);
    p.rect(-0.36, 0.06, 0.36, 0.94, 0.0, top.lerp(bottom, 0.5));
    p.rect(-0.36, 0.06, 0.36, 0.5, 0.0, bottom);
    if p.night {
        p.circle(0.18, 0.74, 0.07, Rgb::new(0.95, 0.93, 0.85));
    }
    p.line(0.0, 0.06, 0.0, 0.94, 0.04, col);
    p.line(-0.36, 0.5, 0.36, 0.5, 0.04, col);
    p.rect(-0.48, -0.04, 0.48, 0.04, 0.0, col * 0.85);
}

/// A stone fireplace in `col` with a burning fire that lights the room.
pub fn fireplace(p: &mut Pen, col: Rgb) {
    p.glow(0.0, 0.25, 1.1, Rgb::new(1.0, 0.5, 0.15) * 0.3);
    p.rect(-0.5, 0.0, 0.5, 0.8, 0.0, col);
    for y in [0.2, 0.4, 0.6] {
        p.line(-0.5, y, 0.5, y, 0.01, col * 0.7);
    }
    p.rect(-0.6, 0.8, 0.6, 0.9, 0.01, WOOD);
    p.rect(-0.3, 0.0, 0.3, 0.55, 0.2, Rgb::new(0.08, 0.05, 0.04));
    p.line(-0.2, 0.06, 0.2, 0.08, 0.06, WOOD * 0.7);
    for (x, h, c) in [
        (-0.1, 0.3, 0xff6a1a),
        (0.08, 0.36, 0xff8a20),
        (0.0, 0.24, 0xffd050),
    ] {
        p.poly(
            &[(x - 0.1, 0.08), (x + 0.1, 0.08), (x, 0.08 + h)],
            Rgb::hex(c) * 1.6,
        );
    }
    p.glow(0.0, 0.2, 0.35, Rgb::new(1.0, 0.6, 0.2) * 0.8);
}

/// A table in `col` wood, seen slightly from above, front legs forward.
pub fn table(p: &mut Pen, col: Rgb) {
    let (h, x) = (0.9, 1.6);
    p.rect(-x + 0.15, 0.2, -x + 0.22, h, 0.0, col * 0.6);
    p.rect(x - 0.22, 0.2, x - 0.15, h, 0.0, col * 0.6);
    p.poly(
        &[(-x, h), (x, h), (x - 0.1, 1.0), (-x + 0.1, 1.0)],
        col * 1.15,
    );
    p.rect(-x, h - 0.1, x, h, 0.0, col * 0.8);
    p.rect(-x + 0.02, 0.0, -x + 0.12, h - 0.1, 0.0, col * 0.75);
    p.rect(x - 0.12, 0.0, x - 0.02, h - 0.1, 0.0, col * 0.75);
}

/// A bookshelf in `col` wood, its three shelves full of books.
pub fn shelf(p: &mut Pen, col: Rgb) {
    p.rect(-0.45, 0.0, 0.45, 1.0, 0.0, col);
    p.rect(-0.4, 0.04, 0.4, 0.96, 0.0, col * 0.45);
    for k in 0..3 {
        let y = 0.05 + k as f32 * 0.31;
        let mut x = -0.39;
        let mut i = k * 2;
        while x < 0.36 {
            let w = 0.05 + 0.02 * ((i * 7) % 3) as f32;
            let top = y + 0.2 + 0.03 * ((i * 5) % 3) as f32;
            p.rect(
                x,
                y,
                (x + w).min(0.39),
                top,
                0.0,
                Rgb::hex(BOOKS[i % BOOKS.len()]),
            );
            x += w + 0.008;
            i += 1;
        }
        p.rect(-0.42, y - 0.02, 0.42, y + 0.01, 0.0, col);
    }
}
