//! Style words change how the picture is rendered, not what is in it.

use promptcanvas_offline::{RenderRequest, RgbImage, render};

fn draw(prompt: &str) -> RgbImage {
    render(&RenderRequest {
        prompt,
        seed: 4,
        width: 192,
        height: 192,
        steps: 4,
    })
}

fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    let sum: f64 = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .map(|(x, y)| f64::from(x.abs_diff(*y)))
        .sum();
    sum / a.pixels.len() as f64
}

/// Mean of max - min channel: how colourful the picture is.
fn colourfulness(img: &RgbImage) -> f64 {
    let sum: f64 = img
        .pixels
        .chunks(3)
        .map(|p| f64::from(p.iter().max().unwrap() - p.iter().min().unwrap()))
        .sum();
    sum / (img.pixels.len() / 3) as f64
}

const STYLES: [&str; 9] = [
    "oil painting of",
    "watercolor of",
    "pencil sketch of",
    "pixel art of",
    "low poly",
    "anime style",
    "cinematic photo of",
    "vintage film photo of",
    "neon",
];

#[test]
fn every_style_changes_the_picture_and_no_two_look_alike() {
    let plain = draw("a red car by a lighthouse");
    let styled: Vec<RgbImage> = STYLES
        .iter()
        .map(|s| draw(&format!("{s} a red car by a lighthouse")))
        .collect();
    for (s, img) in STYLES.iter().zip(&styled) {
        let d = mean_difference(&plain, img);
        assert!(d > 4.0, "{s:?} differs from no style by only {d:.1}");
    }
    for i in 0..styled.len() {
        for j in i + 1..styled.len() {
            let d = mean_difference(&styled[i], &styled[j]);
            assert!(
                d > 3.0,
                "{:?} and {:?} differ by only {d:.1}",
                STYLES[i],
                STYLES[j]
            );
        }
    }
}

#[test]
fn pixel_art_is_made_of_square_blocks() {
    let img = draw("pixel art of a castle");
    let w = img.width as usize;
    let same = |a: usize, b: usize| {
        let (pa, pb) = (&img.pixels[a * 3..a * 3 + 3], &img.pixels[b * 3..b * 3 + 3]);
        pa.iter().zip(pb).all(|(x, y)| x.abs_diff(*y) <= 12)
    };
    let pairs = (0..w - 1).filter(|&x| x % 2 == 0).count();
    let alike = (0..w - 1)
        .filter(|&x| x % 2 == 0)
        .filter(|&x| same(100 * w + x, 100 * w + x + 1))
        .count();
    assert!(
        alike * 10 >= pairs * 8,
        "only {alike} of {pairs} neighbours alike"
    );
}

#[test]
fn sketches_and_monochrome_are_nearly_grey() {
    for prompt in ["pencil sketch of a red car", "a monochrome red car"] {
        let c = colourfulness(&draw(prompt));
        assert!(c < 12.0, "{prompt:?} is too colourful: {c:.1}");
    }
    assert!(colourfulness(&draw("a red car")) > 20.0);
}

#[test]
fn every_style_copes_with_tiny_and_thin_pictures() {
    for style in STYLES {
        let prompt = format!("{style} a cat, a castle and a red car on a table");
        for (w, h) in [(1, 1), (2, 3), (1, 40), (40, 1), (17, 9)] {
            let img = render(&RenderRequest {
                prompt: &prompt,
                seed: 1,
                width: w,
                height: h,
                steps: 8,
            });
            assert_eq!(
                img.pixels.len(),
                (w * h * 3) as usize,
                "{prompt:?} at {w}×{h}"
            );
        }
    }
}
