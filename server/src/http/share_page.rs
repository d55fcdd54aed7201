//! The page of a share link, `GET /s/{token}`: rendered on the server, so it
//! works without JavaScript and link previews (Open Graph, Twitter cards)
//! see the picture. Its policy lets in no script at all. The link serves its
//! images itself (`/s/{token}/i/{public id}` and its `/thumbnail`, and
//! `/s/{token}/image` for previews), so a crawler that comes back days later
//! still finds them while the link stands, and no URL names a stored file
//! (whose names hold the owner's id).

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::{
    gallery::shares::{self, Shared},
    http::error::ApiError,
    http::routes::shares::{PublicImage, origin, public_images, resolve, share_of_token},
    http::state::AppState,
    store::metadata::ShareKind,
    text::escape_html as escape,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{token}", get(page))
        .route("/{token}/image", get(preview_image))
        .route("/{token}/i/{image}", get(original))
        .route("/{token}/i/{image}/thumbnail", get(thumbnail))
}

const STYLE: &str = "\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#0b0d12;color:#e8eaf0}\
main{max-width:72rem;margin:0 auto;padding:1.5rem}\
h1{font-size:1.25rem;font-weight:600;margin:0 0 1rem;line-height:1.4;overflow-wrap:anywhere}\
.grid{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr))}\
figure{margin:0;border-radius:.5rem;overflow:hidden;background:#161a22}\
img{display:block;width:100%;height:auto}\
figcaption{padding:.5rem .75rem;font-size:.875rem;color:#aab0c0;overflow-wrap:anywhere}\
.single img{max-height:80vh;object-fit:contain}\
footer{margin-top:1.5rem;font-size:.875rem;color:#aab0c0}\
a{color:#9db7ff}";

/// The page's policy: no scripts, no frames, only its own inline style and
/// the link's own images.
fn policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; img-src 'self'; style-src 'sha256-{hash}'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// How long a browser may keep a shared image: an ended link stops showing
/// within this many seconds even where the image was already loaded.
const IMAGE_CACHE_SECS: u32 = 60;

/// `text` cut to `max` characters, with an ellipsis when cut.
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn render(shared: &Shared, images: &[PublicImage], page_url: &str) -> String {
    let collection = shared.share.kind == ShareKind::Collection;
    let title = shared.title.as_deref().map_or_else(
        || {
            if collection {
                "A collection".to_owned()
            } else {
                "An image".to_owned()
            }
        },
        |title| shortened(title, 120),
    );
    let first = images.first();
    let mut head = format!(
        "<meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:site_name\" content=\"PromptCanvas\">\
         <meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:url\" content=\"{page_url}\">\
         <meta name=\"twitter:title\" content=\"{title}\">",
        title = escape(&title),
        page_url = escape(page_url),
    );
    if let Some(image) = first {
        head.push_str(&format!(
            "<meta property=\"og:image\" content=\"{url}\">\
             <meta property=\"og:image:width\" content=\"{w}\">\
             <meta property=\"og:image:height\" content=\"{h}\">\
             <meta name=\"twitter:card\" content=\"summary_large_image\">\
             <meta name=\"twitter:image\" content=\"{url}\">",
            url = escape(&format!("{page_url}/image")),
            w = image.width,
            h = image.height,
        ));
    }
    if let Some(prompt) = first
        .and_then(|image| image.prompt.as_deref())
        .filter(|_| !collection && shared.share.show_prompt)
    {
        let prompt = escape(&shortened(prompt, 300));
        head.push_str(&format!(
            "<meta property=\"og:description\" content=\"{prompt}\">\
             <meta name=\"twitter:description\" content=\"{prompt}\">"
        ));
    }
    let figures: String = images
        .iter()
        .map(|image| {
            let (source, alt) = if collection {
                (
                    &image.thumbnail_url,
                    image.prompt.as_deref().unwrap_or("An image"),
                )
            } else {
                (
                    &image.url,
                    image.prompt.as_deref().unwrap_or("The shared image"),
                )
            };
            format!(
                "<figure><img src=\"{src}\" alt=\"{alt}\" width=\"{w}\" height=\"{h}\" \
                 loading=\"lazy\"><figcaption>{caption}</figcaption></figure>",
                src = escape(source),
                alt = escape(&shortened(alt, 300)),
                w = image.width,
                h = image.height,
                caption = escape(&format!(
                    "{} · {}×{}",
                    image.model, image.width, image.height
                )),
            )
        })
        .collect();
    let layout = if collection { "grid" } else { "single" };
    let robots = "<meta name=\"robots\" content=\"noindex, nofollow\">";
    let heading = escape(&title);
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading} · PromptCanvas</title>{robots}{head}<style>{STYLE}</style></head>\
         <body><main><h1>{heading}</h1><div class=\"{layout}\">{figures}</div>\
         <footer>Made with <a href=\"{home}/\">PromptCanvas</a></footer></main></body></html>",
        home = escape(origin_of(page_url)),
    )
}

