//! Composition: decides the layout (horizon height, where the sun or moon
//! sits) from the seed, paints the background the plan's scene asks for back
//! to front, then the subjects in front of it. Each layer draws from its own
//! forked random stream, so toggling one motif never reshuffles the others.

mod abstract_art;
mod backdrop;
mod city;
mod forest;
mod neon;
pub mod sky;
pub mod subjects;
mod terrain;
mod water;
mod weather;

use crate::canvas::Canvas;
use crate::color::Rgb;
use crate::palette::Palette;
use crate::rng::Rng;
use crate::understand::{Kind, Plan, SceneKind, TimeOfDay};
use forest::TreeKind;
use sky::{Body, SkyStyle};
use terrain::{Ground, MountainStyle, Trees};

/// Paints the background the plan's scene asks for, then its subjects;
/// returns where each subject was drawn.
pub fn paint(
    c: &mut Canvas,
    plan: &Plan,
    p: &Palette,
    seed: u64,
    steps: u32,
) -> Vec<subjects::Placement> {
    let steps = steps.clamp(1, 8);
    // The prompt's words join the seed, so two prompts with the same motifs and
    // the same seed still get different compositions.
    let rng = Rng::new(seed ^ p.word_hash.rotate_left(23));
    let h = c.h as f32;
    let stage = match p.scene {
        SceneKind::Abstract => {
            abstract_art::paint(c, p, steps, &mut rng.fork(1));
            subjects::Stage::open(h * 0.7)
        }
        SceneKind::Landscape => landscape(c, plan, p, steps, &rng),
        SceneKind::Neon => synthwave(c, p, steps, &rng),
        SceneKind::Interior => {
            subjects::Stage::open(backdrop::interior(c, p, steps, &mut rng.fork(2)))
        }
        SceneKind::Space => {
            backdrop::space(c, p, steps, &mut rng.fork(3));
            subjects::Stage::open(h)
        }
        SceneKind::Portrait => {
            backdrop::studio(c, p, &mut rng.fork(4));
            subjects::Stage::open(h)
        }
    };
    subjects::paint(c, plan, p, &stage, steps, &mut rng.fork(30))
}

fn place_body(c: &Canvas, p: &Palette, horizon: f32, rng: &mut Rng) -> Body {
    let u = c.unit();
    let x = c.w as f32 * rng.range(0.2, 0.8);
    let (y, r) = match p.time {
        TimeOfDay::Dawn => (horizon - u * rng.range(0.05, 0.14), u * 0.05),
        TimeOfDay::Day => (horizon * rng.range(0.2, 0.4), u * 0.04),
        TimeOfDay::Sunset => (horizon - u * rng.range(-0.03, 0.07), u * 0.07),
        TimeOfDay::Night => (horizon * rng.range(0.22, 0.5), u * rng.range(0.04, 0.06)),
    };
    Body {
        x,
        y,
        r,
        moon: p.time == TimeOfDay::Night,
        striped: false,
    }
}

