//! Falling snow: soft flakes at several depths, larger and blurrier up close.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::palette::Palette;
use crate::rng::Rng;
use crate::understand::TimeOfDay;

pub fn snowfall(c: &mut Canvas, p: &Palette, steps: u32, rng: &mut Rng) {
    let area = (c.w * c.h) as f32 / 1.0e6;
    let count = (area * (250.0 + 70.0 * steps as f32)) as u32;
    let scale = c.unit() / 1024.0;
    let color = match p.time {
        TimeOfDay::Night => Rgb::new(0.75, 0.82, 1.0),
        _ => Rgb::new(1.0, 1.0, 1.0).lerp(p.sky_horizon, 0.15),
    };
    for _ in 0..count {
        let x = rng.f32() * c.w as f32;
        let y = rng.f32() * c.h as f32;
        let z = rng.f32();
        let r = (1.0 + 4.5 * z * z * z) * scale.max(0.5);
        let a = 0.25 + 0.35 * z;
        c.splat(x, y, r, color * a);
    }
}
