//! Turns a [`Plan`] into the colours to paint with: a base palette for the
//! scene and time of day, moved by the colours the prompt bound to the sky,
//! the ground or the background, by its loose colour words and by its mood.

use crate::color::Rgb;
use crate::understand::{Mood, Motifs, Plan, SceneKind, TimeOfDay, color_value, understand};

/// What the prompt chose: scene, time of day and the colours to paint with.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    /// A short human-readable description, e.g. "sunset: water, mountains".
    pub name: String,
    pub scene: SceneKind,
    pub time: TimeOfDay,
    pub motifs: Motifs,
    /// The colour words of the prompt, averaged, if any.
    pub tint: Option<Rgb>,
    pub sky_top: Rgb,
    pub sky_mid: Rgb,
    pub sky_horizon: Rgb,
    /// Sun or moon, and the glow around it.
    pub sun: Rgb,
    /// Atmospheric haze that distant layers fade into.
    pub haze: Rgb,
    /// The darkest, nearest land colour.
    pub land: Rgb,
    /// Lit windows, neon tubes, highlights.
    pub accent: Rgb,
    pub accent2: Rgb,
    /// Abstract scenes map their fields through these stops, dark to light.
    pub stops: [Rgb; 4],
    /// A hash of the prompt's words, so scenes with the same motifs still differ.
    pub word_hash: u64,
}

impl Palette {
    /// The main colours as bytes, for UI swatches.
    pub fn swatches(&self) -> Vec<[u8; 3]> {
        [
            self.sky_top,
            self.sky_mid,
            self.sky_horizon,
            self.sun,
            self.haze,
            self.land,
            self.accent,
            self.accent2,
        ]
        .iter()
        .map(|c| c.to_u8())
        .collect()
    }
}

/// The colours for a plan: the scene's and time's base palette, then the
/// colours the prompt bound to parts of the scene, its loose colour words and
/// its mood.
pub fn palette_from_plan(plan: &Plan) -> Palette {
    let (scene, time, motifs) = (plan.scene, plan.time, plan.motifs);
    let tints: Vec<Rgb> = plan
        .tints
        .iter()
        .filter_map(|c| color_value(c))
        .map(Rgb::hex)
        .collect();
    let tint = (!tints.is_empty())
        .then(|| tints.iter().fold(Rgb::BLACK, |a, &b| a + b) * (1.0 / tints.len() as f32));
    let bound = |target: &str| {
        plan.colors
            .get(target)
            .and_then(|c| color_value(c))
            .map(Rgb::hex)
    };
    let mut p = match scene {
        SceneKind::Landscape => landscape_colors(time, &motifs),
        SceneKind::Neon => neon_colors(time),
        SceneKind::Abstract => abstract_colors(
            plan.word_hash,
            tint.or(bound("background")).or(bound("sky")),
        ),
        SceneKind::Interior => interior_colors(time),
        SceneKind::Space => space_colors(plan.word_hash),
        SceneKind::Portrait => portrait_colors(plan.word_hash),
    };
    if let (Some(t), true) = (tint, scene != SceneKind::Abstract) {
        apply_tint(&mut p, t);
    }
    for (target, parts) in [
        ("sky", [0.8, 0.8, 0.6, 0.0, 0.0]),
        ("background", [0.85, 0.85, 0.7, 0.0, 0.0]),
        ("ground", [0.0, 0.0, 0.0, 0.25, 0.85]),
        ("mountains", [0.0, 0.0, 0.0, 0.7, 0.6]),
    ] {
        if let Some(c) = bound(target) {
            p.sky_top = recolor(p.sky_top, c, parts[0]);
            p.sky_mid = recolor(p.sky_mid, c, parts[1]);
            p.sky_horizon = recolor(p.sky_horizon, c, parts[2]);
            p.haze = recolor(p.haze, c, parts[3]);
            p.land = recolor(p.land, c, parts[4]);
        }
    }
    if let Some(c) = bound("sun").or(bound("light")) {
        p.sun = recolor(p.sun, c, 0.7);
        p.accent = recolor(p.accent, c, 0.7);
    }
    if let Some(m) = plan.mood {
        apply_mood(&mut p, m);
    }
    p.name = describe(scene, time, &motifs, tint);
    p.scene = scene;
    p.time = time;
    p.motifs = motifs;
    p.tint = tint;
    p.word_hash = plan.word_hash;
    p
}

/// Reads the prompt and chooses scene, time of day and colours.
pub fn palette_for(prompt: &str) -> Palette {
    palette_from_plan(&understand(prompt))
}

