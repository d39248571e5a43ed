//! The concrete object stores behind `Storage`.

use std::path::Path as FsPath;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::{ClientOptions, RetryConfig};

use super::StorageError;
use crate::config::StorageSettings;

/// A directory of files, created when missing; empty directories left by deletes are removed.
pub fn local(root: &FsPath) -> Result<LocalFileSystem, StorageError> {
    std::fs::create_dir_all(root)
        .map_err(|e| StorageError::Config(format!("{}: {e}", root.display())))?;
    Ok(LocalFileSystem::new_with_prefix(root)?.with_automatic_cleanup(true))
}

/// An S3 bucket. Settings left out come from the standard AWS environment (`AWS_REGION`,
/// `AWS_ACCESS_KEY_ID`, web identity or instance credentials), so a deployment on AWS needs
/// only the bucket.
pub fn s3(bucket: &str, settings: &StorageSettings) -> Result<AmazonS3, StorageError> {
    install_tls_provider();
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_virtual_hosted_style_request(!settings.s3_path_style)
        .with_client_options(client_options(settings.s3_endpoint()))
        .with_retry(retries());
    if let Some(endpoint) = settings.s3_endpoint() {
        builder = builder.with_endpoint(endpoint);
    }
    if let Some(region) = settings.s3_region() {
        builder = builder.with_region(region);
    } else if std::env::var_os("AWS_REGION").is_none()
        && std::env::var_os("AWS_DEFAULT_REGION").is_none()
    {
        builder = builder.with_region("us-east-1");
    }
    if let Some(key) = settings.s3_access_key_id() {
        builder = builder.with_access_key_id(key);
    }
    if let Some(secret) = settings.s3_secret_access_key() {
        builder = builder.with_secret_access_key(secret);
    }
    builder
        .build()
        .map_err(|e| StorageError::Config(format!("S3: {e}")))
}

/// Plain HTTP only when the endpoint says so (a MinIO on a private network); bounded waits so
/// a dead store turns into a quick 503 rather than a hung request. A store that accepts the
/// connection and then answers nothing (hung, overloaded) is caught by the read timeout: no byte
/// for 5 s, retried within the 15 s budget, so a request gives up after about 20 s at most.
fn client_options(endpoint: Option<&str>) -> ClientOptions {
    let plain_http = endpoint.is_some_and(|e| e.starts_with("http://"));
    ClientOptions::new()
        .with_allow_http(plain_http)
        .with_connect_timeout(Duration::from_secs(5))
        .with_read_timeout(Duration::from_secs(5))
        .with_timeout(Duration::from_secs(60))
}

fn retries() -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        retry_timeout: Duration::from_secs(15),
        ..RetryConfig::default()
    }
}

/// reqwest's TLS runs on rustls with `ring`; it must be the process default before a client is
/// built. A second call (another store, a test) finds it installed, which is fine.
fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
