use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, small};

#[tokio::test]
async fn paging_through_the_gallery_sees_every_image_once_newest_first() {
    let app = TestApp::spawn_with(|config| config.limits.generations_per_minute = 100).await;
    let user = app.signed_in_user().await;
    let mut made = Vec::new();
    for i in 0..5 {
        let generation = app
            .generate_ok(
                &user,
                json!({"prompt": format!("picture {i}"), "width": 256, "height": 256, "n": 4}),
            )
            .await;
        for image in generation["images"].as_array().unwrap() {
            made.push(image["id"].as_str().unwrap().to_owned());
        }
    }
    let listed = app.all_image_ids(&user, "limit=3").await;
    assert_eq!(listed.len(), 20);
    assert_eq!(listed.iter().collect::<HashSet<_>>().len(), 20);
    let mut newest_first = listed.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(listed, newest_first);
    assert_eq!(
        made.iter().collect::<HashSet<_>>(),
        listed.iter().collect::<HashSet<_>>()
    );

    let page = app.get_json(&user, "/api/images").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
    assert!(page["next_cursor"].is_null());
}

#[tokio::test]
async fn bad_limits_and_cursors_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "limit=-1",
        "cursor=abc",
        "cursor=%27%20OR%201%3D1%20--",
        "cursor=MDFKRA.00000000000000000000000000000000",
        "favorite=maybe",
    ] {
        let response = app.get(&user, &format!("/api/images?{query}")).await;
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
}

#[tokio::test]
async fn search_treats_sql_and_operators_as_plain_words() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    app.generate_ok(&user, small("a quiet harbour at night"))
        .await;
    for (query, expected) in [
        ("harb", 1),
        ("quiet night", 1),
        ("harbour day", 0),
        ("%27%20OR%201%3D1%20--", 0),
        ("NEAR(a b)", 0),
        ("%22", 0),
        ("*", 0),
    ] {
        let page = app.get_json(&user, &format!("/api/images?q={query}")).await;
        assert_eq!(
            page["items"].as_array().unwrap().len(),
            expected,
            "q={query}"
        );
    }
}

#[tokio::test]
async fn another_users_images_do_not_exist_for_you() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let eve = app.signed_in_user().await;
    let generation = app.generate_ok(&ada, small("private sketch")).await;
    let id = generation["images"][0]["id"].as_str().unwrap();

    assert!(app.all_image_ids(&eve, "").await.is_empty());
    for response in [
        app.get(&eve, &format!("/api/images/{id}")).await,
        app.get(&eve, &format!("/api/images/{id}/download")).await,
        eve.client
            .patch(app.url(&format!("/api/images/{id}")))
            .json(&json!({"favorite": true}))
            .send()
            .await
            .unwrap(),
        eve.client
            .delete(app.url(&format!("/api/images/{id}")))
            .send()
            .await
            .unwrap(),
    ] {
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Still there for its owner, untouched.
    let image = app.get_json(&ada, &format!("/api/images/{id}")).await;
    assert_eq!(image["favorite"], false);
}

#[tokio::test]
async fn deleting_an_image_removes_its_files() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app.generate_ok(&user, small("short-lived")).await;
    let image = &generation["images"][0];
    let id = image["id"].as_str().unwrap();
    let thumbnail_url = app.url(image["thumbnail_url"].as_str().unwrap());
    assert_eq!(
        reqwest::get(&thumbnail_url).await.unwrap().status(),
        StatusCode::OK
    );

    let response = user
        .client
        .delete(app.url(&format!("/api/images/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    assert_problem(
        reqwest::get(&thumbnail_url).await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let me = app.get_json(&user, "/api/me").await;
    let record = app
        .state
        .metadata
        .get_image(me["user"]["id"].as_str().unwrap(), id)
        .await
        .unwrap();
    assert!(record.is_none());
    assert_eq!(me["usage"]["images"], 0);
    assert_eq!(me["usage"]["storage_bytes"], 0);
    // Deleting again is a clean 404, not an error.
    let again = user
        .client
        .delete(app.url(&format!("/api/images/{id}")))
        .send()
        .await
        .unwrap();
    assert_problem(again, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn downloads_are_attachments_with_the_original_bytes() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app.generate_ok(&user, small("keep me")).await;
    let image = &generation["images"][0];
    let response = app
        .get(
            &user,
            &format!("/api/images/{}/download", image["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment; filename=\"promptcanvas-"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, image["bytes"].as_u64().unwrap());
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
}
