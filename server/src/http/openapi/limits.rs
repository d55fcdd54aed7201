//! Every limit the server enforces on a request, written into the document
//! from the same constants, settings and character classes the validation
//! uses, so the document and the server cannot disagree about what is valid.

use serde_json::{Value, json};

use crate::{
    auth::{local, local::EMAIL_MAX_CHARS},
    gallery::bulk::MAX_IDS,
    generation::{
        ModelSpec, STYLES,
        plan::{MAX_SEED, negative_prompt_pattern, prompt_pattern},
    },
    http::headers::{IDEMPOTENCY_KEY_PATTERN, RUN_GROUP_PATTERN},
    http::routes::{
        auth::DISPLAY_NAME_MAX_CHARS,
        collections::{DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS},
        images::{MAX_PAGE_SIZE, SEARCH_MAX_CHARS},
    },
    http::state::AppState,
    operations::client_errors::{
        MESSAGE_MAX_CHARS, RELEASE_PATTERN, ROUTE_MAX_CHARS, STACK_MAX_CHARS,
    },
    text::{CONTROL, FORBIDDEN_IN_PROMPTS, WHITESPACE, regex_class},
};

/// What the limits depend on in this server's configuration.
pub struct RequestLimits<'a> {
    /// The models offered; the first is the default.
    pub models: &'a [ModelSpec],
    pub prompt_max_chars: usize,
}

impl<'a> RequestLimits<'a> {
    pub fn of(state: &'a AppState) -> Self {
        Self {
            models: state.provider.models(),
            prompt_max_chars: state.config.limits.prompt_max_chars,
        }
    }
}

pub fn apply(document: &mut Value, limits: &RequestLimits) {
    generation_request(document, limits);
    client_error_report(document);
    accounts(document);
    image_list(document);
    constrain(
        document,
        "BulkRequest",
        "ids",
        json!({ "minItems": 1, "maxItems": MAX_IDS }),
    );
    // The collection actions need the collection.
    merge(
        &mut document["components"]["schemas"]["BulkRequest"],
        json!({
            "if": {
                "properties": {
                    "action": { "enum": ["add_to_collection", "remove_from_collection"] }
                },
                "required": ["action"]
            },
            "then": {
                "properties": { "collection_id": { "type": "string" } },
                "required": ["collection_id"]
            }
        }),
    );
    collections(document);
}

/// Names of collections and API keys, and collection descriptions.
fn collections(document: &mut Value) {
    let name = json!({
        "minLength": 1,
        "maxLength": NAME_MAX_CHARS,
        // Not only space, and no control character anywhere.
        "pattern": format!(
            "^[^{control}]*[^{space}{control}][^{control}]*$",
            control = regex_class(&[CONTROL]),
            space = regex_class(&[WHITESPACE]),
        )
    });
    let description = json!({
        "maxLength": DESCRIPTION_MAX_CHARS,
        "pattern": format!("^[^{}]*$", regex_class(&[FORBIDDEN_IN_PROMPTS]))
    });
    for schema in ["NewCollectionRequest", "CollectionUpdate"] {
        constrain(document, schema, "name", name.clone());
        constrain(document, schema, "description", description.clone());
    }
    // API keys are named by the same rules.
    constrain(document, "NewApiKeyRequest", "name", name);
}

