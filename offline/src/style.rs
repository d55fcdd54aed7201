//! Styles: passes over the painted frame that make it read as a kind of
//! picture (cel-shaded anime, pixel art, watercolour, pencil sketch, old
//! film, low poly, oil paint, a photograph with depth of field, neon glow).
//! They run before the finishing pass, on the f32 frame, and are as
//! deterministic as the painting.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::{fbm2, fbm2_many, smoothstep};
use crate::rng::{hash2, unit};
use crate::scene::subjects::Placement;
use crate::understand::Style;

pub fn apply(c: &mut Canvas, style: Style, placed: &[Placement], steps: u32, seed: u32) {
    match style {
        Style::None => {}
        Style::Anime => anime(c),
        Style::Pixel => pixel(c),
        Style::Watercolor => watercolor(c, seed),
        Style::Sketch => sketch(c),
        Style::Vintage => vintage(c, seed),
        Style::LowPoly => low_poly(c, seed),
        Style::Oil => oil(c, steps, seed, |_, _| {}, true),
        Style::Photo => photo(c, placed, seed),
        Style::Neon => neon(c),
    }
}

fn luma(p: Rgb) -> f32 {
    p.luma()
}

/// A box blur of radius `r` pixels along rows, edges clamped.
fn blur_rows(src: &[Rgb], w: usize, h: usize, r: usize) -> Vec<Rgb> {
    let k = 1.0 / (2 * r + 1) as f32;
    let mut out = vec![Rgb::BLACK; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        let mut acc = row[0] * (r as f32 + 1.0);
        for x in 1..=r {
            acc += row[x.min(w - 1)];
        }
        for x in 0..w {
            out[y * w + x] = acc * k;
            acc += row[(x + r + 1).min(w - 1)];
            acc = acc - row[x.saturating_sub(r)];
        }
    }
    out
}

/// A box blur of radius `r` pixels along columns, edges clamped. Whole rows
/// are summed at a time, so memory is read in order.
fn blur_columns(src: &[Rgb], w: usize, h: usize, r: usize) -> Vec<Rgb> {
    let k = 1.0 / (2 * r + 1) as f32;
    let row = |y: usize| &src[y.min(h - 1) * w..(y.min(h - 1) + 1) * w];
    let mut acc: Vec<Rgb> = row(0).iter().map(|&p| p * (r as f32 + 1.0)).collect();
    for y in 1..=r {
        for (a, &p) in acc.iter_mut().zip(row(y)) {
            *a += p;
        }
    }
    let mut out = vec![Rgb::BLACK; w * h];
    for y in 0..h {
        for (o, &a) in out[y * w..(y + 1) * w].iter_mut().zip(&acc) {
            *o = a * k;
        }
        let (add, sub) = (row(y + r + 1), row(y.saturating_sub(r)));
        for ((a, &p), &q) in acc.iter_mut().zip(add).zip(sub) {
            *a = *a + p - q;
        }
    }
    out
}

/// A separable box blur of radius `r` pixels, edges clamped.
fn blur(src: &[Rgb], w: usize, h: usize, r: usize) -> Vec<Rgb> {
    if r == 0 {
        return src.to_vec();
    }
    blur_columns(&blur_rows(src, w, h, r), w, h, r)
}

