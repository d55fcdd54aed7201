//! The f32 frame every layer paints into, plus the few drawing primitives the
//! layers share (soft dots and filled silhouettes).

use crate::color::Rgb;

pub struct Canvas {
    pub w: usize,
    pub h: usize,
    pub px: Vec<Rgb>,
}

impl Canvas {
    pub fn new(w: usize, h: usize) -> Canvas {
        Canvas {
            w,
            h,
            px: vec![Rgb::BLACK; w * h],
        }
    }

    /// Smallest side in pixels: sizes are expressed in this unit so a composition
    /// keeps its proportions across aspect ratios.
    pub fn unit(&self) -> f32 {
        self.w.min(self.h) as f32
    }

    /// Adds a soft round dot (quadratic falloff), clipped to the canvas.
    pub fn splat(&mut self, cx: f32, cy: f32, radius: f32, color: Rgb) {
        let r = radius.max(0.5);
        let x0 = (cx - r).floor().max(0.0) as usize;
        let y0 = (cy - r).floor().max(0.0) as usize;
        let x1 = ((cx + r).ceil() as isize).clamp(0, self.w as isize - 1) as usize;
        let y1 = ((cy + r).ceil() as isize).clamp(0, self.h as isize - 1) as usize;
        if cx + r < 0.0 || cy + r < 0.0 || x0 >= self.w || y0 >= self.h {
            return;
        }
        let inv = 1.0 / (r * r);
        for y in y0..=y1 {
            let dy = y as f32 + 0.5 - cy;
            for x in x0..=x1 {
                let dx = x as f32 + 0.5 - cx;
                let k = 1.0 - (dx * dx + dy * dy) * inv;
                if k > 0.0 {
                    self.px[y * self.w + x] += color * (k * k);
                }
            }
        }
    }

    /// Fills everything below a per-column top edge down to `bottom`, with a
    /// one-pixel vertical anti-aliased edge. `shade(x, y, depth)` gives the
    /// colour where `depth` is the distance in pixels below the edge.
    pub fn fill_below<F>(&mut self, top: &[f32], bottom: usize, shade: F)
    where
        F: FnMut(usize, usize, f32) -> Rgb,
    {
        let bottoms = vec![bottom.min(self.h); self.w];
        self.fill_between(top, &bottoms, shade);
    }

    /// Like [`Canvas::fill_below`] with a per-column bottom, so a layer skips the
    /// pixels the next layer in front will cover anyway. Row-major, for the cache.
    pub fn fill_between<F>(&mut self, top: &[f32], bottom: &[usize], mut shade: F)
    where
        F: FnMut(usize, usize, f32) -> Rgb,
    {
        let w = self.w.min(top.len()).min(bottom.len());
        let y0 = top[..w]
            .iter()
            .fold(f32::INFINITY, |a, &b| a.min(b))
            .floor()
            .max(0.0) as usize;
        let y1 = bottom[..w].iter().copied().max().unwrap_or(0).min(self.h);
        for y in y0..y1 {
            let fy = y as f32;
            let row = &mut self.px[y * self.w..y * self.w + w];
            for (x, p) in row.iter_mut().enumerate() {
                let t = top[x];
                let cover = fy + 1.0 - t;
                if cover <= 0.0 || y >= bottom[x] {
                    continue;
                }
                let c = shade(x, y, (fy + 0.5 - t).max(0.0));
                *p = if cover >= 1.0 { c } else { p.lerp(c, cover) };
            }
        }
    }

