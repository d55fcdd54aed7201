//! What images cost: each model's price per megapixel, recorded with every
//! image and draft when it is made (a later price change rewrites nothing)
//! and counted, in millionths of a dollar, against the month's budget.

use super::ModelSpec;

/// What one `width` × `height` image of `model` costs, in millionths of a
/// dollar: width × height / 10⁶ × the price per megapixel.
pub fn image_micros(model: &ModelSpec, width: u32, height: u32) -> u64 {
    let micros = f64::from(width) * f64::from(height) * model.price_per_megapixel_usd;
    if micros.is_finite() && micros > 0.0 {
        micros.round() as u64
    } else {
        0
    }
}

/// Millionths of a dollar as dollars, for the API.
pub fn usd(micros: u64) -> f64 {
    micros as f64 / 1_000_000.0
}

/// Dollars as millionths of a dollar (a budget setting).
pub fn micros(usd: f64) -> u64 {
    if usd.is_finite() && usd > 0.0 {
        (usd * 1_000_000.0).round() as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generation::together::default_models;

    #[test]
    fn an_image_costs_its_megapixels_at_the_models_price() {
        let schnell = &default_models()[0];
        assert_eq!(schnell.price_per_megapixel_usd, 0.0027);
        // 1024 × 1024 = 1.048576 MP × $0.0027 = $0.00283115…
        assert_eq!(image_micros(schnell, 1024, 1024), 2831);
        assert_eq!(image_micros(schnell, 512, 512), 708);
        let free = crate::generation::OfflineProvider::new();
        let offline = &crate::generation::ImageProvider::models(&free)[0];
        assert_eq!(image_micros(offline, 1440, 1440), 0);
        assert_eq!(usd(2831), 0.002831);
        assert_eq!(micros(5.0), 5_000_000);
        assert_eq!(micros(-1.0), 0);
    }
}
