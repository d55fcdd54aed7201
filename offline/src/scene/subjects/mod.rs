//! The subjects in the foreground: where each goes (thirds, scale by
//! importance, standing on the ground with a shadow, flying in the sky,
//! floating on water or resting on a table) and the pen the painters draw
//! them with. Each family's painters live in their own file and draw bold,
//! shaded, outlined silhouettes in a local frame: x across, y up from the
//! ground, one unit the subject's height.

mod animals;
mod buildings;
mod interiors;
mod objects;
mod people;
mod plants;
mod space;
mod vehicles;

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::noise::smoothstep;
use crate::palette::Palette;
use crate::rng::{Rng, hash2, unit};
use crate::understand::{Kind, Plan, SceneKind, TimeOfDay, color_value};

/// Where a subject was drawn, in pixels (inclusive-exclusive box).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub kind: Kind,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

/// The lines of the background the subjects are placed against, in pixels.
#[derive(Clone, Copy, Debug)]
pub struct Stage {
    pub horizon: f32,
    /// Whether the land below the horizon is water.
    pub water: bool,
    /// Whether a city fills the land below the horizon.
    pub street: bool,
}

impl Stage {
    /// Open ground below the horizon.
    pub fn open(horizon: f32) -> Stage {
        Stage {
            horizon,
            water: false,
            street: false,
        }
    }
}

/// Where a kind of subject belongs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spot {
    /// Stands on the ground, casts a shadow.
    Ground,
    /// Large and set back: buildings and big trees.
    Back,
    Sky,
    Water,
    /// On a table, in a room.
    Table,
    /// Against the back wall of a room.
    Wall,
    Space,
}

/// Height as a share of the picture's smaller side, width over height, spot.
fn spec(kind: Kind, scene: SceneKind) -> (f32, f32, Spot) {
    use Kind::*;
    let space = scene == SceneKind::Space;
    match kind {
        Figure => (0.42, 0.42, Spot::Ground),
        Portrait => (0.85, 1.0, Spot::Ground),
        Crowd => (0.3, 1.8, Spot::Ground),
        Cat => (0.3, 0.8, Spot::Ground),
        Dog => (0.3, 1.3, Spot::Ground),
        Fox => (0.26, 1.5, Spot::Ground),
        Horse => (0.42, 1.25, Spot::Ground),
        Bird => (0.2, 1.5, Spot::Sky),
        Butterfly => (0.24, 1.3, Spot::Sky),
        Dragon => (0.3, 1.8, Spot::Sky),
        Fish => (0.16, 1.8, Spot::Water),
        Whale => (0.26, 2.4, Spot::Water),
        Car => (0.2, 2.2, Spot::Ground),
        Boat => (0.36, 1.0, Spot::Water),
        Train => (0.2, 3.6, Spot::Back),
        Plane => (0.14, 2.2, Spot::Sky),
        Rocket if space => (0.45, 0.4, Spot::Space),
        Rocket => (0.55, 0.4, Spot::Back),
        Bicycle => (0.22, 1.6, Spot::Ground),
        House => (0.42, 1.1, Spot::Back),
        Cabin => (0.36, 1.3, Spot::Back),
        Castle => (0.55, 1.3, Spot::Back),
        Lighthouse => (0.62, 0.36, Spot::Back),
        Tower => (0.62, 0.34, Spot::Back),
        Temple => (0.4, 1.4, Spot::Back),
        Bridge => (0.3, 2.8, Spot::Back),
        Windmill => (0.58, 0.7, Spot::Back),
        Pine => (0.6, 0.5, Spot::Back),
        Palm => (0.6, 0.7, Spot::Back),
        Oak => (0.6, 0.9, Spot::Back),
        Flowers if scene == SceneKind::Interior => (0.22, 1.0, Spot::Table),
        Flowers => (0.3, 1.2, Spot::Ground),
        Cactus => (0.42, 0.7, Spot::Ground),
        Cup => (0.14, 1.2, Spot::Table),
        FruitBowl => (0.16, 1.7, Spot::Table),
        Book => (0.12, 1.6, Spot::Table),
        Lamp => (0.3, 0.6, Spot::Table),
        Bottle => (0.24, 0.36, Spot::Table),
        Cake => (0.2, 1.2, Spot::Table),
        Planet => (0.5, 1.0, Spot::Space),
        Moon => (0.3, 1.0, Spot::Space),
        Galaxy => (0.55, 1.4, Spot::Space),
        Astronaut if space => (0.4, 0.7, Spot::Space),
        Astronaut => (0.42, 0.7, Spot::Ground),
        Window => (0.4, 0.8, Spot::Wall),
        Fireplace => (0.42, 1.2, Spot::Wall),
        Table => (0.26, 3.4, Spot::Ground),
        Shelf => (0.5, 0.9, Spot::Wall),
    }
}

