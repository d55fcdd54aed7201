//! Finishing: vignette, a gentle highlight roll-off and film grain, then
//! quantisation to RGB8. The grain doubles as dither, so smooth skies do not
//! band after quantisation or JPEG.

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::rng::{Rng, hash2, unit};

const GRAIN_LEN: usize = 4096;
const GRAIN: f32 = 0.022;

/// Compresses values above the knee smoothly toward 1.0 instead of clipping.
/// Branch-free so the loop vectorises.
#[inline(always)]
fn roll_off(c: f32) -> f32 {
    const KNEE: f32 = 0.82;
    let e = (c - KNEE).max(0.0);
    c.min(KNEE) + e / (1.0 + e * (1.0 / (1.0 - KNEE)))
}

/// Rounds to the nearest byte. Adding 1.5 * 2^23 leaves the rounded integer in
/// the low mantissa bits, which avoids Rust's saturating float-to-int cast: that
/// cast does not vectorise well and dominated the whole pass.
#[inline(always)]
fn quantise(c: f32) -> u8 {
    const MAGIC: f32 = 12_582_912.0;
    ((roll_off(c).clamp(0.0, 1.0) * 255.0 + MAGIC).to_bits() & 0xff) as u8
}

/// The finished frame as packed RGB8.
pub fn finish(c: &Canvas, seed: u64) -> Vec<u8> {
    let mut out = vec![0u8; c.w * c.h * 3];
    let mut rows = Finisher::new(c.w, c.h, seed);
    for (y, dst) in out.chunks_exact_mut(c.w * 3).enumerate() {
        dst.copy_from_slice(rows.row(y, &c.px[y * c.w..(y + 1) * c.w]));
    }
    out
}

/// The finished frame as the three planes a JPEG stores (full-resolution Y,
/// Cb and Cr, converted exactly as [`jpeg_encoder::rgb_to_ycbcr`] does), so
/// the encoder only copies rows and the packed RGB frame is never built.
pub fn finish_ycbcr(c: &Canvas, seed: u64) -> [Vec<u8>; 3] {
    let mut planes = Planes::new(c.w, c.h, seed);
    for y in 0..c.h {
        planes.row(y, &c.px[y * c.w..(y + 1) * c.w]);
    }
    planes.planes
}

/// [`finish_ycbcr`] fed one row at a time, top first, so a last pass over
/// the frame can hand over each row while it is still in cache.
pub struct Planes {
    pub planes: [Vec<u8>; 3],
    rows: Finisher,
}

impl Planes {
    pub fn new(w: usize, h: usize, seed: u64) -> Planes {
        let n = w * h;
        Planes {
            planes: [vec![0u8; n], vec![0u8; n], vec![0u8; n]],
            rows: Finisher::new(w, h, seed),
        }
    }

    /// Finishes row `y`; rows must come in order, each exactly once.
    pub fn row(&mut self, y: usize, px: &[Rgb]) {
        let w = px.len();
        let span = y * w..(y + 1) * w;
        let [py, pb, pr] = &mut self.planes;
        let lines = py[span.clone()]
            .iter_mut()
            .zip(&mut pb[span.clone()])
            .zip(&mut pr[span]);
        for (((ly, lb), lr), p) in lines.zip(self.rows.row(y, px).chunks_exact(3)) {
            (*ly, *lb, *lr) = rgb_to_ycbcr(p[0], p[1], p[2]);
        }
    }
}

/// The integer RGB to YCbCr conversion of the JPEG encoder, term for term.
#[inline(always)]
fn rgb_to_ycbcr(r: u8, g: u8, b: u8) -> (u8, u8, u8) {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    let y = 19595 * r + 38470 * g + 7471 * b;
    let cb = -11059 * r - 21709 * g + 32768 * b + (128 << 16);
    let cr = 32768 * r - 27439 * g - 5329 * b + (128 << 16);
    (
        ((y + 0x7fff) >> 16) as u8,
        ((cb + 0x7fff) >> 16) as u8,
        ((cr + 0x7fff) >> 16) as u8,
    )
}

/// Finishes the frame row by row, top first, into packed RGB8 rows.
struct Finisher {
    grain: Vec<f32>,
    rows: Rng,
    dx2: Vec<f32>,
    cy: f32,
    inv: f32,
    flat: Vec<f32>,
    dst: Vec<u8>,
}

impl Finisher {
    fn new(w: usize, h: usize, seed: u64) -> Finisher {
        // Triangular-distributed grain in one long line; each row starts at its
        // own random offset, which hides any repetition and costs no hashing
        // per pixel.
        let s = (seed ^ (seed >> 32)) as u32;
        // Values are laid out per channel (r, g, b, r, g, b, ...) so the inner
        // loop is a flat, vectorisable pass over f32s.
        let grain: Vec<f32> = (0..GRAIN_LEN + w)
            .flat_map(|i| {
                let j = (i % GRAIN_LEN) as i32;
                let n = (unit(hash2(j, 1, s)) + unit(hash2(j, 2, s)) - 1.0) * GRAIN;
                [n; 3]
            })
            .collect();
        let (cx, cy) = (w as f32 * 0.5, h as f32 * 0.5);
        let inv = 1.0 / (cx * cx + cy * cy);
        let dx2: Vec<f32> = (0..w)
            .flat_map(|x| {
                let dx = x as f32 + 0.5 - cx;
                [dx * dx * inv; 3]
            })
            .collect();
        Finisher {
            grain,
            rows: Rng::new(seed ^ 0x0067_7261_696e),
            dx2,
            cy,
            inv,
            flat: vec![0.0; w * 3],
            dst: vec![0; w * 3],
        }
    }

    /// Row `y` finished; rows must come in order, each exactly once.
    fn row(&mut self, y: usize, px: &[Rgb]) -> &[u8] {
        let dy = y as f32 + 0.5 - self.cy;
        let dy2 = dy * dy * self.inv;
        let n = self.dst.len();
        let start = self.rows.below(GRAIN_LEN as u32) as usize * 3;
        let g = &self.grain[start..start + n];
        for (f, p) in self.flat.chunks_exact_mut(3).zip(px) {
            f[0] = p.r;
            f[1] = p.g;
            f[2] = p.b;
        }
        let (flat, dx2, g) = (&self.flat[..n], &self.dx2[..n], &g[..n]);
        let dst = &mut self.dst[..n];
        for i in 0..n {
            let r2 = dx2[i] + dy2;
            dst[i] = quantise(flat[i] * (1.0 - r2 * (0.12 + 0.28 * r2)) + g[i]);
        }
        &self.dst
    }
}