fn describe(scene: SceneKind, time: TimeOfDay, m: &Motifs, tint: Option<Rgb>) -> String {
    let time = match time {
        TimeOfDay::Dawn => "dawn",
        TimeOfDay::Day => "day",
        TimeOfDay::Sunset => "sunset",
        TimeOfDay::Night => "night",
    };
    let mut parts: Vec<&str> = Vec::new();
    for (on, name) in [
        (m.water, "water"),
        (m.mountains, "mountains"),
        (m.forest, "forest"),
        (m.city, "city"),
        (m.desert, "desert"),
        (m.snow, "snow"),
        (m.mist, "mist"),
    ] {
        if on {
            parts.push(name);
        }
    }
    let tinted = if tint.is_some() { ", tinted" } else { "" };
    match scene {
        SceneKind::Abstract => format!("abstract{tinted}"),
        SceneKind::Neon => format!("neon {time}: {}{tinted}", parts.join(", ")),
        SceneKind::Landscape if parts.is_empty() => format!("{time}: hills{tinted}"),
        SceneKind::Landscape => format!("{time}: {}{tinted}", parts.join(", ")),
        SceneKind::Interior => format!("interior {time}{tinted}"),
        SceneKind::Space => format!("space{tinted}"),
        SceneKind::Portrait => format!("portrait{tinted}"),
    }
}

fn base(sky: [u32; 3], sun: u32, haze: u32, land: u32, accent: [u32; 2]) -> Palette {
    Palette {
        name: String::new(),
        scene: SceneKind::Landscape,
        time: TimeOfDay::Day,
        motifs: Motifs::default(),
        tint: None,
        sky_top: Rgb::hex(sky[0]),
        sky_mid: Rgb::hex(sky[1]),
        sky_horizon: Rgb::hex(sky[2]),
        sun: Rgb::hex(sun),
        haze: Rgb::hex(haze),
        land: Rgb::hex(land),
        accent: Rgb::hex(accent[0]),
        accent2: Rgb::hex(accent[1]),
        stops: [Rgb::BLACK; 4],
        word_hash: 0,
    }
}

fn landscape_colors(time: TimeOfDay, m: &Motifs) -> Palette {
    let mut p = match time {
        TimeOfDay::Dawn => base(
            [0x4a5a8c, 0xd8a0b0, 0xffd6a0],
            0xfff0c8,
            0xe0b0b8,
            0x3a3454,
            [0xffc070, 0xff90a0],
        ),
        TimeOfDay::Day => base(
            [0x2a64c0, 0x6aa8e6, 0xd6ecf8],
            0xfffbe8,
            0xbcd6ec,
            0x24463e,
            [0xffe0a0, 0xffffff],
        ),
        TimeOfDay::Sunset => base(
            [0x1e1848, 0xc04868, 0xff9a3c],
            0xffd890,
            0xd86a60,
            0x1e1228,
            [0xffb050, 0xff6a80],
        ),
        TimeOfDay::Night => base(
            [0x02040e, 0x0a1430, 0x1c2c52],
            0xf2f0e0,
            0x1c2a4c,
            0x050a16,
            [0xffc870, 0x9ad0ff],
        ),
    };
    if m.desert {
        let sand = match time {
            TimeOfDay::Night => Rgb::hex(0x2a2638),
            TimeOfDay::Sunset => Rgb::hex(0xb05a3a),
            _ => Rgb::hex(0xd89a5a),
        };
        p.land = sand;
        p.haze = p.haze.lerp(Rgb::hex(0xf0c890), 0.35);
        p.sky_horizon = p.sky_horizon.lerp(Rgb::hex(0xf8e0b8), 0.3);
    } else if m.snow {
        p.land = match time {
            TimeOfDay::Night => Rgb::hex(0x1a2a48),
            TimeOfDay::Sunset => Rgb::hex(0x6a5a88),
            _ => Rgb::hex(0x8aa4c8),
        };
        p.haze = p.haze.lerp(Rgb::hex(0xdce8f4), 0.25);
    } else if m.forest && time == TimeOfDay::Day {
        p.land = Rgb::hex(0x1a3a26);
    }
    if m.mist {
        p.haze = p.haze.lerp(p.sky_horizon, 0.4);
    }
    p
}

fn neon_colors(time: TimeOfDay) -> Palette {
    let mut p = base(
        [0x05021a, 0x2a0a4a, 0xd02a78],
        0xffd040,
        0x5a1a6a,
        0x08041a,
        [0x20e8ff, 0xff2ab8],
    );
    if time != TimeOfDay::Night {
        p.sky_mid = Rgb::hex(0x4a1460);
        p.sky_horizon = Rgb::hex(0xff6a5a);
    }
    p
}

/// A harmonious four-stop palette from the prompt's hash (or its colour words).
fn abstract_colors(hash: u64, tint: Option<Rgb>) -> Palette {
    let unit = |shift: u32| ((hash >> shift) & 0xffff) as f32 / 65535.0;
    let (hue, sat) = match tint {
        Some(t) => {
            let (h, s, _) = t.to_hsl();
            (h, s)
        }
        None => (unit(0) * 360.0, 0.7),
    };
    // Analogous, split-complementary or triadic, chosen by the words.
    let spread = [28.0, 150.0, 120.0, -40.0][((hash >> 20) & 3) as usize];
    // Colour words keep their hue but are made vivid enough to read; greys
    // stay grey.
    let s = if sat < 0.15 { sat } else { sat.max(0.8) };
    let stops = [
        Rgb::from_hsl(hue - 10.0, s * 0.7, 0.08),
        Rgb::from_hsl(hue, s * 0.85, 0.33),
        Rgb::from_hsl(hue + spread * 0.5, s * 0.9, 0.56),
        Rgb::from_hsl(hue + spread, s * 0.7, 0.84),
    ];
    let mut p = base([0; 3], 0, 0, 0, [0; 2]);
    p.stops = stops;
    p.sky_top = stops[0];
    p.sky_mid = stops[1];
    p.sky_horizon = stops[2];
    p.sun = stops[3];
    p.haze = stops[2];
    p.land = stops[0];
    p.accent = Rgb::from_hsl(hue + spread * 0.5 + 12.0, s.max(0.2), 0.7);
    p.accent2 = Rgb::from_hsl(hue + spread + 180.0 * unit(36), s * 0.8, 0.6);
    p
}