fn generation_request(document: &mut Value, limits: &RequestLimits) {
    let models = limits.models;
    let widest = |range: fn(&ModelSpec) -> (u32, u32, u32)| {
        let ranges = models.iter().map(range);
        let min = ranges.clone().map(|(min, _, _)| min).min().unwrap_or(0);
        let max = ranges.clone().map(|(_, max, _)| max).max().unwrap_or(0);
        let step = ranges.fold(0, |step, (_, _, multiple)| gcd(step, multiple));
        json!({ "minimum": min, "maximum": max, "multipleOf": step.max(1) })
    };
    let width = widest(|model| (model.width.min, model.width.max, model.width.multiple_of));
    let height = widest(|model| (model.height.min, model.height.max, model.height.multiple_of));
    let steps = widest(|model| (model.steps.min, model.steps.max, 1));
    let max_images = models.iter().map(|model| model.max_images).max();
    let takes_negative_prompt = models.iter().any(|model| model.negative_prompt);
    let mut model_ids: Vec<Value> = models.iter().map(|model| json!(model.id)).collect();
    model_ids.push(Value::Null);
    let mut style_ids: Vec<Value> = STYLES.iter().map(|style| json!(style.id)).collect();
    style_ids.push(Value::Null);

    let schema = "GenerationRequest";
    let text =
        |pattern: String| json!({ "maxLength": limits.prompt_max_chars, "pattern": pattern });
    constrain(document, schema, "prompt", text(prompt_pattern()));
    constrain(
        document,
        schema,
        "negative_prompt",
        text(negative_prompt_pattern(takes_negative_prompt)),
    );
    constrain(document, schema, "width", width);
    constrain(document, schema, "height", height);
    constrain(document, schema, "steps", steps);
    constrain(
        document,
        schema,
        "n",
        json!({ "minimum": 1, "maximum": max_images.unwrap_or(1) }),
    );
    constrain(
        document,
        schema,
        "seed",
        json!({ "minimum": 0, "maximum": MAX_SEED }),
    );
    constrain(document, schema, "model", json!({ "enum": model_ids }));
    constrain(document, schema, "style", json!({ "enum": style_ids }));

    // A draft takes a generation's body with one image at most.
    let mut draft = document["components"]["schemas"][schema].clone();
    draft["description"] = json!("The body of `POST /api/drafts`: a generation's, with `n` 1.");
    draft["properties"]["n"]["maximum"] = json!(1);
    draft["properties"]["n"]["description"] = json!("Leave out, or 1.");
    document["components"]["schemas"]["DraftRequest"] = draft;
    document["paths"]["/api/drafts"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        json!({ "$ref": "#/components/schemas/DraftRequest" });

    let operation = &mut document["paths"]["/api/generations"]["post"];
    constrain_parameter(
        operation,
        "Idempotency-Key",
        json!({ "type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN }),
    );
    constrain_parameter(
        operation,
        "Generation-Group",
        json!({ "type": "string", "pattern": RUN_GROUP_PATTERN }),
    );
}

fn accounts(document: &mut Value) {
    constrain(
        document,
        "SignupRequest",
        "email",
        json!({ "maxLength": EMAIL_MAX_CHARS, "pattern": local::email_pattern() }),
    );
    constrain(
        document,
        "SignupRequest",
        "password",
        json!({
            "minLength": local::PASSWORD_CHARS.start(),
            "maxLength": local::PASSWORD_CHARS.end()
        }),
    );
    constrain(
        document,
        "SignupRequest",
        "display_name",
        json!({
            "maxLength": DISPLAY_NAME_MAX_CHARS,
            "pattern": format!("^[^{}]*$", regex_class(&[CONTROL]))
        }),
    );
    constrain(
        document,
        "LoginRequest",
        "email",
        json!({ "maxLength": EMAIL_MAX_CHARS }),
    );
}

fn image_list(document: &mut Value) {
    let operation = &mut document["paths"]["/api/images"]["get"];
    constrain_parameter(
        operation,
        "limit",
        json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE }),
    );
    for flag in ["favorite", "trashed"] {
        constrain_parameter(operation, flag, json!({ "type": "boolean" }));
    }
    constrain_parameter(
        operation,
        "q",
        json!({ "type": "string", "maxLength": SEARCH_MAX_CHARS }),
    );
}

/// Adds `rules` to the schema of `schema`'s property `field`. A renamed
/// field fails loudly here (and in the tests), never silently.
fn client_error_report(document: &mut Value) {
    let schema = "ClientErrorReport";
    // Somewhere a character that is not space: the message is not blank.
    let not_blank = format!("[^{}]", regex_class(&[WHITESPACE]));
    constrain(
        document,
        schema,
        "message",
        json!({ "minLength": 1, "maxLength": MESSAGE_MAX_CHARS, "pattern": not_blank }),
    );
    constrain(
        document,
        schema,
        "stack",
        json!({ "maxLength": STACK_MAX_CHARS }),
    );
    constrain(
        document,
        schema,
        "route",
        json!({ "maxLength": ROUTE_MAX_CHARS }),
    );
    constrain(
        document,
        schema,
        "release",
        json!({ "pattern": RELEASE_PATTERN }),
    );
}

fn constrain(document: &mut Value, schema: &str, field: &str, rules: Value) {
    let property = document
        .pointer_mut(&format!("/components/schemas/{schema}/properties/{field}"))
        .unwrap_or_else(|| panic!("the API document has no {schema}.{field}"));
    merge(property, rules);
}

fn constrain_parameter(operation: &mut Value, name: &str, rules: Value) {
    let parameter = operation["parameters"]
        .as_array_mut()
        .and_then(|parameters| {
            parameters
                .iter_mut()
                .find(|parameter| parameter["name"] == name)
        })
        .unwrap_or_else(|| panic!("the API document has no parameter {name}"));
    merge(&mut parameter["schema"], rules);
}

fn merge(target: &mut Value, rules: Value) {
    if let (Some(target), Value::Object(rules)) = (target.as_object_mut(), rules) {
        target.extend(rules);
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}
