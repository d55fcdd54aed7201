//! The sky: a three-stop gradient, a sun or moon with a soft glow, streaky clouds
//! and stars at night. Gradient, glow and clouds are all smooth, so they are
//! computed on a quarter-resolution grid and upsampled; only the disc and the
//! stars are drawn at full resolution.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::{fbm2, fbm2_many, smoothstep};
use crate::palette::Palette;
use crate::rng::Rng;
use crate::understand::TimeOfDay;

/// The sun or moon.
#[derive(Clone, Copy, Debug)]
pub struct Body {
    pub x: f32,
    pub y: f32,
    pub r: f32,
    pub moon: bool,
    /// A synthwave sun cut by horizontal bands.
    pub striped: bool,
}

pub struct SkyStyle {
    /// Cloud amount in [0, 1]; 0 paints no clouds.
    pub clouds: f32,
    /// Stars per megapixel at `steps == 8`.
    pub stars: f32,
}

const CELL: usize = 4;

/// Cloud density and lighting on the sky grid.
struct Clouds {
    gw: usize,
    gh: usize,
    density: Vec<f32>,
    light: Vec<f32>,
}

impl Clouds {
    /// Nearest-cell density, for dimming stars behind clouds.
    fn density_at(&self, x: f32, y: f32) -> f32 {
        let gx = ((x / CELL as f32) as usize).min(self.gw - 1);
        let gy = ((y / CELL as f32) as usize).min(self.gh - 1);
        self.density[gy * self.gw + gx]
    }
}

fn cloud_field(
    c: &Canvas,
    (gw, gh): (usize, usize),
    horizon: f32,
    amount: f32,
    body: Option<&Body>,
    steps: u32,
    rng: &mut Rng,
) -> Clouds {
    let cell = CELL as f32;
    let unit = c.unit();
    let (ox, oy) = (rng.range(-500.0, 500.0), rng.range(-500.0, 500.0));
    let seed = rng.next_u32();
    let octaves = (2 + steps).min(5);
    let threshold = 0.32 - 0.45 * amount;
    let stretch = rng.range(2.5, 4.5);
    let mut density = vec![0.0; gw * gh];
    // One row of cells at a time: noise coordinates, then their noise.
    let (mut xs, mut ys, mut ns) = (vec![0.0; gw], vec![0.0; gw], vec![0.0; gw]);
    for gy in 0..gh {
        let py = (gy as f32 + 0.5) * cell;
        // Clouds thin out toward the horizon and the zenith.
        let band = smoothstep(horizon * 1.02, horizon * 0.7, py) * (0.55 + 0.45 * (py / horizon));
        if band <= 0.0 {
            continue;
        }
        for (gx, (x, y)) in xs.iter_mut().zip(ys.iter_mut()).enumerate() {
            let px = (gx as f32 + 0.5) * cell;
            (*x, *y) = (px / unit * 1.6 + ox, py / unit * 1.6 * stretch + oy);
        }
        fbm2_many(&mut xs, &mut ys, &mut ns, octaves, seed);
        for (d, &n) in density[gy * gw..(gy + 1) * gw].iter_mut().zip(&ns) {
            *d = smoothstep(threshold, threshold + 0.45, n) * band;
        }
    }
    // Light each cell by how much cloud lies between it and the sun: cheap
    // self-shadowing that gives the clouds lit rims and darker bellies.
    let (dx, dy) = match body {
        Some(b) => {
            let (vx, vy) = (b.x - c.w as f32 * 0.5, b.y - horizon * 0.5);
            let len = (vx * vx + vy * vy).sqrt().max(1.0);
            (vx / len * 2.0, vy / len * 2.0 - 0.6)
        }
        None => (0.0, -2.0),
    };
    let mut light = vec![0.5; gw * gh];
    for gy in 0..gh {
        for gx in 0..gw {
            let sx = (gx as f32 + dx).round().clamp(0.0, (gw - 1) as f32) as usize;
            let sy = (gy as f32 + dy).round().clamp(0.0, (gh - 1) as f32) as usize;
            let here = density[gy * gw + gx];
            let toward = density[sy * gw + sx];
            light[gy * gw + gx] = (0.65 + (here - toward) * 1.6 - here * 0.35).clamp(0.0, 1.0);
        }
    }
    Clouds {
        gw,
        gh,
        density,
        light,
    }
}

