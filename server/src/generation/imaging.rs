//! The image pipeline: untrusted bytes in, a checked original plus thumbnail out.
//!
//! Whatever a provider returns is treated as hostile: the format is sniffed
//! from magic bytes and the dimensions read from the header before anything is
//! decoded, so an oversized or lying file is refused cheaply. JPEGs are decoded
//! at reduced scale (libjpeg-turbo's DCT scaling) close to thumbnail size,
//! which skips most of the decoding work; when that scale is the thumbnail's
//! size, the decoded YCbCr planes are encoded as they are.

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
    let (encoded, placeholder) = match format {
        ImageFormat::Jpeg => jpeg_thumbnail(&bytes, thumbnail_width, thumbnail_height)?,
        ImageFormat::Png | ImageFormat::Webp => {
            let decoded = decode_with_image_crate(&bytes, format, max_pixels)?;
            rgb_thumbnail(decoded, thumbnail_width, thumbnail_height)?
        }
    };
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
            let header =
                with_codecs(|codecs| codecs.decompressor.read_header(bytes).map_err(corrupt))?;
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

/// The JPEG thumbnail (encoded) and placeholder of decoded RGB pixels.
fn rgb_thumbnail(decoded: Rgb, width: u32, height: u32) -> Result<(Vec<u8>, String), ImageError> {
    let thumbnail = resize(decoded, width, height)?;
    let placeholder = average_colour(&thumbnail);
    let encoded = with_codecs(|codecs| encode_jpeg(&mut codecs.compressor, &thumbnail))?;
    Ok((encoded, placeholder))
}

/// libjpeg-turbo's decompressor and compressor, kept per thread: every
/// image would otherwise set both up afresh.
struct Codecs {
    decompressor: turbojpeg::Decompressor,
    compressor: turbojpeg::Compressor,
}

