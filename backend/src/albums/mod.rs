//! Albums: the user's folders. They nest; moving one under itself or its descendants is a 409.

pub mod access;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use access::{Access, Guarded, authorize};

use crate::auth::Viewer;
use crate::db::album_trees::{self, Scope};
use crate::db::albums::{self as rows, AlbumChanges, AlbumKey, AlbumRow, NewAlbum};
use crate::db::images::{self as image_rows, ImageInAlbum};
use crate::error::{ApiError, FieldError};
use crate::images::{self, UrlSigner, Variant};
use crate::imaging::Size;

pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=200;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Private,
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Public => "public",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "private" => Some(Self::Private),
            "public" => Some(Self::Public),
            _ => None,
        }
    }
}

/// Images in an album itself and in its whole tree.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub own: i64,
    pub tree: i64,
}

/// An album as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Album {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
    pub visibility: Visibility,
    /// Images directly in this album (not in its sub-albums).
    pub image_count: i64,
    /// Images in this album and all its sub-albums.
    pub tree_image_count: i64,
    /// The image chosen as cover (null: automatic).
    pub cover_image_id: Option<Uuid>,
    /// The chosen cover's thumb while it is live in the tree; else the newest image's; for an
    /// album with no images of its own, the newest in its tree; null for an empty tree.
    pub cover: Option<Variant>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Album {
    pub fn from_row(row: AlbumRow, counts: Counts, cover: Option<Variant>) -> Self {
        Self {
            visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
            id: row.id,
            name: row.name,
            description: row.description,
            parent_id: row.parent_id,
            image_count: counts.own,
            tree_image_count: counts.tree,
            cover_image_id: row.cover_image_id,
            cover,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

pub fn guarded(row: &AlbumRow) -> Guarded {
    Guarded {
        owner_id: row.owner_id,
        public: row.visibility == Visibility::Public.as_str(),
    }
}

/// An image is reached as its album allows (`found`: the image with its album, if it exists).
pub fn authorize_image(
    found: Option<&ImageInAlbum>,
    viewer: Viewer,
    access: Access,
) -> Result<(), ApiError> {
    let guard = found.map(|f| Guarded {
        owner_id: f.album_owner,
        public: f.album_visibility == Visibility::Public.as_str(),
    });
    authorize(guard, viewer, access)
}

pub fn check_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if !NAME_CHARS.contains(&len) {
        return Err(format!(
            "must be {} to {} characters",
            NAME_CHARS.start(),
            NAME_CHARS.end()
        ));
    }
    if name.trim().is_empty() {
        return Err("must not be blank".into());
    }
    Ok(())
}

pub fn check_description(description: &str) -> Result<(), String> {
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(format!(
            "must be at most {DESCRIPTION_MAX_CHARS} characters"
        ));
    }
    Ok(())
}

pub struct NewAlbumInput {
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
}

/// A PATCH: `None` leaves a field alone; for nullable fields `Some(None)` clears it.
#[derive(Default)]
pub struct AlbumPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub parent_id: Option<Option<Uuid>>,
    pub visibility: Option<Visibility>,
    pub cover_image_id: Option<Option<Uuid>>,
}

/// Loads an album the viewer may access as asked, or the right 401/403/404.
pub fn load(
    conn: &mut PgConnection,
    viewer: Viewer,
    id: Option<Uuid>,
    access: Access,
) -> Result<AlbumRow, ApiError> {
    let row = match id {
        Some(id) => rows::find(conn, id)?,
        None => None,
    };
    authorize(row.as_ref().map(guarded), viewer, access)?;
    row.ok_or(ApiError::NotFound)
}

/// A `parent_id` in a body must be one of the caller's albums (else 422).
fn ensure_own_parent(conn: &mut PgConnection, owner: Uuid, parent: Uuid) -> Result<(), ApiError> {
    match rows::find(conn, parent)? {
        Some(row) if row.owner_id == owner => Ok(()),
        _ => Err(ApiError::Validation(vec![FieldError::new(
            "parent_id",
            "must be one of your albums",
        )])),
    }
}

pub fn create(
    conn: &mut PgConnection,
    owner: Uuid,
    input: NewAlbumInput,
) -> Result<AlbumRow, ApiError> {
    if let Some(parent) = input.parent_id {
        ensure_own_parent(conn, owner, parent)?;
    }
    Ok(rows::insert(
        conn,
        &NewAlbum {
            id: Uuid::now_v7(),
            owner_id: owner,
            parent_id: input.parent_id,
            name: &input.name,
            description: input.description.as_deref(),
        },
    )?)
}

/// One page of the owner's albums under `parent` (top level when `None`).
pub fn list(
    conn: &mut PgConnection,
    owner: Uuid,
    parent: Option<Uuid>,
    after: Option<&AlbumKey>,
    limit: i64,
) -> Result<Vec<AlbumRow>, ApiError> {
    if let Some(parent) = parent {
        // Another user's album, public or not, has no children to list here.
        match rows::find(conn, parent)? {
            Some(row) if row.owner_id == owner => {}
            _ => return Err(ApiError::NotFound),
        }
    }
    Ok(rows::list_children(conn, owner, parent, after, limit)?)
}

