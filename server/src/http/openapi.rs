//! The API document, generated from the handlers and types themselves.

use utoipa::OpenApi;

use crate::http::routes::{auth, generations, images, service};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PromptCanvas Pro API",
        description = "Generate images from prompts and keep them in a personal gallery. \
            Errors are RFC 9457 problem details with a stable `code`."
    ),
    paths(
        service::health,
        service::config,
        service::openapi,
        auth::signup,
        auth::login,
        auth::logout,
        auth::me,
        generations::create_generation,
        images::list_images,
        images::get_image,
        images::update_image,
        images::delete_image,
        images::download_image,
    ),
    components(schemas(crate::http::error::Problem, crate::http::error::FieldError)),
    tags(
        (name = "service", description = "Health, start-up configuration and this document"),
        (name = "accounts", description = "Built-in accounts and sessions"),
        (name = "generation", description = "Making images from prompts"),
        (name = "gallery", description = "The caller's stored images"),
    )
)]
pub struct ApiDoc;
