//! Colour arithmetic in display space. Everything is painted in f32 so layers can
//! blend and glow above 1.0; the finishing pass tone-maps and quantises once.

use std::ops::{Add, AddAssign, Mul, Sub};

/// An RGB colour with channels nominally in [0, 1] (glows may exceed 1).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rgb {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb::new(0.0, 0.0, 0.0);
    pub const WHITE: Rgb = Rgb::new(1.0, 1.0, 1.0);

    pub const fn new(r: f32, g: f32, b: f32) -> Rgb {
        Rgb { r, g, b }
    }

    /// From a 0xRRGGBB literal, which keeps colour tables readable.
    pub const fn hex(v: u32) -> Rgb {
        Rgb::new(
            ((v >> 16) & 0xff) as f32 / 255.0,
            ((v >> 8) & 0xff) as f32 / 255.0,
            (v & 0xff) as f32 / 255.0,
        )
    }

    #[inline(always)]
    pub fn lerp(self, o: Rgb, t: f32) -> Rgb {
        Rgb::new(
            self.r + (o.r - self.r) * t,
            self.g + (o.g - self.g) * t,
            self.b + (o.b - self.b) * t,
        )
    }

    pub fn luma(self) -> f32 {
        0.2126 * self.r + 0.7152 * self.g + 0.0722 * self.b
    }

    pub fn scale(self, k: f32) -> Rgb {
        self * k
    }

    /// Quantised sRGB bytes, clamped.
    pub fn to_u8(self) -> [u8; 3] {
        let q = |c: f32| (c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
        [q(self.r), q(self.g), q(self.b)]
    }

    /// Hue in degrees, saturation and lightness (HSL).
    pub fn to_hsl(self) -> (f32, f32, f32) {
        let max = self.r.max(self.g).max(self.b);
        let min = self.r.min(self.g).min(self.b);
        let l = (max + min) * 0.5;
        let d = max - min;
        if d < 1e-5 {
            return (0.0, 0.0, l);
        }
        let s = d / (1.0 - (2.0 * l - 1.0).abs()).max(1e-5);
        let h = if max == self.r {
            60.0 * (((self.g - self.b) / d).rem_euclid(6.0))
        } else if max == self.g {
            60.0 * ((self.b - self.r) / d + 2.0)
        } else {
            60.0 * ((self.r - self.g) / d + 4.0)
        };
        (h, s.min(1.0), l)
    }

    pub fn from_hsl(h: f32, s: f32, l: f32) -> Rgb {
        let h = h.rem_euclid(360.0);
        let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
        let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
        let m = l - c * 0.5;
        let (r, g, b) = match (h / 60.0) as u32 {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        Rgb::new(r + m, g + m, b + m)
    }
}

impl Add for Rgb {
    type Output = Rgb;
    #[inline(always)]
    fn add(self, o: Rgb) -> Rgb {
        Rgb::new(self.r + o.r, self.g + o.g, self.b + o.b)
    }
}

impl AddAssign for Rgb {
    #[inline(always)]
    fn add_assign(&mut self, o: Rgb) {
        self.r += o.r;
        self.g += o.g;
        self.b += o.b;
    }
}

impl Sub for Rgb {
    type Output = Rgb;
    #[inline(always)]
    fn sub(self, o: Rgb) -> Rgb {
        Rgb::new(self.r - o.r, self.g - o.g, self.b - o.b)
    }
}

impl Mul<f32> for Rgb {
    type Output = Rgb;
    #[inline(always)]
    fn mul(self, k: f32) -> Rgb {
        Rgb::new(self.r * k, self.g * k, self.b * k)
    }
}

impl Mul<Rgb> for Rgb {
    type Output = Rgb;
    #[inline(always)]
    fn mul(self, o: Rgb) -> Rgb {
        Rgb::new(self.r * o.r, self.g * o.g, self.b * o.b)
    }
}
