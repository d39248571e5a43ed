//! Stored bytes, through `object_store`: local files by default, any object store by URL.
//!
//! Every key is built by `key()` from ids alone; nothing a user sends ever becomes part of one.

mod backends;
mod location;

use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::signer::{Method, Signer, Url};
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use uuid::Uuid;

use self::location::Location;
use crate::config::StorageSettings;
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
    /// Other processes may write and delete here too (a bucket behind several replicas).
    shared: bool,
    /// Present when the store can mint presigned URLs (S3), with the prefix keys live under.
    presigner: Option<Presigner>,
}

#[derive(Clone, Debug)]
struct Presigner {
    signer: Arc<dyn Signer>,
    prefix: Path,
}

impl Storage {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self {
            store,
            shared: false,
            presigner: None,
        }
    }

    /// The store that `settings.storage_url` names: local files (the default, under
    /// `<data dir>/objects`) or an S3 bucket.
    pub fn from_settings(
        settings: &StorageSettings,
        data_dir: &FsPath,
    ) -> Result<Self, StorageError> {
        match Location::parse(settings.storage_url.as_deref(), data_dir)? {
            Location::Files(root) => Ok(Self::new(Arc::new(backends::local(&root)?))),
            Location::S3 { bucket, prefix } => {
                let s3 = Arc::new(backends::s3(&bucket, settings)?);
                let presigner = Presigner {
                    signer: s3.clone(),
                    prefix: prefix.clone(),
                };
                let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
                    s3
                } else {
                    Arc::new(PrefixStore::new(s3, prefix))
                };
                Ok(Self {
                    store,
                    shared: true,
                    presigner: Some(presigner),
                })
            }
        }
    }

    /// Whether other processes may delete from this store: an S3 bucket may be behind several
    /// replicas, a directory of files belongs to one process.
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Whether `presigned_get` can answer: only stores that sign their own URLs can.
    pub fn can_presign(&self) -> bool {
        self.presigner.is_some()
    }

    /// A URL the object store itself answers for `expires_in`, without our credentials.
    pub async fn presigned_get(
        &self,
        image: Uuid,
        size: Size,
        expires_in: Duration,
    ) -> Result<Url, StorageError> {
        let presigner = self
            .presigner
            .as_ref()
            .ok_or_else(|| StorageError::Config("this object store cannot presign URLs".into()))?;
        let path = presigner
            .prefix
            .parts()
            .chain(key(image, size).parts())
            .collect();
        Ok(presigner
            .signer
            .signed_url(Method::GET, &path, expires_in)
            .await?)
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

    /// A whole object, in memory.
    pub async fn read_all(&self, image: Uuid, size: Size) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&key(image, size)).await?.bytes().await?)
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

    /// Reachable, and the bucket (or directory) is there: a listing of a prefix that holds
    /// nothing. A lookup of a missing key would not do: S3 answers 404 for a missing bucket too.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.store
            .list_with_delimiter(Some(&Path::from("albumen-readiness-probe")))
            .await
            .map(drop)
            .map_err(StorageError::Backend)
    }
}
