//! Stored bytes, through `object_store`: local files by default, any object store by URL.
//!
//! Every key is built by `key()` from ids alone; nothing a user sends ever becomes part of one.

mod backends;
mod location;

use std::fs::File;
use std::io::{ErrorKind, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::signer::{Method, Signer, Url};
use object_store::{
    GetOptions, GetRange, GetResultPayload, ObjectStore, ObjectStoreExt, PutPayload,
};
use uuid::Uuid;

use self::location::Location;
use crate::config::StorageSettings;
use crate::imaging::{Rendition, Size};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the object does not exist")]
    NotFound,
    #[error("object storage failed")]
    Backend(#[source] object_store::Error),
    #[error("bad storage setting: {0}")]
    Config(String),
    #[error("reading a stored file failed")]
    File(#[source] std::io::Error),
}

impl StorageError {
    /// The disk (or volume) is full: `ENOSPC` somewhere in the cause chain.
    pub fn is_full(&self) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(error) = cause {
            if let Some(io) = error.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::StorageFull
            {
                return true;
            }
            cause = error.source();
        }
        false
    }
}

impl From<object_store::Error> for StorageError {
    fn from(error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::Backend(other),
        }
    }
}

/// One stored object of an image: a size as first made (JPEG, PNG, or the original), or one
/// of its WebP/AVIF renditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Object {
    pub size: Size,
    pub rendition: Option<Rendition>,
}

impl Object {
    pub fn rendition(size: Size, rendition: Rendition) -> Self {
        Self {
            size,
            rendition: Some(rendition),
        }
    }

    /// Every object an image can have.
    pub fn all() -> impl Iterator<Item = Object> {
        Size::ALL.into_iter().flat_map(|size| {
            let renditions = Size::CASCADE
                .contains(&size)
                .then_some(Rendition::ALL)
                .into_iter()
                .flatten()
                .map(move |r| Object::rendition(size, r));
            std::iter::once(Object::from(size)).chain(renditions)
        })
    }
}

impl From<Size> for Object {
    fn from(size: Size) -> Self {
        Self {
            size,
            rendition: None,
        }
    }
}

/// The one place object paths are made: `images/<image id>/<size>`, and
/// `images/<image id>/<size>.<webp|avif>` for renditions.
pub fn key(image: Uuid, object: impl Into<Object>) -> Path {
    let Object { size, rendition } = object.into();
    match rendition {
        None => Path::from(format!("{}/{size}", image_folder(image))),
        Some(r) => Path::from(format!("{}/{size}.{r}", image_folder(image))),
    }
}

fn image_folder(image: Uuid) -> String {
    format!("images/{image}")
}

/// How much of a file one blocking read takes. object_store's own stream reads 8 KiB per trip
/// to the blocking pool: fifty trips for one large variant.
const FILE_CHUNK: u64 = 256 * 1024;

