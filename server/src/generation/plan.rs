//! Turning a client's generation request into a checked plan, before any work.
//!
//! Every field is checked against the chosen model's limits and all problems
//! are reported at once, so a form can mark every bad field in one round trip.

use serde::{Deserialize, Deserializer, Serialize, de};
use utoipa::ToSchema;

use super::{ModelSpec, Style, style};
use crate::text::{FORBIDDEN_IN_PROMPTS, FieldError, WHITESPACE, is_in, regex_class};

/// Largest seed: seeds stay exact in JavaScript numbers and in every provider.
pub const MAX_SEED: u64 = u32::MAX as u64;

/// The body of `POST /api/generations`. Only `prompt` is required.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenerationRequest {
    pub prompt: String,
    #[serde(default)]
    pub negative_prompt: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default, deserialize_with = "whole_number")]
    pub width: Option<i64>,
    #[serde(default, deserialize_with = "whole_number")]
    pub height: Option<i64>,
    #[serde(default, deserialize_with = "whole_number")]
    pub steps: Option<i64>,
    /// The first image's seed; image `i` gets `seed + i`. Random when left out.
    #[serde(default, deserialize_with = "whole_number")]
    pub seed: Option<i64>,
    /// How many images, 1 to the model's `max_images`.
    #[serde(default, deserialize_with = "whole_number")]
    pub n: Option<i64>,
    #[serde(default)]
    pub style: Option<String>,
}

/// A JSON number that is a whole number, `4.0` included (JSON Schema counts
/// it as an integer, so the API does too), or null.
pub(crate) fn whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    struct WholeNumber;
    impl<'de> de::Visitor<'de> for WholeNumber {
        type Value = Option<i64>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            i64::try_from(value)
                .map(Some)
                .map_err(|_| E::custom("the number is too large"))
        }
        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            // 2^63 is the first float past i64's range.
            if value.fract() == 0.0 && value.abs() < 2f64.powi(63) {
                Ok(Some(value as i64))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(value), &self))
            }
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_any(self)
        }
    }
    deserializer.deserialize_option(WholeNumber)
}

/// The API document's `pattern` for `prompt`: some visible text, nothing
/// [`check_text`] refuses.
pub fn prompt_pattern() -> String {
    let forbidden = regex_class(&[FORBIDDEN_IN_PROMPTS]);
    let forbidden_or_space = regex_class(&[FORBIDDEN_IN_PROMPTS, WHITESPACE]);
    format!("^[^{forbidden}]*[^{forbidden_or_space}][^{forbidden}]*$")
}

/// The API document's `pattern` for `negative_prompt`: anything
/// [`check_text`] accepts when some offered model takes one, else only space
/// (which counts as no negative prompt).
pub fn negative_prompt_pattern(some_model_takes_one: bool) -> String {
    if some_model_takes_one {
        return format!("^[^{}]*$", regex_class(&[FORBIDDEN_IN_PROMPTS]));
    }
    let allowed_space: Vec<_> = WHITESPACE
        .iter()
        .flat_map(|range| range.clone())
        .filter(|c| !is_in(FORBIDDEN_IN_PROMPTS, *c))
        .map(|c| c..=c)
        .collect();
    format!("^[{}]*$", regex_class(&[&allowed_space]))
}

/// A request that passed every check, with every default filled in.
#[derive(Debug, Clone)]
pub struct GenerationPlan {
    pub model: ModelSpec,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub style: &'static Style,
    /// One per image, in order.
    pub seeds: Vec<u64>,
}

impl GenerationPlan {
    /// The prompt the provider sees: the user's words, then the style's.
    pub fn provider_prompt(&self) -> String {
        if self.style.prompt_suffix.is_empty() {
            self.prompt.clone()
        } else {
            format!("{}, {}", self.prompt, self.style.prompt_suffix)
        }
    }
}

