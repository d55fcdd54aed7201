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

/// A page asked for again is the one a fresh read would give: it carries an
/// `ETag`, answers 304 to it while nothing in the gallery changed, and every
/// kind of change shows at once, under a new tag.
#[tokio::test]
async fn a_gallery_page_revalidates_until_anything_in_it_changes() {
    use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};

    let app = TestApp::spawn_with(|config| config.limits.generations_per_minute = 100).await;
    let user = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "harbour at dawn", 2).await;
    let (newest, older) = (ids[0].clone(), ids[1].clone());
    let page = "/api/images?limit=24";
    let read = |tag: Option<String>| {
        let mut request = user.client.get(app.url(page));
        if let Some(tag) = tag {
            request = request.header(IF_NONE_MATCH, tag);
        }
        async move { request.send().await.unwrap() }
    };
    let first = read(None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[CACHE_CONTROL], "private, no-cache");
    let mut tag = first.headers()[ETAG].to_str().unwrap().to_owned();
    let first: serde_json::Value = first.json().await.unwrap();

    let unchanged = read(Some(tag.clone())).await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.headers()[ETAG], tag.as_str());
    assert!(unchanged.bytes().await.unwrap().is_empty());
    assert_eq!(app.get_json(&user, page).await, first);

    let collection = app
        .post_json(&user, "/api/collections", json!({"name": "Harbours"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let patch = |id: &str| user.client.patch(app.url(&format!("/api/images/{id}")));
    let changes: Vec<(&str, reqwest::RequestBuilder)> = vec![
        ("favourite", patch(&older).json(&json!({"favorite": true}))),
        (
            "put in a collection",
            user.client.post(app.url("/api/images/bulk")).json(&json!({
                "action": "add_to_collection", "collection_id": collection, "ids": [older]
            })),
        ),
        (
            "collection deleted",
            user.client
                .delete(app.url(&format!("/api/collections/{collection}"))),
        ),
        (
            "trashed",
            user.client
                .post(app.url(&format!("/api/images/{newest}/trash"))),
        ),
        (
            "restored",
            user.client
                .post(app.url(&format!("/api/images/{newest}/restore"))),
        ),
        (
            "deleted",
            user.client
                .delete(app.url(&format!("/api/images/{newest}"))),
        ),
    ];
    let mut expected = Vec::new();
    for (change, request) in changes {
        assert!(
            request.send().await.unwrap().status().is_success(),
            "{change}"
        );
        let answer = read(Some(tag.clone())).await;
        assert_eq!(answer.status(), StatusCode::OK, "{change} shows");
        let new_tag = answer.headers()[ETAG].to_str().unwrap().to_owned();
        assert_ne!(new_tag, tag, "{change} gives a new tag");
        tag = new_tag;
        let items = answer.json::<serde_json::Value>().await.unwrap()["items"].clone();
        let by_id = |id: &str| {
            items
                .as_array()
                .unwrap()
                .iter()
                .find(|item| item["id"] == id)
                .cloned()
        };
        expected.push((change, by_id(&newest).is_some(), by_id(&older).unwrap()));
    }
    let seen: Vec<_> = expected
        .iter()
        .map(|(change, newest_listed, older)| {
            (
                *change,
                *newest_listed,
                older["favorite"].as_bool().unwrap(),
                older["collection_ids"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("favourite", true, true, 0),
            ("put in a collection", true, true, 1),
            ("collection deleted", true, true, 0),
            ("trashed", false, true, 0),
            ("restored", true, true, 0),
            ("deleted", false, true, 0),
        ]
    );

    let generated = app.generated_ids(&user, "a new one", 1).await;
    let answer = read(Some(tag.clone())).await;
    assert_eq!(answer.status(), StatusCode::OK, "a new image shows");
    let items = answer.json::<serde_json::Value>().await.unwrap()["items"].clone();
    assert_eq!(items[0]["id"], generated[0].as_str());

    let search = app.get(&user, "/api/images?q=harbour").await;
    assert_eq!(search.status(), StatusCode::OK);
    assert!(
        search.headers().get(ETAG).is_none(),
        "a search is read afresh"
    );

    // Another person's tag for the same address is not theirs: they get their own page.
    let other = app.signed_in_user().await;
    let theirs = other
        .client
        .get(app.url(page))
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::OK);
    assert_eq!(
        theirs.json::<serde_json::Value>().await.unwrap()["items"],
        json!([])
    );
}
