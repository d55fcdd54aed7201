//! Where images and their records live: object storage for the files (local
//! folder or S3, with the URLs browsers load them by), the metadata store
//! (SQLite or DynamoDB), the AWS plumbing both cloud backends share, and the
//! choice between them made from the settings.

pub mod aws;
pub mod backends;
pub mod media;
pub mod metadata;