fn cloud_colors(p: &Palette) -> (Rgb, Rgb) {
    match p.time {
        TimeOfDay::Day => (Rgb::new(1.0, 1.0, 1.0), p.sky_mid.lerp(p.haze, 0.5) * 0.82),
        TimeOfDay::Sunset => (
            p.sun.lerp(p.accent2, 0.45) * 1.05,
            p.sky_top.lerp(p.sky_mid, 0.45),
        ),
        TimeOfDay::Dawn => (p.sun.lerp(p.accent2, 0.35), p.sky_top.lerp(p.sky_mid, 0.55)),
        TimeOfDay::Night => (p.sky_horizon * 1.2 + p.sun * 0.08, p.sky_top * 1.4),
    }
}

pub fn paint(
    c: &mut Canvas,
    p: &Palette,
    horizon: f32,
    body: Option<&Body>,
    style: &SkyStyle,
    steps: u32,
    rng: &mut Rng,
) {
    let (gw, gh) = (c.w / CELL + 2, c.h / CELL + 2);
    let clouds = (style.clouds > 0.0)
        .then(|| cloud_field(c, (gw, gh), horizon, style.clouds, body, steps, rng));
    let (lit, shadow) = cloud_colors(p);
    let (glow_near, glow_far) = match p.time {
        TimeOfDay::Day => (0.30, 0.16),
        TimeOfDay::Dawn => (0.40, 0.30),
        TimeOfDay::Sunset => (0.55, 0.45),
        TimeOfDay::Night => (0.22, 0.07),
    };
    let glow_color = match p.time {
        TimeOfDay::Sunset | TimeOfDay::Dawn => p.sun.lerp(p.sky_horizon, 0.5),
        _ => p.sun,
    };
    let mut low = vec![Rgb::BLACK; gw * gh];
    for gy in 0..gh {
        let fy = (gy as f32 + 0.5) * CELL as f32;
        let t = (fy / horizon).min(1.0);
        let row = if t < 0.62 {
            p.sky_top.lerp(p.sky_mid, smoothstep(0.0, 0.62, t))
        } else {
            p.sky_mid.lerp(p.sky_horizon, smoothstep(0.62, 1.0, t))
        };
        for gx in 0..gw {
            let i = gy * gw + gx;
            let fx = (gx as f32 + 0.5) * CELL as f32;
            let mut col = row;
            if let Some(b) = body {
                let (dx, dy) = (fx - b.x, fy - b.y);
                let d2 = (dx * dx + dy * dy) / (b.r * b.r);
                col += glow_color * (glow_near / (1.0 + d2 * 0.5) + glow_far / (1.0 + d2 * 0.04));
            }
            if let Some(cl) = &clouds {
                let dens = cl.density[i];
                if dens > 0.003 {
                    col = col.lerp(shadow.lerp(lit, cl.light[i]), dens * 0.92);
                }
            }
            low[i] = col;
        }
    }
    c.upsample_from(&low, gw, CELL);
    if let Some(b) = body {
        disc(c, p, b, clouds.as_ref(), rng.next_u32());
    }
    if style.stars > 0.0 {
        stars(c, horizon, body, style.stars, steps, clouds.as_ref(), rng);
    }
}

