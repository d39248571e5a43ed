//! Images: upload (ingest), listing, serving (content), deletion (removal) and the sweeper
//! that keeps rows and stored objects in step (gc).

pub mod cache;
pub mod content;
pub mod facts;
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
use crate::imaging::{Rendition, Size};

/// One stored rendition of an image, reachable at `url` with no header (signed, expiring).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Variant {
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub content_type: String,
    /// The encodings ready now, primary first; empty for the original.
    pub formats: Vec<&'static str>,
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
    /// RFC 3339 with the camera's offset, or `-00:00` when the file gave none.
    pub taken_at: Option<String>,
    pub camera: Option<facts::Camera>,
    pub exposure: Option<facts::Exposure>,
    /// The owner's alone: null for everyone else.
    pub location: Option<facts::Location>,
    pub placeholder: facts::Placeholder,
    pub variants: Variants,
}

/// Which renditions each (image, size) has ready (see `db::renditions::formats_of`).
pub type ReadyRenditions = HashMap<(Uuid, String), Vec<String>>;

/// A variant as shown, `ready` naming its WebP/AVIF renditions stored so far.
pub fn variant(signer: &UrlSigner, row: &VariantRow, size: Size, ready: &[String]) -> Variant {
    let formats = if size == Size::Original {
        Vec::new()
    } else {
        let primary = if row.content_type == "image/png" {
            "png"
        } else {
            "jpeg"
        };
        std::iter::once(primary)
            .chain(
                Rendition::ALL
                    .into_iter()
                    .filter(|r| ready.iter().any(|f| f == r.as_str()))
                    .map(Rendition::as_str),
            )
            .collect()
    };
    Variant {
        url: signer.url(row.image_id, size),
        width: row.width,
        height: row.height,
        bytes: row.bytes,
        content_type: row.content_type.clone(),
        formats,
    }
}

/// Images with their variants' signed URLs. `is_owner` decides, per image, whether the viewer
/// may have the original and the location.
pub fn render(
    rows: Vec<ImageRow>,
    mut variants: HashMap<Uuid, Vec<VariantRow>>,
    ready: &ReadyRenditions,
    signer: &UrlSigner,
    is_owner: impl Fn(&ImageRow) -> bool,
) -> Vec<Image> {
    rows.into_iter()
        .filter_map(|row| {
            let stored = variants.remove(&row.id)?;
            let get = |size: Size| {
                let formats = ready
                    .get(&(row.id, size.as_str().to_owned()))
                    .map_or(&[][..], Vec::as_slice);
                stored
                    .iter()
                    .find(|v| v.size == size.as_str())
                    .map(|v| variant(signer, v, size, formats))
            };
            let owner = is_owner(&row);
            let variants = Variants {
                thumb: get(Size::Thumb)?,
                small: get(Size::Small)?,
                medium: get(Size::Medium)?,
                large: get(Size::Large)?,
                original: get(Size::Original).filter(|_| owner),
            };
            let shown = facts::shown(&row.facts, owner);
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
                taken_at: shown.taken_at,
                camera: shown.camera,
                exposure: shown.exposure,
                location: shown.location,
                placeholder: shown.placeholder,
                variants,
            })
        })
        .collect()
}
