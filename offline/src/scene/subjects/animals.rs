//! Animals, drawn side-on facing right (the pen mirrors them): cat, dog, fox,
//! horse, bird, fish, whale, butterfly and dragon.

use super::Pen;
use crate::color::Rgb;

const EYE: Rgb = Rgb::new(0.05, 0.05, 0.06);

/// A sitting cat: round body, head with pointed ears, tail curled on the ground.
pub fn cat(p: &mut Pen, col: Rgb) {
    p.path(
        &[(-0.12, 0.06), (-0.36, 0.06), (-0.46, 0.2), (-0.42, 0.34)],
        0.07,
        col,
    );
    p.ellipse(-0.02, 0.28, 0.22, 0.28, col);
    p.line(0.1, 0.04, 0.12, 0.3, 0.08, col);
    p.poly(&[(-0.12, 0.8), (-0.1, 1.0), (0.02, 0.86)], col);
    p.poly(&[(0.1, 0.86), (0.22, 1.0), (0.24, 0.78)], col);
    p.ellipse(0.06, 0.72, 0.2, 0.17, col);
    for x in [0.0, 0.14] {
        p.ellipse(x, 0.74, 0.03, 0.04, Rgb::new(0.55, 0.75, 0.3));
        p.ellipse(x, 0.74, 0.01, 0.03, EYE);
    }
    p.poly(
        &[(0.05, 0.66), (0.09, 0.66), (0.07, 0.63)],
        Rgb::new(0.85, 0.5, 0.55),
    );
}

/// Four legs under a long body, a head with a snout and a floppy ear.
fn quadruped(p: &mut Pen, col: Rgb, leg: f32, body_y: f32) {
    let far = col * 0.8;
    p.line(-0.3, 0.02, -0.26, body_y, leg, far);
    p.line(0.24, 0.02, 0.22, body_y, leg, far);
    p.line(-0.36, 0.02, -0.34, body_y, leg, col);
    p.line(0.3, 0.02, 0.3, body_y, leg, col);
    p.ellipse(-0.02, body_y + 0.05, 0.4, 0.17, col);
}

pub fn dog(p: &mut Pen, col: Rgb) {
    p.line(-0.38, 0.52, -0.55, 0.78, 0.07, col);
    quadruped(p, col, 0.1, 0.4);
    p.line(0.28, 0.5, 0.38, 0.72, 0.16, col);
    p.ellipse(0.42, 0.8, 0.15, 0.13, col);
    p.ellipse(0.56, 0.75, 0.1, 0.07, col);
    p.ellipse(0.64, 0.77, 0.035, 0.03, EYE);
    p.ellipse(0.34, 0.76, 0.06, 0.12, col * 0.6);
    p.circle(0.46, 0.84, 0.025, EYE);
}

pub fn fox(p: &mut Pen, col: Rgb) {
    let white = Rgb::new(0.96, 0.94, 0.9);
    p.ellipse(-0.58, 0.5, 0.26, 0.1, col);
    p.ellipse(-0.78, 0.56, 0.08, 0.06, white);
    quadruped(p, col, 0.07, 0.36);
    p.line(0.3, 0.45, 0.4, 0.62, 0.14, col);
    p.poly(&[(0.32, 0.76), (0.36, 0.96), (0.44, 0.78)], col);
    p.poly(&[(0.44, 0.78), (0.5, 0.95), (0.54, 0.76)], col);
    p.poly(
        &[(0.3, 0.74), (0.56, 0.78), (0.76, 0.62), (0.36, 0.58)],
        col,
    );
    p.ellipse(0.44, 0.6, 0.1, 0.06, white);
    p.circle(0.75, 0.62, 0.025, EYE);
    p.circle(0.48, 0.7, 0.025, EYE);
}

pub fn horse(p: &mut Pen, col: Rgb) {
    let mane = col * 0.45;
    p.path(&[(-0.4, 0.62), (-0.52, 0.45), (-0.5, 0.3)], 0.07, mane);
    quadruped(p, col, 0.07, 0.55);
    p.poly(
        &[(0.18, 0.6), (0.36, 0.62), (0.46, 0.92), (0.32, 0.96)],
        col,
    );
    p.poly(
        &[
            (0.34, 0.98),
            (0.46, 0.92),
            (0.62, 0.74),
            (0.56, 0.7),
            (0.4, 0.8),
        ],
        col,
    );
    p.poly(&[(0.34, 0.96), (0.37, 1.04), (0.4, 0.96)], col);
    p.path(&[(0.34, 0.96), (0.26, 0.8), (0.16, 0.66)], 0.05, mane);
    p.circle(0.44, 0.88, 0.02, EYE);
}

