//! Stored bytes, through `object_store`: local files by default, any object store by URL.
//!
//! Every key is built by `key()` from ids alone; nothing a user sends ever becomes part of one.

use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use uuid::Uuid;

use crate::imaging::Size;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the object does not exist")]
    NotFound,
    #[error("object storage failed")]
    Backend(#[source] object_store::Error),
    #[error("bad storage setting: {0}")]
    Config(String),
}

impl From<object_store::Error> for StorageError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::Backend(other),
        }
    }
}

/// The one place object paths are made: `images/<image id>/<size>`.
pub fn key(image: Uuid, size: Size) -> Path {
    Path::from(format!("images/{image}/{size}"))
}

/// A stored object's bytes, possibly a range of them.
pub struct Fetched {
    pub body: BoxStream<'static, Result<Bytes, StorageError>>,
    /// Bytes in `body`. Ranges must lie within the object: callers check them first.
    pub length: u64,
}

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl Storage {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self { store }
    }

    /// `file:///absolute/path`, or the default: `<data dir>/objects`.
    pub fn from_url(url: Option<&str>, data_dir: &FsPath) -> Result<Self, StorageError> {
        let root = match url {
            None => data_dir.join("objects"),
            Some(url) => {
                let parsed = url::Url::parse(url)
                    .map_err(|e| StorageError::Config(format!("ALBUMEN_STORAGE_URL: {e}")))?;
                if parsed.scheme() != "file" {
                    return Err(StorageError::Config(format!(
                        "ALBUMEN_STORAGE_URL: unsupported scheme {:?} (use file:///path)",
                        parsed.scheme()
                    )));
                }
                parsed.to_file_path().map_err(|()| {
                    StorageError::Config("ALBUMEN_STORAGE_URL: not an absolute file path".into())
                })?
            }
        };
        std::fs::create_dir_all(&root)
            .map_err(|e| StorageError::Config(format!("{}: {e}", root.display())))?;
        let local = LocalFileSystem::new_with_prefix(&root)?.with_automatic_cleanup(true);
        Ok(Self::new(Arc::new(local)))
    }

    pub async fn put(&self, image: Uuid, size: Size, bytes: Bytes) -> Result<(), StorageError> {
        self.store
            .put(&key(image, size), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(
        &self,
        image: Uuid,
        size: Size,
        range: Option<Range<u64>>,
    ) -> Result<Fetched, StorageError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = self.store.get_opts(&key(image, size), options).await?;
        let length = result.range.end - result.range.start;
        Ok(Fetched {
            body: result.into_stream().map_err(StorageError::from).boxed(),
            length,
        })
    }

    /// Deletes every object of an image; ones already gone are fine.
    pub async fn delete_image(&self, image: Uuid) -> Result<(), StorageError> {
        let paths = stream::iter(Size::ALL.map(|size| Ok(key(image, size)))).boxed();
        let mut deleted = self.store.delete_stream(paths);
        while let Some(outcome) = deleted.next().await {
            match outcome {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Reachable and answering: a lookup of a key that never exists.
    pub async fn ping(&self) -> Result<(), StorageError> {
        match self
            .store
            .head(&Path::from("albumen-readiness-probe"))
            .await
        {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