    /// Like [`Canvas::fill_between`], but hands `shade(y, xs, depths, colors)`
    /// all the covered columns of a row at once, so a layer can shade them in
    /// flat loops over arrays that the compiler vectorises. `colors[k]` is the
    /// colour for column `xs[k]`, `depths[k]` its distance below the edge.
    pub fn fill_between_rows<F>(&mut self, top: &[f32], bottom: &[usize], mut shade: F)
    where
        F: FnMut(usize, &[usize], &[f32], &mut [Rgb]),
    {
        let w = self.w.min(top.len()).min(bottom.len());
        let y0 = top[..w]
            .iter()
            .fold(f32::INFINITY, |a, &b| a.min(b))
            .floor()
            .max(0.0) as usize;
        let y1 = bottom[..w].iter().copied().max().unwrap_or(0).min(self.h);
        let mut xs = Vec::with_capacity(w);
        let mut depths = Vec::with_capacity(w);
        let mut colors = vec![Rgb::BLACK; w];
        for y in y0..y1 {
            let fy = y as f32;
            xs.clear();
            depths.clear();
            for (x, (&t, &b)) in top[..w].iter().zip(&bottom[..w]).enumerate() {
                if fy + 1.0 - t <= 0.0 || y >= b {
                    continue;
                }
                xs.push(x);
                depths.push((fy + 0.5 - t).max(0.0));
            }
            if xs.is_empty() {
                continue;
            }
            let colors = &mut colors[..xs.len()];
            shade(y, &xs, &depths, colors);
            let row = &mut self.px[y * self.w..y * self.w + w];
            for (&x, &c) in xs.iter().zip(colors.iter()) {
                let cover = fy + 1.0 - top[x];
                row[x] = if cover >= 1.0 {
                    c
                } else {
                    row[x].lerp(c, cover)
                };
            }
        }
    }

    /// Replaces the frame with a bilinear upsampling of a `gw`-wide grid whose
    /// cell `(i, j)` holds the colour at pixel `((i + 0.5) * cell, (j + 0.5) * cell)`.
    /// The grid must have at least `w / cell + 2` columns and `h / cell + 2` rows.
    pub fn upsample_from(&mut self, low: &[Rgb], gw: usize, cell: usize) {
        let inv = 1.0 / cell as f32;
        let half = cell / 2;
        // Pixel k of each cell run sits at this fraction between two samples.
        let fk: Vec<f32> = (0..cell).map(|k| (k as f32 + 0.5) * inv).collect();
        let mut mixed = vec![Rgb::BLACK; gw];
        for y in 0..self.h {
            let g = ((y as f32 + 0.5) * inv - 0.5).max(0.0);
            let iy = g as usize;
            let fy = g - iy as f32;
            let r0 = &low[iy * gw..(iy + 1) * gw];
            let r1 = &low[(iy + 1) * gw..(iy + 2) * gw];
            for ((m, a), b) in mixed.iter_mut().zip(r0).zip(r1) {
                *m = a.lerp(*b, fy);
            }
            let line = &mut self.px[y * self.w..(y + 1) * self.w];
            let (head, rest) = line.split_at_mut(half.min(self.w));
            head.fill(mixed[0]);
            for (run, pair) in rest.chunks_mut(cell).zip(mixed.windows(2)) {
                let (a, d) = (pair[0], pair[1] - pair[0]);
                for (out, &f) in run.iter_mut().zip(&fk) {
                    *out = a + d * f;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row-batched filling paints exactly what per-pixel filling paints,
    /// anti-aliased edges, clipped columns and the frame's edges included.
    #[test]
    fn fill_between_rows_matches_fill_between() {
        let (w, h) = (97, 61);
        let top: Vec<f32> = (0..w)
            .map(|x| 20.0 + 25.0 * (x as f32 * 0.21).sin() - 0.37 * x as f32)
            .collect();
        let bottom: Vec<usize> = (0..w).map(|x| 30 + (x * 7) % 40).collect();
        let shade = |x: usize, y: usize, depth: f32| {
            Rgb::new(x as f32 * 0.01, y as f32 * 0.02, 1.0 / (1.0 + depth))
        };
        let mut start = Canvas::new(w, h);
        for (i, p) in start.px.iter_mut().enumerate() {
            *p = Rgb::new(0.3, (i % 13) as f32 * 0.05, 0.7);
        }
        let mut each = Canvas::new(w, h);
        each.px.clone_from(&start.px);
        each.fill_between(&top, &bottom, shade);
        let mut rows = start;
        rows.fill_between_rows(&top, &bottom, |y, xs, depths, colors| {
            for ((c, &x), &d) in colors.iter_mut().zip(xs).zip(depths) {
                *c = shade(x, y, d);
            }
        });
        assert!(each.px == rows.px);
    }
}