/// The colour a subject is painted in when the prompt gave none.
fn default_color(kind: Kind, rng: &mut Rng) -> Rgb {
    use Kind::*;
    let pick = |rng: &mut Rng, options: &[u32]| {
        Rgb::hex(options[rng.below(options.len() as u32) as usize])
    };
    match kind {
        Figure | Portrait | Crowd => pick(rng, &[0x3a5a8a, 0x8a3a3a, 0x4a6a3a, 0x6a4a7a]),
        Cat => pick(rng, &[0xc8662a, 0x6a6a70, 0x2a2a2e, 0xd8d0c0]),
        Dog => pick(rng, &[0xb07838, 0x6a4a2a, 0xd8c090, 0x3a3030]),
        Fox => Rgb::hex(0xd8661e),
        Horse => pick(rng, &[0x6a4024, 0x3a2a20, 0xe8e4dc]),
        Bird => pick(rng, &[0x3a6ac8, 0xd83a2a, 0x4a4a50]),
        Butterfly => pick(rng, &[0xf08a24, 0x3a8ae8, 0xd82ab0]),
        Dragon => pick(rng, &[0x2a8a4a, 0xa8201e, 0x3a3a6a]),
        Fish => Rgb::hex(0xf08a24),
        Whale => Rgb::hex(0x3a4a6a),
        Car => pick(rng, &[0xc82a2a, 0x2a5ad8, 0xe8c030, 0xe8e8e8]),
        Boat => pick(rng, &[0x8a4a2a, 0xe8e8e8, 0x2a4a8a]),
        Train => pick(rng, &[0x2a2a30, 0xa8201e, 0x1a4a2a]),
        Plane => Rgb::hex(0xe4e8ee),
        Rocket => Rgb::hex(0xe8e8ec),
        Bicycle => pick(rng, &[0xc82a2a, 0x2a6ad8, 0x1a1a1e]),
        House => pick(rng, &[0xe8dcc0, 0xc8a070, 0xa8c0d8]),
        Cabin => Rgb::hex(0x8a5a32),
        Castle | Tower | Bridge => Rgb::hex(0x9a948a),
        Lighthouse => Rgb::hex(0xf0f0ec),
        Temple => Rgb::hex(0xe0d8c8),
        Windmill => Rgb::hex(0xb8a078),
        Pine => Rgb::hex(0x1e5a34),
        Palm => Rgb::hex(0x2e8a3a),
        Oak => Rgb::hex(0x3a8a32),
        Flowers => pick(rng, &[0xe02a3a, 0xf0d020, 0xe070b0]),
        Cactus => Rgb::hex(0x3a8a4a),
        Cup => Rgb::hex(0xf0ece4),
        FruitBowl => Rgb::hex(0xc89a6a),
        Book => pick(rng, &[0x8a2a2a, 0x2a4a7a, 0x2a6a3a]),
        Lamp => Rgb::hex(0xf0d8a0),
        Bottle => Rgb::hex(0x2a6a3a),
        Cake => Rgb::hex(0xf4d8e0),
        Planet => pick(rng, &[0xd8a060, 0x4a8ad8, 0xc85a3a, 0x8ac8b8]),
        Moon => Rgb::hex(0xd8d8d0),
        Galaxy => Rgb::hex(0xb8a0f0),
        Astronaut => Rgb::hex(0xf0f0f0),
        Window => Rgb::hex(0xf0ece4),
        Fireplace => Rgb::hex(0x9a8a7a),
        Table => Rgb::hex(0x7a4a2a),
        Shelf => Rgb::hex(0x6a4224),
    }
}

