//! Buildings, front-on: house, cabin, castle, lighthouse, tower, temple,
//! bridge and windmill. Windows glow at night.

use super::Pen;
use crate::color::Rgb;

const ROOF: Rgb = Rgb::new(0.55, 0.2, 0.15);
const DOOR: Rgb = Rgb::new(0.3, 0.18, 0.1);

fn window_glass(p: &Pen) -> Rgb {
    if p.night {
        Rgb::new(2.2, 1.6, 0.7)
    } else {
        Rgb::new(0.5, 0.65, 0.8)
    }
}

pub fn house(p: &mut Pen, col: Rgb) {
    let glass = window_glass(p);
    p.rect(0.22, 0.6, 0.32, 0.98, 0.0, ROOF * 0.7);
    p.rect(-0.42, 0.0, 0.42, 0.6, 0.0, col);
    p.poly(&[(-0.52, 0.58), (0.52, 0.58), (0.0, 0.95)], ROOF);
    p.rect(-0.08, 0.0, 0.08, 0.3, 0.02, DOOR);
    for x in [-0.28, 0.2] {
        p.rect(x, 0.3, x + 0.12, 0.46, 0.0, glass);
    }
}

pub fn cabin(p: &mut Pen, col: Rgb) {
    let glass = window_glass(p);
    p.rect(-0.45, 0.0, 0.45, 0.55, 0.0, col);
    for i in 1..6 {
        let y = i as f32 * 0.09;
        p.line(-0.45, y, 0.45, y, 0.012, col * 0.6);
    }
    p.poly(&[(-0.56, 0.52), (0.56, 0.52), (0.0, 0.92)], col * 0.55);
    p.rect(-0.3, 0.0, -0.12, 0.34, 0.01, DOOR);
    p.rect(0.06, 0.2, 0.3, 0.4, 0.0, glass);
    p.line(0.18, 0.2, 0.18, 0.4, 0.015, col * 0.5);
}

fn crenels(p: &mut Pen, x0: f32, x1: f32, y: f32, n: u32, col: Rgb) {
    let w = (x1 - x0) / (2 * n - 1) as f32;
    for i in 0..n {
        let x = x0 + i as f32 * 2.0 * w;
        p.rect(x, y, x + w, y + w * 0.9, 0.0, col);
    }
}

pub fn castle(p: &mut Pen, col: Rgb) {
    let roof = Rgb::new(0.3, 0.3, 0.55);
    let glass = window_glass(p);
    p.rect(-0.5, 0.0, 0.5, 0.55, 0.0, col * 0.92);
    crenels(p, -0.5, 0.5, 0.55, 6, col * 0.92);
    p.rect(-0.16, 0.0, 0.16, 0.78, 0.0, col);
    crenels(p, -0.16, 0.16, 0.78, 3, col);
    for x in [-0.62, 0.46] {
        p.rect(x, 0.0, x + 0.16, 0.78, 0.0, col);
        p.poly(&[(x - 0.03, 0.78), (x + 0.19, 0.78), (x + 0.08, 1.0)], roof);
        p.rect(x + 0.06, 0.5, x + 0.1, 0.62, 0.02, glass);
    }
    p.rect(-0.08, 0.0, 0.08, 0.22, 0.08, DOOR * 0.6);
    p.rect(-0.03, 0.5, 0.03, 0.64, 0.02, glass);
}

/// A tapering tower with bands in `col` over white, the lamp room on top.
pub fn lighthouse(p: &mut Pen, col: Rgb) {
    let white = Rgb::new(0.95, 0.95, 0.93);
    let band = if col.luma() > 0.8 {
        Rgb::new(0.8, 0.15, 0.12)
    } else {
        col
    };
    let half = |y: f32| 0.14 - 0.05 * y / 0.78;
    p.poly(
        &[
            (-0.14, 0.0),
            (0.14, 0.0),
            (half(0.78), 0.78),
            (-half(0.78), 0.78),
        ],
        white,
    );
    for k in 0..3 {
        let (a, b) = (0.08 + k as f32 * 0.24, 0.2 + k as f32 * 0.24);
        p.poly(
            &[(-half(a), a), (half(a), a), (half(b), b), (-half(b), b)],
            band,
        );
    }
    p.rect(-0.13, 0.78, 0.13, 0.81, 0.0, Rgb::new(0.2, 0.2, 0.22));
    p.rect(-0.07, 0.81, 0.07, 0.92, 0.0, Rgb::new(1.0, 0.9, 0.55));
    p.poly(&[(-0.1, 0.92), (0.1, 0.92), (0.0, 1.0)], band);
    if p.night {
        p.glow(0.0, 0.86, 0.3, Rgb::new(1.0, 0.85, 0.45) * 0.5);
    }
}

