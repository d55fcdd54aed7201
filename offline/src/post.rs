//! Finishing: vignette, a gentle highlight roll-off and film grain, then
//! quantisation to RGB8. The grain doubles as dither, so smooth skies do not
//! band after quantisation or JPEG.

use crate::canvas::Canvas;
use crate::rng::hash2;

/// Compresses values above the knee smoothly toward 1.0 instead of clipping.
#[inline(always)]
fn roll_off(c: f32) -> f32 {
    const KNEE: f32 = 0.82;
    if c <= KNEE {
        return c;
    }
    let e = c - KNEE;
    KNEE + e / (1.0 + e / (1.0 - KNEE))
}

/// Entries per unit of input in the quantisation table; inputs up to
/// `LUT_RANGE` are tabulated, anything brighter is already white.
const LUT_SCALE: f32 = 1024.0;
const LUT_RANGE: usize = 4;

/// Roll-off and quantisation as one table lookup per channel.
fn quantise_table() -> Vec<u8> {
    (0..=LUT_SCALE as usize * LUT_RANGE)
        .map(|i| (roll_off(i as f32 / LUT_SCALE).clamp(0.0, 1.0) * 255.0 + 0.5) as u8)
        .collect()
}

#[inline(always)]
fn quantise(lut: &[u8], c: f32) -> u8 {
    let i = (c * LUT_SCALE + 0.5).clamp(0.0, (LUT_SCALE as usize * LUT_RANGE) as f32) as usize;
    lut[i.min(lut.len() - 1)]
}

pub fn finish(c: &Canvas, seed: u64) -> Vec<u8> {
    let mut out = vec![0u8; c.w * c.h * 3];
    let lut = quantise_table();
    let seed = (seed ^ (seed >> 32)) as u32;
    let (cx, cy) = (c.w as f32 * 0.5, c.h as f32 * 0.5);
    let inv = 1.0 / (cx * cx + cy * cy);
    for y in 0..c.h {
        let dy = y as f32 + 0.5 - cy;
        let dy2 = dy * dy * inv;
        let src = &c.px[y * c.w..(y + 1) * c.w];
        let dst = &mut out[y * c.w * 3..(y + 1) * c.w * 3];
        for (x, (p, o)) in src.iter().zip(dst.chunks_exact_mut(3)).enumerate() {
            let dx = x as f32 + 0.5 - cx;
            let r2 = dx * dx * inv + dy2;
            let v = 1.0 - r2 * (0.12 + 0.28 * r2);
            // Triangular noise: two uniform draws from one hash.
            let hsh = hash2(x as i32, y as i32, seed);
            let g = ((hsh & 0xffff) as f32 + (hsh >> 16) as f32) * (1.0 / 65535.0) - 1.0;
            let grain = g * 0.022;
            o[0] = quantise(&lut, p.r * v + grain);
            o[1] = quantise(&lut, p.g * v + grain);
            o[2] = quantise(&lut, p.b * v + grain);
        }
    }
    out
}
