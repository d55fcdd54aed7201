//! The image pipeline: untrusted bytes in, a checked original plus thumbnail out.
//!
//! Whatever a provider returns is treated as hostile: the format is sniffed
//! from magic bytes and the dimensions read from the header before anything is
//! decoded, so an oversized or lying file is refused cheaply. JPEGs are decoded
//! at reduced scale (libjpeg-turbo's DCT scaling) close to thumbnail size,
//! which skips most of the decoding work.

use bytes::Bytes;
use fast_image_resize::{
    PixelType, ResizeAlg, ResizeOptions, Resizer, images::Image as ResizeImage,
};

pub use crate::store::media::ImageFormat;

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_MAX_SIDE: u32 = 512;
const THUMBNAIL_QUALITY: u8 = 82;
/// No single side beyond this, whatever the pixel budget says.
const MAX_SIDE: u32 = 16_384;

/// The `image` crate's name for a format we accept.
fn image_crate_format(format: ImageFormat) -> image::ImageFormat {
    match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Webp => image::ImageFormat::WebP,
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("not a JPEG, PNG or WebP image")]
    UnknownFormat,
    #[error("image of {width}×{height} is larger than allowed")]
    TooLarge { width: u32, height: u32 },
    #[error("image is damaged: {0}")]
    Corrupt(String),
}

/// An image ready to store: the original bytes exactly as received, and a thumbnail.
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    pub original: Bytes,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub thumbnail: Bytes,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    /// The image's average colour as `#rrggbb`, painted while the thumbnail loads.
    pub placeholder: String,
}

/// Validates `bytes` and makes the thumbnail and placeholder. CPU-bound: call
/// it from a blocking task.
pub fn process(bytes: Bytes, max_pixels: u64) -> Result<ProcessedImage, ImageError> {
    let format = ImageFormat::sniff(&bytes).ok_or(ImageError::UnknownFormat)?;
    let (width, height) = header_dimensions(&bytes, format)?;
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > max_pixels
    {
        return Err(ImageError::TooLarge { width, height });
    }
    let (thumbnail_width, thumbnail_height) = thumbnail_size(width, height);
    let decoded = match format {
        ImageFormat::Jpeg => decode_jpeg_near(&bytes, thumbnail_width, thumbnail_height)?,
        ImageFormat::Png | ImageFormat::Webp => {
            decode_with_image_crate(&bytes, format, max_pixels)?
        }
    };
    let thumbnail = resize(decoded, thumbnail_width, thumbnail_height)?;
    let placeholder = average_colour(&thumbnail);
    let encoded = encode_jpeg(
        &thumbnail,
        thumbnail_width,
        thumbnail_height,
        THUMBNAIL_QUALITY,
    )?;
    Ok(ProcessedImage {
        original: bytes,
        format,
        width,
        height,
        thumbnail: Bytes::from(encoded),
        thumbnail_width,
        thumbnail_height,
        placeholder,
    })
}

/// Thumbnail dimensions: long side at most [`THUMBNAIL_MAX_SIDE`], aspect kept.
pub fn thumbnail_size(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= THUMBNAIL_MAX_SIDE {
        return (width, height);
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(THUMBNAIL_MAX_SIDE) + u64::from(long) / 2) / u64::from(long))
            .max(1) as u32
    };
    (scale(width), scale(height))
}

fn header_dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImageError> {
    match format {
        ImageFormat::Jpeg => {
            let header = turbojpeg::read_header(bytes)
                .map_err(|error| ImageError::Corrupt(error.to_string()))?;
            Ok((header.width as u32, header.height as u32))
        }
        ImageFormat::Png | ImageFormat::Webp => {
            image::ImageReader::with_format(std::io::Cursor::new(bytes), image_crate_format(format))
                .into_dimensions()
                .map_err(|error| ImageError::Corrupt(error.to_string()))
        }
    }
}

/// RGB8 pixels with their dimensions.
struct Rgb {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

/// Decodes a JPEG with libjpeg-turbo's DCT scaling (in eighths) as far down as
/// possible while staying at least as large as the target: most of the
/// decoding work is skipped, and any warning (e.g. truncated data) is an error.
fn decode_jpeg_near(
    bytes: &[u8],
    target_width: u32,
    target_height: u32,
) -> Result<Rgb, ImageError> {
    let corrupt = |error: turbojpeg::Error| ImageError::Corrupt(error.to_string());
    let mut decompressor = turbojpeg::Decompressor::new().map_err(corrupt)?;
    let header = decompressor.read_header(bytes).map_err(corrupt)?;
    let factor = (1..=8)
        .map(|eighths| turbojpeg::ScalingFactor::new(eighths, 8))
        .find(|factor| {
            let scaled = header.scaled(*factor);
            scaled.width as u32 >= target_width && scaled.height as u32 >= target_height
        })
        .unwrap_or(turbojpeg::ScalingFactor::ONE);
    decompressor.set_scaling_factor(factor).map_err(corrupt)?;
    let scaled = header.scaled(factor);
    let mut image = turbojpeg::Image {
        pixels: vec![0u8; 3 * scaled.width * scaled.height],
        width: scaled.width,
        pitch: 3 * scaled.width,
        height: scaled.height,
        format: turbojpeg::PixelFormat::RGB,
    };
    decompressor
        .decompress(bytes, image.as_deref_mut())
        .map_err(corrupt)?;
    Ok(Rgb {
        width: scaled.width as u32,
        height: scaled.height as u32,
        pixels: image.pixels,
    })
}

fn decode_with_image_crate(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
) -> Result<Rgb, ImageError> {
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image_crate_format(format));
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|error| ImageError::Corrupt(error.to_string()))?
        .into_rgb8();
    Ok(Rgb {
        width: decoded.width(),
        height: decoded.height(),
        pixels: decoded.into_raw(),
    })
}