/// `range` of an open file, a chunk per blocking read.
fn file_chunks(file: File, range: Range<u64>) -> BoxStream<'static, Result<Bytes, StorageError>> {
    stream::try_unfold((file, range), |(mut file, range)| async move {
        if range.is_empty() {
            return Ok(None);
        }
        let want = (range.end - range.start).min(FILE_CHUNK);
        let start = range.start;
        let (file, chunk) = tokio::task::spawn_blocking(move || {
            file.seek(SeekFrom::Start(start))?;
            let mut chunk = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
            (&mut file).take(want).read_to_end(&mut chunk)?;
            Ok::<_, std::io::Error>((file, chunk))
        })
        .await
        .map_err(|e| StorageError::File(std::io::Error::other(e)))?
        .map_err(StorageError::File)?;
        if chunk.is_empty() {
            let early =
                std::io::Error::new(ErrorKind::UnexpectedEof, "the file is shorter than it was");
            return Err(StorageError::File(early));
        }
        let next = start + chunk.len() as u64..range.end;
        Ok(Some((Bytes::from(chunk), (file, next))))
    })
    .boxed()
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
    /// The directory of a local store: deleting an image removes its whole folder there.
    local_root: Option<std::path::PathBuf>,
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
            local_root: None,
        }
    }

    /// The store that `settings.storage_url` names: local files (the default, under
    /// `<data dir>/objects`) or an S3 bucket.
    pub fn from_settings(
        settings: &StorageSettings,
        data_dir: &FsPath,
    ) -> Result<Self, StorageError> {
        match Location::parse(settings.storage_url.as_deref(), data_dir)? {
            Location::Files(root) => Ok(Self {
                local_root: Some(root.clone()),
                ..Self::new(Arc::new(backends::local(&root)?))
            }),
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
                    local_root: None,
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
        size: impl Into<Object>,
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

    pub async fn put(
        &self,
        image: Uuid,
        size: impl Into<Object>,
        bytes: Bytes,
    ) -> Result<(), StorageError> {
        self.store
            .put(&key(image, size), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(
        &self,
        image: Uuid,
        size: impl Into<Object>,
        range: Option<Range<u64>>,
    ) -> Result<Fetched, StorageError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = self.store.get_opts(&key(image, size), options).await?;
        let range = result.range.clone();
        let body = match result.payload {
            GetResultPayload::File(file, _) => file_chunks(file, range.clone()),
            GetResultPayload::Stream(stream) => stream.map_err(StorageError::from).boxed(),
        };
        Ok(Fetched {
            body,
            length: range.end - range.start,
        })
    }

    /// A whole object, in memory.
    pub async fn read_all(
        &self,
        image: Uuid,
        size: impl Into<Object>,
    ) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&key(image, size)).await?.bytes().await?)
    }

    /// Deletes every object of an image; ones already gone are fine. On local files that is the
    /// image's whole folder: a process killed in the middle of a write leaves the store's
    /// staging file (`original#3`) beside the objects, which no key names.
    pub async fn delete_image(&self, image: Uuid) -> Result<(), StorageError> {
        if let Some(root) = &self.local_root {
            let folder = root.join(image_folder(image));
            return tokio::task::spawn_blocking(move || match std::fs::remove_dir_all(&folder) {
                Err(e) if e.kind() != ErrorKind::NotFound => Err(StorageError::File(e)),
                _ => Ok(()),
            })
            .await
            .map_err(|e| StorageError::File(std::io::Error::other(e)))?;
        }
        let every: Vec<Object> = Object::all().collect();
        self.delete_objects(image, &every).await
    }

    /// Deletes some objects of an image; ones already gone are fine.
    pub async fn delete_objects(
        &self,
        image: Uuid,
        objects: &[Object],
    ) -> Result<(), StorageError> {
        let paths: Vec<_> = objects.iter().map(|o| Ok(key(image, *o))).collect();
        let mut deleted = self.store.delete_stream(stream::iter(paths).boxed());
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(file: File, range: Range<u64>) -> Result<Vec<Vec<u8>>, StorageError> {
        file_chunks(file, range)
            .map_ok(|chunk| chunk.to_vec())
            .try_collect()
            .await
    }

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut temp = tempfile::NamedTempFile::new().expect("temp file");
        std::io::Write::write_all(&mut temp, bytes).expect("write");
        let file = File::open(temp.path()).expect("open");
        (temp, file)
    }

    #[tokio::test]
    async fn a_file_range_streams_in_chunks_of_a_quarter_mib() {
        let bytes: Vec<u8> = (0..600 * 1024 + 7).map(|i| (i % 251) as u8).collect();
        let (_temp, file) = file_of(&bytes);
        let range = 100..bytes.len() as u64 - 3;
        let chunks = read(file, range.clone()).await.expect("read");
        let lengths: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(
            lengths,
            [256 * 1024, 256 * 1024, 600 * 1024 + 4 - 512 * 1024 - 100]
        );
        assert_eq!(chunks.concat(), &bytes[100..bytes.len() - 3]);
    }

    #[tokio::test]
    async fn a_file_shorter_than_its_range_is_an_error_not_a_short_body() {
        let (_temp, file) = file_of(b"0123456789");
        assert!(matches!(
            read(file, 0..20).await,
            Err(StorageError::File(_))
        ));
    }
}
