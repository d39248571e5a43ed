//! Everything the image routes need, built once at start-up and shared (also by the per-file
//! tasks an upload spawns, which finish even if the client goes away).

use std::sync::Arc;

use uuid::Uuid;

use super::cache::ContentCache;
use super::gc::Liveness;
use super::urls::UrlSigner;
use crate::db::Db;
use crate::imaging::{ImagingPool, Rendition, RenditionSettings};
use crate::storage::Storage;
use crate::uploads::memory::UploadMemory;

#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub max_file_bytes: u64,
    pub max_files: usize,
    pub max_pixels: u64,
}

pub struct ImageService {
    pub db: Db,
    pub storage: Storage,
    pub pool: ImagingPool,
    pub signer: UrlSigner,
    pub limits: UploadLimits,
    pub buffers: UploadMemory,
    /// This process, as named in the `object_gc` claims it writes.
    pub instance: Uuid,
    pub liveness: Arc<Liveness>,
    pub cache: ContentCache,
    /// How long trashed things are kept before the purge job deletes them.
    pub trash_retention: chrono::TimeDelta,
    /// The renditions made after each upload, and how.
    pub renditions: Vec<Rendition>,
    pub rendition_settings: RenditionSettings,
}
