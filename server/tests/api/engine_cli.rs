//! `promptcanvas render` and `promptcanvas explain`: the offline engine from
//! the command line, with no server and no database.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, binary};

#[test]
fn explain_prints_the_plan_the_engine_draws_from() {
    let data = tempfile::tempdir().unwrap();
    let output = binary(data.path())
        .args(["explain", "a red car under a blue sky"])
        .output()
        .unwrap();

    assert!(output.status.success(), "{output:?}");
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap();
    let subjects = plan["subjects"].as_array().unwrap();
    assert!(
        subjects.contains(&json!({"kind": "car", "color": "red"})),
        "{plan}"
    );
    assert_eq!(plan["colors"]["sky"], "blue", "{plan}");
    for field in ["scene", "style", "time"] {
        assert!(plan[field].is_string(), "{field} in {plan}");
    }
    assert!(
        !data.path().join("promptcanvas.db").exists(),
        "no database is opened"
    );
}

#[tokio::test]
async fn render_writes_the_picture_the_offline_model_makes() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let out = data.path().join("fox.jpg");
    let app = TestApp::spawn().await;
    let user = app.signed_in_user().await;

    // Act
    let render = |path: &std::path::Path| {
        binary(data.path())
            .args([
                "render", "--width", "320", "--height", "256", "--steps", "2",
            ])
            .args(["--seed", "5", "--out"])
            .arg(path)
            .arg("a fox in a pine forest")
            .output()
            .unwrap()
    };
    let first = render(&out);
    let again = render(&data.path().join("again.jpg"));
    let generation = app
        .generate_ok(
            &user,
            json!({"prompt": "a fox in a pine forest", "width": 320, "height": 256,
                   "steps": 2, "seed": 5}),
        )
        .await;
    let id = generation["images"][0]["id"].as_str().unwrap();
    let download = user
        .client
        .get(app.url(&format!("/api/images/{id}/download")))
        .send()
        .await
        .unwrap();

    // Assert
    assert!(first.status.success(), "{first:?}");
    assert!(again.status.success(), "{again:?}");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..3], [0xFF, 0xD8, 0xFF], "a JPEG");
    assert_eq!(bytes, std::fs::read(data.path().join("again.jpg")).unwrap());
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let refused = binary(data.path())
        .args(["render", "--steps", "9", "--out"])
        .arg(data.path().join("no.jpg"))
        .arg("x")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(!data.path().join("no.jpg").exists());
}
