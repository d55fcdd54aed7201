//! Vehicles, side-on facing right: car, boat, train, plane, rocket, bicycle.

use super::Pen;
use crate::color::Rgb;

const TYRE: Rgb = Rgb::new(0.08, 0.08, 0.09);
const METAL: Rgb = Rgb::new(0.72, 0.74, 0.78);
const GLASS: Rgb = Rgb::new(0.55, 0.72, 0.85);

fn wheel(p: &mut Pen, x: f32, y: f32, r: f32) {
    p.circle(x, y, r, TYRE);
    p.circle(x, y, r * 0.5, METAL);
}

/// A car: body, cabin with windows, two wheels. Height one unit.
pub fn car(p: &mut Pen, col: Rgb) {
    p.poly(&[(-0.52, 1.0), (0.3, 1.0), (0.6, 0.62), (-0.72, 0.62)], col);
    p.poly(
        &[(-0.45, 0.94), (-0.12, 0.94), (-0.12, 0.66), (-0.6, 0.66)],
        GLASS,
    );
    p.poly(
        &[(-0.06, 0.94), (0.26, 0.94), (0.48, 0.66), (-0.06, 0.66)],
        GLASS,
    );
    p.rect(-1.05, 0.2, 1.05, 0.68, 0.12, col);
    p.rect(0.9, 0.46, 1.04, 0.56, 0.03, Rgb::new(1.0, 0.95, 0.7));
    p.line(-0.9, 0.42, 0.85, 0.42, 0.02, col * 0.6);
    wheel(p, -0.62, 0.2, 0.2);
    wheel(p, 0.62, 0.2, 0.2);
}

/// A sailing boat floating at the water line, its hull in `col`.
pub fn boat(p: &mut Pen, col: Rgb) {
    let sail = Rgb::new(0.96, 0.95, 0.9);
    p.line(0.0, 0.34, 0.0, 1.0, 0.025, Rgb::new(0.35, 0.25, 0.15));
    p.poly(&[(0.03, 0.98), (0.03, 0.4), (0.36, 0.4)], sail);
    p.poly(&[(-0.03, 0.86), (-0.03, 0.42), (-0.26, 0.42)], sail * 0.92);
    p.poly(
        &[(-0.56, 0.38), (0.56, 0.38), (0.4, 0.0), (-0.42, 0.0)],
        col,
    );
    p.line(-0.5, 0.3, 0.52, 0.3, 0.025, col.lerp(Rgb::WHITE, 0.5));
}

/// A locomotive with its cab and chimney, pulling two carriages.
pub fn train(p: &mut Pen, col: Rgb) {
    let trim = col.lerp(Rgb::new(0.9, 0.75, 0.3), 0.5);
    for k in 0..2 {
        let x0 = -1.75 + k as f32 * 0.95;
        p.rect(x0, 0.2, x0 + 0.85, 0.8, 0.05, col * 0.9);
        for j in 0..3 {
            let wx = x0 + 0.1 + j as f32 * 0.25;
            p.rect(wx, 0.5, wx + 0.16, 0.7, 0.02, GLASS);
        }
        wheel(p, x0 + 0.18, 0.13, 0.12);
        wheel(p, x0 + 0.67, 0.13, 0.12);
    }
    p.rect(0.15, 0.2, 0.55, 0.95, 0.03, col);
    p.rect(0.22, 0.62, 0.45, 0.84, 0.02, GLASS);
    p.rect(0.1, 0.95, 0.6, 1.0, 0.02, col * 0.6);
    p.rect(0.5, 0.2, 1.65, 0.62, 0.2, col);
    p.rect(1.25, 0.62, 1.4, 0.85, 0.02, col * 0.6);
    p.line(0.55, 0.3, 1.6, 0.3, 0.03, trim);
    for wx in [0.35, 0.8, 1.2] {
        wheel(p, wx, 0.16, 0.16);
    }
    p.circle(1.62, 0.45, 0.06, Rgb::new(1.0, 0.95, 0.7));
}

/// An airliner in flight.
pub fn plane(p: &mut Pen, col: Rgb) {
    let wing = col * 0.8;
    p.poly(
        &[(-0.1, 0.5), (0.15, 0.5), (-0.35, 0.05), (-0.45, 0.05)],
        wing,
    );
    p.poly(
        &[(-0.85, 0.55), (-0.7, 0.55), (-0.95, 0.95), (-1.02, 0.95)],
        col,
    );
    p.rect(-1.0, 0.38, 0.95, 0.64, 0.13, col);
    p.ellipse(0.9, 0.5, 0.15, 0.12, col);
    for i in 0..8 {
        p.circle(-0.6 + i as f32 * 0.17, 0.54, 0.03, GLASS);
    }
    p.poly(
        &[(-0.05, 0.5), (0.1, 0.5), (-0.2, 0.75), (-0.28, 0.75)],
        wing * 0.8,
    );
}

/// An upright rocket with fins, a porthole and its exhaust flame.
pub fn rocket(p: &mut Pen, col: Rgb) {
    let fin = Rgb::new(0.8, 0.18, 0.15);
    p.glow(0.0, 0.02, 0.25, Rgb::new(1.0, 0.55, 0.15) * 0.9);
    p.poly(
        &[(-0.09, 0.16), (0.09, 0.16), (0.0, -0.05)],
        Rgb::new(1.0, 0.8, 0.3),
    );
    p.poly(
        &[(-0.16, 0.16), (-0.32, 0.06), (-0.3, 0.34), (-0.16, 0.42)],
        fin,
    );
    p.poly(
        &[(0.16, 0.16), (0.32, 0.06), (0.3, 0.34), (0.16, 0.42)],
        fin,
    );
    p.rect(-0.17, 0.14, 0.17, 0.76, 0.06, col);
    p.poly(&[(-0.17, 0.74), (0.17, 0.74), (0.0, 1.0)], fin);
    p.circle(0.0, 0.56, 0.08, METAL);
    p.circle(0.0, 0.56, 0.055, GLASS);
}

/// A bicycle: two wheels, a diamond frame, saddle and handlebars.
pub fn bicycle(p: &mut Pen, col: Rgb) {
    let w = 0.05;
    for x in [-0.72, 0.72] {
        p.ring(x, 0.4, 0.38, 0.38, 0.07, false, TYRE);
        p.circle(x, 0.4, 0.05, METAL);
    }
    p.path(
        &[(-0.72, 0.4), (-0.05, 0.4), (-0.3, 0.9), (-0.72, 0.4)],
        w,
        col,
    );
    p.path(&[(-0.05, 0.4), (0.5, 0.9), (-0.3, 0.9)], w, col);
    p.line(0.5, 0.9, 0.72, 0.4, w, col);
    p.line(0.5, 0.9, 0.46, 1.0, w, col);
    p.line(0.38, 1.0, 0.56, 1.0, 0.045, Rgb::new(0.15, 0.15, 0.15));
    p.rect(-0.42, 0.93, -0.18, 0.99, 0.02, Rgb::new(0.15, 0.12, 0.1));
}
