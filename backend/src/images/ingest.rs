//! One uploaded file in, one stored image out — or nothing at all.
//!
//! The order makes a crash at any point recoverable: the image id is claimed in `object_gc`
//! (held by this process) before any object is written; the row is inserted in the transaction
//! that drops the claim. A failure deletes what was written; a crash leaves a claim that the
//! next sweep (here, or on any replica once this process is gone) turns into deletions.

use std::sync::Arc;

use bytes::Bytes;
use chrono::SubsecRound;
use diesel::Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use futures_util::future::join_all;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::removal;
use super::service::ImageService;
use crate::db::albums as album_rows;
use crate::db::images::{self as image_rows, ImageRow, VariantRow};
use crate::db::{DbError, object_gc};
use crate::error::ApiError;
use crate::imaging::{self, Encoded, Format, ImagingError, Layout, Size, layout};
use crate::renditions;
use crate::uploads::memory::Held;

/// A file as read from the request, with its share of the buffer budget.
pub struct Upload {
    pub filename: String,
    pub bytes: Bytes,
    /// Its memory, given back once the file is stored.
    pub buffer: Held,
}

/// A stored image: its row and its variants' rows.
pub struct Stored {
    pub image: ImageRow,
    pub variants: Vec<VariantRow>,
}

/// A full disk is the operator's to fix (507); anything else may pass (503, retry).
fn storage_failed(error: crate::storage::StorageError) -> ApiError {
    if error.is_full() {
        ApiError::InsufficientStorage("the server's storage is full; nothing was kept".into())
    } else {
        ApiError::unavailable("storage is unavailable; retry shortly", error)
    }
}

/// What the bytes are and what decoding them takes, checked before any pixel is decoded.
struct Inspected {
    format: Format,
    layout: Layout,
}

fn inspect(bytes: &[u8], max_pixels: u64) -> Result<Inspected, ImagingError> {
    if bytes.is_empty() {
        return Err(ImagingError::Empty);
    }
    let format = Format::sniff(bytes).ok_or(ImagingError::Unsupported)?;
    let layout = layout::inspect(bytes, format, max_pixels)?;
    Ok(Inspected { format, layout })
}

pub async fn ingest(
    service: Arc<ImageService>,
    owner: Uuid,
    album: Uuid,
    upload: Upload,
) -> Result<Stored, ApiError> {
    let inspected = inspect(&upload.bytes, service.limits.max_pixels).map_err(problem)?;
    let id = Uuid::now_v7();
    let instance = service.instance;
    service
        .db
        .run(move |conn| object_gc::claim(conn, id, instance).map_err(DbError::from))
        .await?;
    let stored = store(&service, owner, album, id, inspected, upload).await;
    if stored.is_err() {
        removal::discard(&service, id).await;
    }
    stored
}

async fn store(
    service: &ImageService,
    owner: Uuid,
    album: Uuid,
    id: Uuid,
    inspected: Inspected,
    upload: Upload,
) -> Result<Stored, ApiError> {
    let Inspected { format, layout } = inspected;
    let source = upload.bytes.clone();
    let max_pixels = service.limits.max_pixels;
    let (rendered, facts, sha256) = service
        .pool
        .run(layout.decode_cost(), move || {
            let rendered = imaging::render(&source, format, max_pixels)?;
            let facts = imaging::facts::read(&source);
            Ok((rendered, facts, hex(&Sha256::digest(&source))))
        })
        .await
        .map_err(problem)?;

    let original = VariantRow {
        image_id: id,
        size: Size::Original.as_str().to_owned(),
        width: to_i32(rendered.width),
        height: to_i32(rendered.height),
        bytes: to_i64(upload.bytes.len()),
        content_type: format.mime().to_owned(),
        etag: sha256[..32].to_owned(),
    };
    let mut variants = vec![original];
    let mut writes = vec![
        service
            .storage
            .put(id, Size::Original, upload.bytes.clone()),
    ];
    for encoded in rendered.variants {
        let size = encoded.size;
        let (row, bytes) = variant_row(id, encoded);
        variants.push(row);
        writes.push(service.storage.put(id, size, bytes));
    }
    // Every write settles before a failure is answered: a write dropped half-way can still land
    // (a local write finishes on its blocking thread, an S3 request may already be sent), and
    // the clean-up that follows must come after it, or its object would outlive the claim.
    join_all(writes)
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()
        .map_err(storage_failed)?;
    drop(upload.buffer);

    let image = ImageRow {
        id,
        owner_id: owner,
        album_id: album,
        filename: upload.filename,
        content_type: format.mime().to_owned(),
        width: to_i32(rendered.width),
        height: to_i32(rendered.height),
        bytes: to_i64(upload.bytes.len()),
        sha256,
        stored_bytes: variants.iter().map(|v| v.bytes).sum(),
        // Postgres keeps microseconds; the answer should say what later reads will.
        created_at: chrono::Utc::now().trunc_subsecs(6),
        facts: super::facts::columns(facts, rendered.placeholder),
    };
    let make_renditions = !service.renditions.is_empty();
    let instance = service.instance;
    let (image, variants) = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                if !object_gc::release_own(conn, id, instance)? {
                    return Err(ApiError::Unavailable {
                        detail: "the upload was interrupted; retry it".into(),
                        retry_after_secs: 1,
                        cause: None,
                    });
                }
                // Locked so it cannot go to the trash before this image is in it.
                if album_rows::find_for_share(conn, image.album_id)?.is_none() {
                    return Err(ApiError::NotFound);
                }
                image_rows::insert(conn, &image, &variants).map_err(album_gone)?;
                if make_renditions {
                    renditions::queue(conn, id)?;
                }
                Ok((image, variants))
            })
        })
        .await?;
    Ok(Stored { image, variants })
}

fn variant_row(image: Uuid, encoded: Encoded) -> (VariantRow, Bytes) {
    let bytes = Bytes::from(encoded.bytes);
    let row = VariantRow {
        image_id: image,
        size: encoded.size.as_str().to_owned(),
        width: to_i32(encoded.width),
        height: to_i32(encoded.height),
        bytes: to_i64(bytes.len()),
        content_type: encoded.content_type.to_owned(),
        etag: content_etag(&bytes),
    };
    (row, bytes)
}

/// A stored object's ETag (unquoted): the first 128 bits of its SHA-256, in hex.
pub fn content_etag(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))[..32].to_owned()
}

/// The album was deleted for good while its upload ran.
fn album_gone(error: DieselError) -> ApiError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::NotFound,
        other => other.into(),
    }
}

/// The problem a file's imaging failure is, for `rejected` or the whole answer.
pub fn problem(error: ImagingError) -> ApiError {
    match error {
        ImagingError::Unsupported => ApiError::UnsupportedMediaType(error.to_string()),
        ImagingError::Empty
        | ImagingError::Corrupt(_)
        | ImagingError::TooManyPixels { .. }
        | ImagingError::Panicked => ApiError::Unprocessable(error.to_string()),
        ImagingError::Busy => ApiError::Unavailable {
            detail: error.to_string(),
            retry_after_secs: 5,
            cause: None,
        },
        ImagingError::Encode(_) => ApiError::internal(error),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Image sides and sizes fit easily: sides are at most the pixel limit's square root, files at
/// most the per-file limit.
fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn to_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
