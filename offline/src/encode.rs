//! JPEG encoding: baseline, quality 88, 4:2:0 chroma subsampling, the size and
//! look every provider in the app delivers.

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

pub const QUALITY: u8 = 88;

/// Encodes packed RGB8. The encoder writes into a `Vec`, so the only failures
/// are dimensions JPEG cannot express, which `render` already rules out.
pub fn jpeg(pixels: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = Encoder::new(&mut out, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode(pixels, width as u16, height as u16, ColorType::Rgb)
        .expect("JPEG encoding into memory cannot fail for valid dimensions");
    out
}
