use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn health_answers_without_signing_in() {
    let app = TestApp::spawn().await;
    let body: Value = reqwest::get(app.url("/api/health"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn config_describes_the_offline_engine_and_limits() {
    let app = TestApp::spawn().await;
    let config: Value = reqwest::get(app.url("/api/config"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["auth"]["mode"], "local");
    assert_eq!(config["generation"]["provider"], "offline");
    assert_eq!(config["generation"]["default_model"], "offline-preview");
    let model = &config["generation"]["models"][0];
    assert_eq!(model["steps"]["max"], 8);
    assert_eq!(model["width"]["multiple_of"], 16);
    assert_eq!(model["max_images"], 4);
    assert!(
        config["generation"]["aspect_ratios"]
            .as_array()
            .unwrap()
            .len()
            >= 5
    );
    assert_eq!(config["generation"]["styles"][0]["id"], "none");
    assert!(
        config["generation"]["styles"][0]
            .get("prompt_suffix")
            .is_none()
    );
    assert_eq!(config["limits"]["prompt_max_chars"], 2000);
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/health",
        "/api/config",
        "/api/auth/signup",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/me",
        "/api/generations",
        "/api/images",
        "/api/images/{id}",
        "/api/images/{id}/download",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ImageView").is_some());
}

#[tokio::test]
async fn the_openapi_document_states_this_servers_limits() {
    let app = TestApp::spawn_with(|config| config.limits.prompt_max_chars = 300).await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let request = &doc["components"]["schemas"]["GenerationRequest"]["properties"];
    assert_eq!(request["prompt"]["maxLength"], 300);
    let errors = &doc["paths"]["/api/generations"]["post"]["responses"];
    for status in ["400", "401", "413", "415", "422", "429"] {
        assert!(
            errors[status]["content"]
                .get("application/problem+json")
                .is_some(),
            "{status}: {}",
            errors[status]
        );
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_get_problem_answers() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    assert_problem(
        client.get(app.url("/api/nope")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        client.delete(app.url("/api/health")).send().await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    assert_problem(
        client
            .request(reqwest::Method::TRACE, app.url("/api/health"))
            .send()
            .await
            .unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    assert_problem(
        client
            .get(app.url("/api/images/..%2F..%2Fsigning.key"))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn api_answers_are_never_cached() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/api/config")).await.unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn the_web_app_is_served_with_client_routes_falling_back_to_index() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><div id=root></div>",
    )
    .unwrap();
    std::fs::create_dir(dist.path().join("assets")).unwrap();
    std::fs::write(dist.path().join("assets/app-1a2b.js"), "console.log(1)").unwrap();
    std::fs::write(
        dist.path().join("assets/app-1a2b.js.map"),
        "{\"sources\":[]}",
    )
    .unwrap();
    let dist_path = dist.path().to_owned();
    let app = TestApp::spawn_with(move |config| config.server.web_dist_dir = dist_path).await;

    let page = reqwest::get(app.url("/gallery/01JD")).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(page.text().await.unwrap().contains("id=root"));

    let asset = reqwest::get(app.url("/assets/app-1a2b.js")).await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    // Source maps are built for the operator and never served.
    let map = reqwest::get(app.url("/assets/app-1a2b.js.map"))
        .await
        .unwrap();
    assert_eq!(map.status(), StatusCode::NOT_FOUND);
    assert!(!map.text().await.unwrap().contains("sources"));
}
