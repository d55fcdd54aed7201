//! Water below the horizon: a rippled mirror of everything already painted above
//! it, darkening with depth, with a glittering path under the sun or moon.
//! Ripples come from a precomputed wave table, so each pixel is two table reads.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::grad1;
use crate::palette::Palette;
use crate::rng::{Rng, hash2, unit};
use crate::scene::sky::Body;

const TABLE: usize = 1024;

fn wave_table(components: u32, rng: &mut Rng) -> Vec<f32> {
    let mut table = vec![0.0f32; TABLE];
    let mut norm = 0.0;
    for k in 0..components {
        let freq = (3 + k * k * 5 + rng.below(3)) as f32;
        let amp = 1.0 / (1.0 + k as f32 * 0.8);
        let phase = rng.range(0.0, std::f32::consts::TAU);
        norm += amp;
        for (i, v) in table.iter_mut().enumerate() {
            *v += amp * (std::f32::consts::TAU * freq * i as f32 / TABLE as f32 + phase).sin();
        }
    }
    for v in &mut table {
        *v /= norm;
    }
    table
}

pub fn water(
    c: &mut Canvas,
    p: &Palette,
    horizon: f32,
    body: Option<&Body>,
    calm: f32,
    steps: u32,
    rng: &mut Rng,
) {
    let hz = (horizon.round() as usize).clamp(1, c.h);
    let w = c.w;
    let below = (c.h as f32 - horizon).max(1.0);
    let scale = c.unit() / 1024.0;
    let table = wave_table(3 + steps / 2, rng);
    let seed = rng.next_u32();
    let glitter_seed = rng.next_u32();
    let deep = p.sky_top.lerp(p.land, 0.5) * 0.55;
    let sheen = p.sky_horizon.lerp(p.haze, 0.5);
    let (above, under) = c.px.split_at_mut(hz * w);
    for (row, line) in under.chunks_exact_mut(w).enumerate() {
        let y = hz + row;
        let d = ((y as f32 + 0.5 - horizon) / below).clamp(0.0, 1.0);
        let persp = 0.02 + d;
        // Wavelength grows toward the viewer; each row gets its own phase so the
        // surface breaks into horizontal ripple bands.
        let kx = 2.2 / persp / scale.max(0.25) * 0.12;
        let phase = (grad1(y as f32 * 0.35 / persp.sqrt(), seed) * 400.0 + row as f32 * 13.0)
            .rem_euclid(TABLE as f32);
        let amp_y = (3.0 + 26.0 * d) * scale * calm;
        // Rows shift sideways independently, which breaks mirrored discs and
        // peaks into the horizontal slivers real water makes of them.
        let amp_x = (4.0 + 9.0 * d) * scale * calm;
        let reflect = 0.88 - 0.38 * d;
        let mirror = 2.0 * horizon - y as f32 - 1.0;
        for (x, out) in line.iter_mut().enumerate() {
            let i = (x as f32 * kx + phase) as usize & (TABLE - 1);
            let wv = table[i];
            let wv2 = table[(i * 3 + 111) & (TABLE - 1)];
            let sy = (mirror + wv * amp_y).clamp(0.0, (hz - 1) as f32) as usize;
            let sx = (x as f32 + wv2 * amp_x).clamp(0.0, (w - 1) as f32) as usize;
            // Clamping the mirrored light keeps a blazing sun from surviving as
            // a solid disc; the wave value then cuts it into bright and dark bands.
            let s = above[sy * w + sx];
            let src = Rgb::new(s.r.min(1.0), s.g.min(1.0), s.b.min(1.0)) * (0.8 + 0.3 * wv2);
            let mut col = deep.lerp(src, reflect);
            col += sheen * ((wv - 0.55).max(0.0) * 0.25 * (1.0 - d));
            *out = col;
        }
        if let Some(b) = body
            && b.y < horizon + b.r
        {
            glitter(line, b, p, y, d, scale, glitter_seed);
        }
    }
}

/// Short bright dashes under the sun or moon, denser and wider toward the viewer.
fn glitter(line: &mut [Rgb], b: &Body, p: &Palette, y: usize, d: f32, scale: f32, seed: u32) {
    let half = b.r * (0.7 + 3.5 * d) * 1.6;
    let x0 = (b.x - half).max(0.0) as usize;
    let x1 = ((b.x + half).max(0.0) as usize).min(line.len());
    let seg = (2.0 + 14.0 * d) * scale.max(0.4);
    let shift = unit(hash2(y as i32, 7, seed)) * seg;
    let strength = if b.moon { 0.55 } else { 0.9 };
    let color = p.sun.lerp(Rgb::WHITE, 0.3);
    for (x, px) in line.iter_mut().enumerate().take(x1).skip(x0) {
        let k = 1.0 - ((x as f32 - b.x) / half).powi(2);
        if k <= 0.0 {
            continue;
        }
        let dash = ((x as f32 + shift) / seg) as i32;
        let r = unit(hash2(dash, y as i32, seed));
        if r < k * k * 0.55 {
            *px += color * (strength * k * (0.5 + r));
        }
    }
}
