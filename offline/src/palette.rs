//! Reads the prompt: which words name colours, a time of day and scene motifs,
//! and turns them into a [`Palette`]. This is the only place that looks at the
//! prompt text; everything downstream works from the palette.

use crate::color::Rgb;
use crate::rng::hash_bytes;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeOfDay {
    Dawn,
    Day,
    Sunset,
    Night,
}

/// The overall kind of picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SceneKind {
    /// Layered sky, terrain and motifs.
    Landscape,
    /// A dark synthwave scene: glowing grid, striped sun, neon signs.
    Neon,
    /// Flow fields and soft gradients, for prompts naming no scene.
    Abstract,
}

/// Scene motifs the prompt asked for, painted back to front.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Motifs {
    pub water: bool,
    pub mountains: bool,
    pub forest: bool,
    pub city: bool,
    pub desert: bool,
    pub snow: bool,
    pub neon: bool,
    pub mist: bool,
    pub moon: bool,
}

impl Motifs {
    fn any_scenery(&self) -> bool {
        self.water || self.mountains || self.forest || self.city || self.desert || self.snow
    }
}

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

#[derive(Clone, Copy)]
enum Motif {
    Water,
    Mountains,
    Forest,
    City,
    Desert,
    Snow,
    Neon,
    Mist,
    Moon,
}

const COLORS: &[(&str, u32)] = &[
    ("red", 0xd42a2a),
    ("crimson", 0xb3123a),
    ("scarlet", 0xe0301e),
    ("ruby", 0xa8102e),
    ("orange", 0xf08a24),
    ("amber", 0xf0a020),
    ("gold", 0xe8b830),
    ("golden", 0xe8b830),
    ("yellow", 0xf2d22e),
    ("green", 0x2fa84f),
    ("emerald", 0x1f9e6a),
    ("lime", 0x9ad83a),
    ("olive", 0x7a8a30),
    ("teal", 0x1a9a9a),
    ("turquoise", 0x30c8c0),
    ("cyan", 0x28d0e8),
    ("aqua", 0x40d8e0),
    ("blue", 0x2a5ad8),
    ("azure", 0x3a8ae8),
    ("navy", 0x1a2a6a),
    ("cobalt", 0x1f4ab8),
    ("indigo", 0x3a2a90),
    ("purple", 0x7a2ab8),
    ("violet", 0x8a4ae0),
    ("lavender", 0xa890e0),
    ("lilac", 0xb890d8),
    ("pink", 0xf07ab0),
    ("rose", 0xe0607a),
    ("magenta", 0xd82ab0),
    ("fuchsia", 0xe02aa0),
    ("black", 0x0c0c10),
    ("dark", 0x202028),
    ("white", 0xf4f4f4),
    ("grey", 0x808488),
    ("gray", 0x808488),
    ("silver", 0xb8bcc4),
    ("brown", 0x7a4a2a),
    ("bronze", 0x9a6a30),
    ("copper", 0xb8643a),
    ("rust", 0xa84a20),
];

const TIMES: &[(&str, TimeOfDay)] = &[
    ("dawn", TimeOfDay::Dawn),
    ("sunrise", TimeOfDay::Dawn),
    ("morning", TimeOfDay::Dawn),
    ("daybreak", TimeOfDay::Dawn),
    ("day", TimeOfDay::Day),
    ("daytime", TimeOfDay::Day),
    ("noon", TimeOfDay::Day),
    ("midday", TimeOfDay::Day),
    ("afternoon", TimeOfDay::Day),
    ("sunny", TimeOfDay::Day),
    ("sunshine", TimeOfDay::Day),
    ("sunset", TimeOfDay::Sunset),
    ("dusk", TimeOfDay::Sunset),
    ("evening", TimeOfDay::Sunset),
    ("twilight", TimeOfDay::Sunset),
    ("sundown", TimeOfDay::Sunset),
    ("night", TimeOfDay::Night),
    ("nighttime", TimeOfDay::Night),
    ("midnight", TimeOfDay::Night),
    ("starry", TimeOfDay::Night),
    ("star", TimeOfDay::Night),
    ("starlight", TimeOfDay::Night),
    ("moonlight", TimeOfDay::Night),
    ("moonlit", TimeOfDay::Night),
    ("galaxy", TimeOfDay::Night),
];

