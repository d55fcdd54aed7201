//! Backgrounds for scenes that are not landscapes: a room (wall, skirting,
//! wooden floor, warm light), a studio backdrop for portraits, and deep space
//! with nebulae and stars. Smooth parts are computed on a coarse grid and
//! upsampled, like the sky.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::{fbm2, smoothstep};
use crate::palette::Palette;
use crate::rng::Rng;

const CELL: usize = 4;

/// Fills the frame from a colour function evaluated on the coarse grid.
fn smooth(c: &mut Canvas, f: impl Fn(f32, f32) -> Rgb) {
    let (gw, gh) = (c.w / CELL + 2, c.h / CELL + 2);
    let mut low = vec![Rgb::BLACK; gw * gh];
    for gy in 0..gh {
        let y = (gy as f32 + 0.5) * CELL as f32;
        for gx in 0..gw {
            let x = (gx as f32 + 0.5) * CELL as f32;
            low[gy * gw + gx] = f(x, y);
        }
    }
    c.upsample_from(&low, gw, CELL);
}

/// A room: returns the floor line in pixels.
pub fn interior(c: &mut Canvas, p: &Palette, steps: u32, rng: &mut Rng) -> f32 {
    let (w, h, u) = (c.w as f32, c.h as f32, c.unit());
    let floor = h * 0.66;
    let (lx, ly) = (w * rng.range(0.3, 0.7), h * 0.3);
    let seed = rng.next_u32();
    let octaves = 1 + steps / 3;
    smooth(c, |x, y| {
        let (dx, dy) = ((x - lx) / u, (y - ly) / u);
        let light = 0.7 + 0.45 / (1.0 + (dx * dx + dy * dy) * 3.0);
        if y < floor {
            let t = y / floor;
            let wall = p.sky_top.lerp(p.sky_horizon, t);
            let blotch = 1.0 + 0.04 * fbm2(x / u * 6.0, y / u * 6.0, octaves, seed);
            wall * (light * blotch)
        } else {
            let t = (y - floor) / (h - floor);
            p.land * ((0.75 + 0.35 * t) * light)
        }
    });
    // Floorboards converge toward the middle of the back wall.
    let boards = 9 + steps;
    let vanish = w * 0.5;
    let y0 = floor.ceil() as usize;
    for y in y0..c.h {
        let t = (y as f32 - floor) / (h - floor);
        for x in 0..c.w {
            let along = (x as f32 - vanish) / (0.2 + t) / w * boards as f32;
            let f = along - crate::noise::floor(along);
            let line = smoothstep(
                0.04,
                0.0,
                f.min(1.0 - f) * (0.2 + t) * w / boards as f32 / 2.0,
            );
            let px = &mut c.px[y * c.w + x];
            *px = *px * (1.0 - 0.35 * line);
        }
    }
    // Skirting board along the foot of the wall.
    let band = (u * 0.025).max(1.0);
    let skirting = p.sky_horizon.lerp(Rgb::WHITE, 0.4) * 0.8;
    for y in (floor - band).max(0.0) as usize..(floor.ceil() as usize).min(c.h) {
        c.px[y * c.w..(y + 1) * c.w].fill(skirting);
    }
    floor
}

/// A studio backdrop: a soft pool of light behind the sitter, darker edges.
pub fn studio(c: &mut Canvas, p: &Palette, rng: &mut Rng) {
    let (w, h, u) = (c.w as f32, c.h as f32, c.unit());
    let (lx, ly) = (w * rng.range(0.4, 0.6), h * 0.4);
    smooth(c, |x, y| {
        let (dx, dy) = ((x - lx) / u, (y - ly) / u);
        let r2 = dx * dx + dy * dy;
        let k = 1.0 / (1.0 + r2 * 2.5);
        p.sky_top.lerp(p.sky_horizon, k) * (0.7 + 0.6 * k)
    });
}

/// Deep space: a dark gradient, coloured nebula clouds and stars.
pub fn space(c: &mut Canvas, p: &Palette, steps: u32, rng: &mut Rng) {
    let (h, u) = (c.h as f32, c.unit());
    let seed = rng.next_u32();
    let (ox, oy) = (rng.range(-100.0, 100.0), rng.range(-100.0, 100.0));
    let octaves = (2 + steps / 2).min(5);
    smooth(c, |x, y| {
        let base = p.sky_top.lerp(p.sky_horizon, y / h);
        let n = fbm2(x / u * 1.8 + ox, y / u * 1.8 + oy, octaves, seed);
        let m = fbm2(x / u * 2.6 - oy, y / u * 2.6 + ox, octaves, seed ^ 0x9e37);
        let cloud = smoothstep(0.0, 0.7, n);
        base + p.accent * (cloud * 0.35) + p.accent2 * (smoothstep(0.1, 0.8, m) * 0.25)
    });
    let count = (c.w * c.h) as f32 / 1.0e6 * (600.0 + 150.0 * steps as f32);
    let scale = (u / 1024.0).max(0.6);
    for _ in 0..count as u32 {
        let (x, y) = (rng.f32() * c.w as f32, rng.f32() * h);
        let b = rng.f32();
        let bright = 0.2 + 0.8 * b * b * b;
        let warm = rng.f32();
        let tint = Rgb::new(0.8 + 0.2 * warm, 0.85, 1.0 - 0.2 * warm);
        c.splat(x, y, (0.8 + 1.4 * bright) * scale, tint * (bright * 1.3));
    }
}
