//! The fallback for prompts that name no scene: a domain-warped noise field
//! mapped through the prompt's palette, soft glowing blobs, and fine flow lines
//! traced through a noise vector field. The smooth field is computed at quarter
//! resolution and upsampled; the flow lines carry the fine detail.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::{fbm2, grad2, smoothstep};
use crate::palette::Palette;
use crate::rng::Rng;

fn ramp(stops: &[Rgb; 4], t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0) * 3.0;
    let i = (t as usize).min(2);
    let f = t - i as f32;
    stops[i].lerp(stops[i + 1], f * f * (3.0 - 2.0 * f))
}

pub fn paint(c: &mut Canvas, p: &Palette, steps: u32, rng: &mut Rng) {
    let cell = 4usize;
    let gw = c.w / cell + 2;
    let gh = c.h / cell + 2;
    let u = c.unit();
    let freq = rng.range(1.1, 1.8);
    let seeds = [rng.next_u32(), rng.next_u32(), rng.next_u32()];
    let offs: Vec<f32> = (0..6).map(|_| rng.range(-200.0, 200.0)).collect();
    let warp = rng.range(2.0, 3.6);
    let octaves = (2 + steps / 2).min(5);
    let blobs: Vec<(f32, f32, f32, Rgb)> = (0..3 + rng.below(3))
        .map(|i| {
            let col = if i % 2 == 0 { p.accent } else { p.accent2 };
            (
                rng.range(0.1, 0.9) * c.w as f32,
                rng.range(0.1, 0.9) * c.h as f32,
                u * rng.range(0.08, 0.2),
                col,
            )
        })
        .collect();
    let mut low = vec![Rgb::BLACK; gw * gh];
    for gy in 0..gh {
        for gx in 0..gw {
            let (px, py) = (
                (gx as f32 + 0.5) * cell as f32,
                (gy as f32 + 0.5) * cell as f32,
            );
            let (x, y) = (px / u * freq, py / u * freq);
            let qx = fbm2(x + offs[0], y + offs[1], 2, seeds[0]);
            let qy = fbm2(x + offs[2], y + offs[3], 2, seeds[1]);
            let f = fbm2(
                x + warp * qx + offs[4],
                y + warp * qy + offs[5],
                octaves,
                seeds[2],
            );
            let mut col = ramp(&p.stops, 0.5 + 0.75 * f);
            let q = (qx * qx + qy * qy).sqrt();
            col = col.lerp(p.accent, smoothstep(0.25, 0.7, q) * 0.35);
            // Metaballs: the summed field makes the soft shape, and each blob's
            // share of it blends the colours, so overlaps mix instead of clipping.
            let (mut field, mut tint) = (0.0, Rgb::BLACK);
            for &(bx, by, br, bc) in &blobs {
                let (dx, dy) = (px - bx, py - by);
                let f = br * br / (dx * dx + dy * dy + br * br * 0.05);
                field += f;
                tint += bc * f;
            }
            let tint = tint * (1.0 / field.max(1e-6));
            let glow = smoothstep(0.6, 2.5, field);
            col =
                col.lerp(tint.lerp(Rgb::WHITE, 0.1), glow * 0.45) + tint * (field.min(6.0) * 0.025);
            low[gy * gw + gx] = col;
        }
    }
    c.upsample_from(&low, gw, cell);
    flow_lines(c, p, steps, rng);
}

/// Particles follow the angle of a smooth noise field, leaving faint additive
/// trails; more steps means more, longer and finer lines.
fn flow_lines(c: &mut Canvas, p: &Palette, steps: u32, rng: &mut Rng) {
    let u = c.unit();
    let area = (c.w * c.h) as f32 / 1.0e6;
    let count = (area * (90.0 + 70.0 * steps as f32)) as u32;
    let length = 40 + 12 * steps;
    let step_len = u * 0.0035;
    let seed = rng.next_u32();
    let seed2 = rng.next_u32();
    let freq = rng.range(1.0, 2.0);
    let curl = rng.range(2.5, 4.5);
    let radius = (u / 1024.0).max(0.5) * (1.5 - steps as f32 * 0.06);
    let alpha = 0.3 - steps as f32 * 0.015;
    for _ in 0..count {
        let (mut x, mut y) = (rng.f32() * c.w as f32, rng.f32() * c.h as f32);
        let col = p.stops[3].lerp(p.accent, rng.f32()) * alpha;
        for s in 0..length {
            let (nx, ny) = (x / u * freq, y / u * freq);
            let mut a = grad2(nx, ny, seed) * curl;
            if steps > 3 {
                a += grad2(nx * 3.0, ny * 3.0, seed2) * 0.6;
            }
            x += a.cos() * step_len;
            y += a.sin() * step_len;
            if x < 0.0 || y < 0.0 || x >= c.w as f32 || y >= c.h as f32 {
                break;
            }
            // Trails taper in and out so they read as strokes, not dots.
            let life = s as f32 / length as f32;
            let taper = (life * (1.0 - life) * 4.0).min(1.0);
            c.splat(x, y, radius, col * taper);
        }
    }
}