fn landscape(c: &mut Canvas, plan: &Plan, p: &Palette, steps: u32, rng: &Rng) -> subjects::Stage {
    let m = p.motifs;
    let h = c.h as f32;
    let mut layout = rng.fork(10);
    let horizon = h * if m.water {
        layout.range(0.54, 0.64)
    } else if m.desert || m.snow {
        layout.range(0.5, 0.6)
    } else if m.city {
        layout.range(0.72, 0.8)
    } else {
        layout.range(0.58, 0.68)
    };
    let mut body = place_body(c, p, horizon, &mut layout);
    if plan.has(Kind::Moon) {
        // A moon the prompt names is the picture's moon: large and clear.
        body.r *= 2.2;
        body.y = body.y.max(body.r * 1.4);
    }
    let clouds = match p.time {
        TimeOfDay::Night => layout.range(0.0, 0.35),
        _ => layout.range(0.2, 0.7),
    } * if m.snow { 1.3 } else { 1.0 };
    let style = SkyStyle {
        clouds,
        stars: if p.time == TimeOfDay::Night {
            900.0
        } else {
            0.0
        },
    };
    sky::paint(c, p, horizon, Some(&body), &style, steps, &mut rng.fork(11));

    if m.mountains {
        // With water the range stands on the far shore; otherwise it rises
        // from a little below the horizon and the ground covers its foot.
        let (base, floor) = if m.water {
            (horizon, horizon + 1.0)
        } else {
            (horizon + h * 0.04, horizon + h * 0.2)
        };
        let style = MountainStyle {
            rim: None,
            snow_caps: m.snow || layout.chance(0.3),
            floor,
        };
        terrain::mountains(c, p, base, Some(&body), &style, steps, &mut rng.fork(12));
    }
    if m.city {
        city::skyline(c, p, horizon, false, steps, &mut rng.fork(13));
    }
    let trees = tree_kind(plan, p, &mut layout);
    if m.water {
        if m.forest {
            forest::shore(c, p, horizon, trees, steps, &mut rng.fork(14));
        }
        let calm = if m.mist { 0.6 } else { 1.0 };
        water::water(c, p, horizon, Some(&body), calm, steps, &mut rng.fork(15));
    } else if !m.city {
        let kind = if m.desert {
            Ground::Dunes
        } else if m.snow {
            Ground::Snow
        } else {
            Ground::Hills
        };
        // Mountains alone still get a few pines on their foothills.
        let trees = if m.forest {
            Some(Trees {
                kind: trees,
                density: if kind == Ground::Hills { 0.7 } else { 0.55 },
                nearest: 1.0,
            })
        } else if m.mountains && !m.desert {
            Some(Trees {
                kind: TreeKind::Pine,
                density: 0.45,
                nearest: 0.5,
            })
        } else {
            None
        };
        terrain::ground(
            c,
            p,
            horizon,
            kind,
            trees,
            Some(&body),
            steps,
            &mut rng.fork(16),
        );
    }
    if m.snow {
        weather::snowfall(c, p, steps, &mut rng.fork(17));
    }
    subjects::Stage {
        horizon,
        water: m.water,
        street: m.city && !m.water,
    }
}

fn tree_kind(plan: &Plan, p: &Palette, rng: &mut Rng) -> TreeKind {
    // A tree the prompt names sets the kind of the whole forest.
    if plan.has(Kind::Pine) {
        TreeKind::Pine
    } else if plan.has(Kind::Oak) || plan.has(Kind::Palm) {
        TreeKind::Round
    } else if p.motifs.snow || p.motifs.mountains || p.time == TimeOfDay::Night {
        TreeKind::Pine
    } else if rng.chance(0.5) {
        TreeKind::Mixed
    } else {
        TreeKind::Round
    }
}

fn synthwave(c: &mut Canvas, p: &Palette, steps: u32, rng: &Rng) -> subjects::Stage {
    let m = p.motifs;
    let h = c.h as f32;
    let u = c.unit();
    let mut layout = rng.fork(20);
    let horizon = h * layout.range(0.56, 0.66);
    let body = Body {
        x: c.w as f32 * layout.range(0.35, 0.65),
        y: horizon - u * layout.range(0.1, 0.16),
        r: u * layout.range(0.17, 0.22),
        moon: false,
        striped: true,
    };
    let style = SkyStyle {
        clouds: 0.0,
        stars: 500.0,
    };
    sky::paint(c, p, horizon, Some(&body), &style, steps, &mut rng.fork(21));
    if m.mountains || !m.city {
        let style = MountainStyle {
            rim: Some(p.accent2 * 0.8),
            snow_caps: false,
            floor: horizon + 1.0,
        };
        terrain::mountains(c, p, horizon, None, &style, steps.min(4), &mut rng.fork(22));
    }
    if m.city {
        city::skyline(c, p, horizon, true, steps, &mut rng.fork(23));
    }
    if m.water {
        water::water(c, p, horizon, Some(&body), 0.7, steps, &mut rng.fork(24));
    } else {
        neon::grid(c, p, horizon, steps, &mut rng.fork(25));
    }
    // A thin bright seam where the floor meets the sky.
    let y = horizon.round() as usize;
    if y > 0 && y < c.h {
        for x in 0..c.w {
            c.px[y * c.w + x] += p.accent2.lerp(Rgb::WHITE, 0.3) * 0.5;
            c.px[(y - 1) * c.w + x] += p.accent2 * 0.25;
        }
    }
    subjects::Stage {
        horizon,
        water: m.water,
        street: false,
    }
}
