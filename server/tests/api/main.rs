//! Integration tests: the real application on a free port, driven over HTTP.

mod accounts;
mod bulk;
mod clerk;
mod collections;
mod crash;
mod drafts;
mod engine_cli;
mod exports;
mod fake_clerk;
mod fake_together;
mod gallery;
mod generations;
mod helpers;
mod hostile;
mod journey;
mod keys;
mod lambda;
mod media;
mod observability;
mod operations;
mod protection;
mod reproduce;
mod service;
mod shares;
mod together;
mod trash;
