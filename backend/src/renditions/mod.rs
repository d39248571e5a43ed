//! WebP and AVIF renditions: made by a durable job after each upload (the answer never waits
//! for them), stored beside the variants, and picked per request by `Accept` (`negotiate`).
//!
//! The job is idempotent: it makes only the renditions not yet recorded, records objects only
//! after they are stored, and removes what it wrote when the image was deleted meanwhile (the
//! deletion's own clean-up may have run before these objects existed).

pub mod negotiate;

use bytes::Bytes;
use diesel::{Connection, PgConnection, QueryResult};
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::DbError;
use crate::db::images as image_rows;
use crate::db::renditions::{self as rendition_rows, RenditionRow};
use crate::images::ImageService;
use crate::images::ingest::content_etag;
use crate::imaging::{self, Format, Rendition, Size, layout};
use crate::jobs::{self, Job, JobError, JobKind};
use crate::storage::{Object, StorageError};

/// The job making an image's missing renditions.
pub const MAKE_RENDITIONS: JobKind = JobKind::new("make_renditions");

#[derive(Debug, Serialize, Deserialize)]
struct MakeRenditions {
    image: Uuid,
}

/// Queues the renditions of `image`; in the transaction that inserts it.
pub fn queue(conn: &mut PgConnection, image: Uuid) -> QueryResult<()> {
    jobs::enqueue(conn, MAKE_RENDITIONS, &MakeRenditions { image }, None)?;
    Ok(())
}

pub async fn run_job(service: &ImageService, job: Job) -> Result<(), JobError> {
    let MakeRenditions { image } = job.payload()?;
    make(service, image).await
}

/// Makes and stores the renditions `image` lacks; nothing when it is gone.
pub async fn make(service: &ImageService, image: Uuid) -> Result<(), JobError> {
    let wanted_formats = service.renditions.clone();
    let missing = service
        .db
        .run(move |conn| missing_renditions(conn, image, &wanted_formats))
        .await?;
    let Some(missing) = missing.filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    let original = match service.storage.read_all(image, Size::Original).await {
        Ok(bytes) => bytes,
        // Deleted since: its rows are gone or going.
        Err(StorageError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let encoded = render(service, original, missing).await?;
    let written: Vec<Object> = encoded
        .iter()
        .map(|e| Object::rendition(e.size, e.rendition))
        .collect();
    let rows: Vec<RenditionRow> = encoded.iter().map(|e| row(image, e)).collect();
    let puts = encoded.into_iter().map(|e| {
        service.storage.put(
            image,
            Object::rendition(e.size, e.rendition),
            Bytes::from(e.bytes),
        )
    });
    let stored: Result<Vec<()>, StorageError> = join_all(puts).await.into_iter().collect();
    if let Err(e) = stored {
        remove(service, image, &written).await;
        return Err(e.into());
    }
    let recorded = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                // Held until commit, so a deletion waits for these rows (and then takes them).
                if !image_rows::lock_for_share(conn, image)? {
                    return Ok(false);
                }
                rendition_rows::insert(conn, &rows)?;
                Ok::<_, DbError>(true)
            })
        })
        .await?;
    if !recorded {
        remove(service, image, &written).await;
    }
    Ok(())
}

/// The renditions of `formats` some size of `image` lacks; `None` when the image is gone.
fn missing_renditions(
    conn: &mut PgConnection,
    image: Uuid,
    formats: &[Rendition],
) -> Result<Option<Vec<Rendition>>, DbError> {
    if !image_rows::exists(conn, image)? {
        return Ok(None);
    }
    let ready = rendition_rows::formats_of(conn, &[image])?;
    let complete = |r: Rendition| {
        Size::CASCADE.iter().all(|size| {
            ready
                .get(&(image, size.as_str().to_owned()))
                .is_some_and(|formats| formats.iter().any(|f| f == r.as_str()))
        })
    };
    Ok(Some(
        formats.iter().copied().filter(|r| !complete(*r)).collect(),
    ))
}

async fn render(
    service: &ImageService,
    original: Bytes,
    missing: Vec<Rendition>,
) -> Result<Vec<imaging::EncodedRendition>, JobError> {
    let max_pixels = service.limits.max_pixels;
    let format = Format::sniff(&original).ok_or("the stored original is not an image")?;
    let cost = layout::inspect(&original, format, max_pixels)?.decode_cost();
    let settings = service.rendition_settings;
    Ok(service
        .pool
        .run(cost, move || {
            imaging::render_renditions(&original, format, max_pixels, &missing, settings)
        })
        .await?)
}

fn row(image: Uuid, encoded: &imaging::EncodedRendition) -> RenditionRow {
    RenditionRow {
        image_id: image,
        size: encoded.size.as_str().to_owned(),
        format: encoded.rendition.as_str().to_owned(),
        bytes: i64::try_from(encoded.bytes.len()).unwrap_or(i64::MAX),
        etag: content_etag(&encoded.bytes),
    }
}

/// Best effort: what is left is the image's own folder/keys, which its deletion removes.
async fn remove(service: &ImageService, image: Uuid, written: &[Object]) {
    if let Err(e) = service.storage.delete_objects(image, written).await {
        tracing::warn!(image.id = %image, error = %e, "could not remove renditions of a deleted image");
    }
}
