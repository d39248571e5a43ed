//! Albumen: a self-hosted image store.
//!
//! The crate is split by what each part is about: `http` holds the thin handlers per resource,
//! `auth` and `albums` the domain rules, `db` the schema, models and the embedded Postgres,
//! `config` the one typed `Settings`, `error` the one problem+json mapping, `jobs` the durable
//! background work in Postgres.

pub mod albums;
pub mod auth;
pub mod bulk;
pub mod cli;
pub mod config;
pub mod db;
pub mod downloads;
pub mod error;
pub mod http;
pub mod images;
pub mod imaging;
pub mod jobs;
pub mod renditions;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod trash;
pub mod uploads;
pub mod users;

pub use error::ApiError;
