//! A city skyline: rows of buildings with lit windows (a few at dusk, many at
//! night), antennas, and in neon scenes glowing signs. Buildings are stored per
//! column, so windows cost a few integer operations per pixel.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::smoothstep;
use crate::palette::Palette;
use crate::rng::{Rng, hash2, unit};
use crate::understand::TimeOfDay;

/// One row of buildings, stored per column.
struct Row {
    top: Vec<f32>,
    left: Vec<f32>,
    width: Vec<f32>,
    id: Vec<u32>,
}

struct Sign {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    color: Rgb,
}

pub fn skyline(c: &mut Canvas, p: &Palette, horizon: f32, neon: bool, steps: u32, rng: &mut Rng) {
    let h = c.h as f32;
    let u = c.unit();
    let rows = if steps >= 5 { 3 } else { 2 };
    let lit_p = match p.time {
        TimeOfDay::Night => 0.42,
        TimeOfDay::Sunset => 0.22,
        TimeOfDay::Dawn => 0.08,
        TimeOfDay::Day => 0.0,
    };
    let mut signs = Vec::new();
    let mut lights = Vec::new();
    let mut built = Vec::new();
    for i in 0..rows {
        let t = (i + 1) as f32 / rows as f32;
        let mut top = vec![f32::INFINITY; c.w];
        let mut left = vec![0.0f32; c.w];
        let mut width = vec![1.0f32; c.w];
        let mut id = vec![0u32; c.w];
        let mut x = -rng.range(0.0, 40.0);
        let mut n = 0u32;
        while x < c.w as f32 {
            let bw = (u * rng.range(0.035, 0.09) * (0.7 + 0.6 * t)).max(6.0);
            let tall = rng.f32();
            let bh = h * (0.05 + 0.3 * tall * tall) * (1.25 - 0.35 * t);
            let by = horizon - bh + h * 0.012 * t;
            n += 1;
            let x0 = x.max(0.0) as usize;
            let x1 = ((x + bw) as usize).min(c.w);
            let stepped = rng.chance(0.3);
            for col in x0..x1 {
                let rel = (col as f32 - x) / bw;
                let y = if stepped && !(0.2..0.8).contains(&rel) {
                    by + bh * 0.12
                } else {
                    by
                };
                if y < top[col] {
                    top[col] = y;
                    left[col] = x;
                    width[col] = bw;
                    id[col] = n;
                }
            }
            if rng.chance(0.22) && bh > h * 0.12 {
                let ax = (x + bw * 0.5) as usize;
                let ah = h * rng.range(0.02, 0.06);
                let aw = (u * 0.003).max(1.0) as usize;
                for t in top.iter_mut().skip(ax).take(aw) {
                    *t = t.min(by - ah);
                }
                if p.time == TimeOfDay::Night || neon {
                    lights.push((x + bw * 0.5, by - ah));
                }
            }
            if neon && i + 1 == rows && rng.chance(0.45) {
                let sw = u * rng.range(0.008, 0.016);
                let sx = x + bw * rng.range(0.1, 0.7);
                let sy = by + bh * rng.range(0.08, 0.3);
                let color = if rng.chance(0.5) { p.accent } else { p.accent2 };
                let horizontal = rng.chance(0.35);
                let (sx1, sy1) = if horizontal {
                    (sx + bw * 0.35, sy + sw * 1.2)
                } else {
                    (sx + sw, sy + bh * rng.range(0.15, 0.35))
                };
                signs.push(Sign {
                    x0: sx,
                    y0: sy,
                    x1: sx1.min(x + bw),
                    y1: sy1,
                    color,
                });
            }
            x += bw + rng.range(-0.15, 0.25) * bw;
        }
        built.push(Row {
            top,
            left,
            width,
            id,
        });
    }
    for (i, row) in built.iter().enumerate() {
        let t = (i + 1) as f32 / rows as f32;
        let Row {
            top,
            left,
            width,
            id,
        } = row;
        // Stop where the next row in front fully covers this one.
        let bottom: Vec<usize> = match built.get(i + 1) {
            Some(next) => next
                .top
                .iter()
                .map(|&t| {
                    if t.is_finite() {
                        (t.max(0.0).ceil() as usize + 1).min(c.h)
                    } else {
                        c.h
                    }
                })
                .collect(),
            None => vec![c.h; c.w],
        };
        let base = p.haze.lerp(p.land, 0.4 + 0.6 * t);
        let base = if neon {
            base.lerp(p.sky_top, 0.5)
        } else {
            base
        };
        let haze = p.haze;
        let cell = u * (0.009 + 0.008 * t);
        let cell_h = cell * 1.5;
        let warm = p.accent;
        let cool = if neon {
            p.accent
        } else {
            Rgb::new(0.75, 0.88, 1.0)
        };
        let day_glass = p.sky_mid.lerp(p.sky_horizon, 0.5);
        let seed = rng.next_u32();
        let fade_len = h * 0.25;
        let (inv_cell, inv_cell_h) = (1.0 / cell, 1.0 / cell_h);
        c.fill_between(top, &bottom, |x, _, depth| {
            let lx = x as f32 - left[x];
            let b = id[x];
            let shade = 0.92 + 0.16 * unit(hash2(b as i32, 1, seed));
            let mut col = base * shade;
            if lx > width[x] * 0.72 {
                col = col * 0.78;
            }
            let wx = lx - cell * 0.5;
            let wy = depth - cell_h * 0.6;
            if wx > 0.0 && wy > 0.0 && wx < width[x] - cell * 1.0 {
                let (gx, gy) = (wx * inv_cell, wy * inv_cell_h);
                let (cx, cy) = (gx as i32, gy as i32);
                let (fx, fy) = (gx - cx as f32, gy - cy as f32);
                if fx < 0.55 && fy < 0.5 {
                    let r = unit(hash2(cx + (b as i32) * 977, cy, seed));
                    if r < lit_p {
                        let glow = 0.55 + 0.6 * unit(hash2(cx, cy + (b as i32) * 131, seed ^ 9));
                        let lamp = if r < lit_p * 0.25 { cool } else { warm };
                        col = lamp * glow * (0.55 + 0.45 * t);
                    } else if lit_p < 0.3 {
                        col = col.lerp(day_glass, 0.25);
                    } else {
                        col = col * 0.85;
                    }
                }
            }
            // Low-lying haze between the rows of buildings.
            col.lerp(haze, smoothstep(0.0, fade_len, depth) * 0.35 * (1.2 - t))
        });
    }
    for s in &signs {
        glow_rect(c, s);
    }
    for (x, y) in lights {
        c.splat(x, y, (u * 0.004).max(1.2), Rgb::new(1.0, 0.2, 0.15) * 1.2);
    }
}

