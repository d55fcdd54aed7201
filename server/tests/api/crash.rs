//! The real binary killed in the middle of generations: after a restart and
//! a sweep, each month counts exactly the images that were made, and no file
//! is left that no image names.

use std::{process::Stdio, time::Duration};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ServedBinary, binary, files_under};

const PEOPLE: usize = 4;

/// Signs a person up (`/api/auth/signup`, 201) or in again on a server
/// started afresh (`/api/auth/login`, 200); their client keeps the session.
async fn session(server: &ServedBinary, path: &str, email: &str, expected: StatusCode) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let response = client
        .post(server.url(path))
        .json(&json!({"email": email, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), expected);
    client
}

/// `(images kept, generations counted this month)` for everyone.
async fn counts(server: &ServedBinary, emails: &[String]) -> (u64, u64) {
    let (mut images, mut generations) = (0, 0);
    for email in emails {
        let client = session(server, "/api/auth/login", email, StatusCode::OK).await;
        let me: Value = client
            .get(server.url("/api/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        images += me["usage"]["images"].as_u64().unwrap();
        generations += me["usage"]["generations_this_month"].as_u64().unwrap();
    }
    (images, generations)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_generation_is_set_right_by_the_sweep() {
    // Arrange: four people generating four 1024² images at a time, again and again.
    let data = tempfile::tempdir().unwrap();
    let settings = [
        ("RATE_LIMIT_GENERATIONS_PER_MINUTE", "1000"),
        ("MONTHLY_GENERATION_QUOTA", "100000"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "1000"),
    ];
    let mut server = ServedBinary::start(data.path(), &settings, Stdio::null());
    let emails: Vec<String> = (0..PEOPLE)
        .map(|person| format!("crash{person}@example.com"))
        .collect();
    let mut generating = Vec::new();
    for email in &emails {
        let client = session(&server, "/api/auth/signup", email, StatusCode::CREATED).await;
        let url = server.url("/api/generations");
        generating.push(tokio::spawn(async move {
            let body =
                json!({"prompt": "a lighthouse in a storm", "width": 1024, "height": 1024, "n": 4});
            // Until the server dies under it.
            while client.post(&url).json(&body).send().await.is_ok() {}
        }));
    }

    // Act: kill it mid-generation, start it again, and sweep.
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.kill();
    for person in generating {
        person.await.unwrap();
    }
    let server = ServedBinary::start(data.path(), &settings, Stdio::null());
    let (images_before, counted_before) = counts(&server, &emails).await;
    let sweep = binary(data.path())
        .arg("sweep")
        .env("ORPHAN_GRACE_SECS", "0")
        .output()
        .expect("sweep runs");
    let (images, counted) = counts(&server, &emails).await;

    // Assert
    assert!(sweep.status.success(), "{sweep:?}");
    assert!(images > 0, "no generation finished before the kill");
    assert!(
        counted_before > images_before,
        "the kill stopped no generation half-way: {counted_before} counted, {images_before} made"
    );
    assert_eq!(images, images_before, "the sweep removed recorded images");
    assert_eq!(counted, images, "each month counts exactly the images made");
    assert_eq!(
        files_under(&data.path().join("images")),
        2 * images as usize,
        "every file left is an image's original or thumbnail"
    );
}