const MOTIFS: &[(&str, Motif)] = &[
    ("ocean", Motif::Water),
    ("sea", Motif::Water),
    ("seascape", Motif::Water),
    ("lake", Motif::Water),
    ("river", Motif::Water),
    ("water", Motif::Water),
    ("beach", Motif::Water),
    ("coast", Motif::Water),
    ("shore", Motif::Water),
    ("bay", Motif::Water),
    ("harbor", Motif::Water),
    ("harbour", Motif::Water),
    ("pond", Motif::Water),
    ("reflection", Motif::Water),
    ("lighthouse", Motif::Water),
    ("wave", Motif::Water),
    ("island", Motif::Water),
    ("mountain", Motif::Mountains),
    ("peak", Motif::Mountains),
    ("alp", Motif::Mountains),
    ("alpine", Motif::Mountains),
    ("hill", Motif::Mountains),
    ("ridge", Motif::Mountains),
    ("valley", Motif::Mountains),
    ("cliff", Motif::Mountains),
    ("canyon", Motif::Mountains),
    ("volcano", Motif::Mountains),
    ("summit", Motif::Mountains),
    ("range", Motif::Mountains),
    ("forest", Motif::Forest),
    ("tree", Motif::Forest),
    ("pine", Motif::Forest),
    ("wood", Motif::Forest),
    ("woodland", Motif::Forest),
    ("jungle", Motif::Forest),
    ("grove", Motif::Forest),
    ("taiga", Motif::Forest),
    ("city", Motif::City),
    ("skyline", Motif::City),
    ("town", Motif::City),
    ("building", Motif::City),
    ("skyscraper", Motif::City),
    ("street", Motif::City),
    ("downtown", Motif::City),
    ("metropolis", Motif::City),
    ("urban", Motif::City),
    ("tokyo", Motif::City),
    ("desert", Motif::Desert),
    ("dune", Motif::Desert),
    ("sand", Motif::Desert),
    ("sahara", Motif::Desert),
    ("oasis", Motif::Desert),
    ("snow", Motif::Snow),
    ("snowfall", Motif::Snow),
    ("snowflake", Motif::Snow),
    ("winter", Motif::Snow),
    ("frozen", Motif::Snow),
    ("ice", Motif::Snow),
    ("icy", Motif::Snow),
    ("blizzard", Motif::Snow),
    ("arctic", Motif::Snow),
    ("neon", Motif::Neon),
    ("cyberpunk", Motif::Neon),
    ("synthwave", Motif::Neon),
    ("vaporwave", Motif::Neon),
    ("retrowave", Motif::Neon),
    ("outrun", Motif::Neon),
    ("cyber", Motif::Neon),
    ("futuristic", Motif::Neon),
    ("mist", Motif::Mist),
    ("misty", Motif::Mist),
    ("fog", Motif::Mist),
    ("foggy", Motif::Mist),
    ("haze", Motif::Mist),
    ("hazy", Motif::Mist),
    ("moon", Motif::Moon),
    ("moonrise", Motif::Moon),
];

/// Tries the word itself, then simple English stems ("cities" → "city",
/// "dunes" → "dune", "snowy" → "snow").
fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    let find = |w: &str| table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v);
    if let Some(v) = find(word) {
        return Some(v);
    }
    if word.len() < 4 {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies")
        && let Some(v) = find(&format!("{stem}y"))
    {
        return Some(v);
    }
    for suffix in ["es", "s", "y"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && let Some(v) = find(stem)
        {
            return Some(v);
        }
    }
    None
}

