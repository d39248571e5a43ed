//! Recently served content, kept in memory: the bytes behind an `(image, object)` never change
//! while the image lives, so a copy is good until the image is deleted.
//!
//! Deletion is the one way an entry goes stale, and every deletion passes through
//! `removal::purge` after its rows are gone, which calls `forget`. A lookup that saw the row
//! before such a deletion must not put its copy back afterwards: every insert names the
//! deletion epoch it started in and is dropped when a deletion has happened since.
//!
//! When this process is the only one that deletes (local files: one process per data
//! directory), an entry also vouches that the image still exists, so a signed URL is answered
//! without the database. With a shared store other replicas delete too, and an entry only
//! saves the trip to storage after the database has said yes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use uuid::Uuid;

use crate::storage::Object;

/// One object as served: its bytes and the headers that describe them.
#[derive(Debug, Clone)]
pub struct CachedObject {
    pub content_type: String,
    /// Quoted, as sent in `ETag`.
    pub etag: String,
    pub body: Bytes,
}

/// The one entry size limit: a handful of huge originals must not push out thousands of
/// thumbnails.
const LARGEST_SHARE: u64 = 32;

#[derive(Debug, Clone)]
struct ByBytes;

impl Weighter<(Uuid, Object), Arc<CachedObject>> for ByBytes {
    fn weight(&self, _key: &(Uuid, Object), object: &Arc<CachedObject>) -> u64 {
        // Never zero: zero-weight entries would never be evicted.
        object.body.len() as u64 + 1
    }
}

/// A point in the sequence of deletions, read before looking an image up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epoch(u64);

pub struct ContentCache {
    entries: Option<Cache<(Uuid, Object), Arc<CachedObject>, ByBytes>>,
    largest_entry: u64,
    vouches_for_existence: bool,
    epoch: AtomicU64,
    /// Held while an insert checks its epoch and while a deletion bumps it, so a deletion
    /// cannot slip between the check and the insert.
    epoch_gate: Mutex<()>,
}

/// A thumbnail's weight: the cache sizes its tables for about this many entries.
const TYPICAL_ENTRY_BYTES: u64 = 32 * 1024;

impl ContentCache {
    /// `capacity` bytes of content in all (0: no cache). `only_deleter`: no other process
    /// deletes images from this store.
    pub fn new(capacity: u64, only_deleter: bool) -> Self {
        let entries = (capacity > 0).then(|| {
            let items = usize::try_from(capacity / TYPICAL_ENTRY_BYTES)
                .unwrap_or(usize::MAX)
                .max(16);
            Cache::with_weighter(items, capacity, ByBytes)
        });
        Self {
            entries,
            largest_entry: capacity / LARGEST_SHARE,
            vouches_for_existence: only_deleter,
            epoch: AtomicU64::new(0),
            epoch_gate: Mutex::new(()),
        }
    }

    /// Whether an object of `bytes` bytes would be kept.
    pub fn admits(&self, bytes: u64) -> bool {
        self.entries.is_some() && bytes <= self.largest_entry
    }

    /// A copy of the object, if one is kept.
    pub fn get(&self, image: Uuid, object: impl Into<Object>) -> Option<Arc<CachedObject>> {
        self.entries.as_ref()?.get(&(image, object.into()))
    }

    /// A copy that also proves the image exists (see the module notes), if there is one.
    pub fn get_vouched(&self, image: Uuid, object: impl Into<Object>) -> Option<Arc<CachedObject>> {
        if self.vouches_for_existence {
            self.get(image, object)
        } else {
            None
        }
    }

    /// Read before the lookup whose result may be inserted.
    pub fn epoch(&self) -> Epoch {
        Epoch(self.epoch.load(Ordering::Acquire))
    }

    /// Keeps `object`, unless an image was deleted since `seen` (it might have been this one).
    pub fn insert(
        &self,
        seen: Epoch,
        image: Uuid,
        stored: impl Into<Object>,
        object: Arc<CachedObject>,
    ) {
        let Some(entries) = &self.entries else { return };
        if !self.admits(object.body.len() as u64) {
            return;
        }
        let _gate = self.epoch_gate.lock().unwrap_or_else(|e| e.into_inner());
        if self.epoch() == seen {
            entries.insert((image, stored.into()), object);
        }
    }

    /// Drops every copy of these images. Call once their rows are gone.
    pub fn forget(&self, images: &[Uuid]) {
        let Some(entries) = &self.entries else { return };
        {
            let _gate = self.epoch_gate.lock().unwrap_or_else(|e| e.into_inner());
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
        for image in images {
            for object in Object::all() {
                entries.remove(&(*image, object));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imaging::Size;

    fn object(bytes: usize) -> Arc<CachedObject> {
        Arc::new(CachedObject {
            content_type: "image/jpeg".into(),
            etag: "\"e\"".into(),
            body: Bytes::from(vec![7; bytes]),
        })
    }

    #[test]
    fn a_kept_copy_is_served_until_its_image_is_forgotten() {
        let cache = ContentCache::new(1 << 20, true);
        let id = Uuid::now_v7();
        cache.insert(cache.epoch(), id, Size::Thumb, object(100));
        assert_eq!(cache.get(id, Size::Thumb).map(|o| o.body.len()), Some(100));
        assert!(
            cache.get(id, Size::Large).is_none(),
            "only what was inserted"
        );
        cache.forget(&[id]);
        assert!(cache.get(id, Size::Thumb).is_none());
    }

    #[test]
    fn a_lookup_from_before_a_deletion_is_not_put_back() {
        let cache = ContentCache::new(1 << 20, true);
        let id = Uuid::now_v7();
        let seen = cache.epoch();
        cache.forget(&[id]); // the image is deleted while the lookup is under way
        cache.insert(seen, id, Size::Thumb, object(100));
        assert!(cache.get(id, Size::Thumb).is_none());
        cache.insert(cache.epoch(), id, Size::Thumb, object(100));
        assert!(cache.get(id, Size::Thumb).is_some(), "a later lookup may");
    }

    #[test]
    fn objects_over_a_thirty_second_of_the_capacity_are_not_kept() {
        let cache = ContentCache::new(32 * 1000, true);
        assert!(cache.admits(1000));
        assert!(!cache.admits(1001));
        let id = Uuid::now_v7();
        cache.insert(cache.epoch(), id, Size::Original, object(1001));
        assert!(cache.get(id, Size::Original).is_none());
    }

    #[test]
    fn a_copy_vouches_for_existence_only_when_no_other_process_deletes() {
        let id = Uuid::now_v7();
        let alone = ContentCache::new(1 << 20, true);
        alone.insert(alone.epoch(), id, Size::Thumb, object(10));
        assert!(alone.get_vouched(id, Size::Thumb).is_some());
        let shared = ContentCache::new(1 << 20, false);
        shared.insert(shared.epoch(), id, Size::Thumb, object(10));
        assert!(shared.get(id, Size::Thumb).is_some());
        assert!(shared.get_vouched(id, Size::Thumb).is_none());
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let cache = ContentCache::new(0, true);
        let id = Uuid::now_v7();
        assert!(!cache.admits(1));
        cache.insert(cache.epoch(), id, Size::Thumb, object(1));
        assert!(cache.get(id, Size::Thumb).is_none());
    }
}
