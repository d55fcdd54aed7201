//! Tree silhouettes: pines with tiered branches or rounded canopies. Trees are
//! rasterised into a per-column top edge, so a whole row of trees is filled
//! together with the ground it stands on, in one pass.

use crate::canvas::Canvas;
use crate::noise::{fbm1, smoothstep};
use crate::palette::Palette;
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TreeKind {
    Pine,
    Round,
    Mixed,
}

/// Lowers `top` wherever a pine covers a column. Edge columns get a fractional
/// top, which is a cheap horizontal anti-aliasing.
fn pine(top: &mut [f32], cx: f32, base: f32, height: f32, tiers: u32) {
    let hw = height * 0.3;
    let tier_h = height / tiers as f32;
    let y0 = (base - height).floor().max(0.0) as i32;
    let y1 = base.ceil() as i32;
    for yy in y0..y1 {
        let d = yy as f32 + 0.5 - (base - height);
        if d < 0.0 {
            continue;
        }
        let u = (d / tier_h + 0.3).fract();
        let width = hw * (d / height).powf(0.85) * (0.35 + 0.65 * u) + 0.6;
        fill_span(top, cx, width, yy as f32);
    }
}

fn round(top: &mut [f32], cx: f32, base: f32, height: f32) {
    let r = height * 0.34;
    let cy = base - height + r;
    for (ox, oy, k) in [(0.0, 0.0, 1.0), (-0.55, 0.45, 0.75), (0.55, 0.4, 0.8)] {
        let (ccx, ccy, rr) = (cx + ox * r, cy + oy * r, r * k);
        let x0 = (ccx - rr).floor().max(0.0) as usize;
        let x1 = ((ccx + rr).ceil().max(0.0) as usize).min(top.len());
        for (x, t) in top.iter_mut().enumerate().take(x1).skip(x0) {
            let dx = x as f32 + 0.5 - ccx;
            let s = rr * rr - dx * dx;
            if s > 0.0 {
                *t = t.min(ccy - s.sqrt());
            }
        }
    }
    fill_span(top, cx, (height * 0.035).max(0.7), cy + r * 0.5);
}

fn fill_span(top: &mut [f32], cx: f32, half: f32, y: f32) {
    let x0 = (cx - half - 1.0).floor().max(0.0) as usize;
    let x1 = ((cx + half + 1.0).ceil().max(0.0) as usize).min(top.len());
    for (x, t) in top.iter_mut().enumerate().take(x1).skip(x0) {
        let cover = (half + 0.5 - (x as f32 + 0.5 - cx).abs()).clamp(0.0, 1.0);
        if cover > 0.0 {
            *t = t.min(y + 1.0 - cover);
        }
    }
}

/// Plants trees of about `size` pixels along the `ground` edge, lowering `top`.
/// `density` in [0, 1] controls how much of the row is grove versus clearing.
#[allow(clippy::too_many_arguments)]
pub fn plant(
    top: &mut [f32],
    ground: &[f32],
    size: f32,
    kind: TreeKind,
    density: f32,
    steps: u32,
    unit: f32,
    rng: &mut Rng,
) {
    let tiers = 4 + steps / 2;
    let grove_seed = rng.next_u32();
    let off = rng.range(-500.0, 500.0);
    let w = ground.len();
    let mut x = -size * rng.range(0.0, 0.5);
    while x < w as f32 + size {
        let height = size * rng.range(0.6, 1.15);
        let grove = fbm1(x / unit * 2.5 + off, 2, grove_seed) * 0.5 + 0.5;
        if grove < density || rng.chance(0.04) {
            let gx = (x.max(0.0) as usize).min(w - 1);
            let base = ground[gx] + size * rng.range(0.02, 0.1);
            let pine_here = match kind {
                TreeKind::Pine => true,
                TreeKind::Round => false,
                TreeKind::Mixed => rng.chance(0.5),
            };
            if pine_here {
                pine(top, x, base, height, tiers);
            } else {
                round(top, x, base, height * 0.85);
            }
        }
        x += size * rng.range(0.14, 0.32);
    }
}

/// One or two rows of small trees on the far bank of a lake, at the horizon.
pub fn shore(c: &mut Canvas, p: &Palette, horizon: f32, kind: TreeKind, steps: u32, rng: &mut Rng) {
    let h = c.h as f32;
    let unit = c.unit();
    let mist = if p.motifs.mist { 0.9 } else { 0.5 };
    for i in 0..2 {
        let t = (i + 1) as f32 / 2.0;
        let size = h * (0.035 + 0.03 * t);
        let seed = rng.next_u32();
        let off = rng.range(-500.0, 500.0);
        let ground: Vec<f32> = (0..c.w)
            .map(|x| {
                horizon + 1.0 - size * 0.1 * (fbm1(x as f32 / unit * 3.0 + off, 2, seed) + 1.0)
            })
            .collect();
        let mut top = ground.clone();
        plant(&mut top, &ground, size, kind, 0.75, steps, unit, rng);
        let col = p.haze.lerp(p.land, 0.45 + 0.3 * t);
        let haze = p.haze;
        let bottom = (horizon.ceil() as usize + 1).min(c.h);
        let k = mist * (1.0 - 0.5 * t);
        c.fill_below(&top, bottom, |_, _, depth| {
            col.lerp(haze, smoothstep(0.0, size * 1.1, depth) * k)
        });
    }
}