/// Checks `request` against `models` (the first is the default). `random_seed`
/// is called only when the request names no seed.
pub fn plan(
    request: &GenerationRequest,
    models: &[ModelSpec],
    prompt_max_chars: usize,
    random_seed: impl FnOnce() -> u64,
) -> Result<GenerationPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| errors.push(FieldError::new(field, message));

    let model = match &request.model {
        None => models.first(),
        Some(id) => models.iter().find(|model| &model.id == id),
    };
    let Some(model) = model else {
        let known: Vec<&str> = models.iter().map(|model| model.id.as_str()).collect();
        fail(
            "model",
            format!("unknown model; choose one of: {}", known.join(", ")),
        );
        return Err(errors);
    };

    // The rules apply to the text as sent (so the API document can state
    // them); what is kept is the text without its surrounding space.
    let prompt = request.prompt.trim();
    if let Err(message) = check_text(&request.prompt, prompt_max_chars) {
        fail("prompt", message);
    } else if prompt.is_empty() {
        fail("prompt", "must not be empty".into());
    }

    let negative_prompt = match request.negative_prompt.as_deref() {
        None => None,
        Some(text) => match check_text(text, prompt_max_chars) {
            Err(message) => {
                fail("negative_prompt", message);
                None
            }
            Ok(()) => Some(text.trim()).filter(|text| !text.is_empty()),
        },
    };
    if negative_prompt.is_some() && !model.negative_prompt {
        fail(
            "negative_prompt",
            format!("{} does not take a negative prompt", model.label),
        );
    }

    let default_side = |range: super::SizeRange| {
        let side = 1024u32.clamp(range.min, range.max);
        side - side % range.multiple_of
    };
    let mut size = |field: &str, value: Option<i64>, range: super::SizeRange| match value {
        None => default_side(range),
        Some(value) if u32::try_from(value).is_ok_and(|value| range.accepts(value)) => value as u32,
        Some(_) => {
            fail(
                field,
                format!(
                    "must be between {} and {} and a multiple of {}",
                    range.min, range.max, range.multiple_of
                ),
            );
            0
        }
    };
    let width = size("width", request.width, model.width);
    let height = size("height", request.height, model.height);

    let steps = match request.steps {
        None => model.steps.default,
        Some(steps)
            if (i64::from(model.steps.min)..=i64::from(model.steps.max)).contains(&steps) =>
        {
            steps as u32
        }
        Some(_) => {
            fail(
                "steps",
                format!(
                    "must be between {} and {}",
                    model.steps.min, model.steps.max
                ),
            );
            0
        }
    };

    let count = match request.n {
        None => 1,
        Some(n) if (1..=i64::from(model.max_images)).contains(&n) => n as u32,
        Some(_) => {
            fail("n", format!("must be between 1 and {}", model.max_images));
            0
        }
    };

    let first_seed = match request.seed {
        None => None,
        Some(seed) if (0..=MAX_SEED as i64).contains(&seed) => Some(seed as u64),
        Some(_) => {
            fail("seed", format!("must be between 0 and {MAX_SEED}"));
            None
        }
    };

    let style_id = request.style.as_deref().unwrap_or("none");
    let chosen_style = style(style_id);
    if chosen_style.is_none() {
        fail("style", "unknown style".into());
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let first_seed = first_seed.unwrap_or_else(|| random_seed() % (MAX_SEED + 1));
    Ok(GenerationPlan {
        model: model.clone(),
        prompt: prompt.to_owned(),
        negative_prompt: negative_prompt.map(str::to_owned),
        width,
        height,
        steps,
        style: chosen_style.expect("checked above"),
        seeds: (0..u64::from(count))
            .map(|index| (first_seed + index) % (MAX_SEED + 1))
            .collect(),
    })
}

/// Prompt text rules: a length limit, and no invisible control or
/// direction-override characters (they can disguise what a prompt says).
fn check_text(text: &str, max_chars: usize) -> Result<(), String> {
    if text.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    if text.chars().any(|c| is_in(FORBIDDEN_IN_PROMPTS, c)) {
        return Err("must not contain control or text-direction override characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generation::ImageProvider;
    use crate::generation::OfflineProvider;

    fn request(prompt: &str) -> GenerationRequest {
        GenerationRequest {
            prompt: prompt.into(),
            negative_prompt: None,
            model: None,
            width: None,
            height: None,
            steps: None,
            seed: None,
            n: None,
            style: None,
        }
    }

    fn check(request: &GenerationRequest) -> Result<GenerationPlan, Vec<FieldError>> {
        plan(request, OfflineProvider::new().models(), 2000, || 7)
    }

    #[test]
    fn defaults_come_from_the_model() {
        let plan = check(&request("  a lighthouse  ")).unwrap();
        assert_eq!(plan.prompt, "a lighthouse");
        assert_eq!((plan.width, plan.height, plan.steps), (1024, 1024, 4));
        assert_eq!(plan.seeds, vec![7]);
        assert_eq!(plan.style.id, "none");
    }

    #[test]
    fn each_image_gets_the_request_seed_plus_its_index() {
        let plan = check(&GenerationRequest {
            seed: Some(MAX_SEED as i64 - 1),
            n: Some(3),
            ..request("x")
        })
        .unwrap();
        assert_eq!(plan.seeds, vec![MAX_SEED - 1, MAX_SEED, 0]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = check(&GenerationRequest {
            width: Some(1000),
            height: Some(4096),
            steps: Some(0),
            n: Some(5),
            seed: Some(-1),
            style: Some("nope".into()),
            negative_prompt: Some("blur".into()),
            ..request("")
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "prompt",
                "negative_prompt",
                "width",
                "height",
                "steps",
                "n",
                "seed",
                "style"
            ]
        );
    }

    #[test]
    fn direction_overrides_and_control_characters_are_refused() {
        assert!(check(&request("safe \u{202E}txt.exe")).is_err());
        assert!(check(&request("bell\u{7}")).is_err());
        assert!(check(&request("two\nlines\tand tabs, and عربي")).is_ok());
    }

    #[test]
    fn style_words_are_added_for_the_provider_only() {
        let plan = check(&GenerationRequest {
            style: Some("watercolor".into()),
            ..request("a fox")
        })
        .unwrap();
        assert_eq!(plan.prompt, "a fox");
        assert!(plan.provider_prompt().starts_with("a fox, watercolour"));
    }
}
