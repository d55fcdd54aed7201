//! Reading an export back (for `promptcanvas import` and `reproduce`): its
//! `recipes.json`, accepted only once every file it names is in the ZIP with
//! the SHA-256 it gives, and then the files one at a time.

use std::{
    io::{Read, Seek},
    sync::{Arc, Mutex},
};

use anyhow::{Context, bail};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::gallery::export::recipes::{FORMAT, Recipes};

/// An export's ZIP, read on blocking threads.
pub struct ExportArchive<R> {
    zip: Arc<Mutex<zip::ZipArchive<R>>>,
}

impl<R: Read + Seek + Send + 'static> ExportArchive<R> {
    pub fn open(reader: R) -> anyhow::Result<Self> {
        let zip = zip::ZipArchive::new(reader).context("this file is not a ZIP")?;
        Ok(Self {
            zip: Arc::new(Mutex::new(zip)),
        })
    }

    /// `recipes.json`, once every file it names has been checked.
    pub async fn checked_recipes(&self) -> anyhow::Result<Recipes> {
        let zip = self.zip.clone();
        tokio::task::spawn_blocking(move || {
            let mut zip = zip.lock().expect("the archive lock is never poisoned");
            checked_recipes(&mut zip)
        })
        .await?
    }

    /// One file's bytes.
    pub async fn read(&self, name: &str) -> anyhow::Result<Bytes> {
        let (zip, name) = (self.zip.clone(), name.to_owned());
        tokio::task::spawn_blocking(move || {
            let mut zip = zip.lock().expect("the archive lock is never poisoned");
            let mut file = zip
                .by_name(&name)
                .with_context(|| format!("reading {name}"))?;
            let mut bytes = Vec::with_capacity(file.size().min(1 << 30) as usize);
            file.read_to_end(&mut bytes)
                .with_context(|| format!("reading {name}"))?;
            anyhow::Ok(Bytes::from(bytes))
        })
        .await?
    }
}

fn checked_recipes<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> anyhow::Result<Recipes> {
    let recipes: Recipes = {
        let file = zip
            .by_name("recipes.json")
            .context("the ZIP has no recipes.json: it is not a PromptCanvas export")?;
        serde_json::from_reader(file).context("recipes.json is not valid")?
    };
    if recipes.format != FORMAT {
        bail!(
            "recipes.json is in format {:?}; this version reads {FORMAT:?}",
            recipes.format
        );
    }
    let mut bad = Vec::new();
    for recipe in &recipes.images {
        let mut file = zip
            .by_name(&recipe.file)
            .with_context(|| format!("recipes.json names {}, which the ZIP lacks", recipe.file))?;
        let mut hasher = Sha256::new();
        // The ZIP's own CRC is checked as the file is read.
        std::io::copy(&mut file, &mut hasher)
            .with_context(|| format!("{} is damaged (nothing was imported)", recipe.file))?;
        if hex::encode(hasher.finalize()) != recipe.sha256.to_ascii_lowercase() {
            bad.push(recipe.file.clone());
        }
    }
    if !bad.is_empty() {
        bail!(
            "{} files do not match their SHA-256 in recipes.json (nothing was imported): {}",
            bad.len(),
            bad.join(", ")
        );
    }
    Ok(recipes)
}
