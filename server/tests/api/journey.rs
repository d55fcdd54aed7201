use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn a_new_user_can_generate_find_favourite_and_delete_images() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    // Generate two images of a lighthouse.
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "a lighthouse at dusk, oil painting", "width": 512, "height": 384,
                   "steps": 3, "seed": 42, "n": 2}),
        )
        .await;
    let images = generation["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["seed"], 42);
    assert_eq!(images[1]["seed"], 43);
    assert_eq!(generation["provider"], "offline");
    assert_eq!(images[0]["thumbnail_width"], 512);
    assert_eq!(images[0]["thumbnail_height"], 384);
    let first = images[0]["id"].as_str().unwrap().to_owned();
    let second = images[1]["id"].as_str().unwrap().to_owned();

    // And one unrelated image.
    app.generate_ok(
        &user,
        json!({"prompt": "snowy forest", "width": 256, "height": 256}),
    )
    .await;

    // The gallery lists all three, newest first, the generation in its own order.
    let ids = app.all_image_ids(&user, "limit=24").await;
    assert_eq!(ids.len(), 3);
    assert_eq!(&ids[1..], [first.clone(), second.clone()]);

    // Search finds the lighthouse images only.
    let found = app.all_image_ids(&user, "q=lighthou").await;
    assert_eq!(found, [first.clone(), second.clone()]);

    // Favourite one; the favourites filter shows just it.
    let response = user
        .client
        .patch(app.url(&format!("/api/images/{first}")))
        .json(&json!({"favorite": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["favorite"],
        true
    );
    assert_eq!(
        app.all_image_ids(&user, "favorite=true").await,
        std::slice::from_ref(&first)
    );

    // Delete the other; it is gone from the list and from direct reads.
    let response = user
        .client
        .delete(app.url(&format!("/api/images/{second}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let ids = app.all_image_ids(&user, "limit=24").await;
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&second));
    assert_problem(
        app.get(&user, &format!("/api/images/{second}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Usage counts what is left.
    let me = app.get_json(&user, "/api/me").await;
    assert_eq!(me["usage"]["images"], 2);
    assert_eq!(me["usage"]["generations_this_month"], 3);
    assert!(me["usage"]["storage_bytes"].as_u64().unwrap() > 0);
}
