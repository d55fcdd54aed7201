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
    let rows: Vec<Swell> = (hz..c.h)
        .map(|y| {
            let row = y - hz;
            let d = ((y as f32 + 0.5 - horizon) / below).clamp(0.0, 1.0);
            let persp = 0.02 + d;
            // Wavelength grows toward the viewer; each row gets its own phase so
            // the surface breaks into horizontal ripple bands.
            let phase = (grad1(y as f32 * 0.35 / persp.sqrt(), seed) * 400.0 + row as f32 * 13.0)
                .rem_euclid(TABLE as f32);
            Swell {
                d,
                kx: 2.2 / persp / scale.max(0.25) * 0.12,
                phase,
                amp_y: (3.0 + 26.0 * d) * scale * calm,
                // Rows shift sideways independently, which breaks mirrored discs
                // and peaks into the horizontal slivers real water makes of them.
                amp_x: (4.0 + 9.0 * d) * scale * calm,
                reflect: 0.88 - 0.38 * d,
                mirror: 2.0 * horizon - y as f32 - 1.0,
            }
        })
        .collect();
    let (top_y, last_x) = ((hz - 1) as f32, (w - 1) as f32);
    // Each pixel reads the frame above at a rippled mirror position a few dozen
    // rows around its mirror row. Going down narrow strips instead of whole rows
    // keeps those reads within a small window of memory that stays in cache.
    const STRIP: usize = 32;
    const AHEAD: usize = 4;
    for x0 in (0..w).step_by(STRIP) {
        let x1 = (x0 + STRIP).min(w);
        let (lo, hi) = (x0.saturating_sub(16), (x1 + 16).min(w));
        for (row, (sw, line)) in rows.iter().zip(under.chunks_exact_mut(w)).enumerate() {
            // The reads move up about a row per row: touch the row they will
            // reach a few rows on, one load per cache line, so its lines are
            // fetched in order instead of one stalled miss per pixel.
            if let Some(next) = rows.get(row + AHEAD) {
                let top = (next.mirror - next.amp_y - 1.0).clamp(0.0, top_y) as i32 as usize;
                let ahead = &above[top * w + lo..top * w + hi];
                std::hint::black_box(ahead.iter().step_by(5).fold(0.0, |a, p| a + p.r));
            }
            for (x, out) in line.iter_mut().enumerate().take(x1).skip(x0) {
                let i = (x as f32 * sw.kx + sw.phase) as i32 as usize & (TABLE - 1);
                let wv = table[i];
                let wv2 = table[(i * 3 + 111) & (TABLE - 1)];
                // Both positions are clamped into the frame first, so the
                // narrowing casts lose nothing.
                let sy = (sw.mirror + wv * sw.amp_y).clamp(0.0, top_y) as i32 as usize;
                let sx = (x as f32 + wv2 * sw.amp_x).clamp(0.0, last_x) as i32 as usize;
                // Clamping the mirrored light keeps a blazing sun from surviving
                // as a solid disc; the wave value then cuts it into bright and
                // dark bands.
                let s = above[sy * w + sx];
                let src = Rgb::new(s.r.min(1.0), s.g.min(1.0), s.b.min(1.0)) * (0.8 + 0.3 * wv2);
                let mut col = deep.lerp(src, sw.reflect);
                col += sheen * ((wv - 0.55).max(0.0) * 0.25 * (1.0 - sw.d));
                *out = col;
            }
        }
    }
    if let Some(b) = body
        && b.y < horizon + b.r
    {
        for (row, (sw, line)) in rows.iter().zip(under.chunks_exact_mut(w)).enumerate() {
            glitter(line, b, p, hz + row, sw.d, scale, glitter_seed);
        }
    }
}

/// One row of water: its depth toward the viewer (0 at the horizon) and how
/// its ripples sample the mirror image.
struct Swell {
    d: f32,
    kx: f32,
    phase: f32,
    amp_y: f32,
    amp_x: f32,
    reflect: f32,
    mirror: f32,
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