/// A smooth noise field in [0, 1] over the frame, computed on a coarse grid
/// and interpolated, for effects that vary slowly across the picture.
fn coarse_field(c: &Canvas, freq: f32, seed: u32) -> Vec<f32> {
    const CELL: usize = 8;
    let (gw, gh) = (c.w / CELL + 2, c.h / CELL + 2);
    let u = c.unit();
    let grid: Vec<f32> = (0..gw * gh)
        .map(|i| {
            let (gx, gy) = ((i % gw) as f32, (i / gw) as f32);
            fbm2(
                gx * CELL as f32 / u * freq,
                gy * CELL as f32 / u * freq,
                2,
                seed,
            ) * 0.5
                + 0.5
        })
        .collect();
    let mut out = vec![0.0; c.w * c.h];
    for y in 0..c.h {
        let fy = y as f32 / CELL as f32;
        let (iy, ty) = (fy as usize, fy - crate::noise::floor(fy));
        for x in 0..c.w {
            let fx = x as f32 / CELL as f32;
            let (ix, tx) = (fx as usize, fx - crate::noise::floor(fx));
            let at = |i: usize, j: usize| grid[j * gw + i];
            let top = at(ix, iy) + (at(ix + 1, iy) - at(ix, iy)) * tx;
            let bottom = at(ix, iy + 1) + (at(ix + 1, iy + 1) - at(ix, iy + 1)) * tx;
            out[y * c.w + x] = top + (bottom - top) * ty;
        }
    }
    out
}

/// How strongly the brightness changes around each pixel, roughly in [0, 1].
fn edges(c: &Canvas) -> Vec<f32> {
    let (w, h) = (c.w, c.h);
    let l: Vec<f32> = c.px.iter().map(|&p| luma(p)).collect();
    let mut e = vec![0.0; w * h];
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let i = y * w + x;
            let gx = l[i + 1] - l[i - 1];
            let gy = l[i + w] - l[i - w];
            e[i] = (gx.abs() + gy.abs()).min(1.0);
        }
    }
    e
}

/// Flat bands of light and shadow with dark outlines.
fn anime(c: &mut Canvas) {
    let e = edges(c);
    for (p, &edge) in c.px.iter_mut().zip(&e) {
        let (h, s, l) = p.to_hsl();
        let band = (l * 4.0 + 0.5) as u32 as f32 / 4.0;
        let flat = Rgb::from_hsl(h, (s * 1.2).min(1.0), band.clamp(0.06, 0.95));
        *p = flat * (1.0 - smoothstep(0.12, 0.3, edge) * 0.8);
    }
}

/// Big square pixels in a small palette.
fn pixel(c: &mut Canvas) {
    let block = ((c.unit() / 80.0) as usize).max(2);
    let (w, h) = (c.w, c.h);
    let q = |v: f32| ((v.clamp(0.0, 1.0) * 7.0 + 0.5) as u32) as f32 / 7.0;
    for by in (0..h).step_by(block) {
        for bx in (0..w).step_by(block) {
            let (x1, y1) = ((bx + block).min(w), (by + block).min(h));
            let mut sum = Rgb::BLACK;
            for y in by..y1 {
                for x in bx..x1 {
                    sum += c.px[y * w + x];
                }
            }
            let m = sum * (1.0 / ((x1 - bx) * (y1 - by)) as f32);
            let col = Rgb::new(q(m.r), q(m.g), q(m.b));
            for y in by..y1 {
                c.px[y * w + bx..y * w + x1].fill(col);
            }
        }
    }
}

/// Soft washes on textured paper, pigment pooling at the edges of shapes.
fn watercolor(c: &mut Canvas, seed: u32) {
    let (w, h, u) = (c.w, c.h, c.unit());
    let soft = blur(&c.px, w, h, ((u / 180.0) as usize).max(1));
    let bloom = coarse_field(c, 5.0, seed ^ 0x51);
    let paper = Rgb::new(0.97, 0.95, 0.9);
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let fibre = unit(hash2(x as i32 / 2, y as i32, seed)) - 0.5;
            let pooled = (luma(c.px[i]) - luma(soft[i])).abs().min(0.3);
            let wash = soft[i].lerp(paper, 0.16 + 0.16 * bloom[i]) * (1.0 - pooled * 0.8);
            c.px[i] = wash * (1.0 + fibre * 0.06);
        }
    }
}