/// The sun or moon itself, drawn over its bounding box only; clouds in front
/// of it veil it again.
fn disc(c: &mut Canvas, p: &Palette, b: &Body, clouds: Option<&Clouds>, seed: u32) {
    let (lit, shadow) = cloud_colors(p);
    let x0 = (b.x - b.r - 2.0).max(0.0) as usize;
    let y0 = (b.y - b.r - 2.0).max(0.0) as usize;
    let x1 = ((b.x + b.r + 2.0).max(0.0) as usize).min(c.w);
    let y1 = ((b.y + b.r + 2.0).max(0.0) as usize).min(c.h);
    for y in y0..y1 {
        let dy = y as f32 + 0.5 - b.y;
        for x in x0..x1 {
            let dx = x as f32 + 0.5 - b.x;
            let d = (dx * dx + dy * dy).sqrt() / b.r;
            let mut cover = ((1.0 - d) * b.r + 0.5).clamp(0.0, 1.0);
            if cover <= 0.0 {
                continue;
            }
            if b.striped {
                cover *= stripe(b, dy);
            }
            let mut col = body_color(p, b, dx, dy, d, seed);
            if let Some(cl) = clouds {
                let gx = ((x / CELL).min(cl.gw - 1), (y / CELL).min(cl.gh - 1));
                let i = gx.1 * cl.gw + gx.0;
                col = col.lerp(shadow.lerp(lit, cl.light[i]), cl.density[i] * 0.8);
            }
            let px = &mut c.px[y * c.w + x];
            *px = px.lerp(col, cover);
        }
    }
}

fn body_color(p: &Palette, b: &Body, dx: f32, dy: f32, d: f32, seed: u32) -> Rgb {
    if b.moon {
        let n = fbm2(dx / b.r * 1.8 + 11.0, dy / b.r * 1.8 - 4.0, 3, seed);
        let maria = 0.86 + 0.14 * smoothstep(-0.1, 0.35, -n);
        let limb = 1.0 - 0.18 * d * d;
        return p.sun * (maria * limb * 1.05);
    }
    if b.striped {
        let v = ((dy / b.r) * 0.5 + 0.5).clamp(0.0, 1.0);
        return p.sun.lerp(p.accent2, v) * 1.15;
    }
    // Hotter than anything around it, so the roll-off renders it near white.
    p.sun.lerp(Rgb::WHITE, 0.5) * 1.8
}

/// Coverage of a synthwave sun: solid on top, cut by widening bands below.
fn stripe(b: &Body, dy: f32) -> f32 {
    let v = dy / b.r;
    if v < 0.0 {
        return 1.0;
    }
    let period = b.r * 0.2;
    let gap = period * (0.08 + 0.5 * v);
    let m = (dy + period * 0.5).rem_euclid(period);
    let edge = (m - gap).clamp(0.0, 1.0) * (period - m).clamp(0.0, 1.0);
    edge.min(1.0)
}

fn stars(
    c: &mut Canvas,
    horizon: f32,
    body: Option<&Body>,
    per_mp: f32,
    steps: u32,
    clouds: Option<&Clouds>,
    rng: &mut Rng,
) {
    let area = (c.w * c.h) as f32 / 1.0e6;
    let count = (per_mp * area * (0.25 + 0.75 * steps as f32 / 8.0)) as u32;
    let scale = c.unit() / 1024.0;
    for _ in 0..count {
        let x = rng.f32() * c.w as f32;
        let y = rng.f32().powf(1.4) * horizon;
        let b = rng.f32();
        let bright = 0.15 + 0.85 * b * b * b;
        let warm = rng.f32();
        if let Some(m) = body {
            let (dx, dy) = (x - m.x, y - m.y);
            if dx * dx + dy * dy < (m.r * 2.2) * (m.r * 2.2) {
                continue;
            }
        }
        let mut a = bright * smoothstep(horizon, horizon * 0.6, y);
        if let Some(cl) = clouds {
            a *= 1.0 - cl.density_at(x, y).min(1.0);
        }
        if a < 0.02 {
            continue;
        }
        let tint = Rgb::new(0.8 + 0.2 * warm, 0.85, 1.0 - 0.2 * warm);
        c.splat(
            x,
            y,
            (0.9 + 1.3 * bright) * scale.max(0.6),
            tint * (a * 1.4),
        );
        if bright > 0.75 {
            let arm = 5.0 * scale * bright;
            for (ox, oy) in [(arm, 0.0), (-arm, 0.0), (0.0, arm), (0.0, -arm)] {
                c.splat(x + ox * 0.5, y + oy * 0.5, arm * 0.45, tint * (a * 0.25));
            }
        }
    }
}
