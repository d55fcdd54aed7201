use reqwest::StatusCode;
use time::OffsetDateTime;

use crate::helpers::{TestApp, assert_problem, small};

#[tokio::test]
async fn signed_image_urls_load_without_a_session() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app.generate_ok(&user, small("a red kite")).await;
    let image = &generation["images"][0];
    for (field, width) in [("url", 256), ("thumbnail_url", 256)] {
        let response = reqwest::get(app.url(image[field].as_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let decoded = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(decoded.width(), width);
    }
}

#[tokio::test]
async fn a_tampered_or_expired_image_url_is_forbidden() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let generation = app.generate_ok(&user, small("a red kite")).await;
    let url = generation["images"][0]["url"].as_str().unwrap().to_owned();

    let other_key = url.replacen("/api/media/users/", "/api/media/users/x", 1);
    let flipped_sig = format!(
        "{}{}",
        &url[..url.len() - 1],
        if url.ends_with('0') { '1' } else { '0' }
    );
    let (path, query) = url.split_once('?').unwrap();
    let later_exp = {
        let exp: i64 = query.split('&').next().unwrap()[4..].parse().unwrap();
        url.replace(&format!("exp={exp}"), &format!("exp={}", exp + 3600))
    };
    let unsigned = path.to_owned();
    for bad in [other_key, flipped_sig, later_exp, unsigned] {
        let response = reqwest::get(app.url(&bad)).await.unwrap();
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // A URL signed in the past has expired.
    let key = path.trim_start_matches("/api/media/");
    let long_ago = OffsetDateTime::now_utc().unix_timestamp() - 3 * 86_400;
    let expired = app.state.media.signer().media_path(key, long_ago);
    let response = reqwest::get(app.url(&expired)).await.unwrap();
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
}