/// Graphite lines along edges and hatching in the shadows, on paper.
fn sketch(c: &mut Canvas) {
    let e = edges(c);
    let spacing = (c.unit() / 110.0).max(3.0) as i32;
    let paper = Rgb::new(0.95, 0.94, 0.9);
    let graphite = Rgb::new(0.18, 0.18, 0.2);
    for y in 0..c.h {
        for x in 0..c.w {
            let i = y * c.w + x;
            let l = luma(c.px[i]);
            let line = smoothstep(0.05, 0.22, e[i]);
            let d = (x as i32 + y as i32).rem_euclid(spacing);
            let hatch = if d == 0 {
                smoothstep(0.55, 0.2, l)
            } else {
                0.0
            };
            let cross = if (x as i32 - y as i32).rem_euclid(spacing) == 0 {
                smoothstep(0.3, 0.08, l)
            } else {
                0.0
            };
            let ink = (line + hatch * 0.6 + cross * 0.6).min(1.0);
            let tone = paper.lerp(c.px[i], 0.12) * (0.85 + 0.15 * l);
            c.px[i] = tone.lerp(graphite, ink);
        }
    }
}

/// Faded, warm colours, lifted blacks, heavy grain and a dark vignette.
fn vintage(c: &mut Canvas, seed: u32) {
    let (cx, cy) = (c.w as f32 * 0.5, c.h as f32 * 0.5);
    let inv = 1.0 / (cx * cx + cy * cy);
    for y in 0..c.h {
        for x in 0..c.w {
            let i = y * c.w + x;
            let p = c.px[i];
            let l = luma(p);
            let sepia = Rgb::new(l * 1.07 + 0.05, l * 0.93 + 0.03, l * 0.72 + 0.02);
            let faded = p.lerp(sepia, 0.6) * 0.88 + Rgb::new(0.07, 0.06, 0.05);
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let vignette = 1.0 - 0.45 * ((dx * dx + dy * dy) * inv);
            let grain = (unit(hash2(x as i32, y as i32, seed)) - 0.5) * 0.09;
            c.px[i] = faded * vignette + Rgb::new(grain, grain, grain);
        }
    }
}

/// Flat triangular facets, each the colour at its centre.
fn low_poly(c: &mut Canvas, seed: u32) {
    let (w, h) = (c.w, c.h);
    let cell = (c.unit() / 36.0).max(3.0);
    let src = c.px.clone();
    let at = |x: f32, y: f32| {
        let (x, y) = (
            (x.max(0.0) as usize).min(w - 1),
            (y.max(0.0) as usize).min(h - 1),
        );
        src[y * w + x]
    };
    for y in 0..h {
        let gy = y as f32 / cell;
        let j = gy as i32;
        let fy = gy - j as f32;
        for x in 0..w {
            let gx = x as f32 / cell;
            let i = gx as i32;
            let fx = gx - i as f32;
            // Alternate the diagonal so facets do not all lean one way.
            let flip = (i + j) & 1 == 1;
            let upper = if flip { fx + fy < 1.0 } else { fx > fy };
            let (ux, uy) = match (flip, upper) {
                (false, true) => (0.67, 0.33),
                (false, false) => (0.33, 0.67),
                (true, true) => (0.33, 0.33),
                (true, false) => (0.67, 0.67),
            };
            let facet = at((i as f32 + ux) * cell, (j as f32 + uy) * cell);
            let tri = (i * 2 + upper as i32, j);
            let shade = 0.94 + 0.12 * unit(hash2(tri.0, tri.1, seed));
            c.px[y * w + x] = facet * shade;
        }
    }
}

/// Oil paint with each finished row handed to `row(y, pixels)` as it is
/// made, top first, instead of written back to the frame: the finishing pass
/// then reads the row while it is still in cache. The frame is left
/// half-painted, so it is only for the last pass before finishing.
pub fn oil_rows(c: &mut Canvas, steps: u32, seed: u32, row: impl FnMut(usize, &[Rgb])) {
    oil(c, steps, seed, row, false);
}

