//! Exports through the API and the command line: what a selection may hold,
//! what the signed download link allows, the sweep ending an export, and an
//! export imported into another instance with `promptcanvas import` and
//! checked with `promptcanvas reproduce`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{ServedBinary, TestApp, User, assert_problem, binary};

async fn post_export(app: &TestApp, user: &User, body: Value) -> reqwest::Response {
    user.client
        .post(app.url("/api/exports"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn export_ok(app: &TestApp, user: &User, body: Value) -> Value {
    let response = post_export(app, user, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["export"].clone()
}

#[tokio::test]
async fn a_selection_is_refused_clearly_when_it_cannot_be_exported() {
    let app = TestApp::spawn_with(|config| config.limits.export_max_images = 2).await;
    let user = app.signed_in_user().await;
    let stranger = app.signed_in_user().await;

    let empty = post_export(&app, &user, json!({})).await;
    assert_problem(empty, StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_export").await;
    let favourites = post_export(&app, &user, json!({"favorites": true})).await;
    assert_problem(
        favourites,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing_to_export",
    )
    .await;

    let ids = app.generated_ids(&user, "three pears on a plate", 3).await;
    let everything = post_export(&app, &user, json!({})).await;
    let problem = assert_problem(
        everything,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_images",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains('2'),
        "{problem}"
    );
    let null_is_everything = post_export(&app, &user, json!({"ids": null})).await;
    assert_problem(
        null_is_everything,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_images",
    )
    .await;
    let named = post_export(&app, &user, json!({"ids": ids})).await;
    assert_problem(named, StatusCode::UNPROCESSABLE_ENTITY, "too_many_images").await;

    for body in [
        json!({"ids": []}),
        json!({"ids": [ids[0]], "favorites": true}),
        json!({"ids": [ids[0]], "collection_id": "01J00000000000000000000000"}),
        json!({"ids": null, "favorites": false}),
    ] {
        let refused = post_export(&app, &user, body.clone()).await;
        assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    }
    let foreign = post_export(&app, &stranger, json!({"ids": [ids[0]]})).await;
    assert_problem(foreign, StatusCode::NOT_FOUND, "not_found").await;
    let collection = app
        .post_json(&user, "/api/collections", json!({"name": "Pears"}))
        .await;
    let theirs = post_export(&app, &stranger, json!({"collection_id": collection["id"]})).await;
    assert_problem(theirs, StatusCode::NOT_FOUND, "not_found").await;
    let signed_out = reqwest::Client::new()
        .post(app.url("/api/exports"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(signed_out, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // Nothing was stored for any refusal.
    assert!(app.state.media.list("exports").await.unwrap().is_empty());
    let limits = app.get_json(&user, "/api/config").await["limits"].clone();
    assert_eq!(
        (
            limits["export_max_images"].clone(),
            limits["export_ttl_hours"].clone()
        ),
        (json!(2), json!(24))
    );
}

#[tokio::test]
async fn the_download_link_is_the_permission_and_ends_with_the_export() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    app.generated_ids(&user, "a kite over the dunes", 2).await;
    let export = export_ok(&app, &user, json!({})).await;
    let url = export["url"].as_str().unwrap().to_owned();
    let expires = OffsetDateTime::parse(
        export["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ttl = expires - OffsetDateTime::now_utc();
    assert!(
        ttl > Duration::hours(23) && ttl <= Duration::hours(24),
        "{ttl}"
    );

    // Anyone holding the link downloads the ZIP, signed in or not; it is
    // never gzipped (its images are compressed already).
    let download = reqwest::Client::new()
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/zip");
    assert!(headers.get("content-encoding").is_none());
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"promptcanvas-export-")
            && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let bytes = download.bytes().await.unwrap();
    assert_eq!(export["bytes"], bytes.len() as u64);
    assert_eq!(&bytes[..4], b"PK\x03\x04");

    // Altered links are refused.
    let stranger = app.signed_in_user().await;
    let stranger_id = app.get_json(&stranger, "/api/me").await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (base, query) = url.split_once('?').unwrap();
    let params: Vec<(String, String)> = query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (key.to_owned(), value.to_owned())
        })
        .collect();
    let with = |name: &str, value: &str| {
        let query: Vec<String> = params
            .iter()
            .map(|(key, old)| format!("{key}={}", if key == name { value } else { old }))
            .collect();
        format!("{base}?{}", query.join("&"))
    };
    for altered in [
        with("sig", &"0".repeat(32)),
        with("exp", &(expires.unix_timestamp() + 3600).to_string()),
        with("owner", &stranger_id),
        base.to_owned(),
    ] {
        let refused = reqwest::get(&altered).await.unwrap();
        assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // The sweep ends it once its time is up: the link, the list and the file.
    let listed = app.get_json(&user, "/api/exports").await;
    assert_eq!(listed["items"][0]["id"], export["id"]);
    let removed = promptcanvas::gallery::export::remove_expired(
        app.state.metadata.as_ref(),
        &app.state.media,
        expires + Duration::seconds(1),
    )
    .await
    .unwrap();
    assert_eq!(removed, 1);
    assert_problem(
        reqwest::get(&url).await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get_json(&user, "/api/exports").await["items"],
        json!([])
    );
    assert!(app.state.media.list("exports").await.unwrap().is_empty());

    // A ZIP a crash left unrecorded, and one whose write a kill cut short,
    // go once they are older than the grace period.
    let orphan = "exports/someone/01ORPHAN.zip";
    app.state
        .media
        .put(orphan, bytes::Bytes::from_static(b"PK\x05\x06"))
        .await
        .unwrap();
    let cut_short = "exports/someone/01HALF.zip#3";
    let staged = app
        .state
        .config
        .server
        .data_dir
        .join("images")
        .join(cut_short);
    std::fs::write(&staged, b"PK\x03\x04").unwrap();
    let young = promptcanvas::gallery::sweep::sweep_export_files(
        &app.state.media,
        app.state.metadata.as_ref(),
        3600,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    assert!(young.removed.is_empty());
    let old = promptcanvas::gallery::sweep::sweep_export_files(
        &app.state.media,
        app.state.metadata.as_ref(),
        0,
        OffsetDateTime::now_utc() + Duration::seconds(1),
    )
    .await
    .unwrap();
    assert_eq!(old.removed, vec![orphan.to_owned(), cut_short.to_owned()]);
    assert!(!staged.exists());
}

#[tokio::test]
async fn an_api_key_exports_as_its_owner() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    app.generated_ids(&user, "a lantern in fog", 1).await;
    let key = app
        .post_json(&user, "/api/keys", json!({"name": "backup script"}))
        .await;
    let response = reqwest::Client::new()
        .post(app.url("/api/exports"))
        .bearer_auth(key["secret"].as_str().unwrap())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["export"]["image_count"], 1);
}

/// An export made on one instance, imported into an account of another
/// with the command line (twice: the second run adds nothing), then made
/// again from its recipes there: the offline engine gives the same bytes.
#[tokio::test]
async fn the_import_and_reproduce_commands_bring_an_export_to_another_instance() {
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;
    let ids = app
        .generated_ids(&user, "a paper boat on a puddle", 2)
        .await;
    let favourite = user
        .client
        .patch(app.url(&format!("/api/images/{}", ids[0])))
        .json(&json!({"favorite": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(favourite.status(), StatusCode::OK);
    let export = export_ok(&app, &user, json!({})).await;
    let zip = reqwest::get(export["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let zip_path = folder.path().join("export.zip");
    std::fs::write(&zip_path, &zip).unwrap();

    // An account on the other instance.
    let data = folder.path().join("laptop");
    let mut served = ServedBinary::start(&data, &[], std::process::Stdio::null());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signup = client
        .post(served.url("/api/auth/signup"))
        .json(&json!({"email": "ada@example.com", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    served.kill();

    let run = |args: &[&str]| {
        let output = binary(&data).args(args).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let zip_arg = zip_path.to_str().unwrap();
    let (ok, _, stderr) = run(&["import", "--email", "nobody@example.com", zip_arg]);
    assert!(!ok && stderr.contains("no local account"), "{stderr}");
    let (ok, stdout, stderr) = run(&["import", "--email", "ADA@example.com", zip_arg]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 2 images") && stdout.contains("0 were there already"),
        "{stdout}"
    );
    let (ok, stdout, stderr) = run(&["import", "--email", "ada@example.com", zip_arg]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("imported 0 images") && stdout.contains("2 were there already"),
        "{stdout}"
    );

    let (ok, stdout, stderr) = run(&["reproduce", zip_arg]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 of 2 identical"), "{stdout}");

    // A damaged export is refused whole.
    let mut damaged = zip.to_vec();
    let at = damaged
        .windows(4)
        .position(|w| w == b"\xff\xd8\xff\xe0")
        .unwrap()
        + 200;
    damaged[at] ^= 0xff;
    let damaged_path = folder.path().join("damaged.zip");
    std::fs::write(&damaged_path, &damaged).unwrap();
    let (ok, _, stderr) = run(&[
        "import",
        "--email",
        "ada@example.com",
        damaged_path.to_str().unwrap(),
    ]);
    assert!(
        !ok && stderr.contains("damaged (nothing was imported)"),
        "{stderr}"
    );

    let served = ServedBinary::start(&data, &[], std::process::Stdio::null());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    client
        .post(served.url("/api/auth/login"))
        .json(&json!({"email": "ada@example.com", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let page: Value = client
        .get(served.url("/api/images"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["prompt"], "a paper boat on a puddle");
    let mut favourites: Vec<bool> = items
        .iter()
        .map(|item| item["favorite"].as_bool().unwrap())
        .collect();
    favourites.sort();
    assert_eq!(favourites, vec![false, true], "the favourite stays one");
}
