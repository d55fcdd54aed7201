//! The trash over HTTP: a delete in the web app is a move to the trash, which
//! can be undone until the retention runs out or the trash is emptied.

use promptcanvas::gallery::trash::delete_expired;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::helpers::{TestApp, User, assert_problem};

async fn post(app: &TestApp, user: &User, path: &str, body: Option<Value>) -> Response {
    let request = user.client.post(app.url(path));
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.expect("request sent")
}

async fn post_ok(app: &TestApp, user: &User, path: &str, body: Option<Value>) -> Value {
    let response = post(app, user, path, body).await;
    assert_eq!(response.status(), StatusCode::OK, "POST {path}");
    response.json().await.expect("json")
}

/// Three images of one generation, newest first.
async fn three_images(app: &TestApp, user: &User) -> Vec<Value> {
    let generation = app
        .generate_ok(
            user,
            json!({"prompt": "a tide pool", "width": 256, "height": 256, "n": 3}),
        )
        .await;
    let mut images = generation["images"].as_array().unwrap().clone();
    images.sort_by(|a, b| b["id"].as_str().cmp(&a["id"].as_str()));
    images
}

fn time_of(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().expect("a timestamp"), &Rfc3339).unwrap()
}

fn id(image: &Value) -> &str {
    image["id"].as_str().unwrap()
}