pub fn tower(p: &mut Pen, col: Rgb) {
    let glass = window_glass(p);
    p.rect(-0.15, 0.0, 0.15, 0.82, 0.0, col);
    crenels(p, -0.17, 0.17, 0.82, 3, col);
    p.poly(
        &[(-0.17, 0.86), (0.17, 0.86), (0.0, 1.0)],
        Rgb::new(0.35, 0.3, 0.5),
    );
    for y in [0.3, 0.5, 0.68] {
        p.rect(-0.03, y, 0.03, y + 0.07, 0.02, glass);
    }
    p.rect(-0.06, 0.0, 0.06, 0.14, 0.05, DOOR);
}

/// A classical temple: steps, columns, pediment.
pub fn temple(p: &mut Pen, col: Rgb) {
    let shade = col * 0.8;
    p.rect(-0.55, 0.0, 0.55, 0.06, 0.0, shade);
    p.rect(-0.5, 0.06, 0.5, 0.12, 0.0, col);
    p.rect(-0.42, 0.12, 0.42, 0.62, 0.0, col * 0.45);
    for i in 0..6 {
        let x = -0.42 + i as f32 * 0.156;
        p.rect(x, 0.12, x + 0.07, 0.62, 0.0, col);
    }
    p.rect(-0.5, 0.62, 0.5, 0.72, 0.0, shade);
    p.poly(&[(-0.52, 0.72), (0.52, 0.72), (0.0, 0.95)], col);
}

/// A suspension bridge: two towers, a deck and sagging cables.
pub fn bridge(p: &mut Pen, col: Rgb) {
    let cable = col * 0.85;
    for x in [-0.7, 0.7] {
        p.rect(x - 0.06, 0.0, x + 0.06, 1.0, 0.0, col);
    }
    let sag = |x: f32| 0.45 + 0.5 * (x / 0.7) * (x / 0.7);
    let pts: Vec<(f32, f32)> = (0..=10)
        .map(|i| -0.7 + i as f32 * 0.14)
        .map(|x| (x, sag(x)))
        .collect();
    p.path(&pts, 0.025, cable);
    p.path(&[(-1.4, 0.4), (-0.7, 0.95)], 0.025, cable);
    p.path(&[(1.4, 0.4), (0.7, 0.95)], 0.025, cable);
    for &(x, y) in &pts[1..10] {
        p.line(x, y, x, 0.4, 0.01, cable);
    }
    p.rect(-1.4, 0.32, 1.4, 0.42, 0.0, col * 0.75);
}

/// A tower mill with four sails set as an X.
pub fn windmill(p: &mut Pen, col: Rgb) {
    let sail = Rgb::new(0.92, 0.9, 0.85);
    p.poly(
        &[(-0.22, 0.0), (0.22, 0.0), (0.13, 0.62), (-0.13, 0.62)],
        col,
    );
    p.poly(&[(-0.16, 0.6), (0.16, 0.6), (0.0, 0.76)], ROOF * 0.8);
    p.rect(-0.06, 0.0, 0.06, 0.16, 0.05, DOOR);
    let hub = (0.0, 0.64);
    for (dx, dy) in [(0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7)] {
        let (ex, ey) = (hub.0 + dx * 0.5, hub.1 + dy * 0.5);
        let (nx, ny) = (-dy * 0.09, dx * 0.09);
        p.poly(
            &[
                (hub.0 + dx * 0.1, hub.1 + dy * 0.1),
                (ex, ey),
                (ex + nx, ey + ny),
                (hub.0 + dx * 0.1 + nx, hub.1 + dy * 0.1 + ny),
            ],
            sail,
        );
        p.line(hub.0, hub.1, ex, ey, 0.02, Rgb::new(0.3, 0.22, 0.15));
    }
    p.circle(hub.0, hub.1, 0.04, Rgb::new(0.3, 0.22, 0.15));
}