fn resize(source: Rgb, width: u32, height: u32) -> Result<Rgb, ImageError> {
    if source.width == width && source.height == height {
        return Ok(source);
    }
    let source_image =
        ResizeImage::from_vec_u8(source.width, source.height, source.pixels, PixelType::U8x3)
            .map_err(|error| ImageError::Corrupt(error.to_string()))?;
    let mut target = ResizeImage::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(
            &source_image,
            &mut target,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(
                fast_image_resize::FilterType::Bilinear,
            )),
        )
        .map_err(|error| ImageError::Corrupt(error.to_string()))?;
    Ok(Rgb {
        width,
        height,
        pixels: target.into_vec(),
    })
}

fn average_colour(image: &Rgb) -> String {
    let mut sums = [0u64; 3];
    for pixel in image.pixels.chunks_exact(3) {
        for (sum, &channel) in sums.iter_mut().zip(pixel) {
            *sum += u64::from(channel);
        }
    }
    let count = (image.pixels.len() / 3).max(1) as u64;
    format!(
        "#{:02x}{:02x}{:02x}",
        sums[0] / count,
        sums[1] / count,
        sums[2] / count
    )
}

fn encode_jpeg(image: &Rgb, width: u32, height: u32, quality: u8) -> Result<Vec<u8>, ImageError> {
    let failed = |error: turbojpeg::Error| ImageError::Corrupt(error.to_string());
    let mut compressor = turbojpeg::Compressor::new().map_err(failed)?;
    compressor.set_quality(i32::from(quality)).map_err(failed)?;
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .map_err(failed)?;
    compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: image.pixels.as_slice(),
            width: width as usize,
            pitch: 3 * width as usize,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Bytes {
        let pixels: Vec<u8> = (0..width * height)
            .flat_map(|i| [(i % 251) as u8, 90, 200])
            .collect();
        let rgb = Rgb {
            width,
            height,
            pixels,
        };
        Bytes::from(encode_jpeg(&rgb, width, height, 90).unwrap())
    }

    #[test]
    fn a_jpeg_gets_a_thumbnail_with_the_long_side_at_most_512() {
        let processed = process(jpeg(1024, 768), 4096 * 4096).unwrap();
        assert_eq!((processed.width, processed.height), (1024, 768));
        assert_eq!(
            (processed.thumbnail_width, processed.thumbnail_height),
            (512, 384)
        );
        assert_eq!(
            ImageFormat::sniff(&processed.thumbnail),
            Some(ImageFormat::Jpeg)
        );
        assert!(processed.placeholder.starts_with('#') && processed.placeholder.len() == 7);
    }

    #[test]
    fn odd_sizes_are_resized_exactly() {
        let processed = process(jpeg(1344, 768), 4096 * 4096).unwrap();
        assert_eq!(
            (processed.thumbnail_width, processed.thumbnail_height),
            (512, 293)
        );
        let (w, h) = header_dimensions(&processed.thumbnail, ImageFormat::Jpeg).unwrap();
        assert_eq!((w, h), (512, 293));
    }

    #[test]
    fn small_images_keep_their_size() {
        let processed = process(jpeg(256, 256), 4096 * 4096).unwrap();
        assert_eq!(
            (processed.thumbnail_width, processed.thumbnail_height),
            (256, 256)
        );
    }

    #[test]
    fn text_labelled_as_an_image_is_refused() {
        assert_eq!(
            process(Bytes::from_static(b"<html>not an image</html>"), 1 << 24).unwrap_err(),
            ImageError::UnknownFormat
        );
    }

    #[test]
    fn images_over_the_pixel_budget_are_refused_before_decoding() {
        assert_eq!(
            process(jpeg(512, 512), 256 * 256).unwrap_err(),
            ImageError::TooLarge {
                width: 512,
                height: 512
            }
        );
    }

    #[test]
    fn a_truncated_jpeg_is_reported_as_damaged() {
        let whole = jpeg(512, 512);
        let cut = whole.slice(..whole.len() / 3);
        assert!(matches!(process(cut, 1 << 24), Err(ImageError::Corrupt(_))));
    }

    #[test]
    fn png_is_accepted_and_kept_as_png() {
        let mut png = Vec::new();
        image::RgbImage::from_pixel(600, 300, image::Rgb([10, 20, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let processed = process(Bytes::from(png), 1 << 24).unwrap();
        assert_eq!(processed.format, ImageFormat::Png);
        assert_eq!(
            (processed.thumbnail_width, processed.thumbnail_height),
            (512, 256)
        );
        assert_eq!(processed.placeholder, "#0a141e");
    }
}