/// Paint dragged in short strokes, across in some patches of the picture
/// and down in others, on canvas weave. Both smears are running sums kept
/// while the rows stream past, so the pass reads the frame once whatever the
/// stroke length. Each painted row goes to `row`, and back into the frame
/// when `write_back` is set.
fn oil(
    c: &mut Canvas,
    steps: u32,
    seed: u32,
    mut row: impl FnMut(usize, &[Rgb]),
    write_back: bool,
) {
    const PATCH: usize = 8;
    let (w, h, u) = (c.w, c.h, c.unit());
    let r = ((u / 400.0) * (1.0 + steps.min(8) as f32 / 4.0)).max(1.0) as usize;
    let k = 1.0 / (2 * r + 1) as f32;
    // Which way the strokes go, per patch: a coarse noise, so neighbouring
    // patches mostly agree and the strokes read as brushwork, not tiles.
    let (pw, ph) = (w.div_ceil(PATCH), h.div_ceil(PATCH));
    let (mut xs, mut ys): (Vec<f32>, Vec<f32>) = (0..pw * ph)
        .map(|i| {
            let (px, py) = ((i % pw * PATCH) as f32 / u, (i / pw * PATCH) as f32 / u);
            (px * 4.0, py * 4.0)
        })
        .unzip();
    let mut noise = vec![0.0; pw * ph];
    fbm2_many(&mut xs, &mut ys, &mut noise, 2, seed);
    let way: Vec<bool> = noise.iter().map(|&n| n > 0.0).collect();
    // The canvas weave and the ridges of paint, as a tile of 2-pixel cells.
    const TILE: usize = 64;
    let weave: Vec<f32> = (0..TILE * TILE)
        .map(|i| {
            let (x, y) = (i % TILE, i / TILE);
            let thread = if (x + y) % 3 == 0 { 0.97 } else { 1.0 };
            thread * (1.0 + (unit(hash2(x as i32, y as i32, seed)) - 0.5) * 0.06)
        })
        .collect();
    let at = |y: usize| y.min(h - 1) * w;
    let mut down: Vec<Rgb> = c.px[..w].iter().map(|&p| p * (r as f32 + 1.0)).collect();
    for y in 1..=r {
        for (a, &p) in down.iter_mut().zip(&c.px[at(y)..at(y) + w]) {
            *a += p;
        }
    }
    // The last r + 1 rows as they were before being painted over, for the
    // column sums to take back out.
    let mut kept = vec![Rgb::BLACK; (r + 1) * w];
    // Two rows with their edge pixels repeated r times on each side, and
    // their running sums across.
    let mut pads = [
        vec![Rgb::BLACK; w + 2 * r + 1],
        vec![Rgb::BLACK; w + 2 * r + 1],
    ];
    let mut sums = [vec![Rgb::BLACK; w], vec![Rgb::BLACK; w]];
    let mut painted = vec![Rgb::BLACK; w];
    for y in 0..h {
        let slot = (y % (r + 1)) * w;
        kept[slot..slot + w].copy_from_slice(&c.px[y * w..(y + 1) * w]);
        if y % 2 == 0 {
            // The sums across are each a chain of dependent additions, so
            // two rows' chains run side by side. Neither row is painted yet.
            let pair = (h - y).min(2);
            for (j, pad) in pads.iter_mut().enumerate().take(pair) {
                let line = &c.px[(y + j) * w..(y + j + 1) * w];
                pad[..r].fill(line[0]);
                pad[r..r + w].copy_from_slice(line);
                pad[r + w..].fill(line[w - 1]);
            }
            let [s0, s1] = &mut sums;
            if pair == 2 {
                sums_across2(&pads[0], &pads[1], s0, s1, r);
            } else {
                sums_across2(&pads[0], &pads[0], s0, s1, r);
            }
        }
        let across = &sums[y % 2];
        let ways = &way[(y / PATCH) * pw..(y / PATCH + 1) * pw];
        let canvas = &weave[(y / 2 % TILE) * TILE..(y / 2 % TILE + 1) * TILE];
        for (x, ((o, d), a)) in painted.iter_mut().zip(&down).zip(across).enumerate() {
            let stroke = if ways[x / PATCH] { *d } else { *a };
            *o = stroke * (canvas[x / 2 % TILE] * k);
        }
        // Rows below still hold what was painted before: the column sums
        // read only those and the kept copies, never a row painted here.
        if write_back {
            c.px[y * w..(y + 1) * w].copy_from_slice(&painted);
        }
        row(y, &painted);
        let gone = (y.saturating_sub(r) % (r + 1)) * w;
        let ahead = at(y + r + 1);
        let rows = c.px[ahead..ahead + w].iter().zip(&kept[gone..gone + w]);
        for (a, (&p, &q)) in down.iter_mut().zip(rows) {
            *a = *a + p - q;
        }
    }
}

