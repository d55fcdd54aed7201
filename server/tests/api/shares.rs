//! Share links through the API and their public pages: what a signed-out
//! visitor (or a link-preview crawler) sees, what they never see, and that
//! revoking, trashing or deleting ends a link at once.

use reqwest::{Client, StatusCode, redirect::Policy};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem};

async fn share(app: &TestApp, user: &User, path: &str, show_prompt: bool) -> reqwest::Response {
    user.client
        .post(app.url(&format!("{path}/share")))
        .json(&json!({"show_prompt": show_prompt}))
        .send()
        .await
        .unwrap()
}

async fn shared_token(app: &TestApp, user: &User, path: &str, show_prompt: bool) -> String {
    let response = share(app, user, path, show_prompt).await;
    assert!(response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["share"]["token"].as_str().unwrap().to_owned()
}

/// A visitor: no cookies, redirects not followed.
fn visitor() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

async fn public(app: &TestApp, path: &str) -> reqwest::Response {
    visitor().get(app.url(path)).send().await.unwrap()
}

/// What a visitor gets from a link: its public read and its page.
async fn read_and_page(app: &TestApp, token: &str) -> (Value, String) {
    let read = public(app, &format!("/api/shared/{token}")).await;
    let page = public(app, &format!("/s/{token}")).await;
    (read.json().await.unwrap(), page.text().await.unwrap())
}

#[tokio::test]
async fn a_shared_image_is_public_with_preview_tags_until_revoked() {
    // (The offline engine makes JPEGs.)
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let me = app.get_json(&user, "/api/me").await;
    let prompt = "a lighthouse at dusk <script>alert(1)</script> & \"friends\"";
    let id = app
        .generate_ok(
            &user,
            json!({"prompt": prompt, "width": 512, "height": 384}),
        )
        .await["images"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/images/{id}");

    // Act
    let first = share(&app, &user, &path, true).await;
    let status = first.status();
    let made: Value = first.json().await.unwrap();
    let again = share(&app, &user, &path, true).await;
    let token = made["share"]["token"].as_str().unwrap();
    let read = public(&app, &format!("/api/shared/{token}")).await;
    let page = public(&app, &format!("/s/{token}")).await;
    let preview = public(&app, &format!("/s/{token}/image")).await;

    // Assert: the share as API.md describes it.
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.json::<Value>().await.unwrap()["share"]["token"],
        token
    );
    assert!(token.len() >= 48);
    assert_eq!(made["share"]["url"], app.url(&format!("/s/{token}")));
    assert_eq!(made["share"]["show_prompt"], true);
    // The public read: the image, its prompt, nothing about its owner.
    assert_eq!(read.status(), StatusCode::OK);
    let read_text = read.text().await.unwrap();
    for private in [&me["user"]["id"], &me["user"]["email"]] {
        assert!(
            !read_text.contains(private.as_str().unwrap()),
            "{read_text}"
        );
    }
    let shared: Value = serde_json::from_str(&read_text).unwrap();
    assert_eq!(shared["kind"], "image");
    assert_eq!(shared["title"], prompt);
    let image = &shared["images"][0];
    assert_eq!(
        (image["width"].clone(), image["height"].clone()),
        (json!(512), json!(384))
    );
    assert_eq!(image["prompt"], prompt);
    let original = visitor()
        .get(image["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(original.status(), StatusCode::OK);
    // The page: HTML, no scripts allowed, preview tags with an absolute image.
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    let preview_url = app.url(&format!("/s/{token}/image"));
    assert!(
        html.contains(&format!(
            "<meta property=\"og:image\" content=\"{preview_url}\">"
        )),
        "{html}"
    );
    assert!(
        html.contains("<meta property=\"og:title\" content=\"a lighthouse at dusk &lt;script&gt;")
    );
    assert!(html.contains("og:description"));
    assert!(html.contains("twitter:card"));
    assert!(html.contains("noindex"));
    assert!(html.contains("Made with"));
    assert!(!html.contains("<script"), "{html}");
    // The preview image and the page's image: the original, served by the link.
    let original = original.bytes().await.unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(preview.headers()["content-type"], "image/jpeg");
    assert_eq!(preview.bytes().await.unwrap(), original);
    let image_url = image["url"].as_str().unwrap();
    assert!(
        image_url.starts_with(&app.url(&format!("/s/{token}/i/"))),
        "{image_url}"
    );
    assert!(html.contains(&format!("src=\"{image_url}\"")), "{html}");
    let thumbnail = visitor()
        .get(image["thumbnail_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), StatusCode::OK);
    assert_eq!(thumbnail.headers()["content-type"], "image/jpeg");

    // Revoked: gone at once, everywhere.
    let revoked = user
        .client
        .delete(app.url(&format!("{path}/share")))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_problem(
        public(&app, &format!("/api/shared/{token}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        public(&app, &format!("/s/{token}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        public(&app, &format!("/s/{token}/image")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_problem(
        user.client
            .delete(app.url(&format!("{path}/share")))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_hidden_prompt_is_in_neither_the_read_nor_the_page() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let prompt = "a secret garden of glass";
    let id = app.generated_ids(&user, prompt, 1).await.remove(0);

    let token = shared_token(&app, &user, &format!("/api/images/{id}"), false).await;
    let (read, html) = read_and_page(&app, &token).await;

    assert_eq!(read["title"], Value::Null);
    assert!(read["images"][0].get("prompt").is_none(), "{read}");
    assert!(!html.contains("secret garden"), "{html}");
    assert!(!html.contains("og:description"));
}

#[tokio::test]
async fn trashing_or_deleting_ends_a_link_and_strangers_cannot_share() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "a quiet harbour", 2).await;
    let trashed = shared_token(&app, &user, &format!("/api/images/{}", ids[0]), true).await;
    let deleted = shared_token(&app, &user, &format!("/api/images/{}", ids[1]), true).await;

    let trash = user
        .client
        .post(app.url(&format!("/api/images/{}/trash", ids[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(trash.status(), StatusCode::OK);
    let delete = user
        .client
        .delete(app.url(&format!("/api/images/{}", ids[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);

    for token in [&trashed, &deleted] {
        assert_problem(
            public(&app, &format!("/api/shared/{token}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // The deleted image's link leaves the owner's list; the trashed one's
    // stays, since restoring the image brings it back. So does a deleted
    // collection's.
    let collection = app
        .post_json(&user, "/api/collections", json!({"name": "Harbours"}))
        .await;
    let collection_path = format!("/api/collections/{}", collection["id"].as_str().unwrap());
    shared_token(&app, &user, &collection_path, false).await;
    let gone = user
        .client
        .delete(app.url(&collection_path))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let listed = app.get_json(&user, "/api/shares").await;
    let tokens: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|share| share["token"].as_str().unwrap())
        .collect();
    assert_eq!(tokens, vec![trashed.as_str()]);
    // A trashed image cannot be shared; another person's never.
    assert_problem(
        share(&app, &user, &format!("/api/images/{}", ids[0]), true).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let theirs = app.generated_ids(&stranger, "mine", 1).await.remove(0);
    assert_problem(
        share(&app, &user, &format!("/api/images/{theirs}"), true).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Made-up and altered tokens find nothing.
    let mut altered = trashed.clone().into_bytes();
    let last = altered.len() - 1;
    altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
    for token in ["nothing".to_owned(), String::from_utf8(altered).unwrap()] {
        assert_problem(
            public(&app, &format!("/api/shared/{token}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

#[tokio::test]
async fn a_shared_collection_shows_its_images_and_is_listed_with_its_owner() {
    // Arrange
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;
    let ids = app.generated_ids(&user, "autumn leaves", 3).await;
    let collection: Value = user
        .client
        .post(app.url("/api/collections"))
        .json(&json!({"name": "Autumn <best>"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let collection_id = collection["id"].as_str().unwrap();
    let added = user
        .client
        .post(app.url("/api/images/bulk"))
        .json(&json!({"action": "add_to_collection", "ids": &ids[..2], "collection_id": collection_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::OK);
    let path = format!("/api/collections/{collection_id}");

    // Act
    let token = shared_token(&app, &user, &path, false).await;
    let (read, html) = read_and_page(&app, &token).await;
    let listed = app.get_json(&user, "/api/shares").await;

    // Assert
    assert_eq!(read["kind"], "collection");
    assert_eq!(read["title"], "Autumn <best>");
    assert_eq!(read["images"].as_array().unwrap().len(), 2);
    assert_eq!(html.matches("<figure>").count(), 2);
    assert!(html.contains("Autumn &lt;best&gt;"));
    assert_eq!(listed["items"][0]["token"], token.as_str());
    assert_eq!(listed["items"][0]["kind"], "collection");
    assert_eq!(listed["items"][0]["target_id"], collection_id);
    assert!(
        app.get_json(&stranger, "/api/shares").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_problem(
        share(&app, &stranger, &path, false).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An image taken out of the collection is no longer served by its link.
    let first_image = read["images"][0]["thumbnail_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        visitor().get(&first_image).send().await.unwrap().status(),
        StatusCode::OK
    );
    let shown: Vec<String> = app
        .all_image_ids(&user, &format!("collection={collection_id}"))
        .await;
    let removed = user
        .client
        .post(app.url("/api/images/bulk"))
        .json(&json!({"action": "remove_from_collection", "ids": [&shown[0]], "collection_id": collection_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(
        visitor().get(&first_image).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let deleted = user.client.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_problem(
        public(&app, &format!("/api/shared/{token}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
