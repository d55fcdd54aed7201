//! Our own gradient noise and fractal sums. A small hand-written noise keeps the
//! crate dependency-free and its output fixed forever, independent of any
//! library's version.

use crate::rng::hash2;

/// `f32::floor` is a libm call on baseline x86-64; this is a compare and a cast.
#[inline(always)]
pub fn floor(x: f32) -> f32 {
    let i = x as i32 as f32;
    if i > x { i - 1.0 } else { i }
}

#[inline(always)]
fn fade(t: f32) -> f32 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

const D: f32 = std::f32::consts::FRAC_1_SQRT_2;

/// The eight gradients, as [`gradient`] picks them (kept for its test).
#[cfg(test)]
const GRADS: [(f32, f32); 8] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (D, D),
    (-D, D),
    (D, -D),
    (-D, -D),
];

/// The gradient `GRADS[h & 7]`, picked by the hash's bits instead of a table
/// read, so loops over many points vectorise.
#[inline(always)]
fn gradient(h: u32) -> (f32, f32) {
    let (b0, b1) = (h & 1 != 0, h & 2 != 0);
    if h & 4 != 0 {
        (if b0 { -D } else { D }, if b1 { -D } else { D })
    } else {
        let one = if b0 { -1.0 } else { 1.0 };
        if b1 { (0.0, one) } else { (one, 0.0) }
    }
}

#[inline(always)]
fn corner(ix: i32, iy: i32, dx: f32, dy: f32, seed: u32) -> f32 {
    let (gx, gy) = gradient(hash2(ix, iy, seed));
    gx * dx + gy * dy
}

/// 2D gradient noise, roughly in [-1, 1].
#[inline]
pub fn grad2(x: f32, y: f32, seed: u32) -> f32 {
    grad2_inline(x, y, seed)
}

/// [`grad2`], always inlined, for the loops of [`fbm2_many`] to vectorise.
#[inline(always)]
fn grad2_inline(x: f32, y: f32, seed: u32) -> f32 {
    let xf = floor(x);
    let yf = floor(y);
    let (ix, iy) = (xf as i32, yf as i32);
    let (fx, fy) = (x - xf, y - yf);
    let a = corner(ix, iy, fx, fy, seed);
    let b = corner(ix + 1, iy, fx - 1.0, fy, seed);
    let c = corner(ix, iy + 1, fx, fy - 1.0, seed);
    let d = corner(ix + 1, iy + 1, fx - 1.0, fy - 1.0, seed);
    let u = fade(fx);
    let v = fade(fy);
    let top = a + (b - a) * u;
    let bottom = c + (d - c) * u;
    (top + (bottom - top) * v) * 1.4
}

/// Fractal sum of `octaves` layers of [`grad2`], normalised to roughly [-1, 1].
/// Each octave is rotated so lattice axes never line up into visible streaks.
pub fn fbm2(mut x: f32, mut y: f32, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut norm) = (0.0, 1.0, 0.0);
    for o in 0..octaves.max(1) {
        sum += amp * grad2(x, y, seed.wrapping_add(o * 131));
        norm += amp;
        amp *= 0.5;
        let nx = 1.6 * x - 1.2 * y;
        y = 1.2 * x + 1.6 * y + 7.3;
        x = nx + 3.1;
    }
    sum / norm
}

/// [`fbm2`] at many points at once: `out[k] = fbm2(xs[k], ys[k], octaves, seed)`,
/// bit for bit, with each octave a flat loop over the points. `xs` and `ys`
/// are used as scratch.
pub fn fbm2_many(xs: &mut [f32], ys: &mut [f32], out: &mut [f32], octaves: u32, seed: u32) {
    let n = out.len().min(xs.len()).min(ys.len());
    let (xs, ys, out) = (&mut xs[..n], &mut ys[..n], &mut out[..n]);
    out.fill(0.0);
    let (mut amp, mut norm) = (1.0f32, 0.0f32);
    for o in 0..octaves.max(1) {
        let seed = seed.wrapping_add(o * 131);
        for ((sum, x), y) in out.iter_mut().zip(xs.iter_mut()).zip(ys.iter_mut()) {
            *sum += amp * grad2_inline(*x, *y, seed);
            let nx = 1.6 * *x - 1.2 * *y;
            *y = 1.2 * *x + 1.6 * *y + 7.3;
            *x = nx + 3.1;
        }
        norm += amp;
        amp *= 0.5;
    }
    for sum in out.iter_mut() {
        *sum /= norm;
    }
}

/// 1D gradient noise, roughly in [-1, 1]; used for silhouettes, which only need
/// one lookup per column.
#[inline]
pub fn grad1(x: f32, seed: u32) -> f32 {
    let xf = floor(x);
    let i = xf as i32;
    let f = x - xf;
    let g0 = crate::rng::unit(hash2(i, 0x51ed, seed)) * 2.0 - 1.0;
    let g1 = crate::rng::unit(hash2(i + 1, 0x51ed, seed)) * 2.0 - 1.0;
    let a = g0 * f;
    let b = g1 * (f - 1.0);
    (a + (b - a) * fade(f)) * 2.0
}

/// Fractal 1D noise in roughly [-1, 1].
pub fn fbm1(mut x: f32, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut norm) = (0.0, 1.0, 0.0);
    for o in 0..octaves.max(1) {
        sum += amp * grad1(x, seed.wrapping_add(o * 977));
        norm += amp;
        amp *= 0.5;
        x = x * 2.03 + 1.7;
    }
    sum / norm
}

/// Ridged 1D noise in [0, 1]: sharp crests like eroded mountain ridges.
pub fn ridged1(mut x: f32, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut norm) = (0.0, 1.0, 0.0);
    let mut weight = 1.0f32;
    for o in 0..octaves.max(1) {
        let n = 1.0 - grad1(x, seed.wrapping_add(o * 613)).abs().min(1.0);
        let n = n * n * weight;
        weight = (n * 1.6).clamp(0.25, 1.0);
        sum += amp * n;
        norm += amp;
        amp *= 0.5;
        x = x * 2.1 + 3.3;
    }
    sum / norm
}

#[inline(always)]
pub fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_are_the_table() {
        for h in 0..64u32 {
            let (gx, gy) = gradient(h);
            let (tx, ty) = GRADS[(h & 7) as usize];
            assert_eq!(
                (gx.to_bits(), gy.to_bits()),
                (tx.to_bits(), ty.to_bits()),
                "{h}"
            );
        }
    }

    #[test]
    fn fbm2_many_is_fbm2_at_each_point() {
        for octaves in [0, 1, 2, 5] {
            let xs: Vec<f32> = (0..37).map(|i| i as f32 * 0.731 - 9.5).collect();
            let ys: Vec<f32> = (0..37).map(|i| 480.0 - i as f32 * 13.17).collect();
            let mut out = vec![0.0; xs.len()];
            fbm2_many(&mut xs.clone(), &mut ys.clone(), &mut out, octaves, 77);
            for ((&x, &y), &n) in xs.iter().zip(&ys).zip(&out) {
                assert_eq!(n.to_bits(), fbm2(x, y, octaves, 77).to_bits());
            }
        }
    }
}
