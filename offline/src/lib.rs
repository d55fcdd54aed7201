//! The offline preview engine: the image generator every new user sees first,
//! when no cloud key is configured.
//!
//! It is a pure function of `(prompt, seed, width, height, steps)`: the prompt
//! is read into a [`Plan`] ([`understand`]) of scene, subjects, colours, style
//! and time; the plan chooses the palette ([`palette_from_plan`]), the
//! background and the subjects to draw; the seed chooses the composition,
//! `steps` the amount of detail. Everything is single-threaded with our own
//! seeded random numbers, so equal inputs give byte-identical JPEGs.

mod canvas;
mod color;
mod encode;
mod noise;
mod palette;
mod post;
mod rng;
mod scene;
mod style;
mod understand;

pub use color::Rgb;
pub use palette::{Palette, palette_for, palette_from_plan};
pub use scene::subjects::Placement;
pub use understand::{
    COLORS, Family, Kind, Mood, Motifs, Plan, SceneKind, Style, Subject, TimeOfDay, understand,
};

/// Largest side we render; beyond this JPEG headers and memory get silly.
const MAX_SIDE: u32 = 8192;

/// What to draw.
#[derive(Clone, Copy, Debug)]
pub struct RenderRequest<'a> {
    pub prompt: &'a str,
    pub seed: u64,
    pub width: u32,
    pub height: u32,
    /// Detail level, 1..=8; values outside are clamped.
    pub steps: u32,
}

/// Packed RGB8 pixels, row-major, top row first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RgbImage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Renders the picture the request describes.
pub fn render(req: &RenderRequest<'_>) -> RgbImage {
    render_with_placements(req).0
}

/// Renders the picture and tells where each subject of the plan was drawn,
/// for checking a picture shows what the prompt asked for.
pub fn render_with_placements(req: &RenderRequest<'_>) -> (RgbImage, Vec<Placement>) {
    let (frame, placed) = paint(req);
    let image = RgbImage {
        width: frame.w as u32,
        height: frame.h as u32,
        pixels: post::finish(&frame, req.seed),
    };
    (image, placed)
}

/// Everything before the finishing pass: the painted, styled f32 frame.
fn paint(req: &RenderRequest<'_>) -> (canvas::Canvas, Vec<Placement>) {
    let (mut frame, plan, placed) = paint_scene(req);
    finish_style(&mut frame, &plan, &placed, req);
    (frame, placed)
}

/// The scene and its subjects, before any style.
fn paint_scene(req: &RenderRequest<'_>) -> (canvas::Canvas, Plan, Vec<Placement>) {
    let width = req.width.clamp(1, MAX_SIDE);
    let height = req.height.clamp(1, MAX_SIDE);
    let plan = understand(req.prompt);
    let palette = palette_from_plan(&plan);
    let mut frame = canvas::Canvas::new(width as usize, height as usize);
    let placed = scene::paint(&mut frame, &plan, &palette, req.seed, req.steps);
    (frame, plan, placed)
}

/// The style pass and the monochrome mood.
fn finish_style(
    frame: &mut canvas::Canvas,
    plan: &Plan,
    placed: &[Placement],
    req: &RenderRequest<'_>,
) {
    style::apply(frame, plan.style, placed, req.steps, req.seed as u32);
    if plan.mood == Some(Mood::Monochrome) {
        style::monochrome(frame);
    }
}

/// Renders and encodes as a baseline JPEG (quality 88, 4:2:0). The bytes are
/// those of encoding [`render`]'s RGB image; the finishing pass hands the
/// encoder its colour planes directly.
pub fn render_jpeg(req: &RenderRequest<'_>) -> Vec<u8> {
    let (mut frame, plan, placed) = paint_scene(req);
    let planes = if plan.style == Style::Oil && plan.mood != Some(Mood::Monochrome) {
        // Oil paint is the last pass over the frame: each painted row goes
        // straight to finishing, while it is still in cache.
        let mut planes = post::Planes::new(frame.w, frame.h, req.seed);
        style::oil_rows(&mut frame, req.steps, req.seed as u32, |y, row| {
            planes.row(y, row)
        });
        planes.planes
    } else {
        finish_style(&mut frame, &plan, &placed, req);
        post::finish_ycbcr(&frame, req.seed)
    };
    encode::jpeg_planes(&planes, frame.w as u32, frame.h as u32)
}
