//! Land as layered silhouettes: ridged mountain ranges fading into haze, and
//! the ground in front of them (rolling hills, sand dunes or snow drifts),
//! optionally with trees. Every layer is a per-column top edge, so it costs a
//! noise lookup per column and a few multiply-adds per pixel.
//!
//! Faces are lit from the slope of the edge a little to the side of the pixel
//! (further with depth), so the boundaries between lit and shaded faces run
//! diagonally down from each crest instead of straight down.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::{fbm1, grad1, ridged1, smoothstep};
use crate::palette::Palette;
use crate::rng::Rng;
use crate::scene::forest::{self, TreeKind};
use crate::scene::sky::Body;
use crate::understand::TimeOfDay;

/// A layer's top edge over an extended range, so faces can be looked up beyond
/// the canvas edges. Column `x` of the canvas is `edge[x + pad]`.
struct Edge {
    pad: usize,
    edge: Vec<f32>,
    slope: Vec<f32>,
}

impl Edge {
    fn new(w: usize, smooth: usize, f: impl Fn(f32) -> f32) -> Edge {
        let pad = w / 2;
        let edge: Vec<f32> = (0..w + 2 * pad).map(|i| f(i as f32 - pad as f32)).collect();
        let n = edge.len();
        // Slope over a window: broad faces instead of per-column flicker.
        let r = smooth.max(1);
        let slope = (0..n)
            .map(|i| (edge[(i + r).min(n - 1)] - edge[i.saturating_sub(r)]) / (2 * r) as f32)
            .collect();
        Edge { pad, edge, slope }
    }

    fn top(&self, w: usize) -> Vec<f32> {
        self.edge[self.pad..self.pad + w].to_vec()
    }

    #[inline(always)]
    fn slope_at(&self, x: usize, shift: f32) -> f32 {
        let i = (x as f32 + self.pad as f32 + shift).clamp(0.0, (self.slope.len() - 1) as f32);
        // Clamped into the slice first, so going through i32 loses nothing.
        self.slope[i as i32 as usize]
    }
}

/// Rows a layer must paint: down to where the next layer fully covers it.
fn bottoms(next: Option<&[f32]>, w: usize, floor: f32) -> Vec<usize> {
    match next {
        Some(n) => n
            .iter()
            .map(|&t| (t.max(0.0).ceil() as usize + 1).min(floor as usize))
            .collect(),
        None => vec![floor as usize; w],
    }
}

/// +1 when the light comes from the right, -1 from the left.
fn light_side(c: &Canvas, body: Option<&Body>) -> f32 {
    match body {
        Some(b) if b.x > c.w as f32 * 0.5 => 1.0,
        _ => -1.0,
    }
}

pub struct MountainStyle {
    /// A glowing line along each ridge (neon scenes).
    pub rim: Option<Rgb>,
    pub snow_caps: bool,
    /// The lowest row the nearest range paints; what lies below is covered
    /// by water or ground anyway.
    pub floor: f32,
}