/// The site's own address, from the page's.
fn origin_of(page_url: &str) -> &str {
    page_url.rfind("/s/").map_or("", |at| &page_url[..at])
}

fn not_found_page() -> Response {
    let body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"robots\" content=\"noindex\"><title>Link not found · PromptCanvas</title></head>\
        <body><main><h1>This link does not work</h1>\
        <p>It may have been revoked, or what it showed was deleted.</p></main></body></html>";
    html(StatusCode::NOT_FOUND, body.to_owned(), None)
}

fn html(status: StatusCode, body: String, policy: Option<String>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let policy = policy.unwrap_or_else(|| {
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'".into()
    });
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let shared = match resolve(&state, &token).await {
        Ok(shared) => shared,
        Err(ApiError::NotFound) => return not_found_page(),
        Err(error) => return error.into_response(),
    };
    let images = public_images(&state, &headers, &shared);
    let page_url = format!("{}/s/{token}", origin(&state, &headers));
    let body = render(&shared, &images, &page_url);
    html(StatusCode::OK, body, Some(policy()))
}

/// Which file of an image a link serves.
#[derive(Clone, Copy)]
enum File {
    Original,
    Thumbnail,
}

/// One file of one of the link's images, read from the media store; with
/// no image named, the preview: the shared image itself, or a collection's
/// newest image's thumbnail.
async fn serve(state: &AppState, token: &str, image: Option<&str>, file: File) -> Response {
    let answer = async {
        let (record, file) = match image {
            Some(public_id) => {
                let share = share_of_token(state, token).await?;
                let image_id = shares::image_id(state.media.signer(), &share.id, public_id)
                    .ok_or(ApiError::NotFound)?;
                let record = shares::shared_image(state.metadata.as_ref(), &share, image_id)
                    .await?
                    .ok_or(ApiError::NotFound)?;
                (record, file)
            }
            None => {
                let shared = resolve(state, token).await?;
                let file = match shared.share.kind {
                    ShareKind::Image => file,
                    ShareKind::Collection => File::Thumbnail,
                };
                let record = shared.images.into_iter().next().ok_or(ApiError::NotFound)?;
                (record, file)
            }
        };
        let (key, content_type) = match file {
            File::Original => (&record.object_key, record.content_type.as_str()),
            File::Thumbnail => (&record.thumbnail_key, "image/jpeg"),
        };
        let bytes = state.media.get(key).await?.ok_or(ApiError::NotFound)?;
        Ok::<_, ApiError>((bytes, content_type.to_owned()))
    };
    match answer.await {
        Ok((bytes, content_type)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) =
                HeaderValue::from_str(&format!("private, max-age={IMAGE_CACHE_SECS}"))
            {
                headers.insert(header::CACHE_CONTROL, value);
            }
            headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
            response
        }
        Err(error) => error.into_response(),
    }
}

/// The preview image: the shared image itself, or a collection's newest
/// image's thumbnail.
async fn preview_image(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let file = match resolve(&state, &token)
        .await
        .map(|shared| shared.share.kind)
    {
        Ok(ShareKind::Image) => File::Original,
        _ => File::Thumbnail,
    };
    serve(&state, &token, None, file).await
}

async fn original(
    State(state): State<AppState>,
    Path((token, image)): Path<(String, String)>,
) -> Response {
    serve(&state, &token, Some(&image), File::Original).await
}

async fn thumbnail(
    State(state): State<AppState>,
    Path((token, image)): Path<(String, String)>,
) -> Response {
    serve(&state, &token, Some(&image), File::Thumbnail).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html_and_attributes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn long_text_is_cut_on_a_character() {
        assert_eq!(shortened("ééééé", 3), "ééé…");
        assert_eq!(shortened("abc", 3), "abc");
    }
}
