//! An export on every pair of stores, imported into the other pair: the ZIP
//! holds the chosen images byte for byte with their recipes and an offline
//! contact sheet, and importing it gives another gallery the same images,
//! settings, favourites and collections — once, however often it is run.

use std::io::{Cursor, Read};

use promptcanvas::{
    gallery::export::{archive::ExportArchive, recipes::Recipes},
    gallery::import::{ImportReport, import},
    store::metadata::{ImageQuery, User},
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{app::App, backends, backends::Backend, metadata_cases::new_user};

async fn post(
    app: &App,
    person: &crate::app::Person,
    path: &str,
    body: Value,
) -> reqwest::Response {
    person
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn export(app: &App, person: &crate::app::Person, body: Value) -> Value {
    let response = post(app, person, "/api/exports", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["export"].clone()
}

pub async fn an_export_holds_the_selection_and_imports_into_the_other_store(backend: Backend) {
    let app = App::spawn(backend.media.clone(), backend.metadata.clone()).await;
    let person = app.person().await;
    let made: Value = post(
        &app,
        &person,
        "/api/generations",
        json!({"prompt": "a red fox in deep snow", "width": 256, "height": 256, "n": 3}),
    )
    .await
    .json()
    .await
    .unwrap();
    let ids: Vec<String> = made["generation"]["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| image["id"].as_str().unwrap().to_owned())
        .collect();
    let (favourite, in_winter, trashed) = (&ids[0], &ids[1], &ids[2]);
    let bulk = |action: &str, ids: &[&String], collection: Option<&str>| json!({"action": action, "ids": ids, "collection_id": collection});
    post(
        &app,
        &person,
        "/api/images/bulk",
        bulk("favorite", &[favourite], None),
    )
    .await;
    let winter: Value = post(&app, &person, "/api/collections", json!({"name": "Winter"}))
        .await
        .json()
        .await
        .unwrap();
    let winter = winter["id"].as_str().unwrap();
    let added = post(
        &app,
        &person,
        "/api/images/bulk",
        bulk("add_to_collection", &[in_winter, favourite], Some(winter)),
    )
    .await;
    assert_eq!(added.status(), StatusCode::OK);
    post(
        &app,
        &person,
        &format!("/api/images/{trashed}/trash"),
        json!({}),
    )
    .await;

    // Everything not in the trash.
    let everything = export(&app, &person, json!({})).await;
    assert_eq!(everything["image_count"], 2);
    let zip_bytes = person
        .client
        .get(everything["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(everything["bytes"], zip_bytes.len() as u64);
    let mut zip = zip::ZipArchive::new(Cursor::new(zip_bytes.clone())).unwrap();
    let recipes: Recipes = serde_json::from_reader(zip.by_name("recipes.json").unwrap()).unwrap();
    assert_eq!(recipes.format, "promptcanvas.recipes/1");
    let exported: Vec<String> = recipes.images.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        exported,
        app.gallery_ids(&person).await,
        "in the gallery's order"
    );
    let mut sheet = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    for recipe in &recipes.images {
        let record = backend
            .metadata
            .get_image(&person.id, &recipe.id)
            .await
            .unwrap()
            .unwrap();
        let original = backend
            .media
            .get(&record.object_key)
            .await
            .unwrap()
            .unwrap();
        let mut file = Vec::new();
        zip.by_name(&recipe.file)
            .unwrap()
            .read_to_end(&mut file)
            .unwrap();
        assert_eq!(file, original, "the original, byte for byte");
        assert_eq!(recipe.sha256, hex::encode(Sha256::digest(&file)));
        assert!(
            recipe.file.starts_with("images/")
                && recipe.file.ends_with(&format!("_{}.jpg", recipe.id))
        );
        assert_eq!((recipe.seed, recipe.steps), (record.seed, record.steps));
        assert_eq!(recipe.favorite, &recipe.id == favourite);
        assert_eq!(recipe.collections, vec!["Winter".to_owned()]);
        assert!(sheet.contains(&format!("src=\"{}\"", recipe.file)));
    }

    // The other selections.
    assert_eq!(
        export(&app, &person, json!({"favorites": true})).await["image_count"],
        1
    );
    assert_eq!(
        export(&app, &person, json!({"collection_id": winter})).await["image_count"],
        2
    );
    assert_eq!(
        export(&app, &person, json!({"ids": [in_winter, in_winter]})).await["image_count"],
        1
    );
    let refused = post(&app, &person, "/api/exports", json!({"ids": [trashed]})).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let listed: Value = person
        .client
        .get(app.url("/api/exports"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 4);
    assert_eq!(listed["items"][3]["id"], everything["id"], "newest first");
    assert_eq!(listed["items"][0]["image_count"], 1);

    // Into the other pair of stores, twice.
    let other = if backend.media.external_origin().is_some() {
        backends::local().await
    } else {
        backends::aws().await
    };
    let owner: User = new_user();
    other
        .metadata
        .create_user(&owner, Some("hash"))
        .await
        .unwrap();
    let archive = ExportArchive::open(Cursor::new(zip_bytes.to_vec())).unwrap();
    for (run, expected) in [
        (
            "first",
            ImportReport {
                imported: 2,
                skipped: 0,
                collections_made: 1,
            },
        ),
        (
            "again",
            ImportReport {
                imported: 0,
                skipped: 2,
                collections_made: 0,
            },
        ),
    ] {
        let report = import(
            other.metadata.as_ref(),
            &other.media,
            &owner.id,
            &archive,
            1 << 24,
        )
        .await
        .unwrap();
        assert_eq!(report, expected, "{run} import");
    }
    let gallery = other
        .metadata
        .list_images(
            &owner.id,
            &ImageQuery {
                limit: 10,
                ..ImageQuery::default()
            },
        )
        .await
        .unwrap()
        .items;
    assert_eq!(gallery.len(), 2);
    let collections = other.metadata.list_collections(&owner.id).await.unwrap();
    assert_eq!(collections.len(), 1);
    assert_eq!(
        (collections[0].name.as_str(), collections[0].image_count),
        ("Winter", 2)
    );
    for image in &gallery {
        let stored = other.media.get(&image.object_key).await.unwrap().unwrap();
        let sha256 = hex::encode(Sha256::digest(&stored));
        let recipe = recipes
            .images
            .iter()
            .find(|recipe| recipe.sha256 == sha256)
            .expect("each imported image is an exported one, byte for byte");
        assert_eq!(
            (
                image.prompt.as_str(),
                image.seed,
                image.steps,
                image.model.as_str(),
                image.favorite
            ),
            (
                recipe.prompt.as_str(),
                recipe.seed,
                recipe.steps,
                recipe.model.as_str(),
                recipe.favorite
            )
        );
        assert_eq!(image.created_at, recipe.created().unwrap());
        assert_eq!(image.collection_ids, vec![collections[0].id.clone()]);
        assert!(
            other
                .media
                .get(&image.thumbnail_key)
                .await
                .unwrap()
                .is_some()
        );
    }
}