/// The running sums of `2 * r + 1` pixels across two padded rows at once:
/// `s[x]` sums `pad[x..=x + 2 * r]`, added up in the order a single sliding
/// sum would.
fn sums_across2(p0: &[Rgb], p1: &[Rgb], s0: &mut [Rgb], s1: &mut [Rgb], r: usize) {
    let mut a0 = p0[..2 * r + 1].iter().fold(Rgb::BLACK, |a, &p| a + p);
    let mut a1 = p1[..2 * r + 1].iter().fold(Rgb::BLACK, |a, &p| a + p);
    let w = s0.len().min(s1.len());
    let (add0, add1) = (&p0[2 * r + 1..], &p1[2 * r + 1..]);
    for x in 0..w {
        s0[x] = a0;
        s1[x] = a1;
        a0 = a0 + add0[x] - p0[x];
        a1 = a1 + add1[x] - p1[x];
    }
}

/// A photograph: the background out of focus, the subjects sharp, a gentle
/// teal-and-orange grade.
fn photo(c: &mut Canvas, placed: &[Placement], seed: u32) {
    let (w, h) = (c.w, c.h);
    let far = blur(&c.px, w, h, ((c.unit() / 160.0) as usize).max(1));
    let sharp_row = |y: usize| {
        // With no subject, the lower third is the focal plane.
        placed.is_empty() && y as f32 > h as f32 * 0.66
    };
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let in_focus = sharp_row(y)
                || placed.iter().any(|p| {
                    (x as u32) >= p.x0
                        && (x as u32) < p.x1
                        && (y as u32) >= p.y0
                        && (y as u32) < p.y1
                });
            let p = if in_focus { c.px[i] } else { far[i] };
            let l = luma(p);
            let graded = p + Rgb::new(0.04, 0.0, -0.04) * (l - 0.4) * 2.0;
            let grain = (unit(hash2(x as i32, y as i32, seed ^ 0xf11)) - 0.5) * 0.04;
            c.px[i] = graded + Rgb::new(grain, grain, grain);
        }
    }
}

/// Saturated colours with a glow bleeding from everything bright. The glow
/// is smooth, so it is blurred on a quarter-resolution grid and upsampled.
fn neon(c: &mut Canvas) {
    const CELL: usize = 4;
    let (gw, gh) = (c.w / CELL + 2, c.h / CELL + 2);
    let mut low = vec![Rgb::BLACK; gw * gh];
    for gy in 0..gh {
        for gx in 0..gw {
            let (x, y) = ((gx * CELL).min(c.w - 1), (gy * CELL).min(c.h - 1));
            let p = c.px[y * c.w + x];
            low[gy * gw + gx] = p * smoothstep(0.45, 0.9, luma(p));
        }
    }
    let low = blur(&low, gw, gh, ((c.unit() / 240.0) as usize).max(1));
    let mut glow = Canvas::new(c.w, c.h);
    glow.upsample_from(&low, gw, CELL);
    for (p, g) in c.px.iter_mut().zip(&glow.px) {
        let l = luma(*p);
        let vivid = Rgb::new(l, l, l).lerp(*p, 1.3);
        *p = vivid + *g * 0.8;
    }
}

/// Black and white: the whole frame, subjects included, in grey.
pub fn monochrome(c: &mut Canvas) {
    for p in &mut c.px {
        let l = luma(*p);
        *p = Rgb::new(l, l, l);
    }
}
