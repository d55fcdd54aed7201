//! The API document, generated from the handlers and types themselves, then
//! completed with what the types cannot say: the answers every operation
//! shares (`responses`) and the limits the validation enforces (`limits`).
//! The document describes the running configuration (its models, styles and
//! prompt length), so a request it calls valid is one this server accepts.

mod limits;
mod responses;

use serde_json::Value;
use utoipa::OpenApi;

pub use limits::RequestLimits;

use crate::http::routes::{
    auth, bulk, collections, drafts, exports, generations, images, keys, operations, reproduce,
    service, shares,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PromptCanvas Pro API",
        description = "Generate images from prompts and keep them in a personal gallery. \
            Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`. \
            Limits that depend on the model are stated for the models this server offers \
            (the widest of them); each model's own are in `GET /api/config`."
    ),
    paths(
        service::health,
        service::config,
        service::openapi,
        auth::signup,
        auth::login,
        auth::logout,
        auth::me,
        generations::create_generation,
        drafts::create_draft,
        drafts::keep_draft,
        images::list_images,
        images::get_image,
        images::update_image,
        images::delete_image,
        images::download_image,
        images::trash_image,
        images::restore_image,
        images::empty_trash,
        reproduce::reproduce_image,
        bulk::bulk_action,
        collections::list_collections,
        collections::create_collection,
        collections::get_collection,
        collections::update_collection,
        collections::delete_collection,
        shares::share_image,
        shares::unshare_image,
        shares::share_collection,
        shares::unshare_collection,
        shares::list_shares,
        shares::read_shared,
        keys::list_keys,
        exports::create_export,
        exports::list_exports,
        exports::download_export,
        keys::create_key,
        keys::revoke_key,
        operations::report_client_error,
        operations::admin_stats,
    ),
    components(schemas(crate::http::error::Problem, crate::http::error::FieldError)),
    tags(
        (name = "service", description = "Health, start-up configuration and this document"),
        (name = "accounts", description = "Built-in accounts and sessions"),
        (name = "generation", description = "Making images from prompts"),
        (name = "gallery", description = "The caller's stored images"),
        (name = "collections", description = "Named groups of the caller's images"),
        (name = "sharing", description = "Public links to images and collections"),
        (name = "exports", description = "Exports: a ZIP of images, recipes.json and an offline contact sheet, behind a signed link"),
        (name = "keys", description = "API keys: scripts act as their owner with `Authorization: Bearer pcp_…`"),
        (name = "operations", description = "The web app's error reports and the operators' statistics"),
    )
)]
struct Operations;

/// The whole document for a server with these limits.
pub fn document(limits: &RequestLimits) -> Value {
    let mut document =
        serde_json::to_value(Operations::openapi()).expect("the API document is plain JSON");
    responses::complete(&mut document);
    limits::apply(&mut document, limits);
    document
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generation::{ImageProvider, OfflineProvider};

    fn offline_document() -> Value {
        document(&RequestLimits {
            models: OfflineProvider::new().models(),
            prompt_max_chars: 2000,
        })
    }

    fn operations(document: &Value) -> Vec<(String, &Value)> {
        let mut found = Vec::new();
        for (path, methods) in document["paths"].as_object().unwrap() {
            for (method, operation) in methods.as_object().unwrap() {
                found.push((format!("{} {path}", method.to_uppercase()), operation));
            }
        }
        found
    }

    #[test]
    fn every_error_is_problem_json_and_every_success_is_not() {
        let document = offline_document();
        for (name, operation) in operations(&document) {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let types: Vec<&String> = response["content"]
                    .as_object()
                    .map(|content| content.keys().collect())
                    .unwrap_or_default();
                if status.as_str() >= "400" {
                    assert_eq!(types, ["application/problem+json"], "{name} {status}");
                } else {
                    assert!(
                        !types.iter().any(|t| t.contains("problem")),
                        "{name} {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn signed_in_operations_say_so_and_can_answer_401() {
        let document = offline_document();
        let public = [
            "GET /api/health",
            "GET /api/config",
            "GET /api/openapi.json",
            "POST /api/auth/signup",
            "POST /api/auth/login",
            "POST /api/auth/logout",
            "POST /api/client-errors",
            "GET /api/shared/{token}",
            // The signed link is the permission (it opens in a new tab).
            "GET /api/exports/{id}/zip",
            // Operators only, and 404 to everyone else, signed in or not.
            "GET /api/admin/stats",
        ];
        for (name, operation) in operations(&document) {
            let signed_in = !public.contains(&name.as_str());
            assert_eq!(operation.get("security").is_some(), signed_in, "{name}");
            let answers_401 = operation["responses"].get("401").is_some();
            assert!(!signed_in || answers_401, "{name}");
        }
        let schemes = &document["components"]["securitySchemes"];
        assert_eq!(schemes["session"]["in"], "cookie");
        assert_eq!(schemes["clerk"]["scheme"], "bearer");
    }

    #[test]
    fn the_generation_limits_are_the_offered_models() {
        let document = offline_document();
        let fields = &document["components"]["schemas"]["GenerationRequest"]["properties"];
        assert_eq!(fields["width"]["minimum"], 256);
        assert_eq!(fields["width"]["maximum"], 1440);
        assert_eq!(fields["width"]["multipleOf"], 16);
        assert_eq!(fields["n"]["maximum"], 4);
        assert_eq!(fields["steps"]["maximum"], 8);
        assert_eq!(fields["prompt"]["maxLength"], 2000);
        assert_eq!(fields["model"]["enum"][0], "offline-preview");
        assert!(fields["style"]["enum"].as_array().unwrap().len() > 1);
    }
}