/// A bird in flight, wings raised.
pub fn bird(p: &mut Pen, col: Rgb) {
    p.poly(&[(-0.05, 0.55), (-0.45, 1.0), (-0.25, 0.55)], col * 0.85);
    p.ellipse(0.0, 0.5, 0.32, 0.14, col);
    p.poly(&[(-0.3, 0.52), (-0.5, 0.62), (-0.5, 0.4)], col);
    p.poly(&[(0.05, 0.55), (0.2, 1.05), (0.25, 0.55)], col);
    p.circle(0.3, 0.56, 0.11, col);
    p.poly(
        &[(0.38, 0.6), (0.52, 0.54), (0.38, 0.52)],
        Rgb::new(0.95, 0.7, 0.2),
    );
    p.circle(0.32, 0.6, 0.025, EYE);
}

/// A fish leaping clear of the water.
pub fn fish(p: &mut Pen, col: Rgb) {
    p.poly(&[(-0.4, 0.5), (-0.62, 0.8), (-0.62, 0.2)], col * 0.85);
    p.ellipse(0.0, 0.5, 0.45, 0.28, col);
    p.poly(&[(-0.1, 0.7), (0.1, 0.74), (-0.05, 0.95)], col * 0.8);
    p.ellipse(0.05, 0.42, 0.3, 0.1, col.lerp(Rgb::WHITE, 0.35));
    p.circle(0.28, 0.56, 0.05, EYE);
}

/// A whale breaching, with a splash at the water line.
pub fn whale(p: &mut Pen, col: Rgb) {
    p.poly(
        &[(-0.42, 0.45), (-0.6, 0.75), (-0.5, 0.45), (-0.62, 0.2)],
        col,
    );
    p.ellipse(0.0, 0.4, 0.46, 0.3, col);
    p.ellipse(0.08, 0.28, 0.34, 0.14, col.lerp(Rgb::WHITE, 0.45));
    p.poly(&[(0.0, 0.3), (0.18, 0.12), (0.22, 0.32)], col * 0.8);
    p.circle(0.3, 0.42, 0.03, EYE);
    p.ellipse(0.0, 0.05, 0.5, 0.06, Rgb::new(0.9, 0.95, 1.0));
}

pub fn butterfly(p: &mut Pen, col: Rgb) {
    let spot = col.lerp(Rgb::new(0.1, 0.08, 0.08), 0.6);
    for side in [-1.0, 1.0] {
        p.ellipse(side * 0.24, 0.66, 0.24, 0.26, col);
        p.ellipse(side * 0.18, 0.28, 0.16, 0.18, col * 0.85);
        p.circle(side * 0.28, 0.72, 0.06, spot);
    }
    p.line(0.0, 0.18, 0.0, 0.8, 0.06, Rgb::new(0.15, 0.12, 0.1));
    p.path(
        &[(0.0, 0.8), (-0.08, 0.98)],
        0.015,
        Rgb::new(0.15, 0.12, 0.1),
    );
    p.path(
        &[(0.0, 0.8), (0.08, 0.98)],
        0.015,
        Rgb::new(0.15, 0.12, 0.1),
    );
}

/// A flying dragon: bat wings, long neck and tail, horned head.
pub fn dragon(p: &mut Pen, col: Rgb) {
    let wing = col * 0.7;
    p.poly(&[(-0.1, 0.55), (-0.3, 1.0), (0.15, 0.6)], wing);
    p.path(
        &[(-0.3, 0.45), (-0.6, 0.4), (-0.8, 0.5), (-0.9, 0.42)],
        0.08,
        col,
    );
    p.poly(&[(-0.9, 0.42), (-0.98, 0.5), (-0.96, 0.34)], col);
    p.ellipse(-0.05, 0.45, 0.34, 0.14, col);
    p.line(-0.1, 0.35, -0.15, 0.2, 0.06, col * 0.85);
    p.line(0.12, 0.35, 0.14, 0.2, 0.06, col * 0.85);
    p.path(&[(0.25, 0.5), (0.45, 0.62), (0.58, 0.66)], 0.1, col);
    p.poly(
        &[(0.56, 0.72), (0.86, 0.64), (0.84, 0.58), (0.56, 0.58)],
        col,
    );
    p.poly(&[(0.58, 0.72), (0.52, 0.86), (0.64, 0.72)], col * 0.6);
    p.circle(0.66, 0.67, 0.022, Rgb::new(1.0, 0.8, 0.2));
    p.poly(&[(0.0, 0.56), (0.4, 1.02), (0.3, 0.56)], col * 0.85);
    p.poly(&[(0.3, 0.56), (0.4, 1.02), (0.5, 0.6)], wing);
}