/// Moves `c` toward `target`'s hue and saturation by `k`, keeping its
/// lightness, so a blue sky at dawn is still a dawn sky. Grey targets shift
/// lightness only.
fn recolor(c: Rgb, target: Rgb, k: f32) -> Rgb {
    let (th, ts, tl) = target.to_hsl();
    let (_, s, l) = c.to_hsl();
    if ts < 0.15 {
        let grey = Rgb::new(l, l, l).lerp(Rgb::new(tl, tl, tl), 0.5);
        return c.lerp(grey, k);
    }
    let l = l.clamp(0.12, 0.85);
    c.lerp(Rgb::from_hsl(th, (s * 0.3 + ts * 0.7).min(1.0), l), k)
}

/// Pulls every colour toward the tint's hue while keeping its lightness, so "red
/// mountains at dawn" is still a dawn.
fn apply_tint(p: &mut Palette, tint: Rgb) {
    p.sky_top = recolor(p.sky_top, tint, 0.35);
    p.sky_mid = recolor(p.sky_mid, tint, 0.5);
    p.sky_horizon = recolor(p.sky_horizon, tint, 0.45);
    p.haze = recolor(p.haze, tint, 0.45);
    p.land = recolor(p.land, tint, 0.5);
    p.accent = recolor(p.accent, tint, 0.6);
    p.sun = recolor(p.sun, tint, 0.25);
}

/// General palette words: every colour of the palette is moved the same way.
fn apply_mood(p: &mut Palette, mood: Mood) {
    let f = |c: Rgb| -> Rgb {
        let (h, s, l) = c.to_hsl();
        match mood {
            Mood::Pastel => Rgb::from_hsl(h, s * 0.55, 0.55 + l * 0.4),
            Mood::Monochrome => Rgb::new(c.luma(), c.luma(), c.luma()),
            Mood::Golden => c.lerp(Rgb::from_hsl(40.0, 0.75, l.max(0.1)), 0.45),
            Mood::Dark => c * 0.55,
            Mood::Vivid => Rgb::from_hsl(h, (s * 1.35).min(1.0), l),
            Mood::Muted => Rgb::from_hsl(h, s * 0.5, l),
        }
    };
    for c in [
        &mut p.sky_top,
        &mut p.sky_mid,
        &mut p.sky_horizon,
        &mut p.sun,
        &mut p.haze,
        &mut p.land,
        &mut p.accent,
        &mut p.accent2,
    ] {
        *c = f(*c);
    }
    p.stops = p.stops.map(f);
}

fn interior_colors(time: TimeOfDay) -> Palette {
    // Walls in sky_*, floor in land, lamp light in sun/accent, window view in haze.
    let (wall, light) = match time {
        TimeOfDay::Night => ([0x2a2230, 0x3a2e3a, 0x4a3a40], 0xffb860),
        TimeOfDay::Sunset | TimeOfDay::Dawn => ([0x6a4a48, 0x8a6458, 0xa87a62], 0xffc080),
        TimeOfDay::Day => ([0x9a8a7a, 0xb8a894, 0xcab8a0], 0xfff0d0),
    };
    base(wall, light, 0x9ac0e0, 0x6a4428, [0xffb050, 0xffe0a0])
}

fn space_colors(hash: u64) -> Palette {
    let hue = (hash % 360) as f32;
    let mut p = base(
        [0x020208, 0x060a1c, 0x10142e],
        0xfff4e0,
        0x1a1840,
        0x0a0a14,
        [0x8a5ad8, 0x2ab0d8],
    );
    p.accent = Rgb::from_hsl(hue, 0.7, 0.55);
    p.accent2 = Rgb::from_hsl(hue + 140.0, 0.7, 0.5);
    p
}

fn portrait_colors(hash: u64) -> Palette {
    let hue = (hash % 360) as f32;
    let mut p = base(
        [0x2a2c34, 0x44464e, 0x5a5c64],
        0xfff4e8,
        0x50525a,
        0x2a2a30,
        [0xffe0c0, 0xa0c0ff],
    );
    let backdrop = Rgb::from_hsl(hue, 0.25, 0.3);
    p.sky_top = p.sky_top.lerp(backdrop, 0.5);
    p.sky_mid = p.sky_mid.lerp(backdrop, 0.5);
    p.sky_horizon = p.sky_horizon.lerp(backdrop, 0.5);
    p
}