/// A pen that draws in a subject's local frame and remembers what it covered.
pub struct Pen<'a> {
    c: &'a mut Canvas,
    ox: f32,
    oy: f32,
    s: f32,
    flip: f32,
    /// Light falling on the subject: multiplies every colour.
    ambient: Rgb,
    /// Outline width in pixels.
    edge: f32,
    bbox: [f32; 4],
    pub steps: u32,
    pub night: bool,
}

impl Pen<'_> {
    #[inline(always)]
    fn px(&self, x: f32, y: f32) -> (f32, f32) {
        (self.ox + self.flip * x * self.s, self.oy - y * self.s)
    }

    /// Fills the pixels within `bounds` where `sdf` (signed distance in
    /// pixels, negative inside) is below zero: shaded lighter at the top-left,
    /// with a dark outline of the fill's own hue.
    fn fill(&mut self, bounds: [f32; 4], col: Rgb, sdf: impl Fn(f32, f32) -> f32) {
        let col = col * self.ambient;
        let dark = col * 0.3;
        let [bx0, by0, bx1, by1] = bounds;
        let x0 = (bx0 - 1.0).floor().max(0.0) as usize;
        let y0 = (by0 - 1.0).floor().max(0.0) as usize;
        let x1 = ((bx1 + 1.0).ceil().max(0.0) as usize).min(self.c.w);
        let y1 = ((by1 + 1.0).ceil().max(0.0) as usize).min(self.c.h);
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        self.bbox = [
            self.bbox[0].min(x0 as f32),
            self.bbox[1].min(y0 as f32),
            self.bbox[2].max(x1 as f32),
            self.bbox[3].max(y1 as f32),
        ];
        let (iw, ih) = (1.0 / (bx1 - bx0).max(1.0), 1.0 / (by1 - by0).max(1.0));
        let edge = self.edge;
        let grain = 0.03 * (self.steps.max(1) - 1) as f32;
        for y in y0..y1 {
            let py = y as f32 + 0.5;
            let v = ((py - by0) * ih).clamp(0.0, 1.0);
            let row = &mut self.c.px[y * self.c.w..(y + 1) * self.c.w];
            for (x, p) in row.iter_mut().enumerate().take(x1).skip(x0) {
                let pxf = x as f32 + 0.5;
                let d = sdf(pxf, py);
                let cover = (0.5 - d).clamp(0.0, 1.0);
                if cover <= 0.0 {
                    continue;
                }
                let u = ((pxf - bx0) * iw).clamp(0.0, 1.0);
                // Material texture, finer and stronger with more steps.
                let tex = unit(hash2(x as i32, y as i32, 0x7e47)) - 0.5;
                let shaded = col * (1.14 - 0.3 * v - 0.12 * u + tex * grain);
                let inner = (-d - edge + 0.5).clamp(0.0, 1.0);
                *p = p.lerp(dark.lerp(shaded, inner), cover);
            }
        }
    }

    pub fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, col: Rgb) {
        let (pcx, pcy) = self.px(cx, cy);
        let (rx, ry) = ((rx * self.s).max(0.5), (ry * self.s).max(0.5));
        let (irx2, iry2) = (1.0 / (rx * rx), 1.0 / (ry * ry));
        self.fill([pcx - rx, pcy - ry, pcx + rx, pcy + ry], col, |x, y| {
            let (dx, dy) = (x - pcx, y - pcy);
            let k = (dx * dx * irx2 + dy * dy * iry2).sqrt();
            let g = ((dx * irx2).powi(2) + (dy * iry2).powi(2)).sqrt();
            if g < 1e-6 {
                -rx.min(ry)
            } else {
                (k - 1.0) * k / g
            }
        });
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, col: Rgb) {
        self.ellipse(cx, cy, r, r, col);
    }

    /// An axis-aligned box with corners rounded by `round` (local units).
    pub fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, round: f32, col: Rgb) {
        let (ax, ay) = self.px(x0, y0);
        let (bx, by) = self.px(x1, y1);
        let (lx, rx) = (ax.min(bx), ax.max(bx));
        let (ty, byy) = (ay.min(by), ay.max(by));
        let (cx, cy) = ((lx + rx) * 0.5, (ty + byy) * 0.5);
        let r = (round * self.s).min((rx - lx) * 0.5).min((byy - ty) * 0.5);
        let (hx, hy) = ((rx - lx) * 0.5 - r, (byy - ty) * 0.5 - r);
        self.fill([lx, ty, rx, byy], col, |x, y| {
            let qx = (x - cx).abs() - hx;
            let qy = (y - cy).abs() - hy;
            let out = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
            out + qx.max(qy).min(0.0) - r
        });
    }

    /// A convex polygon, in either winding.
    pub fn poly(&mut self, pts: &[(f32, f32)], col: Rgb) {
        if pts.len() < 3 {
            return;
        }
        let p: Vec<(f32, f32)> = pts.iter().map(|&(x, y)| self.px(x, y)).collect();
        let area: f32 = (0..p.len())
            .map(|i| {
                let (a, b) = (p[i], p[(i + 1) % p.len()]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum();
        let sign = if area > 0.0 { 1.0 } else { -1.0 };
        // Each edge as (point, outward unit normal).
        let edges: Vec<(f32, f32, f32, f32)> = (0..p.len())
            .map(|i| {
                let (a, b) = (p[i], p[(i + 1) % p.len()]);
                let (ex, ey) = (b.0 - a.0, b.1 - a.1);
                let len = (ex * ex + ey * ey).sqrt().max(1e-6);
                (a.0, a.1, ey / len * sign, -ex / len * sign)
            })
            .collect();
        let bounds = p.iter().fold(
            [
                f32::INFINITY,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
            ],
            |b, &(x, y)| [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
        );
        self.fill(bounds, col, |x, y| {
            edges
                .iter()
                .fold(f32::NEG_INFINITY, |m, &(ax, ay, nx, ny)| {
                    m.max((x - ax) * nx + (y - ay) * ny)
                })
        });
    }

    /// A stroke of width `w` with round ends.
    pub fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, w: f32, col: Rgb) {
        let (ax, ay) = self.px(x0, y0);
        let (bx, by) = self.px(x1, y1);
        let r = (w * self.s * 0.5).max(0.5);
        let (ex, ey) = (bx - ax, by - ay);
        let il = 1.0 / (ex * ex + ey * ey).max(1e-6);
        let bounds = [
            ax.min(bx) - r,
            ay.min(by) - r,
            ax.max(bx) + r,
            ay.max(by) + r,
        ];
        self.fill(bounds, col, |x, y| {
            let (dx, dy) = (x - ax, y - ay);
            let t = ((dx * ex + dy * ey) * il).clamp(0.0, 1.0);
            let (qx, qy) = (dx - ex * t, dy - ey * t);
            (qx * qx + qy * qy).sqrt() - r
        });
    }

    /// A chain of strokes through `pts`.
    pub fn path(&mut self, pts: &[(f32, f32)], w: f32, col: Rgb) {
        for pair in pts.windows(2) {
            self.line(pair[0].0, pair[0].1, pair[1].0, pair[1].1, w, col);
        }
    }

    /// An elliptical ring of stroke width `w`; `front` keeps only its lower
    /// half, the part that passes in front of what it circles.
    #[allow(clippy::too_many_arguments)]
    pub fn ring(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, w: f32, front: bool, col: Rgb) {
        let (pcx, pcy) = self.px(cx, cy);
        let (rx, ry) = ((rx * self.s).max(0.5), (ry * self.s).max(0.5));
        let half = (w * self.s * 0.5).max(0.5);
        let (irx2, iry2) = (1.0 / (rx * rx), 1.0 / (ry * ry));
        let bounds = [
            pcx - rx - half,
            pcy - ry - half,
            pcx + rx + half,
            pcy + ry + half,
        ];
        self.fill(bounds, col, |x, y| {
            let (dx, dy) = (x - pcx, y - pcy);
            let k = (dx * dx * irx2 + dy * dy * iry2).sqrt();
            let g = ((dx * irx2).powi(2) + (dy * iry2).powi(2)).sqrt().max(1e-6);
            let d = ((k - 1.0) * k / g).abs() - half;
            if front && dy < 0.0 { d.max(-dy) } else { d }
        });
    }

    /// Light added on top, unaffected by the ambient light: flames, lamps.
    pub fn glow(&mut self, cx: f32, cy: f32, r: f32, col: Rgb) {
        let (x, y) = self.px(cx, cy);
        self.c.splat(x, y, r * self.s, col);
    }

    /// Darkens the ground under a subject: a soft ellipse at its foot.
    fn shadow(&mut self, half_width: f32) {
        let (cx, cy) = (self.ox, self.oy);
        let (rx, ry) = (
            half_width * self.s * 1.1,
            (half_width * self.s * 0.16).max(1.0),
        );
        let x0 = (cx - rx).floor().max(0.0) as usize;
        let x1 = ((cx + rx).ceil().max(0.0) as usize).min(self.c.w);
        let y0 = (cy - ry).floor().max(0.0) as usize;
        let y1 = ((cy + ry).ceil().max(0.0) as usize).min(self.c.h);
        for y in y0..y1 {
            let dy = (y as f32 + 0.5 - cy) / ry;
            for x in x0..x1 {
                let dx = (x as f32 + 0.5 - cx) / rx;
                let k = 1.0 - smoothstep(0.3, 1.0, (dx * dx + dy * dy).sqrt());
                let p = &mut self.c.px[y * self.c.w + x];
                *p = *p * (1.0 - 0.55 * k);
            }
        }
    }
}

/// The light a subject stands in, by scene and time of day.
fn ambient(plan: &Plan, p: &Palette) -> Rgb {
    match plan.scene {
        SceneKind::Interior => Rgb::new(1.0, 0.96, 0.9),
        SceneKind::Portrait => Rgb::new(1.02, 1.0, 0.98),
        SceneKind::Space => Rgb::new(0.95, 0.95, 1.0),
        SceneKind::Neon => p.accent.lerp(Rgb::WHITE, 0.6) * 0.75,
        _ => match plan.time {
            TimeOfDay::Day => Rgb::WHITE,
            TimeOfDay::Dawn => Rgb::new(1.0, 0.9, 0.88),
            TimeOfDay::Sunset => Rgb::new(1.0, 0.82, 0.68),
            TimeOfDay::Night => Rgb::new(0.55, 0.6, 0.8),
        },
    }
}

/// One subject ready to draw: what, where its foot is, how tall.
struct Slot {
    kind: Kind,
    color: Rgb,
    x: f32,
    base: f32,
    size: f32,
    flip: bool,
    spot: Spot,
}

/// Places every subject of the plan and draws them back to front.
pub fn paint(
    c: &mut Canvas,
    plan: &Plan,
    p: &Palette,
    stage: &Stage,
    steps: u32,
    rng: &mut Rng,
) -> Vec<Placement> {
    let slots = layout(c, plan, stage, rng);
    let standing = slots
        .iter()
        .any(|s| matches!(s.spot, Spot::Ground | Spot::Back));
    if standing && stage.water {
        let sand = p.land.lerp(Rgb::hex(0xc8a070), 0.5);
        bank(c, sand, 0.02, rng);
    } else if standing && stage.street {
        bank(c, p.land.lerp(Rgb::hex(0x34343a), 0.7), 0.0, rng);
    }
    let ambient = ambient(plan, p);
    let edge = (c.unit() * 0.0032).max(0.7);
    let mut placed = Vec::new();
    for slot in &slots {
        let mut pen = Pen {
            ox: slot.x,
            oy: slot.base,
            s: slot.size,
            flip: if slot.flip { -1.0 } else { 1.0 },
            ambient,
            edge,
            bbox: [f32::INFINITY, f32::INFINITY, 0.0, 0.0],
            steps,
            night: plan.time == TimeOfDay::Night || plan.scene == SceneKind::Space,
            c: &mut *c,
        };
        let (_, aspect, _) = spec(slot.kind, plan.scene);
        if matches!(slot.spot, Spot::Ground | Spot::Back | Spot::Table)
            && plan.scene != SceneKind::Portrait
        {
            pen.shadow(aspect * 0.5);
        }
        draw(&mut pen, slot.kind, slot.color, rng);
        if pen.bbox[0] < pen.bbox[2] {
            placed.push(Placement {
                kind: slot.kind,
                x0: pen.bbox[0] as u32,
                y0: pen.bbox[1] as u32,
                x1: pen.bbox[2] as u32,
                y1: pen.bbox[3] as u32,
            });
        }
    }
    placed
}

fn draw(pen: &mut Pen, kind: Kind, col: Rgb, rng: &mut Rng) {
    use Kind::*;
    match kind {
        Figure => people::figure(pen, col),
        Portrait => people::portrait(pen, col),
        Crowd => people::crowd(pen, col, rng),
        Cat => animals::cat(pen, col),
        Dog => animals::dog(pen, col),
        Fox => animals::fox(pen, col),
        Horse => animals::horse(pen, col),
        Bird => animals::bird(pen, col),
        Fish => animals::fish(pen, col),
        Whale => animals::whale(pen, col),
        Butterfly => animals::butterfly(pen, col),
        Dragon => animals::dragon(pen, col),
        Car => vehicles::car(pen, col),
        Boat => vehicles::boat(pen, col),
        Train => vehicles::train(pen, col),
        Plane => vehicles::plane(pen, col),
        Rocket => vehicles::rocket(pen, col),
        Bicycle => vehicles::bicycle(pen, col),
        House => buildings::house(pen, col),
        Cabin => buildings::cabin(pen, col),
        Castle => buildings::castle(pen, col),
        Lighthouse => buildings::lighthouse(pen, col),
        Tower => buildings::tower(pen, col),
        Temple => buildings::temple(pen, col),
        Bridge => buildings::bridge(pen, col),
        Windmill => buildings::windmill(pen, col),
        Pine => plants::pine(pen, col),
        Palm => plants::palm(pen, col),
        Oak => plants::oak(pen, col),
        Flowers => plants::flowers(pen, col),
        Cactus => plants::cactus(pen, col),
        Cup => objects::cup(pen, col),
        FruitBowl => objects::fruit_bowl(pen, col),
        Book => objects::book(pen, col),
        Lamp => objects::lamp(pen, col),
        Bottle => objects::bottle(pen, col),
        Cake => objects::cake(pen, col),
        Planet => space::planet(pen, col, rng),
        Moon => space::moon(pen, col),
        Galaxy => space::galaxy(pen, col, rng),
        Astronaut => space::astronaut(pen, col),
        Window => interiors::window(pen, col),
        Fireplace => interiors::fireplace(pen, col),
        Table => interiors::table(pen, col),
        Shelf => interiors::shelf(pen, col),
    }
}

/// A strip of land in front of water or a city, for subjects that need
/// ground to stand on; `wobble` is the height of its uneven edge.
fn bank(c: &mut Canvas, col: Rgb, wobble: f32, rng: &mut Rng) {
    let h = c.h as f32;
    let u = c.unit();
    let (seed, off) = (rng.next_u32(), rng.range(-100.0, 100.0));
    let top: Vec<f32> = (0..c.w)
        .map(|x| h * 0.86 - u * wobble * crate::noise::fbm1(x as f32 / u * 3.0 + off, 3, seed))
        .collect();
    c.fill_below(&top, c.h, |_, _, depth| {
        col * (1.0 - (depth / (h * 0.14)).min(1.0) * 0.3)
    });
}

/// Decides where each subject goes. The first subject is the main one: the
/// largest, on a third of the width; the others are smaller, on the other
/// third and between, further back.
fn layout(c: &Canvas, plan: &Plan, stage: &Stage, rng: &mut Rng) -> Vec<Slot> {
    let (w, h, u) = (c.w as f32, c.h as f32, c.unit());
    let mut kinds: Vec<(Kind, Option<&str>)> = plan
        .subjects
        .iter()
        .filter(|s| !(s.kind == Kind::Moon && plan.scene != SceneKind::Space))
        .map(|s| (s.kind, s.color))
        .collect();
    // Things that sit on a table get one, even when the prompt names none.
    let on_table = kinds
        .iter()
        .any(|(k, _)| spec(*k, plan.scene).2 == Spot::Table);
    if on_table
        && plan.scene == SceneKind::Interior
        && !kinds.iter().any(|(k, _)| *k == Kind::Table)
    {
        kinds.push((Kind::Table, None));
    }
    let main_left = rng.chance(0.5);
    // The main subject on one third, the next on the other, then the outer
    // sixths, and only then the middle, where they would hide each other.
    let thirds = if main_left {
        [1.0 / 3.0, 2.0 / 3.0, 0.12, 0.88, 0.5, 0.5]
    } else {
        [2.0 / 3.0, 1.0 / 3.0, 0.88, 0.12, 0.5, 0.5]
    };
    let ground = if stage.water || stage.street {
        h * 0.93
    } else {
        h * 0.9
    };
    let back = if stage.water || stage.street {
        h * 0.9
    } else {
        stage.horizon + (h - stage.horizon) * 0.4
    };
    let floor = h * 0.93;
    let table_top = h * 0.72;
    let mut slots = Vec::new();
    let (mut table_i, mut wall_i, mut ground_i) = (0usize, 0usize, 0usize);
    let portrait = plan.scene == SceneKind::Portrait;
    for (i, (kind, color)) in kinds.iter().enumerate() {
        let (height, _, mut spot) = spec(*kind, plan.scene);
        if plan.scene == SceneKind::Interior && matches!(spot, Spot::Back | Spot::Sky | Spot::Water)
        {
            spot = Spot::Ground;
        }
        let color = match color.and_then(color_value) {
            Some(v) => Rgb::hex(v),
            None => default_color(*kind, rng),
        };
        // Importance: the main subject full size, the others smaller.
        let scale = if i == 0 { 1.0 } else { 0.8 - 0.08 * i as f32 };
        let mut size = u * height * scale;
        let x_at = |k: usize| w * thirds[k.min(thirds.len() - 1)];
        let (x, base) = if portrait {
            let bust = *kind == Kind::Portrait;
            size = u * if bust { 0.85 } else { 0.62 };
            if kinds.len() > 1 {
                // Sitters side by side, the main one a little larger.
                size *= if i == 0 { 0.8 } else { 0.62 };
                let slot = [0.36, 0.72, 0.16, 0.88][i.min(3)];
                let x = w * if main_left { slot } else { 1.0 - slot };
                (x, if bust { h + u * 0.02 } else { h * 0.92 })
            } else {
                (w * 0.5, if bust { h + u * 0.02 } else { h * 0.9 })
            }
        } else {
            match spot {
                Spot::Ground if plan.scene == SceneKind::Interior => {
                    if *kind == Kind::Table {
                        size = floor - table_top;
                        (w * 0.5, floor)
                    } else {
                        ground_i += 1;
                        (w * [0.2, 0.8, 0.12][ground_i.min(3) - 1], floor)
                    }
                }
                Spot::Ground | Spot::Back => {
                    ground_i += 1;
                    let x = x_at(i);
                    let base = if spot == Spot::Back && i > 0 {
                        back
                    } else {
                        ground
                    };
                    (x, base - rng.range(0.0, 0.02) * h)
                }
                Spot::Sky => (x_at(i), h * rng.range(0.22, 0.36) + size * 0.5),
                Spot::Water => {
                    let y = stage.horizon + (h - stage.horizon) * 0.45;
                    (x_at(i), y.min(h * 0.92))
                }
                Spot::Table => {
                    table_i += 1;
                    let offs = [0.0, -0.16, 0.16, -0.28, 0.28];
                    // The foot stands on the middle of the table's visible top.
                    let on_top = table_top + (floor - table_top) * 0.05;
                    (w * (0.5 + offs[(table_i - 1) % offs.len()]), on_top)
                }
                Spot::Wall => {
                    wall_i += 1;
                    (w * [0.5, 0.22, 0.78][(wall_i - 1) % 3], h * 0.66)
                }
                Spot::Space => (x_at(i), h * rng.range(0.45, 0.6) + size * 0.5),
            }
        };
        // Things on a table are the still life's main subjects, whatever their order.
        if spot == Spot::Table {
            size = u * height * 1.25 / (1.0 + 0.1 * table_i as f32);
        }
        slots.push(Slot {
            kind: *kind,
            color,
            x,
            base,
            size,
            // Subjects face the middle of the picture.
            flip: x > w * 0.5,
            spot,
        });
    }
    // Back to front: wall, then far, then near; things on the table after it.
    let order = |s: &Slot| match s.spot {
        Spot::Space | Spot::Sky if s.kind == Kind::Galaxy => 0,
        Spot::Wall => 1,
        Spot::Space | Spot::Sky => 5,
        Spot::Back => 2,
        Spot::Water => 3,
        Spot::Ground if s.kind == Kind::Table => 4,
        Spot::Ground => 3,
        Spot::Table => 6,
    };
    slots.sort_by(|a, b| {
        order(a).cmp(&order(b)).then(
            a.base
                .partial_cmp(&b.base)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    slots
}