thread_local! {
    static CODECS: std::cell::RefCell<Option<Codecs>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` with this thread's codecs. A failure drops them, so no
/// state a damaged image left behind reaches the next one.
fn with_codecs<T>(
    work: impl FnOnce(&mut Codecs) -> Result<T, ImageError>,
) -> Result<T, ImageError> {
    CODECS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let codecs = match cell.as_mut() {
            Some(codecs) => codecs,
            None => cell.insert(Codecs {
                decompressor: turbojpeg::Decompressor::new().map_err(corrupt)?,
                compressor: turbojpeg::Compressor::new().map_err(corrupt)?,
            }),
        };
        let result = work(codecs);
        if result.is_err() {
            *cell = None;
        }
        result
    })
}

fn corrupt(error: turbojpeg::Error) -> ImageError {
    ImageError::Corrupt(error.to_string())
}

/// Validates a JPEG by decoding it with libjpeg-turbo's DCT scaling (in
/// eighths) as far down as possible while staying at least as large as the
/// thumbnail: every scan is still read, most of the decoding work is
/// skipped, and any warning (e.g. truncated data) is an error. Returns the
/// encoded thumbnail and the placeholder.
///
/// When the scaled image is the thumbnail's size (a 1024 px image at ½)
/// and the JPEG is YCbCr 4:2:0 or greyscale, the planes go from decoder to
/// encoder as they are: no colour conversion, chroma upsampling or
/// downsampling, and no resize.
fn jpeg_thumbnail(
    bytes: &[u8],
    target_width: u32,
    target_height: u32,
) -> Result<(Vec<u8>, String), ImageError> {
    let decoded = with_codecs(|codecs| {
        let header = codecs.decompressor.read_header(bytes).map_err(corrupt)?;
        let factor = (1..=8)
            .map(|eighths| turbojpeg::ScalingFactor::new(eighths, 8))
            .find(|factor| {
                let scaled = header.scaled(*factor);
                scaled.width as u32 >= target_width && scaled.height as u32 >= target_height
            })
            .unwrap_or(turbojpeg::ScalingFactor::ONE);
        codecs
            .decompressor
            .set_scaling_factor(factor)
            .map_err(corrupt)?;
        let scaled = header.scaled(factor);
        let planes_fit = (scaled.width as u32, scaled.height as u32)
            == (target_width, target_height)
            && matches!(
                (header.colorspace, header.subsamp),
                (turbojpeg::Colorspace::YCbCr, turbojpeg::Subsamp::Sub2x2)
                    | (turbojpeg::Colorspace::Gray, turbojpeg::Subsamp::Gray)
            );
        if planes_fit {
            let mut planes = turbojpeg::YuvImage {
                pixels: vec![
                    0u8;
                    turbojpeg::yuv_pixels_len(
                        scaled.width,
                        1,
                        scaled.height,
                        header.subsamp
                    )
                    .map_err(corrupt)?
                ],
                width: scaled.width,
                align: 1,
                height: scaled.height,
                subsamp: header.subsamp,
            };
            codecs
                .decompressor
                .decompress_to_yuv(bytes, planes.as_deref_mut())
                .map_err(corrupt)?;
            codecs
                .compressor
                .set_quality(i32::from(THUMBNAIL_QUALITY))
                .map_err(corrupt)?;
            let encoded = codecs
                .compressor
                .compress_yuv_to_vec(planes.as_deref())
                .map_err(corrupt)?;
            return Ok(Decoded::Thumbnail(encoded, planes_average_colour(&planes)));
        }
        let mut image = turbojpeg::Image {
            pixels: vec![0u8; 3 * scaled.width * scaled.height],
            width: scaled.width,
            pitch: 3 * scaled.width,
            height: scaled.height,
            format: turbojpeg::PixelFormat::RGB,
        };
        codecs
            .decompressor
            .decompress(bytes, image.as_deref_mut())
            .map_err(corrupt)?;
        Ok(Decoded::Rgb(Rgb {
            width: scaled.width as u32,
            height: scaled.height as u32,
            pixels: image.pixels,
        }))
    })?;
    match decoded {
        Decoded::Rgb(rgb) => rgb_thumbnail(rgb, target_width, target_height),
        Decoded::Thumbnail(encoded, placeholder) => Ok((encoded, placeholder)),
    }
}

/// What a scaled JPEG decode gave: the finished thumbnail and placeholder,
/// or pixels still to resize.
enum Decoded {
    Thumbnail(Vec<u8>, String),
    Rgb(Rgb),
}

/// The average colour of YCbCr (or greyscale) planes as `#rrggbb`: the
/// conversion to RGB is affine, so converting the planes' averages gives the
/// average of the converted pixels (up to clamping).
fn planes_average_colour(planes: &turbojpeg::YuvImage<Vec<u8>>) -> String {
    let average = |plane: &[u8]| {
        plane.iter().map(|&value| u64::from(value)).sum::<u64>() as f64 / plane.len().max(1) as f64
    };
    let luma_len = planes.y_width() * planes.y_height();
    let (luma, chroma) = planes.pixels.split_at(luma_len.min(planes.pixels.len()));
    let y = average(luma);
    let (cb, cr) = if chroma.is_empty() {
        (0.0, 0.0)
    } else {
        let (cb, cr) = chroma.split_at(chroma.len() / 2);
        (average(cb) - 128.0, average(cr) - 128.0)
    };
    let channel = |value: f64| value.round().clamp(0.0, 255.0) as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(y + 1.402 * cr),
        channel(y - 0.344_136 * cb - 0.714_136 * cr),
        channel(y + 1.772 * cb)
    )
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

fn encode_jpeg(compressor: &mut turbojpeg::Compressor, image: &Rgb) -> Result<Vec<u8>, ImageError> {
    compressor
        .set_quality(i32::from(THUMBNAIL_QUALITY))
        .map_err(corrupt)?;
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .map_err(corrupt)?;
    compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: image.pixels.as_slice(),
            width: image.width as usize,
            pitch: 3 * image.width as usize,
            height: image.height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Bytes {
        let pixels: Vec<u8> = (0..width * height)
            .flat_map(|i| [(i % 251) as u8, 90, 200])
            .collect();
        encode(&pixels, width, height, turbojpeg::PixelFormat::RGB)
    }

    fn encode(pixels: &[u8], width: u32, height: u32, format: turbojpeg::PixelFormat) -> Bytes {
        let subsamp = match format {
            turbojpeg::PixelFormat::GRAY => turbojpeg::Subsamp::Gray,
            _ => turbojpeg::Subsamp::Sub2x2,
        };
        let image = turbojpeg::Image {
            pixels,
            width: width as usize,
            pitch: format.size() * width as usize,
            height: height as usize,
            format,
        };
        Bytes::from(turbojpeg::compress(image, 90, subsamp).unwrap().to_vec())
    }

    /// A 4:2:0 JPEG of `width`×`height` in one colour.
    fn flat_jpeg(width: u32, height: u32, colour: [u8; 3]) -> Bytes {
        let pixels: Vec<u8> = (0..width * height).flat_map(|_| colour).collect();
        encode(&pixels, width, height, turbojpeg::PixelFormat::RGB)
    }

    fn hex_channels(placeholder: &str) -> [i32; 3] {
        [1, 3, 5].map(|at| i32::from_str_radix(&placeholder[at..at + 2], 16).unwrap())
    }

    #[test]
    fn a_1024_jpeg_goes_to_its_thumbnail_as_planes_with_the_same_placeholder() {
        // 1024 → 512 at ½ scale: the planes path. 1000 → 500 at ⅝ is 625,
        // then resized: the pixel path. Both must agree on the colour.
        let colour = [200, 120, 40];
        let planes = process(flat_jpeg(1024, 1024, colour), 1 << 24).unwrap();
        let pixels = process(flat_jpeg(1000, 1000, colour), 1 << 24).unwrap();
        assert_eq!(
            (planes.thumbnail_width, planes.thumbnail_height),
            (512, 512)
        );
        let (w, h) = header_dimensions(&planes.thumbnail, ImageFormat::Jpeg).unwrap();
        assert_eq!((w, h), (512, 512));
        for (a, b) in hex_channels(&planes.placeholder)
            .into_iter()
            .zip(hex_channels(&pixels.placeholder))
            .chain(
                hex_channels(&planes.placeholder)
                    .into_iter()
                    .zip(colour.map(i32::from)),
            )
        {
            assert!(
                (a - b).abs() <= 3,
                "{} vs {}",
                planes.placeholder,
                pixels.placeholder
            );
        }
    }

    #[test]
    fn a_greyscale_jpeg_gets_a_greyscale_thumbnail() {
        let pixels = vec![77u8; 1024 * 512];
        let grey = encode(&pixels, 1024, 512, turbojpeg::PixelFormat::GRAY);
        let processed = process(grey, 1 << 24).unwrap();
        assert_eq!(
            (processed.thumbnail_width, processed.thumbnail_height),
            (512, 256)
        );
        let channels = hex_channels(&processed.placeholder);
        assert!(
            channels.iter().all(|&c| (c - 77).abs() <= 2),
            "{}",
            processed.placeholder
        );
        let header = turbojpeg::read_header(&processed.thumbnail).unwrap();
        assert_eq!(header.subsamp, turbojpeg::Subsamp::Gray);
    }

    #[test]
    fn a_truncated_1024_jpeg_is_reported_as_damaged_on_the_planes_path() {
        let whole = jpeg(1024, 1024);
        let cut = whole.slice(..whole.len() / 2);
        assert!(matches!(process(cut, 1 << 24), Err(ImageError::Corrupt(_))));
        // The thread's codecs still serve the next image.
        assert!(process(jpeg(1024, 1024), 1 << 24).is_ok());
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
