//! Reproducing an image through the API: the recipe is made again, one image
//! of the month's quota is counted, nothing is stored, and the answer says
//! how the new image compares with the original.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    fake_together::{Answer, FakeTogether},
    helpers::{TestApp, User, assert_problem},
};

async fn reproduce(app: &TestApp, user: &User, id: &str) -> reqwest::Response {
    user.client
        .post(app.url(&format!("/api/images/{id}/reproduce")))
        .send()
        .await
        .unwrap()
}

async fn original_sha256(app: &TestApp, user: &User, image: &Value) -> String {
    let bytes = app
        .get(user, image["url"].as_str().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    hex::encode(Sha256::digest(&bytes))
}

#[tokio::test]
async fn the_offline_engine_makes_the_same_bytes_again_and_stores_nothing() {
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "a red fox in the snow", "width": 512, "height": 384,
                   "style": "watercolor"}),
        )
        .await;
    let image = &generation["images"][0];

    // Act
    let response = reproduce(&app, &user, image["id"].as_str().unwrap()).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    let sha = original_sha256(&app, &user, image).await;
    assert_eq!(
        result,
        json!({"identical": true, "difference": 0.0,
               "sha256_original": sha, "sha256_reproduced": sha})
    );
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(usage["generations_this_month"], 2);
    assert_eq!(usage["images"], 1);
    assert_eq!(app.all_image_ids(&user, "").await.len(), 1);
}

#[tokio::test]
async fn only_the_owner_reproduces_and_the_quota_applies() {
    let app = TestApp::spawn_with(|config| config.limits.monthly_generation_quota = 1).await;
    let user = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;
    let id = app
        .generated_ids(&user, "a quiet harbour", 1)
        .await
        .remove(0);

    assert_problem(
        reproduce(&app, &stranger, &id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        reproduce(&app, &user, "01JNOSUCHIMAGE0000000000000").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let refused = reproduce(&app, &user, &id).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
}

#[tokio::test]
async fn together_is_asked_for_the_same_recipe_and_a_different_image_is_measured() {
    // Arrange
    let fake = FakeTogether::start().await;
    let app = fake.app().await;
    let user = app.signed_in_user().await;
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "a lighthouse at dusk", "width": 256, "height": 256,
                   "steps": 3, "seed": 42, "style": "oil-painting"}),
        )
        .await;
    let id = generation["images"][0]["id"].as_str().unwrap();

    // Act: the same bytes once, then a different picture of another size.
    fake.script([Answer::Base64]);
    let same: Value = reproduce(&app, &user, id).await.json().await.unwrap();
    fake.script([Answer::Inline(include_bytes!("../corpus/landscape.jpg"))]);
    let different: Value = reproduce(&app, &user, id).await.json().await.unwrap();

    // Assert
    let bodies: Vec<Value> = fake
        .received()
        .into_iter()
        .map(|request| request.body)
        .collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|body| *body == bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0]["seed"], 42);
    assert_eq!(
        (same["identical"].clone(), same["difference"].clone()),
        (json!(true), json!(0.0))
    );
    assert_eq!(different["identical"], false);
    assert_eq!(different["difference"], 1.0);
    assert_eq!(different["sha256_original"], same["sha256_original"]);
    assert_ne!(different["sha256_reproduced"], same["sha256_reproduced"]);
}

#[tokio::test]
async fn an_image_whose_model_is_not_offered_cannot_be_reproduced() {
    // Made by Together, then the server runs with the offline engine only.
    let fake = FakeTogether::start().await;
    let together = fake.app().await;
    let user = together.signed_in_user().await;
    let id = together
        .generated_ids(&user, "a lighthouse", 1)
        .await
        .remove(0);
    let mut record = together
        .state
        .metadata
        .list_images(
            together.get_json(&user, "/api/me").await["user"]["id"]
                .as_str()
                .unwrap(),
            &promptcanvas::store::metadata::ImageQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let offline = TestApp::spawn().await;
    let owner = offline.signed_in_user().await;
    record.user_id = offline.get_json(&owner, "/api/me").await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    offline
        .state
        .metadata
        .insert_images(&[record])
        .await
        .unwrap();

    assert_problem(
        reproduce(&offline, &owner, &id).await,
        StatusCode::CONFLICT,
        "not_reproducible",
    )
    .await;
    // Refused before anything was counted.
    let usage = &offline.get_json(&owner, "/api/me").await["usage"];
    assert_eq!(usage["generations_this_month"], 0);
}
