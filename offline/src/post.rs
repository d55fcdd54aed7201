//! Finishing: vignette, a gentle highlight roll-off and film grain, then
//! quantisation to RGB8. The grain doubles as dither, so smooth skies do not
//! band after quantisation or JPEG.

use crate::canvas::Canvas;
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
    finish_rows(c, seed, |y, row| {
        out[y * row.len()..(y + 1) * row.len()].copy_from_slice(row);
    });
    out
}

/// The finished frame as the three planes a JPEG stores (full-resolution Y,
/// Cb and Cr, converted exactly as [`jpeg_encoder::rgb_to_ycbcr`] does), so
/// the encoder only copies rows and the packed RGB frame is never built.
pub fn finish_ycbcr(c: &Canvas, seed: u64) -> [Vec<u8>; 3] {
    let n = c.w * c.h;
    let mut planes = [vec![0u8; n], vec![0u8; n], vec![0u8; n]];
    let [py, pb, pr] = &mut planes;
    finish_rows(c, seed, |y, row| {
        let span = y * c.w..(y + 1) * c.w;
        let lines = py[span.clone()]
            .iter_mut()
            .zip(&mut pb[span.clone()])
            .zip(&mut pr[span]);
        for (((ly, lb), lr), p) in lines.zip(row.chunks_exact(3)) {
            (*ly, *lb, *lr) = rgb_to_ycbcr(p[0], p[1], p[2]);
        }
    });
    planes
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

/// Finishes the frame row by row, top first, handing each packed RGB8 row
/// to `emit`.
fn finish_rows(c: &Canvas, seed: u64, mut emit: impl FnMut(usize, &[u8])) {
    // Triangular-distributed grain in one long line; each row starts at its own
    // random offset, which hides any repetition and costs no hashing per pixel.
    let s = (seed ^ (seed >> 32)) as u32;
    // Values are laid out per channel (r, g, b, r, g, b, ...) so the inner loop
    // is a flat, vectorisable pass over f32s.
    let grain: Vec<f32> = (0..GRAIN_LEN + c.w)
        .flat_map(|i| {
            let j = (i % GRAIN_LEN) as i32;
            let n = (unit(hash2(j, 1, s)) + unit(hash2(j, 2, s)) - 1.0) * GRAIN;
            [n; 3]
        })
        .collect();
    let mut rows = Rng::new(seed ^ 0x0067_7261_696e);
    let (cx, cy) = (c.w as f32 * 0.5, c.h as f32 * 0.5);
    let inv = 1.0 / (cx * cx + cy * cy);
    let dx2: Vec<f32> = (0..c.w)
        .flat_map(|x| {
            let dx = x as f32 + 0.5 - cx;
            [dx * dx * inv; 3]
        })
        .collect();
    let mut flat = vec![0.0f32; c.w * 3];
    let mut dst = vec![0u8; c.w * 3];
    for y in 0..c.h {
        let dy = y as f32 + 0.5 - cy;
        let dy2 = dy * dy * inv;
        let start = rows.below(GRAIN_LEN as u32) as usize * 3;
        let g = &grain[start..start + c.w * 3];
        for (f, p) in flat.chunks_exact_mut(3).zip(&c.px[y * c.w..(y + 1) * c.w]) {
            f[0] = p.r;
            f[1] = p.g;
            f[2] = p.b;
        }
        let n = dst.len();
        let (flat, dx2, g) = (&flat[..n], &dx2[..n], &g[..n]);
        for i in 0..n {
            let r2 = dx2[i] + dy2;
            dst[i] = quantise(flat[i] * (1.0 - r2 * (0.12 + 0.28 * r2)) + g[i]);
        }
        emit(y, &dst);
    }
}
