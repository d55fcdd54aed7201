//! The synthwave floor: a glowing perspective grid receding to a bright horizon.
//! Line width is computed in screen space, so lines stay crisp up close and fade
//! out before they alias near the horizon.

use crate::canvas::Canvas;
use crate::noise::smoothstep;
use crate::palette::Palette;
use crate::rng::Rng;

pub fn grid(c: &mut Canvas, p: &Palette, horizon: f32, steps: u32, rng: &mut Rng) {
    let hz = (horizon.floor().max(0.0) as usize).min(c.h);
    let u = c.unit();
    let cx = c.w as f32 * rng.range(0.42, 0.58);
    let k = u * 0.35;
    let spacing_x = 0.55 / (1.0 + steps as f32 * 0.12);
    let spacing_z = 1.0 / (1.0 + steps as f32 * 0.15);
    let scroll = rng.f32();
    let width = (u / 1024.0).max(0.5) * 1.1;
    let floor_top = p.accent2.lerp(p.sky_horizon, 0.5) * 0.35;
    let floor_bottom = p.land;
    let below = (c.h as f32 - horizon).max(1.0);
    for y in hz..c.h {
        let dy = (y as f32 + 0.5 - horizon).max(0.25);
        let t = dy / below;
        let base = floor_top.lerp(floor_bottom, smoothstep(0.0, 0.35, t));
        let z = k / dy;
        let fz = (z / spacing_z + scroll).fract();
        let dz = fz.min(1.0 - fz) * spacing_z;
        let px_per_z = dy * dy / k;
        let dist_h = dz * px_per_z;
        let line_h = 1.0 / (1.0 + (dist_h / width).powi(2));
        let fade_h = smoothstep(2.0, 8.0, spacing_z * px_per_z);
        let fade_v = smoothstep(3.0, 12.0, spacing_x * dy);
        let near = 0.5 + 0.8 * t;
        let row = &mut c.px[y * c.w..(y + 1) * c.w];
        for (x, out) in row.iter_mut().enumerate() {
            let gx = (x as f32 + 0.5 - cx) / dy / spacing_x;
            let f = gx - gx.round();
            let dist_v = f.abs() * spacing_x * dy;
            let line_v = 1.0 / (1.0 + (dist_v / width).powi(2));
            let lines = line_h * fade_h + line_v * fade_v;
            *out = base + p.accent2 * (lines * near) + p.accent * (line_h * fade_h * 0.25);
        }
    }
}
