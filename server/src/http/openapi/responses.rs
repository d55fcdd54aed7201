//! The answers every operation shares, written into the document in one
//! place: errors as `application/problem+json`, the sign-in schemes, and the
//! statuses the layers in front of every handler can give (sign-in, body
//! checks, the per-address limit, the CDN secret, unexpected failures).

use serde_json::{Map, Value, json};

use crate::{auth::local::SESSION_COOKIE, http::MAX_BODY_BYTES};

const PROBLEM: &str = "#/components/schemas/Problem";

pub fn complete(document: &mut Value) {
    document["components"]["securitySchemes"] = json!({
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": SESSION_COOKIE,
            "description": "The built-in accounts' session, set by sign-up and sign-in \
                (named `__Host-pc_session` over HTTPS)."
        },
        "clerk": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A Clerk session token, when Clerk sign-in is on."
        },
        "api_key": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pcp_…",
            "description": "An API key's secret (`POST /api/keys`), in either sign-in mode: \
                it acts as its owner everywhere but `/api/keys`."
        }
    });
    let paths = document["paths"]
        .as_object_mut()
        .expect("the document has paths");
    for (path, methods) in paths.iter_mut() {
        let keys_allowed = !path.starts_with("/api/keys");
        for operation in methods
            .as_object_mut()
            .into_iter()
            .flat_map(|methods| methods.values_mut())
        {
            complete_operation(operation, keys_allowed);
        }
    }
}

/// Adds the shared answers to one operation; `keys_allowed`: an API key may
/// call it in place of a session.
fn complete_operation(operation: &mut Value, keys_allowed: bool) {
    let signed_in = operation.get("security").is_some();
    if signed_in && keys_allowed {
        operation["security"]
            .as_array_mut()
            .expect("security is a list")
            .push(json!({"api_key": []}));
    }
    let has_body = operation.get("requestBody").is_some();
    let responses = operation["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    if signed_in {
        add(
            responses,
            "401",
            "unauthenticated",
            "no valid session or token",
        );
    }
    if has_body {
        add(
            responses,
            "400",
            "invalid_request",
            "the body is not JSON of the documented shape",
        );
        add(
            responses,
            "413",
            "payload_too_large",
            &format!("the body is over {} KiB", MAX_BODY_BYTES / 1024),
        );
        add(
            responses,
            "415",
            "unsupported_media_type",
            "the body is not `application/json`",
        );
    }
    add(
        responses,
        "403",
        "forbidden",
        "the request did not come through the site's CDN (only when `ORIGIN_SECRET` is set)",
    );
    add(
        responses,
        "429",
        "rate_limited",
        "too many requests from this address",
    );
    add(
        responses,
        "500",
        "internal_error",
        "an unexpected failure on the server",
    );
    for (status, response) in responses.iter_mut() {
        if status.as_str() < "400" {
            continue;
        }
        response["content"] = json!({
            "application/problem+json": { "schema": { "$ref": PROBLEM } }
        });
        if status == "429" || status == "503" {
            response["headers"] = json!({
                "Retry-After": {
                    "description": "Seconds until a retry can succeed",
                    "schema": { "type": "integer", "minimum": 0 }
                }
            });
        }
    }
}

/// Documents that `code` can answer with `status`, beside what the handler's
/// own annotation already says for that status.
fn add(responses: &mut Map<String, Value>, status: &str, code: &str, when: &str) {
    let line = format!("`{code}`: {when}");
    match responses.get_mut(status) {
        None => {
            responses.insert(status.to_owned(), json!({ "description": line }));
        }
        Some(response) => {
            let described = response["description"].as_str().unwrap_or_default();
            if !described.contains(&format!("`{code}`")) {
                response["description"] = Value::String(format!("{described}; or {line}"));
            }
        }
    }
}
