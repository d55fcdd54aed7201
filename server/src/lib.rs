//! PromptCanvas Pro: an AI image studio server.
//!
//! The crate is grouped by job, in layers that only look down: `settings`
//! (read once at start-up) and `text` (what validators share) at the bottom;
//! `store` keeps files and records and `telemetry` counts; `auth` says how
//! people sign in, `generation` and `gallery` hold the workflows, each with
//! its own error, and `operations` what the operator sees (error reports,
//! statistics); `http` is the edge that turns requests into workflow calls
//! and errors into answers; `app` builds it all and runs it (server, Lambda).
//! `tools/check_module_layers.py` fails on any cycle between them.

pub mod app;
pub mod auth;
pub mod gallery;
pub mod generation;
pub(crate) mod http;
pub mod operations;
pub mod settings;
pub mod store;
pub(crate) mod telemetry;
pub(crate) mod text;

pub use app::{Application, build_state};
pub use http::router;