#[tokio::test]
async fn a_trashed_image_can_be_restored_until_the_trash_is_emptied() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let images = three_images(&app, &user).await;
    let (a, b, c) = (id(&images[0]), id(&images[1]), id(&images[2]));
    assert!(images[0]["trashed_at"].is_null() && images[0]["purge_at"].is_null());

    // No body, or `null`, is the same as `{}`.
    let trashed = post_ok(&app, &user, &format!("/api/images/{a}/trash"), None).await;
    let again = post_ok(
        &app,
        &user,
        &format!("/api/images/{a}/trash"),
        Some(Value::Null),
    )
    .await;
    assert_eq!(again["trashed_at"], trashed["trashed_at"]);
    let empty_json = user
        .client
        .post(app.url(&format!("/api/images/{a}/trash")))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(empty_json.status(), StatusCode::OK);
    let trashed_at = time_of(&trashed["trashed_at"]);
    assert!(
        (OffsetDateTime::now_utc() - trashed_at)
            .whole_seconds()
            .abs()
            < 60
    );
    assert_eq!(
        time_of(&trashed["purge_at"]) - trashed_at,
        time::Duration::days(30)
    );
    assert_eq!(app.all_image_ids(&user, "").await, vec![b, c]);
    assert_eq!(app.all_image_ids(&user, "q=tide").await, vec![b, c]);
    assert_eq!(app.all_image_ids(&user, "trashed=true").await, vec![a]);
    let read = app.get_json(&user, &format!("/api/images/{a}")).await;
    assert_eq!(read["trashed_at"], trashed["trashed_at"]);
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(usage["images"], 3, "trashed images still count");
    assert_eq!(usage["trash_images"], 1);
    assert_eq!(usage["trash_bytes"], images[0]["bytes"]);

    let restored = post_ok(
        &app,
        &user,
        &format!("/api/images/{a}/restore"),
        Some(json!({})),
    )
    .await;
    assert!(restored["trashed_at"].is_null() && restored["purge_at"].is_null());
    assert_eq!(app.all_image_ids(&user, "").await, vec![a, b, c]);
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());

    for image in [a, b] {
        post_ok(
            &app,
            &user,
            &format!("/api/images/{image}/trash"),
            Some(json!({})),
        )
        .await;
        // Trashed in the same millisecond, images are ordered by id instead.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    // The trash pages like the gallery, most recently trashed first.
    assert_eq!(
        app.all_image_ids(&user, "trashed=true&limit=1").await,
        vec![b, a]
    );
    let thumbnail = app.url(images[0]["thumbnail_url"].as_str().unwrap());
    assert_eq!(
        reqwest::get(&thumbnail).await.unwrap().status(),
        StatusCode::OK
    );

    let emptied = post_ok(&app, &user, "/api/trash/empty", Some(json!({}))).await;
    assert_eq!(emptied, json!({"deleted": 2}));
    assert_eq!(app.all_image_ids(&user, "").await, vec![c]);
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());
    assert_eq!(
        reqwest::get(&thumbnail).await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "the files are gone too"
    );
    assert_problem(
        post(&app, &user, &format!("/api/images/{a}/restore"), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(
        (
            &usage["images"],
            &usage["trash_images"],
            &usage["trash_bytes"]
        ),
        (&json!(1), &json!(0), &json!(0))
    );
    let again = post_ok(&app, &user, "/api/trash/empty", None).await;
    assert_eq!(again, json!({"deleted": 0}));
}

#[tokio::test]
async fn a_favourite_goes_to_the_trash_only_when_favourites_are_included() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let images = three_images(&app, &user).await;
    let favourite = id(&images[0]);
    let response = user
        .client
        .patch(app.url(&format!("/api/images/{favourite}")))
        .json(&json!({"favorite": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let path = format!("/api/images/{favourite}/trash");
    for body in [
        None,
        Some(json!({})),
        Some(json!({"include_favorites": false})),
    ] {
        assert_problem(
            post(&app, &user, &path, body).await,
            StatusCode::CONFLICT,
            "favorite_protected",
        )
        .await;
    }
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());
    let trashed = post_ok(&app, &user, &path, Some(json!({"include_favorites": true}))).await;
    assert_eq!(trashed["favorite"], true);
    assert!(trashed["trashed_at"].is_string());
    assert_eq!(
        app.all_image_ids(&user, "trashed=true&favorite=true").await,
        vec![favourite]
    );
    // Trashing again changes nothing, protected or not.
    let again = post_ok(&app, &user, &path, None).await;
    assert_eq!(again["trashed_at"], trashed["trashed_at"]);
}

#[tokio::test]
async fn another_users_trash_is_out_of_reach() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let eve = app.signed_in_user().await;
    let images = three_images(&app, &ada).await;
    let (kept, trashed) = (id(&images[0]), id(&images[1]));
    post_ok(&app, &ada, &format!("/api/images/{trashed}/trash"), None).await;

    for path in [
        format!("/api/images/{kept}/trash"),
        format!("/api/images/{trashed}/restore"),
        "/api/images/01JD0000000000000000000000/trash".to_owned(),
    ] {
        let body = Some(json!({"include_favorites": true}));
        assert_problem(
            post(&app, &eve, &path, body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert!(app.all_image_ids(&eve, "trashed=true").await.is_empty());
    assert_eq!(
        post_ok(&app, &eve, "/api/trash/empty", None).await,
        json!({"deleted": 0})
    );
    assert_eq!(app.all_image_ids(&ada, "trashed=true").await, vec![trashed]);
    assert_eq!(app.all_image_ids(&ada, "").await.len(), 2);
}

#[tokio::test]
async fn bad_trash_requests_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let images = three_images(&app, &user).await;
    let path = format!("/api/images/{}/trash", id(&images[0]));
    for body in [
        json!({"include_favorites": "yes"}),
        json!({"everything": true}),
        json!("yes"),
    ] {
        assert_problem(
            post(&app, &user, &path, Some(body)).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let text = user
        .client
        .post(app.url(&path))
        .body("true")
        .send()
        .await
        .unwrap();
    assert_problem(
        text,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());

    // A cursor goes on only in the listing it came from.
    post_ok(&app, &user, &path, None).await;
    post_ok(
        &app,
        &user,
        &format!("/api/images/{}/trash", id(&images[1])),
        None,
    )
    .await;
    three_images(&app, &user).await;
    let gallery_cursor = app.get_json(&user, "/api/images?limit=1").await["next_cursor"].clone();
    let trash_cursor = app
        .get_json(&user, "/api/images?limit=1&trashed=true")
        .await["next_cursor"]
        .clone();
    for query in [
        format!("trashed=true&cursor={}", gallery_cursor.as_str().unwrap()),
        format!("cursor={}", trash_cursor.as_str().unwrap()),
        "trashed=yes".to_owned(),
    ] {
        let response = app.get(&user, &format!("/api/images?{query}")).await;
        assert_problem(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let signed_out = reqwest::Client::new()
        .post(app.url("/api/trash/empty"))
        .send()
        .await
        .unwrap();
    assert_problem(signed_out, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn the_trash_is_deleted_for_good_once_its_retention_runs_out() {
    let app = TestApp::spawn_with(|config| config.maintenance.trash_retention_days = 7).await;
    let user = app.signed_in_user().await;
    let config = app.get_json(&user, "/api/config").await;
    assert_eq!(config["limits"]["trash_retention_days"], 7);
    let images = three_images(&app, &user).await;
    let trashed = post_ok(
        &app,
        &user,
        &format!("/api/images/{}/trash", id(&images[0])),
        None,
    )
    .await;
    assert_eq!(
        time_of(&trashed["purge_at"]) - time_of(&trashed["trashed_at"]),
        time::Duration::days(7)
    );
    let thumbnail = app.url(images[0]["thumbnail_url"].as_str().unwrap());

    let state = &app.state;
    let retention = state.config.trash_retention();
    let almost =
        time_of(&trashed["trashed_at"]) + time::Duration::days(7) - time::Duration::seconds(1);
    let none = delete_expired(state.metadata.as_ref(), &state.media, retention, almost)
        .await
        .unwrap();
    assert_eq!(none, 0, "not yet");
    assert_eq!(app.all_image_ids(&user, "trashed=true").await.len(), 1);

    let later = time_of(&trashed["purge_at"]) + time::Duration::seconds(1);
    let deleted = delete_expired(state.metadata.as_ref(), &state.media, retention, later)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());
    assert_eq!(
        app.all_image_ids(&user, "").await.len(),
        2,
        "the rest stays"
    );
    assert_eq!(
        reqwest::get(&thumbnail).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(
        (&usage["images"], &usage["trash_images"]),
        (&json!(2), &json!(0))
    );
}
