//! The storage layer on its own, on both backends: keys, whole and ranged reads, deletes, pings.

use albumen::config::{Cli, Command};
use albumen::imaging::Size;
use albumen::storage::{Storage, StorageError};
use bytes::Bytes;
use clap::Parser;
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::helpers::Backend;
use crate::s3_server::TestBucket;

/// A store as `serve` would build it from its settings, and what keeps it alive.
async fn storage_on(backend: Backend) -> (Storage, tempfile::TempDir) {
    let data_dir = tempfile::tempdir().expect("data dir");
    let mut args = vec![
        "albumen".to_owned(),
        "serve".to_owned(),
        "--data-dir".to_owned(),
        data_dir.path().to_string_lossy().into_owned(),
    ];
    if let Backend::S3 = backend {
        args.extend(TestBucket::create().await.flags());
    }
    let cli = Cli::try_parse_from(args).expect("settings parse");
    let Some(Command::Serve(settings)) = cli.command else {
        unreachable!("serve was asked for");
    };
    let storage =
        Storage::from_settings(&settings.storage, &settings.data_dir).expect("storage builds");
    (storage, data_dir)
}

async fn read(
    storage: &Storage,
    id: Uuid,
    size: Size,
    range: Option<std::ops::Range<u64>>,
) -> Vec<u8> {
    let fetched = storage.get(id, size, range).await.expect("get");
    let chunks: Vec<Bytes> = fetched.body.try_collect().await.expect("body");
    let body = chunks.concat();
    assert_eq!(body.len() as u64, fetched.length, "length matches the body");
    body
}

async fn an_object_reads_back_whole_and_by_range(backend: Backend) {
    let (storage, _dir) = storage_on(backend).await;
    let id = Uuid::now_v7();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    storage
        .put(id, Size::Large, Bytes::from(bytes.clone()))
        .await
        .expect("put");
    assert_eq!(read(&storage, id, Size::Large, None).await, bytes);
    assert_eq!(
        read(&storage, id, Size::Large, Some(100..1100)).await,
        &bytes[100..1100]
    );
}

async fn a_missing_object_is_not_found(backend: Backend) {
    let (storage, _dir) = storage_on(backend).await;
    let missing = storage.get(Uuid::now_v7(), Size::Thumb, None).await;
    assert!(
        matches!(missing, Err(StorageError::NotFound)),
        "{:?}",
        missing.err()
    );
}

async fn deleting_an_image_removes_every_size_and_may_be_repeated(backend: Backend) {
    let (storage, _dir) = storage_on(backend).await;
    let id = Uuid::now_v7();
    for size in [Size::Thumb, Size::Original] {
        storage
            .put(id, size, Bytes::from_static(b"bytes"))
            .await
            .expect("put");
    }
    storage.delete_image(id).await.expect("delete");
    storage
        .delete_image(id)
        .await
        .expect("deleting again is fine");
    for size in [Size::Thumb, Size::Original] {
        assert!(matches!(
            storage.get(id, size, None).await,
            Err(StorageError::NotFound)
        ));
    }
}

async fn a_reachable_store_answers_its_ping(backend: Backend) {
    let (storage, _dir) = storage_on(backend).await;
    storage.ping().await.expect("ping");
}

on_both_backends!(
    an_object_reads_back_whole_and_by_range,
    a_missing_object_is_not_found,
    deleting_an_image_removes_every_size_and_may_be_repeated,
    a_reachable_store_answers_its_ping,
);