pub fn mountains(
    c: &mut Canvas,
    p: &Palette,
    horizon: f32,
    body: Option<&Body>,
    style: &MountainStyle,
    steps: u32,
    rng: &mut Rng,
) {
    let h = c.h as f32;
    let floor = style.floor.clamp(0.0, h);
    let unit = c.unit();
    let layers = 2 + steps.div_ceil(2);
    let octaves = 3 + steps;
    let mist = if p.motifs.mist { 0.9 } else { 0.55 };
    let side = light_side(c, body);
    let light = match p.time {
        TimeOfDay::Night => p.sun * 0.12,
        TimeOfDay::Day => p.sun.lerp(p.sky_horizon, 0.3) * 0.35,
        _ => p.sun.lerp(p.accent, 0.5) * 0.4,
    };
    let ranges: Vec<(Edge, Vec<f32>, Vec<f32>)> = (0..layers)
        .map(|i| {
            let t = i as f32 / (layers - 1) as f32;
            let seed = rng.next_u32();
            let off = rng.range(-1000.0, 1000.0);
            let freq = 1.1 + 1.6 * t + rng.range(-0.2, 0.2);
            let lift = h * (0.02 + 0.09 * (1.0 - t));
            let amp = h * (0.13 + 0.2 * (1.0 - t)) * rng.range(0.85, 1.15);
            let edge = Edge::new(c.w, (unit * 0.012) as usize, |x| {
                let r = ridged1(x / unit * freq + off, octaves, seed);
                horizon - lift - amp * r.powf(1.3)
            });
            let top = edge.top(c.w);
            let snow_line = (0..c.w)
                .map(|x| {
                    horizon
                        - lift
                        - amp * (0.5 + 0.12 * grad1(x as f32 / unit * 6.0 + off, seed ^ 0x5eed))
                })
                .collect();
            (edge, top, snow_line)
        })
        .collect();
    for (i, (edge, top, snow_line)) in ranges.iter().enumerate() {
        let t = i as f32 / (layers - 1) as f32;
        let bottom = bottoms(ranges.get(i + 1).map(|r| r.1.as_slice()), c.w, floor);
        let body_col = p.haze.lerp(p.land, 0.12 + 0.88 * t.powf(1.4));
        let shade_col = body_col.lerp(p.sky_top, 0.25) * 0.82;
        let lit_col = body_col + light;
        let haze = p.haze;
        let mist_len = h * (0.08 + 0.1 * t);
        let mist_k = mist * (1.0 - 0.4 * t);
        let snow = Rgb::new(0.95, 0.96, 1.0).lerp(p.sky_horizon, 0.3)
            * if p.time == TimeOfDay::Night { 0.4 } else { 1.0 };
        let snow_shade = snow.lerp(p.sky_top, 0.35) * 0.8;
        let rim = style.rim;
        let caps = style.snow_caps;
        // Scratch arrays for one row's covered columns.
        let mut lit = vec![0.0f32; c.w];
        let mut misty = vec![0.0f32; c.w];
        c.fill_between_rows(top, &bottom, |y, xs, depths, colors| {
            let n = xs.len();
            let (lit, misty) = (&mut lit[..n], &mut misty[..n]);
            for ((l, &x), &depth) in lit.iter_mut().zip(xs).zip(depths) {
                *l = edge.slope_at(x, depth * 0.6 * side) * side;
            }
            for ((l, m), &depth) in lit.iter_mut().zip(misty.iter_mut()).zip(depths) {
                *l = smoothstep(-0.12, 0.12, *l);
                *m = smoothstep(0.0, mist_len, depth) * mist_k;
            }
            let fy = y as f32;
            for (k, (col, &x)) in colors.iter_mut().zip(xs).enumerate() {
                let lit = lit[k];
                let mut c = shade_col.lerp(lit_col, lit);
                if caps && fy < snow_line[x] {
                    let k = smoothstep(0.0, 4.0, snow_line[x] - fy);
                    c = c.lerp(snow_shade.lerp(snow, lit), k);
                }
                c = c.lerp(haze, misty[k]);
                if let Some(r) = rim {
                    let depth = depths[k];
                    c += r * (1.4 / (1.0 + depth * depth * 0.35));
                }
                *col = c;
            }
        });
    }
}

/// One receding band of ground: its land edge, the edge including trees, and
/// the parameters its shading reuses.
struct Band {
    edge: Edge,
    land_top: Vec<f32>,
    top: Vec<f32>,
    amp: f32,
    off: f32,
    seed: u32,
}

/// Trees planted along the ground bands.
#[derive(Clone, Copy)]
pub struct Trees {
    pub kind: TreeKind,
    /// Share of each band that is grove rather than clearing, in [0, 1].
    pub density: f32,
    /// Only bands at most this near (0 far .. 1 nearest) get trees.
    pub nearest: f32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    Hills,
    Dunes,
    Snow,
}

