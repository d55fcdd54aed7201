//! `promptcanvas reproduce <export.zip>`: every image of an export made again
//! from its recipe by this server's provider and compared with the file in
//! the ZIP, as a table: the offline engine gives identical bytes, a hosted
//! model a small pixel difference.

use std::{
    fmt::Write,
    io::{Read, Seek},
};

use crate::{
    gallery::export::{archive::ExportArchive, recipes::Recipe},
    generation::{
        pipeline::Generator,
        reproduce::{Reproduction, Settings},
    },
};

/// One recipe's result: how the image made again compares, or why it was not made.
pub struct Checked {
    pub recipe: Recipe,
    pub outcome: Result<Reproduction, String>,
}

impl Checked {
    pub fn identical(&self) -> bool {
        matches!(&self.outcome, Ok(reproduction) if reproduction.identical)
    }
}

/// Makes every image of the export again, one at a time.
pub async fn check<R: Read + Seek + Send + 'static>(
    generator: &Generator<'_>,
    archive: &ExportArchive<R>,
) -> anyhow::Result<Vec<Checked>> {
    let recipes = archive.checked_recipes().await?;
    let mut results = Vec::with_capacity(recipes.images.len());
    for recipe in recipes.images {
        let original = archive.read(&recipe.file).await?;
        let settings = Settings {
            prompt: &recipe.prompt,
            negative_prompt: recipe.negative_prompt.as_deref(),
            model: &recipe.model,
            provider: &recipe.provider,
            width: recipe.width,
            height: recipe.height,
            steps: recipe.steps,
            seed: recipe.seed,
            style: &recipe.style,
        };
        let outcome = generator
            .remake(&settings, original)
            .await
            .map_err(|error| error.to_string());
        results.push(Checked { recipe, outcome });
    }
    Ok(results)
}

/// The results as a table, one image a line, and a last line of totals.
pub fn table(results: &[Checked]) -> String {
    let mut out = format!("{:<28} {:<24} result\n", "image", "model");
    for checked in results {
        let result = match &checked.outcome {
            Ok(reproduction) if reproduction.identical => "identical".to_owned(),
            Ok(reproduction) => format!("differs by {:.4}", reproduction.difference),
            Err(reason) => format!("not made: {reason}"),
        };
        let _ = writeln!(
            out,
            "{:<28} {:<24} {result}",
            checked.recipe.id, checked.recipe.model
        );
    }
    let identical = results.iter().filter(|checked| checked.identical()).count();
    let _ = writeln!(out, "{identical} of {} identical", results.len());
    out
}