/// Lower-cased alphanumeric words. Bounded so a huge prompt costs little.
fn words(prompt: &str) -> Vec<String> {
    prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(600)
        .map(|w| w.chars().take(32).flat_map(char::to_lowercase).collect())
        .collect()
}

/// Reads the prompt and chooses scene, time of day and colours.
pub fn palette_for(prompt: &str) -> Palette {
    let words = words(prompt);
    let mut motifs = Motifs::default();
    let mut time = None;
    let (mut tint_sum, mut tints) = (Rgb::BLACK, 0u32);
    for w in &words {
        if let Some(hex) = lookup(COLORS, w) {
            tint_sum += Rgb::hex(hex);
            tints += 1;
        }
        if let Some(t) = lookup(TIMES, w) {
            // The first named time wins: "sunset ... night sky" is a sunset.
            time.get_or_insert(t);
        }
        if let Some(m) = lookup(MOTIFS, w) {
            match m {
                Motif::Water => motifs.water = true,
                Motif::Mountains => motifs.mountains = true,
                Motif::Forest => motifs.forest = true,
                Motif::City => motifs.city = true,
                Motif::Desert => motifs.desert = true,
                Motif::Snow => motifs.snow = true,
                Motif::Neon => motifs.neon = true,
                Motif::Mist => motifs.mist = true,
                Motif::Moon => motifs.moon = true,
            }
        }
    }
    let word_hash = hash_bytes(words.join(" ").as_bytes());
    let tint = (tints > 0).then(|| tint_sum * (1.0 / tints as f32));
    if motifs.moon && time.is_none() {
        time = Some(TimeOfDay::Night);
    }

    let scene = if motifs.neon {
        SceneKind::Neon
    } else if motifs.any_scenery() || time.is_some() || motifs.moon {
        SceneKind::Landscape
    } else {
        SceneKind::Abstract
    };
    let time = time.unwrap_or(match scene {
        SceneKind::Neon => TimeOfDay::Night,
        _ => [
            TimeOfDay::Day,
            TimeOfDay::Sunset,
            TimeOfDay::Dawn,
            TimeOfDay::Day,
            TimeOfDay::Sunset,
        ][(word_hash % 5) as usize],
    });

    let mut p = match scene {
        SceneKind::Landscape => landscape_colors(time, &motifs),
        SceneKind::Neon => neon_colors(time),
        SceneKind::Abstract => abstract_colors(word_hash, tint),
    };
    if let (Some(t), true) = (tint, scene != SceneKind::Abstract) {
        apply_tint(&mut p, t);
    }
    p.name = describe(scene, time, &motifs, tint);
    p.scene = scene;
    p.time = time;
    p.motifs = motifs;
    p.tint = tint;
    p.word_hash = word_hash;
    p
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

/// Pulls every colour toward the tint's hue while keeping its lightness, so "red
/// mountains at dawn" is still a dawn. Greys and black/white shift lightness only.
fn apply_tint(p: &mut Palette, tint: Rgb) {
    let (th, ts, tl) = tint.to_hsl();
    let shift = |c: Rgb, k: f32| -> Rgb {
        let (_, s, l) = c.to_hsl();
        if ts < 0.15 {
            let grey = Rgb::new(l, l, l).lerp(Rgb::new(tl, tl, tl), 0.3);
            return c.lerp(grey, k);
        }
        let target = Rgb::from_hsl(th, (s * 0.5 + ts * 0.5).min(1.0), l);
        c.lerp(target, k)
    };
    p.sky_top = shift(p.sky_top, 0.35);
    p.sky_mid = shift(p.sky_mid, 0.5);
    p.sky_horizon = shift(p.sky_horizon, 0.45);
    p.haze = shift(p.haze, 0.45);
    p.land = shift(p.land, 0.5);
    p.accent = shift(p.accent, 0.6);
    p.sun = shift(p.sun, 0.25);
}
