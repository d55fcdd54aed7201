//! Bulk actions over HTTP: one action, many ids, each id answered on its own.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem};

async fn bulk(app: &TestApp, user: &User, body: Value) -> Response {
    user.client
        .post(app.url("/api/images/bulk"))
        .json(&body)
        .send()
        .await
        .expect("request sent")
}

async fn bulk_ok(app: &TestApp, user: &User, body: Value) -> Value {
    let response = bulk(app, user, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

#[tokio::test]
async fn each_id_of_a_bulk_action_succeeds_or_fails_on_its_own() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "a field of poppies", 4).await;
    let (a, b, c, d) = (&ids[0], &ids[1], &ids[2], &ids[3]);
    let unknown = "01JD0000000000000000000000";

    let favourited = bulk_ok(
        &app,
        &user,
        json!({"action": "favorite", "ids": [a, b, unknown, a]}),
    )
    .await;
    assert_eq!(
        favourited,
        json!({"succeeded": [a, b], "failed": [{"id": unknown, "code": "not_found"}]}),
        "in the order given, an id named twice done once"
    );
    assert_eq!(
        app.all_image_ids(&user, "favorite=true").await,
        vec![a.clone(), b.clone()]
    );
    let again = bulk_ok(&app, &user, json!({"action": "favorite", "ids": [a]})).await;
    assert_eq!(again["succeeded"], json!([a]), "repeating is harmless");
    bulk_ok(&app, &user, json!({"action": "unfavorite", "ids": [b]})).await;
    assert_eq!(
        app.all_image_ids(&user, "favorite=true").await,
        vec![a.clone()]
    );

    let trashed = bulk_ok(&app, &user, json!({"action": "trash", "ids": [a, b, c]})).await;
    assert_eq!(
        trashed,
        json!({"succeeded": [b, c], "failed": [{"id": a, "code": "favorite_protected"}]})
    );
    let included = bulk_ok(
        &app,
        &user,
        json!({"action": "trash", "ids": [a], "include_favorites": true}),
    )
    .await;
    assert_eq!(included["succeeded"], json!([a]));
    assert_eq!(app.all_image_ids(&user, "").await, vec![d.clone()]);
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(usage["trash_images"], 3);

    let restored = bulk_ok(
        &app,
        &user,
        json!({"action": "restore", "ids": [b, c, unknown]}),
    )
    .await;
    assert_eq!(restored["succeeded"], json!([b, c]));
    assert_eq!(
        app.all_image_ids(&user, "").await,
        vec![b.clone(), c.clone(), d.clone()]
    );

    let deleted = bulk_ok(&app, &user, json!({"action": "delete", "ids": [a, c]})).await;
    assert_eq!(deleted, json!({"succeeded": [a, c], "failed": []}));
    assert_eq!(
        app.all_image_ids(&user, "").await,
        vec![b.clone(), d.clone()]
    );
    assert!(app.all_image_ids(&user, "trashed=true").await.is_empty());
    let usage = &app.get_json(&user, "/api/me").await["usage"];
    assert_eq!(
        (&usage["images"], &usage["trash_images"]),
        (&json!(2), &json!(0))
    );
    let repeated = bulk_ok(&app, &user, json!({"action": "delete", "ids": [a]})).await;
    assert_eq!(repeated["failed"], json!([{"id": a, "code": "not_found"}]));
}

#[tokio::test]
async fn another_users_images_are_not_found_in_bulk() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let eve = app.signed_in_user().await;
    let ids = app.generated_ids(&ada, "a field of poppies", 4).await;
    for action in ["favorite", "unfavorite", "trash", "restore", "delete"] {
        let answer = bulk_ok(
            &app,
            &eve,
            json!({"action": action, "ids": ids, "include_favorites": true}),
        )
        .await;
        assert_eq!(answer["succeeded"], json!([]), "{action}");
        assert_eq!(answer["failed"].as_array().unwrap().len(), 4, "{action}");
        assert!(
            answer["failed"]
                .as_array()
                .unwrap()
                .iter()
                .all(|failure| failure["code"] == "not_found")
        );
    }
    assert_eq!(app.all_image_ids(&ada, "").await, ids, "untouched");
}

#[tokio::test]
async fn bulk_requests_outside_the_bounds_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "a field of poppies", 4).await;
    let too_many: Vec<String> = (0..101).map(|index| format!("{}{index}", ids[0])).collect();
    for body in [
        json!({"action": "trash", "ids": []}),
        json!({"action": "trash", "ids": too_many}),
    ] {
        let problem = assert_problem(
            bulk(&app, &user, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "ids");
    }
    for body in [
        json!({"action": "explode", "ids": [ids[0]]}),
        json!({"action": "trash"}),
        json!({"action": "trash", "ids": [ids[0]], "everything": true}),
        json!({"action": "trash", "ids": [ids[0]], "include_favorites": "yes"}),
        json!({"action": "trash", "ids": "all"}),
    ] {
        assert_problem(
            bulk(&app, &user, body).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let signed_out = reqwest::Client::new()
        .post(app.url("/api/images/bulk"))
        .json(&json!({"action": "delete", "ids": [ids[0]]}))
        .send()
        .await
        .unwrap();
    assert_problem(signed_out, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_eq!(app.all_image_ids(&user, "").await, ids);
}