/// The land between the horizon and the bottom edge, in receding bands, with
/// trees planted along the bands when `trees` is set.
#[allow(clippy::too_many_arguments)]
pub fn ground(
    c: &mut Canvas,
    p: &Palette,
    horizon: f32,
    kind: Ground,
    trees: Option<Trees>,
    body: Option<&Body>,
    steps: u32,
    rng: &mut Rng,
) {
    let h = c.h as f32;
    let unit = c.unit();
    let below = h - horizon;
    let layers = match kind {
        Ground::Dunes => 3 + steps / 4,
        _ => 3 + steps / 3,
    };
    let side = light_side(c, body);
    let (lit_col, shade_col) = match kind {
        Ground::Snow => {
            let lit = match p.time {
                TimeOfDay::Day => Rgb::new(0.96, 0.97, 1.0),
                TimeOfDay::Dawn => Rgb::new(1.0, 0.9, 0.9),
                TimeOfDay::Sunset => p.sun.lerp(p.accent2, 0.4).lerp(Rgb::WHITE, 0.3),
                TimeOfDay::Night => Rgb::new(0.42, 0.5, 0.7),
            };
            (lit, p.land.lerp(p.sky_top, 0.35))
        }
        Ground::Dunes => (
            p.land.lerp(p.sun, 0.25) * 1.1,
            p.land.lerp(p.sky_top, 0.3) * 0.72,
        ),
        Ground::Hills => (p.land.lerp(p.haze, 0.3), p.land * 0.72),
    };
    let tree_col = match (kind, p.time) {
        (_, TimeOfDay::Night) => p.land * 0.6,
        (Ground::Snow, _) => Rgb::hex(0x14242a).lerp(p.land, 0.3),
        _ => p.land * 0.55,
    };
    let bands: Vec<Band> = (0..layers)
        .map(|i| {
            let t = (i + 1) as f32 / layers as f32;
            let seed = rng.next_u32();
            let off = rng.range(-1000.0, 1000.0);
            let base = horizon + below * (t.powf(1.5) * 0.78 - 0.02);
            let (amp, freq, octaves) = match kind {
                Ground::Dunes => (
                    below * (0.07 + 0.16 * t),
                    (0.7 + 0.5 * t) / (0.3 + t),
                    2 + steps / 4,
                ),
                _ => (below * (0.05 + 0.12 * t), (1.2 + 0.8 * t) / (0.3 + t), 2),
            };
            let freq = freq * rng.range(0.8, 1.2);
            let smooth = match kind {
                Ground::Dunes => 1,
                _ => (unit * 0.02) as usize,
            };
            let edge = Edge::new(c.w, smooth, |x| {
                let u = x / unit * freq + off;
                let n = match kind {
                    Ground::Dunes => {
                        let r = 1.0 - fbm1(u, octaves, seed).abs().min(1.0);
                        r * r
                    }
                    _ => fbm1(u, octaves, seed) * 0.5 + 0.5,
                };
                base - amp * n
            });
            let land_top = edge.top(c.w);
            let mut top = land_top.clone();
            // The nearest band of snow or sand stays open so the ground shows.
            let open_front = i + 1 == layers && kind != Ground::Hills;
            if let (Some(tr), false) = (trees, open_front)
                && t <= tr.nearest + 1e-3
            {
                let size = h * (0.05 + 0.22 * t.powf(1.4));
                forest::plant(
                    &mut top, &land_top, size, tr.kind, tr.density, steps, unit, rng,
                );
            }
            Band {
                edge,
                land_top,
                top,
                amp,
                off,
                seed,
            }
        })
        .collect();
    for (i, band) in bands.iter().enumerate() {
        let Band {
            edge,
            land_top,
            top,
            amp,
            off,
            seed,
        } = band;
        let (amp, off, seed) = (*amp, *off, *seed);
        let t = (i + 1) as f32 / layers as f32;
        let bottom = bottoms(bands.get(i + 1).map(|b| b.top.as_slice()), c.w, h);
        let ripple: Vec<f32> = match kind {
            Ground::Dunes => (0..c.w)
                .map(|x| grad1(x as f32 * 0.02 + off, seed) * 6.0)
                .collect(),
            _ => Vec::new(),
        };
        let haze = p.haze;
        let far = 1.0 - t;
        let ripple_freq = 0.05 / (0.4 + t) * 1024.0 / unit;
        let tree_shade = tree_col.lerp(haze, far * 0.6);
        let mist = if p.motifs.mist { 0.8 } else { 0.45 };
        c.fill_between(top, &bottom, |x, y, _| {
            let fy = y as f32;
            let ground_depth = fy - land_top[x];
            if ground_depth < 0.0 {
                // A tree: dark, melting into mist toward its base.
                let k = smoothstep(-h * 0.12 * t, 0.0, ground_depth) * mist * (1.0 - 0.5 * t);
                return tree_shade.lerp(haze, k);
            }
            let col = match kind {
                Ground::Dunes => {
                    let face = edge.slope_at(x, ground_depth * 0.5 * side) * side;
                    let lit = smoothstep(-0.04, 0.12, face);
                    let mut col = shade_col.lerp(lit_col, lit);
                    let r = ((fy + ripple[x]) * ripple_freq).fract();
                    col = col * (0.97 + 0.06 * (r - 0.5).abs());
                    col * (1.0 - (ground_depth / below).min(1.0) * 0.25)
                }
                Ground::Snow => {
                    let face = edge.slope_at(x, ground_depth * 0.8 * side) * side;
                    let lit = smoothstep(-0.15, 0.2, face + 0.05);
                    let fade = (ground_depth / (amp * 1.5)).min(1.0);
                    lit_col.lerp(shade_col, fade * 0.35 + (1.0 - lit) * 0.35)
                }
                Ground::Hills => {
                    let face = edge.slope_at(x, ground_depth * 0.8 * side) * side;
                    let lit = smoothstep(-0.15, 0.15, face);
                    let col = shade_col.lerp(lit_col, 0.3 + 0.6 * lit) * (1.0 - 0.2 * t);
                    // Fog pools in the valley at the foot of each band.
                    let fog = smoothstep(0.0, below * 0.22, ground_depth) * mist * (1.0 - 0.6 * t);
                    col.lerp(haze, fog)
                }
            };
            col.lerp(haze, far * far * 0.55)
        });
    }
}
