//! Integration tests: the real app on a random port against a real Postgres.

/// Runs each `async fn name(backend: Backend)` as two tests, `files::name` and `s3::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod files {
            $(#[tokio::test]
            async fn $name() {
                super::$name(crate::helpers::Backend::Files).await
            })*
        }
        mod s3 {
            $(#[tokio::test]
            async fn $name() {
                super::$name(crate::helpers::Backend::S3).await
            })*
        }
    };
}

mod abuse;
mod albums;
mod auth;
mod bulk;
mod chaos;
mod contract;
mod crash;
mod docs;
mod downloads;
mod embedded_db;
mod encoders;
mod failures;
mod faulty_store;
mod formats;
mod hardening;
mod helpers;
mod images;
mod jobs;
mod ops;
mod outages;
mod pictures;
mod replicas;
mod s3;
mod s3_server;
mod search;
mod server_process;
mod soak;
mod storage;
mod test_db;
mod tokens;
mod trash;
