//! Integration tests: the real application on a free port, driven over HTTP.

mod accounts;
mod gallery;
mod generations;
mod helpers;
mod journey;
mod media;
mod service;
