//! Images: upload (ingest), listing, serving (content), deletion (removal) and the sweeper
//! that keeps rows and stored objects in step (gc).

pub mod cache;
pub mod content;
pub mod filename;
pub mod gc;
pub mod ingest;
pub mod removal;
pub mod service;
pub mod urls;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use service::ImageService;
pub use urls::UrlSigner;

use crate::db::images::{ImageRow, VariantRow};
use crate::imaging::Size;

/// One stored rendition of an image, reachable at `url` with no header (signed, expiring).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Variant {
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub content_type: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variants {
    pub thumb: Variant,
    pub small: Variant,
    pub medium: Variant,
    pub large: Variant,
    /// Null for anyone but the owner: originals may carry GPS tags.
    pub original: Option<Variant>,
}

/// An image as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub id: Uuid,
    pub album_id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
    pub variants: Variants,
}

pub fn variant(signer: &UrlSigner, row: &VariantRow, size: Size) -> Variant {
    Variant {
        url: signer.url(row.image_id, size),
        width: row.width,
        height: row.height,
        bytes: row.bytes,
        content_type: row.content_type.clone(),
    }
}

/// Images with their variants' signed URLs. `show_original` decides, per image, whether the
/// viewer may have the original.
pub fn render(
    rows: Vec<ImageRow>,
    mut variants: HashMap<Uuid, Vec<VariantRow>>,
    signer: &UrlSigner,
    show_original: impl Fn(&ImageRow) -> bool,
) -> Vec<Image> {
    rows.into_iter()
        .filter_map(|row| {
            let stored = variants.remove(&row.id)?;
            let get = |size: Size| {
                stored
                    .iter()
                    .find(|v| v.size == size.as_str())
                    .map(|v| variant(signer, v, size))
            };
            let variants = Variants {
                thumb: get(Size::Thumb)?,
                small: get(Size::Small)?,
                medium: get(Size::Medium)?,
                large: get(Size::Large)?,
                original: get(Size::Original).filter(|_| show_original(&row)),
            };
            Some(Image {
                id: row.id,
                album_id: row.album_id,
                filename: row.filename,
                content_type: row.content_type,
                width: row.width,
                height: row.height,
                bytes: row.bytes,
                sha256: row.sha256,
                created_at: row.created_at,
                variants,
            })
        })
        .collect()
}