/// A neon tube: a bright core with a soft halo spilling over its surroundings.
fn glow_rect(c: &mut Canvas, s: &Sign) {
    let reach = ((s.x1 - s.x0).min(s.y1 - s.y0) * 2.0 + c.unit() * 0.02).max(4.0);
    let x0 = (s.x0 - reach).max(0.0) as usize;
    let y0 = (s.y0 - reach).max(0.0) as usize;
    let x1 = ((s.x1 + reach).max(0.0) as usize).min(c.w);
    let y1 = ((s.y1 + reach).max(0.0) as usize).min(c.h);
    let core = s.color.lerp(Rgb::WHITE, 0.45);
    for y in y0..y1 {
        let fy = y as f32 + 0.5;
        let dy = (s.y0 - fy).max(fy - s.y1).max(0.0);
        for x in x0..x1 {
            let fx = x as f32 + 0.5;
            let dx = (s.x0 - fx).max(fx - s.x1).max(0.0);
            let d = (dx * dx + dy * dy).sqrt() / reach;
            let px = &mut c.px[y * c.w + x];
            if d <= 0.0 {
                *px = core * 1.2;
            } else {
                *px += s.color * (0.5 / (1.0 + d * d * 30.0) * (1.0 - d).max(0.0));
            }
        }
    }
}
