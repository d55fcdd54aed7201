//! `index.html`, the export's contact sheet: every image with its prompt and
//! settings, in one file that opens from disk with no server and no network
//! (inline style and script, images by their relative paths in the ZIP), and
//! a search box that filters by prompt, model and collection.

use std::fmt::Write;

use crate::{gallery::export::recipes::Recipes, text::escape_html as escape};

const STYLE: &str = "\
:root{color-scheme:light dark;font-family:system-ui,sans-serif}\
body{margin:0;padding:1.5rem;background:Canvas;color:CanvasText}\
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;margin-bottom:1.5rem}\
h1{font-size:1.4rem;margin:0}\
input{font:inherit;padding:.4rem .6rem;min-width:16rem;border:1px solid GrayText;border-radius:.4rem}\
ul{list-style:none;margin:0;padding:0;display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}\
li{border:1px solid color-mix(in srgb,GrayText 40%,transparent);border-radius:.6rem;overflow:hidden}\
img{display:block;width:100%;height:auto;background:color-mix(in srgb,GrayText 20%,transparent)}\
.about{padding:.75rem}\
.prompt{margin:0 0 .5rem;line-height:1.35}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;margin:0;font-size:.85rem}\
dt{color:GrayText}dd{margin:0;overflow-wrap:anywhere}\
[hidden]{display:none}";

/// Hides the cards whose text does not hold every word typed.
const SCRIPT: &str = "\
const box=document.getElementById('search');\
const cards=[...document.querySelectorAll('li')];\
const count=document.getElementById('count');\
box.addEventListener('input',()=>{\
const words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);let shown=0;\
for(const card of cards){const hit=words.every(w=>card.dataset.text.includes(w));card.hidden=!hit;if(hit)shown++;}\
count.textContent=shown+' of '+cards.length;});";

/// The contact sheet of `recipes`.
pub fn render(recipes: &Recipes) -> String {
    let count = recipes.images.len();
    let mut html = String::with_capacity(2048 + count * 900);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>PromptCanvas export — {count} images</title><style>{STYLE}</style></head><body>\
         <header><h1>PromptCanvas export</h1><span>exported {}</span>\
         <label>Search <input id=\"search\" type=\"search\" placeholder=\"prompt, model, collection\"></label>\
         <span id=\"count\" aria-live=\"polite\">{count} of {count}</span></header><ul>",
        escape(&recipes.exported_at),
    );
    for image in &recipes.images {
        let text = format!(
            "{} {} {} {}",
            image.prompt,
            image.model,
            image.style,
            image.collections.join(" ")
        )
        .to_lowercase();
        let _ = write!(
            html,
            "<li data-text=\"{}\"><a href=\"{file}\"><img src=\"{file}\" width=\"{}\" height=\"{}\" loading=\"lazy\" alt=\"{}\"></a>\
             <div class=\"about\"><p class=\"prompt\">{}{}</p><dl>",
            escape(&text),
            image.width,
            image.height,
            escape(&image.prompt),
            if image.favorite { "★ " } else { "" },
            escape(&image.prompt),
            file = escape(&image.file),
        );
        let mut row = |name: &str, value: &str| {
            let _ = write!(html, "<dt>{name}</dt><dd>{}</dd>", escape(value));
        };
        if let Some(negative) = &image.negative_prompt {
            row("Avoid", negative);
        }
        row("Model", &image.model);
        row("Size", &format!("{} × {}", image.width, image.height));
        row("Steps", &image.steps.to_string());
        row("Seed", &image.seed.to_string());
        row("Style", &image.style);
        row("Made", &image.created_at);
        if !image.collections.is_empty() {
            row("Collections", &image.collections.join(", "));
        }
        row("SHA-256", &image.sha256);
        html.push_str("</dl></div></li>");
    }
    html.push_str("</ul><script>");
    html.push_str(SCRIPT);
    html.push_str("</script></body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery::export::recipes::{FORMAT, Recipe};

    fn recipe(prompt: &str) -> Recipe {
        Recipe {
            id: "01J".into(),
            file: "images/20261202T164107Z_01J.jpg".into(),
            sha256: "ab".repeat(32),
            prompt: prompt.into(),
            negative_prompt: None,
            model: "offline-preview".into(),
            provider: "offline".into(),
            width: 1024,
            height: 768,
            steps: 4,
            seed: 7,
            style: "none".into(),
            created_at: "2026-12-02T16:41:07Z".into(),
            favorite: true,
            collections: vec!["Trips".into()],
        }
    }

    #[test]
    fn the_sheet_names_each_image_by_its_path_and_escapes_prompts() {
        let html = render(&Recipes {
            format: FORMAT.into(),
            exported_at: "2026-12-02T17:00:00Z".into(),
            images: vec![recipe("a <b>cat</b> & \"dog\"")],
        });
        assert!(html.contains("src=\"images/20261202T164107Z_01J.jpg\""));
        assert!(html.contains("a &lt;b&gt;cat&lt;/b&gt; &amp; &quot;dog&quot;"));
        assert!(!html.contains("<b>cat"));
        assert!(html.contains("<dt>Collections</dt><dd>Trips</dd>"));
        // Nothing is loaded from elsewhere.
        assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("//"));
    }
}
