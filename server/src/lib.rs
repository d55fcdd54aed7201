//! PromptCanvas Pro: an AI image studio server.
//!
//! The crate is grouped by job: `app` starts the product (state, Lambda
//! entry), `http` is the edge, `auth` says who is asking, `generation` and
//! `gallery` hold the workflows, `store` keeps files and records, and
//! `telemetry` reports on it all. `settings` are read once at start-up and
//! read by every group, so they depend on none; `text` holds the character
//! rules that validators and the API document share.

pub mod app;
pub mod auth;
pub mod gallery;
pub mod generation;
pub(crate) mod http;
pub mod settings;
pub mod store;
pub(crate) mod telemetry;
pub(crate) mod text;

pub use app::{Application, build_state};
pub use http::router;
