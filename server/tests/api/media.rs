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

/// A file the process was killed while writing (the local store writes
/// `<key>#<digits>` and renames it when done) is swept once it is older than
/// the grace period, although the store's own listing never shows it.
#[tokio::test]
async fn a_file_whose_write_was_cut_short_is_swept() {
    // Arrange: one image kept, one write cut short two hours ago, one under way.
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let kept = app.generated_ids(&user, "a kept harbour", 1).await[0].clone();
    let folder = folder_of(&app, &kept);
    let cut_short = folder.join(format!("{}.jpg#7", ulid::Ulid::new()));
    plant(
        &cut_short,
        std::time::SystemTime::now() - std::time::Duration::from_secs(7200),
    );
    let under_way = folder.join(format!("{}.jpg#8", ulid::Ulid::new()));
    std::fs::write(&under_way, b"being written").unwrap();

    // Act
    let report = promptcanvas::gallery::sweep::sweep_orphans(
        &app.state.media,
        app.state.metadata.as_ref(),
        "users",
        3600,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();

    // Assert
    assert!(!cut_short.exists(), "{report:?}");
    assert!(under_way.exists(), "a young write may still finish");
    assert_eq!(report.removed.len(), 1, "{report:?}");
    assert!(report.removed[0].ends_with(".jpg#7"), "{report:?}");
    let download = user
        .client
        .get(app.url(&format!("/api/images/{kept}/download")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_no_grace_a_file_written_a_moment_ago_is_swept() {
    // Arrange: an orphan and a cut-short write, both from 50 ms before the
    // sweep, within the same second.
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let kept = app.generated_ids(&user, "a kept harbour", 1).await[0].clone();
    let folder = folder_of(&app, &kept);
    let written = time::OffsetDateTime::from_unix_timestamp(1_900_000_000).unwrap()
        + time::Duration::milliseconds(900);
    let orphan = folder.join(format!("{}.jpg", ulid::Ulid::new()));
    let cut_short = folder.join(format!("{}.jpg#3", ulid::Ulid::new()));
    for file in [&orphan, &cut_short] {
        plant(file, written.into());
    }

    // Act
    let report = promptcanvas::gallery::sweep::sweep_orphans(
        &app.state.media,
        app.state.metadata.as_ref(),
        "users",
        0,
        written + time::Duration::milliseconds(50),
    )
    .await
    .unwrap();

    // Assert
    assert!(!orphan.exists(), "{report:?}");
    assert!(!cut_short.exists(), "{report:?}");
    assert!(folder.join(format!("{kept}.thumb.jpg")).exists());
}

/// The local folder that holds `image_id`'s files.
fn folder_of(app: &TestApp, image_id: &str) -> std::path::PathBuf {
    let images = app
        .state
        .config
        .server
        .data_dir
        .join("images")
        .join("users");
    std::fs::read_dir(&images)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|folder| folder.join(format!("{image_id}.thumb.jpg")).exists())
        .expect("the image's folder")
}

/// Leaves a file as a crash would, last written at `modified`.
fn plant(path: &std::path::Path, modified: std::time::SystemTime) {
    std::fs::write(path, b"left by a crash").unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}
