//! A real local object store with faults switched on and off by the test: storage failures,
//! injected where the product meets its storage. Everything else passes through.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, Result,
};

#[derive(Debug, Default)]
pub struct Faults {
    /// Writes of keys ending in this (e.g. "/large") fail.
    pub fail_puts_ending: std::sync::Mutex<Option<&'static str>>,
    /// Writes of keys ending in this take a while, and finish even when their caller gives up
    /// on them (as a local write on its blocking thread, or a sent S3 request, does).
    pub slow_puts_ending: std::sync::Mutex<Option<&'static str>>,
    pub fail_deletes: AtomicBool,
}

#[derive(Debug)]
pub struct FaultyStore {
    inner: Arc<LocalFileSystem>,
    pub faults: Arc<Faults>,
}

impl FaultyStore {
    pub fn over(root: &std::path::Path) -> Self {
        std::fs::create_dir_all(root).expect("store root");
        Self {
            inner: Arc::new(
                LocalFileSystem::new_with_prefix(root)
                    .expect("local store")
                    .with_automatic_cleanup(true),
            ),
            faults: Arc::new(Faults::default()),
        }
    }
}

fn injected(path: &Path) -> object_store::Error {
    object_store::Error::Generic {
        store: "faulty",
        source: format!("injected failure at {path}").into(),
    }
}

impl fmt::Display for FaultyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FaultyStore({})", self.inner)
    }
}

#[async_trait::async_trait]
impl ObjectStore for FaultyStore {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        let failing = *self.faults.fail_puts_ending.lock().expect("lock");
        if failing.is_some_and(|suffix| location.as_ref().ends_with(suffix)) {
            return Err(injected(location));
        }
        let slow = *self.faults.slow_puts_ending.lock().expect("lock");
        if slow.is_some_and(|suffix| location.as_ref().ends_with(suffix)) {
            let (inner, location) = (self.inner.clone(), location.clone());
            let detached = tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                inner.put_opts(&location, payload, opts).await
            });
            return detached.await.expect("the slow write ran");
        }
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        if self.faults.fail_deletes.load(Ordering::SeqCst) {
            return locations
                .map(|location| location.and_then(|path| Err(injected(&path))))
                .boxed();
        }
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.inner.copy_opts(from, to, options).await
    }
}
