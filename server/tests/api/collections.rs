//! Collections over HTTP: every row of the contract's Collections section,
//! its errors, and membership through the bulk actions.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem};

async fn send(
    app: &TestApp,
    user: &User,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut request = user.client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request sent")
}

async fn create(app: &TestApp, user: &User, body: Value) -> Value {
    let response = send(app, user, Method::POST, "/api/collections", Some(body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("json")
}

async fn patch_ok(app: &TestApp, user: &User, id: &str, body: Value) -> Value {
    let response = send(
        app,
        user,
        Method::PATCH,
        &format!("/api/collections/{id}"),
        Some(body),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

async fn bulk_ok(app: &TestApp, user: &User, body: Value) -> Value {
    let response = send(app, user, Method::POST, "/api/images/bulk", Some(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_collection_is_made_filled_covered_renamed_and_deleted() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "lighthouse at dusk", 3).await;
    let (a, b, c) = (&ids[0], &ids[1], &ids[2]);

    let trips = create(
        &app,
        &user,
        json!({"name": "  Trips  ", "description": "Summer\nby the sea"}),
    )
    .await;
    let id = trips["id"].as_str().unwrap().to_owned();
    assert_eq!(trips["name"], "Trips", "stored trimmed");
    assert_eq!(trips["description"], "Summer\nby the sea");
    assert_eq!(
        (
            &trips["image_count"],
            &trips["cover"],
            &trips["cover_image_id"]
        ),
        (&json!(0), &Value::Null, &Value::Null)
    );
    assert_eq!(trips["created_at"], trips["updated_at"]);

    let added = bulk_ok(
        &app,
        &user,
        json!({"action": "add_to_collection", "collection_id": id, "ids": [b, c]}),
    )
    .await;
    assert_eq!(added, json!({"succeeded": [b, c], "failed": []}));
    let read = app.get_json(&user, &format!("/api/collections/{id}")).await;
    assert_eq!(read["image_count"], 2);
    assert_eq!(read["cover"]["image_id"], json!(b), "the newest image");
    assert!(
        read["cover"]["thumbnail_url"]
            .as_str()
            .unwrap()
            .contains(b.as_str())
    );
    assert_eq!(
        app.all_image_ids(&user, &format!("collection={id}&limit=1"))
            .await,
        vec![b.clone(), c.clone()]
    );
    assert_eq!(
        app.get_json(&user, &format!("/api/images/{b}")).await["collection_ids"],
        json!([id])
    );
    assert_eq!(
        app.get_json(&user, &format!("/api/images/{a}")).await["collection_ids"],
        json!([])
    );

    // A chosen cover, until it leaves; an image outside is refused.
    let covered = patch_ok(&app, &user, &id, json!({"cover_image_id": c})).await;
    assert_eq!(covered["cover"]["image_id"], json!(c));
    assert_eq!(covered["cover_image_id"], json!(c));
    let outside = send(
        &app,
        &user,
        Method::PATCH,
        &format!("/api/collections/{id}"),
        Some(json!({"cover_image_id": a})),
    )
    .await;
    assert_problem(outside, StatusCode::CONFLICT, "cover_not_in_collection").await;
    bulk_ok(
        &app,
        &user,
        json!({"action": "remove_from_collection", "collection_id": id, "ids": [c]}),
    )
    .await;
    let after = app.get_json(&user, &format!("/api/collections/{id}")).await;
    assert_eq!(
        (&after["image_count"], &after["cover"]["image_id"]),
        (&json!(1), &json!(b))
    );

    // Renamed and described; null clears the description.
    let renamed = patch_ok(
        &app,
        &user,
        &id,
        json!({"name": "Journeys", "description": null, "cover_image_id": null}),
    )
    .await;
    assert_eq!(
        (
            &renamed["name"],
            &renamed["description"],
            &renamed["cover_image_id"]
        ),
        (&json!("Journeys"), &Value::Null, &Value::Null)
    );
    let other = create(&app, &user, json!({"name": "Cats"})).await;
    let listed = app.get_json(&user, "/api/collections").await;
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cats", "Journeys"], "most recently changed first");

    // Deleted: the images stay in the gallery and forget the collection.
    let deleted = send(
        &app,
        &user,
        Method::DELETE,
        &format!("/api/collections/{id}"),
        None,
    )
    .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.all_image_ids(&user, "").await, ids);
    assert_eq!(
        app.get_json(&user, &format!("/api/images/{b}")).await["collection_ids"],
        json!([])
    );
    for path in [
        format!("/api/collections/{id}"),
        format!("/api/images?collection={id}"),
    ] {
        assert_problem(
            app.get(&user, &path).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let gone = send(
        &app,
        &user,
        Method::DELETE,
        &format!("/api/collections/{id}"),
        None,
    )
    .await;
    assert_problem(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        app.get_json(&user, "/api/collections").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{other}"
    );
}

#[tokio::test]
async fn names_are_unique_per_person_and_bounded() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let bob = app.signed_in_user().await;
    let trips = create(&app, &ada, json!({"name": "Trips"})).await;
    create(&app, &bob, json!({"name": "Trips"})).await;
    let clash = send(
        &app,
        &ada,
        Method::POST,
        "/api/collections",
        Some(json!({"name": "tRIPS"})),
    )
    .await;
    assert_problem(clash, StatusCode::CONFLICT, "name_taken").await;
    let cats = create(&app, &ada, json!({"name": "Cats"})).await;
    let rename = send(
        &app,
        &ada,
        Method::PATCH,
        &format!("/api/collections/{}", cats["id"].as_str().unwrap()),
        Some(json!({"name": "TRIPS"})),
    )
    .await;
    assert_problem(rename, StatusCode::CONFLICT, "name_taken").await;
    // A struct's fields in an array are not an object.
    let array = send(
        &app,
        &ada,
        Method::PATCH,
        &format!("/api/collections/{}", cats["id"].as_str().unwrap()),
        Some(json!([null, null])),
    )
    .await;
    assert_problem(array, StatusCode::BAD_REQUEST, "invalid_request").await;
    let case_only = patch_ok(
        &app,
        &ada,
        trips["id"].as_str().unwrap(),
        json!({"name": "TRIPS"}),
    )
    .await;
    assert_eq!(case_only["name"], "TRIPS");

    for body in [
        json!({"name": ""}),
        json!({"name": "   "}),
        json!({"name": "a".repeat(81)}),
        json!({"name": "tab\there"}),
        json!({"name": "ok", "description": "d".repeat(501)}),
        json!({"name": "ok", "description": "bell\u{7}"}),
    ] {
        let response = send(
            &app,
            &ada,
            Method::POST,
            "/api/collections",
            Some(body.clone()),
        )
        .await;
        assert_problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        )
        .await;
    }
    let longest = create(
        &app,
        &ada,
        json!({"name": "é".repeat(80), "description": "d".repeat(500)}),
    )
    .await;
    assert_eq!(longest["name"].as_str().unwrap().chars().count(), 80);
    let unknown = send(
        &app,
        &ada,
        Method::POST,
        "/api/collections",
        Some(json!({"name": "x", "colour": "red"})),
    )
    .await;
    assert!(
        unknown.status().is_client_error(),
        "unknown fields are refused"
    );
}

#[tokio::test]
async fn nobody_reaches_another_persons_collection_or_images() {
    let app = TestApp::spawn().await;
    let ada = app.signed_in_user().await;
    let bob = app.signed_in_user().await;
    let adas = app.generated_ids(&ada, "lighthouse at dusk", 3).await;
    let bobs = app.generated_ids(&bob, "lighthouse at dusk", 3).await;
    let trips = create(&app, &ada, json!({"name": "Trips"})).await;
    let id = trips["id"].as_str().unwrap();

    let path = format!("/api/collections/{id}");
    assert_problem(
        app.get(&bob, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for (method, body) in [
        (Method::PATCH, Some(json!({"name": "Mine"}))),
        (Method::DELETE, None),
    ] {
        let response = send(&app, &bob, method, &path, body).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let listing = app.get(&bob, &format!("/api/images?collection={id}")).await;
    assert_problem(listing, StatusCode::NOT_FOUND, "not_found").await;
    // Bob cannot add to Ada's collection; Ada cannot add Bob's images.
    let foreign_collection = send(
        &app,
        &bob,
        Method::POST,
        "/api/images/bulk",
        Some(json!({"action": "add_to_collection", "collection_id": id, "ids": [bobs[0]]})),
    )
    .await;
    assert_problem(foreign_collection, StatusCode::NOT_FOUND, "not_found").await;
    let mixed = bulk_ok(
        &app,
        &ada,
        json!({"action": "add_to_collection", "collection_id": id, "ids": [adas[0], bobs[0]]}),
    )
    .await;
    assert_eq!(
        mixed,
        json!({"succeeded": [adas[0]], "failed": [{"id": bobs[0], "code": "not_found"}]})
    );
    let without = send(
        &app,
        &ada,
        Method::POST,
        "/api/images/bulk",
        Some(json!({"action": "add_to_collection", "ids": [adas[0]]})),
    )
    .await;
    assert_problem(without, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert_eq!(
        app.get_json(&bob, "/api/collections").await["items"],
        json!([])
    );
}

#[tokio::test]
async fn the_trash_and_deletes_keep_collections_true() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "lighthouse at dusk", 3).await;
    let trips = create(&app, &user, json!({"name": "Trips"})).await;
    let id = trips["id"].as_str().unwrap();
    bulk_ok(
        &app,
        &user,
        json!({"action": "add_to_collection", "collection_id": id, "ids": ids}),
    )
    .await;
    bulk_ok(&app, &user, json!({"action": "trash", "ids": [ids[0]]})).await;
    let collection = app.get_json(&user, &format!("/api/collections/{id}")).await;
    assert_eq!(collection["image_count"], 2);
    assert_eq!(collection["cover"]["image_id"], json!(ids[1]));
    assert_eq!(
        app.all_image_ids(&user, &format!("collection={id}")).await,
        ids[1..].to_vec()
    );
    assert_eq!(
        app.all_image_ids(&user, &format!("collection={id}&trashed=true"))
            .await,
        vec![ids[0].clone()]
    );
    // A trashed image cannot join; restoring brings it back where it was.
    let other = create(&app, &user, json!({"name": "Other"})).await;
    let refused = bulk_ok(
        &app,
        &user,
        json!({"action": "add_to_collection", "collection_id": other["id"], "ids": [ids[0]]}),
    )
    .await;
    assert_eq!(
        refused["failed"],
        json!([{"id": ids[0], "code": "not_found"}])
    );
    bulk_ok(&app, &user, json!({"action": "restore", "ids": [ids[0]]})).await;
    assert_eq!(
        app.get_json(&user, &format!("/api/collections/{id}")).await["image_count"],
        3
    );
    // Deleted for good: out of the collection, the count fixed.
    bulk_ok(
        &app,
        &user,
        json!({"action": "delete", "ids": [ids[0], ids[1]]}),
    )
    .await;
    let collection = app.get_json(&user, &format!("/api/collections/{id}")).await;
    assert_eq!(collection["image_count"], 1);
    assert_eq!(
        app.all_image_ids(&user, &format!("collection={id}")).await,
        vec![ids[2].clone()]
    );
}
