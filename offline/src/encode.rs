//! JPEG encoding: baseline, quality 88, 4:2:0 chroma subsampling, the size and
//! look every provider in the app delivers.

use jpeg_encoder::{Encoder, ImageBuffer, JpegColorType, SamplingFactor};

pub const QUALITY: u8 = 88;

/// Encodes packed RGB8 with the encoder's own colour conversion; the tests
/// check that [`jpeg_planes`] gives the same bytes.
#[cfg(test)]
pub fn jpeg(pixels: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = Encoder::new(&mut out, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode(
            pixels,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("JPEG encoding into memory cannot fail for valid dimensions");
    out
}

/// Encodes a frame already split into full-resolution Y, Cb and Cr planes
/// (as [`crate::post::finish_ycbcr`] makes them). The bytes are the same as
/// encoding the RGB frame the planes were converted from. The encoder writes
/// into a `Vec`, so the only failures are dimensions JPEG cannot express,
/// which `render` already rules out.
pub fn jpeg_planes(planes: &[Vec<u8>; 3], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(planes[0].len() / 3);
    let mut encoder = Encoder::new(&mut out, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode_image(Planes {
            planes,
            width: width as u16,
            height: height as u16,
        })
        .expect("JPEG encoding into memory cannot fail for valid dimensions");
    out
}

struct Planes<'a> {
    planes: &'a [Vec<u8>; 3],
    width: u16,
    height: u16,
}

impl ImageBuffer for Planes<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        JpegColorType::Ycbcr
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let w = usize::from(self.width);
        let row = usize::from(y) * w..(usize::from(y) + 1) * w;
        for (buffer, plane) in buffers.iter_mut().zip(self.planes) {
            buffer.extend_from_slice(&plane[row.clone()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::RenderRequest;

    /// The planes path must give the bytes of encoding the RGB frame, at sizes
    /// that are and are not multiples of the 16-pixel blocks of 4:2:0.
    #[test]
    fn planes_encode_as_the_rgb_frame_does() {
        let prompts = [
            "sunset over the ocean with mountains, oil painting",
            "portrait of an astronaut cat, studio lighting",
            "neon cyberpunk city street at night",
        ];
        for (prompt, (width, height)) in prompts.iter().zip([(256, 256), (123, 77), (40, 301)]) {
            let req = RenderRequest {
                prompt,
                seed: 5,
                width,
                height,
                steps: 3,
            };
            let image = crate::render(&req);
            let rgb = super::jpeg(&image.pixels, image.width, image.height);
            assert!(
                rgb == crate::render_jpeg(&req),
                "{prompt} at {width}x{height}"
            );
        }
    }
}
