//! Behaviour of the offline preview engine through its public API.

use promptcanvas_offline::{
    RenderRequest, RgbImage, SceneKind, TimeOfDay, palette_for, render, render_jpeg,
};

fn request(prompt: &str, seed: u64, width: u32, height: u32, steps: u32) -> RenderRequest<'_> {
    RenderRequest {
        prompt,
        seed,
        width,
        height,
        steps,
    }
}

fn small(prompt: &str) -> RgbImage {
    render(&request(prompt, 7, 256, 256, 4))
}

fn mean_rgb(img: &RgbImage) -> [f64; 3] {
    let mut sum = [0.0f64; 3];
    for px in img.pixels.chunks_exact(3) {
        for c in 0..3 {
            sum[c] += f64::from(px[c]);
        }
    }
    let n = (img.pixels.len() / 3) as f64;
    sum.map(|s| s / n)
}

fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    a.iter()
        .zip(&b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

fn luma(img: &RgbImage) -> f64 {
    let [r, g, b] = mean_rgb(img);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// Mean absolute difference between horizontally and vertically adjacent
/// pixels: a simple measure of fine detail.
fn mean_gradient(img: &RgbImage) -> f64 {
    let (w, h) = (img.width as usize, img.height as usize);
    let at = |x: usize, y: usize| {
        let i = (y * w + x) * 3;
        img.pixels[i..i + 3]
            .iter()
            .map(|&v| f64::from(v))
            .sum::<f64>()
    };
    let mut total = 0.0;
    for y in 0..h - 1 {
        for x in 0..w - 1 {
            total += (at(x + 1, y) - at(x, y)).abs() + (at(x, y + 1) - at(x, y)).abs();
        }
    }
    total / ((w - 1) * (h - 1)) as f64
}

/// Width and height from the baseline frame header (SOF0).
fn jpeg_dimensions(jpeg: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        if jpeg[i] != 0xFF {
            return None;
        }
        let marker = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if marker == 0xC0 {
            let h = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]);
            let w = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + len;
    }
    None
}

#[test]
fn the_same_inputs_give_byte_identical_jpegs() {
    let req = request("misty mountains at dawn over a lake", 42, 512, 384, 6);
    let first = render_jpeg(&req);
    let second = render_jpeg(&req);
    assert_eq!(first, second);
}

#[test]
fn a_different_seed_gives_different_bytes() {
    let a = render_jpeg(&request("sunset over the ocean", 1, 256, 256, 4));
    let b = render_jpeg(&request("sunset over the ocean", 2, 256, 256, 4));
    assert_ne!(a, b);
}

#[test]
fn different_scenes_have_visibly_different_colours() {
    let prompts = [
        "sunset over the ocean",
        "snowy forest at night",
        "neon cyberpunk city",
    ];
    let means: Vec<[f64; 3]> = prompts.iter().map(|p| mean_rgb(&small(p))).collect();
    for i in 0..means.len() {
        for j in i + 1..means.len() {
            let d = distance(means[i], means[j]);
            assert!(
                d > 25.0,
                "{:?} and {:?} differ by only {d:.1}",
                prompts[i],
                prompts[j]
            );
        }
    }
}

#[test]
fn different_abstract_prompts_get_different_palettes() {
    let a = palette_for("quiet thoughts");
    let b = palette_for("loud machinery");
    assert_eq!(a.scene, SceneKind::Abstract);
    assert_ne!(a.stops, b.stops);
}

#[test]
fn a_night_prompt_is_darker_than_a_noon_prompt() {
    let night = luma(&small("a lake with mountains at night"));
    let noon = luma(&small("a lake with mountains at noon"));
    assert!(night + 30.0 < noon, "night {night:.1} vs noon {noon:.1}");
}

#[test]
fn colour_words_pull_the_picture_toward_that_colour() {
    for (red, blue) in [
        ("red", "blue"),
        ("red mountains at dawn", "blue mountains at dawn"),
    ] {
        let [rr, _, rb] = mean_rgb(&small(red));
        let [br, _, bb] = mean_rgb(&small(blue));
        assert!(
            rr - rb > br - bb + 20.0,
            "{red:?}: r-b {:.1}, {blue:?}: r-b {:.1}",
            rr - rb,
            br - bb
        );
    }
}

#[test]
fn more_steps_give_more_detail() {
    for prompt in [
        "misty mountains at dawn",
        "abstract purple dreams",
        "snowy pine forest at night",
    ] {
        let low = mean_gradient(&render(&request(prompt, 3, 384, 384, 1)));
        let high = mean_gradient(&render(&request(prompt, 3, 384, 384, 8)));
        assert!(
            high > low * 1.05,
            "{prompt:?}: steps 1 {low:.2}, steps 8 {high:.2}"
        );
    }
}

#[test]
fn output_has_exactly_the_requested_dimensions() {
    for (w, h) in [
        (256, 256),
        (1344, 768),
        (768, 1344),
        (1024, 1024),
        (1440, 256),
    ] {
        let req = request("desert dunes at noon", 5, w, h, 2);
        let img = render(&req);
        assert_eq!((img.width, img.height), (w, h));
        assert_eq!(img.pixels.len(), (w * h * 3) as usize);
        let jpeg = render_jpeg(&req);
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
        assert_eq!(jpeg_dimensions(&jpeg), Some((w, h)));
    }
}

#[test]
fn prompt_words_choose_time_and_motifs() {
    let p = palette_for("Snowy PINES under the Moon");
    assert_eq!(p.scene, SceneKind::Landscape);
    assert_eq!(p.time, TimeOfDay::Night);
    assert!(p.motifs.snow && p.motifs.forest);
    let p = palette_for("cities and dunes at sunset");
    assert!(p.motifs.city && p.motifs.desert);
    assert_eq!(p.time, TimeOfDay::Sunset);
    assert_eq!(palette_for("synthwave drive").scene, SceneKind::Neon);
    assert_eq!(palette_for("a red fox").scene, SceneKind::Landscape);
    assert_eq!(palette_for("quiet thoughts").scene, SceneKind::Abstract);
}

#[test]
fn weird_prompts_do_not_panic() {
    let long = "sunset ocean 🌅 ".repeat(2000 / 15);
    let prompts = [
        "",
        "   \t\n  ",
        "🦊🌲🌙✨",
        long.as_str(),
        "مدينة في الليل \u{202E}reversed\u{202C} \u{0000}\u{0007}\u{FEFF}",
        "ÅNGSTRÖM İSTANBUL ß ﬁ",
        &"x".repeat(2000),
    ];
    for (i, prompt) in prompts.iter().enumerate() {
        let jpeg = render_jpeg(&request(prompt, u64::MAX - i as u64, 256, 256, 8));
        assert!(jpeg.len() > 100);
    }
}

#[test]
fn out_of_range_steps_and_odd_sizes_are_handled() {
    for (w, h, steps) in [(1, 1, 0), (17, 33, 100), (256, 256, u32::MAX)] {
        let img = render(&request("misty mountains", 0, w, h, steps));
        assert_eq!(img.pixels.len(), (w * h * 3) as usize);
    }
}