pub fn update(
    conn: &mut PgConnection,
    user: Uuid,
    id: Uuid,
    patch: AlbumPatch,
) -> Result<AlbumRow, ApiError> {
    conn.transaction(|conn| {
        if patch.parent_id.is_some() {
            rows::lock_owner_tree(conn, user)?;
        }
        let album = load(conn, Viewer::User(user), Some(id), Access::Write)?;
        if let Some(Some(parent)) = patch.parent_id {
            ensure_own_parent(conn, user, parent)?;
            if rows::is_self_or_ancestor_of(conn, album.id, parent)? {
                return Err(ApiError::Conflict {
                    detail: "an album cannot be moved into itself or one of its sub-albums".into(),
                    errors: vec![FieldError::new("parent_id", "would create a cycle")],
                });
            }
        }
        if let Some(Some(image)) = patch.cover_image_id
            && !album_trees::holds_image(conn, album.id, image)?
        {
            return Err(ApiError::Validation(vec![FieldError::new(
                "cover_image_id",
                "must be an image in this album or its sub-albums",
            )]));
        }
        let changes = AlbumChanges {
            name: patch.name,
            description: patch.description,
            parent_id: patch.parent_id,
            visibility: patch.visibility.map(|v| v.as_str().to_owned()),
            cover_image_id: patch.cover_image_id,
            updated_at: Some(Utc::now()),
        };
        Ok(rows::update(conn, album.id, &changes)?)
    })
}

/// Albums as the API shows them, with their image counts and covers.
pub fn render(
    conn: &mut PgConnection,
    rows: Vec<AlbumRow>,
    signer: &UrlSigner,
    scope: Scope,
) -> Result<Vec<Album>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let own_counts = image_rows::counts_by_album(conn, &ids)?;
    let tree_counts = album_trees::image_counts(conn, &ids, scope)?;
    let covers = cover_images(conn, &rows, &tree_counts, scope)?;
    let cover_images: Vec<Uuid> = covers.values().copied().collect();
    let thumbs = image_rows::thumbs_of(conn, &cover_images)?;
    let ready = crate::db::renditions::formats_of(conn, &cover_images)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let counts = Counts {
                own: own_counts.get(&row.id).copied().unwrap_or(0),
                tree: tree_counts.get(&row.id).copied().unwrap_or(0),
            };
            let cover = covers
                .get(&row.id)
                .and_then(|image| thumbs.get(image))
                .map(|thumb| {
                    let ready = ready
                        .get(&(thumb.image_id, Size::Thumb.as_str().to_owned()))
                        .map_or(&[][..], Vec::as_slice);
                    images::variant(signer, thumb, Size::Thumb, ready)
                });
            Album::from_row(row, counts, cover)
        })
        .collect())
}

/// Each album's cover image: the chosen one while it is live in the tree, else the album's
/// newest, else (for an album with no images of its own) its tree's newest.
fn cover_images(
    conn: &mut PgConnection,
    rows: &[AlbumRow],
    tree_counts: &HashMap<Uuid, i64>,
    scope: Scope,
) -> Result<HashMap<Uuid, Uuid>, ApiError> {
    let chosen: Vec<Uuid> = rows
        .iter()
        .filter(|row| row.cover_image_id.is_some())
        .map(|row| row.id)
        .collect();
    let mut covers = if chosen.is_empty() {
        HashMap::new()
    } else {
        album_trees::chosen_covers(conn, &chosen, scope)?
    };
    let automatic: Vec<Uuid> = rows
        .iter()
        .map(|row| row.id)
        .filter(|id| !covers.contains_key(id) && tree_counts.contains_key(id))
        .collect();
    if automatic.is_empty() {
        return Ok(covers);
    }
    let newest_own = image_rows::newest_by_album(conn, &automatic)?;
    let bare: Vec<Uuid> = automatic
        .iter()
        .copied()
        .filter(|id| !newest_own.contains_key(id))
        .collect();
    covers.extend(newest_own);
    if !bare.is_empty() {
        covers.extend(album_trees::newest_images(conn, &bare, scope)?);
    }
    Ok(covers)
}

/// One album as `viewer` sees it: its owner sees the whole tree, a visitor its public part.
pub fn render_one(
    conn: &mut PgConnection,
    row: AlbumRow,
    signer: &UrlSigner,
    viewer: Viewer,
) -> Result<Album, ApiError> {
    let scope = if viewer.user_id() == Some(row.owner_id) {
        Scope::Whole
    } else {
        Scope::PublicOnly
    };
    render(conn, vec![row], signer, scope)?
        .pop()
        .ok_or_else(|| ApiError::internal("rendering lost the album"))
}
