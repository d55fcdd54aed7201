//! Subjects are drawn where the prompt asks, in the colours it asks, over a
//! fitting background.

use promptcanvas_offline::{
    Kind, Placement, RenderRequest, RgbImage, SceneKind, render_with_placements, understand,
};

fn draw(prompt: &str, seed: u64) -> (RgbImage, Vec<Placement>) {
    render_with_placements(&RenderRequest {
        prompt,
        seed,
        width: 256,
        height: 256,
        steps: 4,
    })
}

/// Hue in degrees, saturation and lightness of an RGB8 pixel.
fn hsl(px: &[u8]) -> (f32, f32, f32) {
    let [r, g, b] = [px[0], px[1], px[2]].map(|v| f32::from(v) / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    let d = max - min;
    if d < 1e-5 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs()).max(1e-5);
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s, l)
}

fn hue_distance(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// Share of the box's pixels that are clearly of hue `target`.
fn share_of_hue(img: &RgbImage, b: &Placement, target: f32) -> f32 {
    let w = img.width as usize;
    let (mut hits, mut total) = (0usize, 0usize);
    for y in b.y0..b.y1 {
        for x in b.x0..b.x1 {
            let i = (y as usize * w + x as usize) * 3;
            let (h, s, l) = hsl(&img.pixels[i..i + 3]);
            total += 1;
            if s > 0.3 && l > 0.1 && l < 0.9 && hue_distance(h, target) < 25.0 {
                hits += 1;
            }
        }
    }
    hits as f32 / total.max(1) as f32
}

/// The box of the first subject of `kind` drawn for the prompt.
fn box_of(placed: &[Placement], kind: &str, prompt: &str) -> Placement {
    *placed
        .iter()
        .find(|p| p.kind.name() == kind)
        .unwrap_or_else(|| panic!("{prompt:?}: no {kind} drawn"))
}

#[test]
fn a_coloured_subject_is_painted_in_that_colour() {
    let colours = [
        ("red", 0.0),
        ("yellow", 52.0),
        ("green", 136.0),
        ("blue", 224.0),
    ];
    for subject in [
        "car", "cat", "house", "boat", "dragon", "bird", "cup", "flowers",
    ] {
        // Colour words leave the composition alone, so the subject stands in
        // the same place whatever its colour, and the box can be compared.
        let renders: Vec<(RgbImage, Placement)> = colours
            .iter()
            .map(|(name, _)| {
                let prompt = format!("a {name} {subject}");
                let (img, placed) = draw(&prompt, 3);
                let b = box_of(&placed, subject, &prompt);
                (img, b)
            })
            .collect();
        for (i, (name, hue)) in colours.iter().enumerate() {
            let (img, b) = &renders[i];
            let share = share_of_hue(img, b, *hue);
            assert!(
                share > 0.1,
                "a {name} {subject}: only {share:.2} of its box is {name}"
            );
            for (j, (other, _)) in colours.iter().enumerate() {
                let (other_img, other_box) = &renders[j];
                assert_eq!(
                    b, other_box,
                    "a {name} {subject} moved when it became {other}"
                );
                let without = share_of_hue(other_img, b, *hue);
                assert!(
                    j == i || share > without + 0.08,
                    "a {name} {subject}: {share:.2} {name}, but {without:.2} when {other}"
                );
            }
        }
    }
}

#[test]
fn a_red_desert_under_a_blue_sky_has_a_blue_sky() {
    let (img, _) = draw("a red desert with dunes under a blue sky", 3);
    let w = img.width as usize;
    let (mut r, mut b) = (0.0, 0.0);
    for y in 0..60 {
        for x in 0..w {
            let i = (y * w + x) * 3;
            r += f64::from(img.pixels[i]);
            b += f64::from(img.pixels[i + 2]);
        }
    }
    assert!(b > r * 1.3, "sky is not blue: red {r:.0}, blue {b:.0}");
    let bottom = &img.pixels[(240 * w) * 3..(241 * w) * 3];
    let (sr, sb): (u32, u32) = bottom.chunks(3).fold((0, 0), |(r, b), p| {
        (r + u32::from(p[0]), b + u32::from(p[2]))
    });
    assert!(sr > sb, "the desert is not red");
}

#[test]
fn a_pine_forest_shows_pines() {
    let (_, placed) = draw("a misty pine forest", 3);
    assert!(placed.iter().any(|p| p.kind == Kind::Pine));
}

#[test]
fn the_prompts_that_came_out_as_swirls_now_get_their_scene() {
    for (prompt, scene, kinds) in [
        (
            "portrait of an astronaut cat, studio lighting",
            SceneKind::Portrait,
            &[Kind::Astronaut, Kind::Cat][..],
        ),
        (
            "a cozy cabin interior with a fireplace",
            SceneKind::Interior,
            &[Kind::Fireplace][..],
        ),
        (
            "a bowl of fruit on a wooden table",
            SceneKind::Interior,
            &[Kind::FruitBowl, Kind::Table][..],
        ),
    ] {
        assert_eq!(understand(prompt).scene, scene, "{prompt:?}");
        let (_, placed) = draw(prompt, 3);
        for kind in kinds {
            assert!(
                placed.iter().any(|p| p.kind == *kind),
                "{prompt:?}: no {kind:?}"
            );
        }
    }
    assert_eq!(
        understand("abstract swirling colors").scene,
        SceneKind::Abstract
    );
}

#[test]
fn every_subject_of_a_prompt_is_drawn() {
    for prompt in [
        "a horse, a house and a big oak tree on a farm",
        "a castle, a dragon and a knight",
        "a cozy kitchen with a cup of tea, a book and a cake on the table",
        "an astronaut and a rocket near a planet",
        "a boat and a lighthouse at dusk",
    ] {
        let plan = understand(prompt);
        let (_, placed) = draw(prompt, 5);
        for s in &plan.subjects {
            assert!(
                placed.iter().any(|p| p.kind == s.kind),
                "{prompt:?}: {:?} not drawn",
                s.kind
            );
        }
    }
}

#[test]
fn subjects_stand_inside_the_picture() {
    for prompt in [
        "a red car",
        "a cat and a dog",
        "a lighthouse on the coast",
        "a house",
    ] {
        let (img, placed) = draw(prompt, 9);
        for p in &placed {
            assert!(p.x0 < p.x1 && p.y0 < p.y1, "{prompt:?}: empty box {p:?}");
            assert!(p.x1 <= img.width && p.y1 <= img.height, "{prompt:?}: {p:?}");
            let area = ((p.x1 - p.x0) * (p.y1 - p.y0)) as f32 / (img.width * img.height) as f32;
            assert!(area > 0.02, "{prompt:?}: {:?} is too small to see", p.kind);
        }
    }
}
