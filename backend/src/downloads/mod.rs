//! An album's tree as a ZIP: laid out here (which files, under which names), then written by
//! [`archive`] while it is sent, one stored object after another.

pub mod archive;
pub mod names;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use uuid::Uuid;

use crate::albums::{self, Access};
use crate::auth::Viewer;
use crate::db::album_trees::{self, Scope, TreeAlbum, TreeFile};
use crate::error::ApiError;
use crate::imaging::Size;
use names::{Folder, safe_segment};

/// One entry of the archive, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder (its path ends in `/`), so empty sub-albums are there too.
    Folder(String),
    File {
        path: String,
        image: Uuid,
        modified: DateTime<Utc>,
    },
}

/// What a download sends: the archive's name, which rendition, and its entries.
#[derive(Debug)]
pub struct Plan {
    pub album_name: String,
    pub size: Size,
    pub entries: Vec<Entry>,
}

/// Lays out the download of album `id` for `viewer`: the owner gets the whole tree, by
/// default as originals; a visitor of a public album its public part, as `large` only.
pub fn plan(
    conn: &mut PgConnection,
    viewer: Viewer,
    id: Option<Uuid>,
    requested: Option<Size>,
) -> Result<Plan, ApiError> {
    let album = albums::load(conn, viewer, id, Access::Read)?;
    let owner = viewer.user_id() == Some(album.owner_id);
    let size = requested.unwrap_or(if owner { Size::Original } else { Size::Large });
    if size == Size::Original && !owner {
        return Err(ApiError::Forbidden(
            "originals are for the album's owner; ask for size=large".into(),
        ));
    }
    let scope = if owner {
        Scope::Whole
    } else {
        Scope::PublicOnly
    };
    let tree = album_trees::tree_albums(conn, album.id, scope)?;
    let files = album_trees::tree_files(conn, album.id, scope, size.as_str())?;
    Ok(Plan {
        entries: lay_out(album.id, &tree, files, size),
        album_name: album.name,
        size,
    })
}

/// The tree as folders under one named after the root, names made safe and unique.
pub fn lay_out(root: Uuid, tree: &[TreeAlbum], files: Vec<TreeFile>, size: Size) -> Vec<Entry> {
    let mut children: HashMap<Option<Uuid>, Vec<&TreeAlbum>> = HashMap::new();
    for album in tree.iter().filter(|a| a.id != root) {
        children.entry(album.parent_id).or_default().push(album);
    }
    let mut files_of: HashMap<Uuid, Vec<TreeFile>> = HashMap::new();
    for file in files {
        files_of.entry(file.album_id).or_default().push(file);
    }
    let root_name = tree
        .iter()
        .find(|a| a.id == root)
        .map_or("Album", |a| a.name.as_str());
    let mut entries = Vec::new();
    // (album, its folder's path ending in '/'): depth first, sub-albums before a folder's files
    // are named, so a folder keeps its name and a file beside it is the one numbered.
    let mut pending = vec![(root, format!("{}/", safe_segment(root_name, "Album")))];
    while let Some((album, path)) = pending.pop() {
        entries.push(Entry::Folder(path.clone()));
        let mut folder = Folder::default();
        let subs = children.remove(&Some(album)).unwrap_or_default();
        let named: Vec<_> = subs
            .iter()
            .map(|sub| {
                let name = folder.claim_folder(&safe_segment(&sub.name, "Album"));
                (sub.id, format!("{path}{name}/"))
            })
            .collect();
        for file in files_of.remove(&album).unwrap_or_default() {
            let name = folder.claim_file(&safe_segment(&file_name(&file, size), "untitled"));
            entries.push(Entry::File {
                path: format!("{path}{name}"),
                image: file.image_id,
                modified: file.created_at,
            });
        }
        pending.extend(named.into_iter().rev());
    }
    entries
}

/// The original's name; a rendition keeps the stem and takes its own format's extension.
fn file_name(file: &TreeFile, size: Size) -> String {
    if size == Size::Original {
        return file.filename.clone();
    }
    let stem = match file.filename.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file.filename.as_str(),
    };
    let extension = match file.content_type.as_str() {
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/avif" => "avif",
        _ => "jpg",
    };
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn album(id: Uuid, parent: Option<Uuid>, name: &str) -> TreeAlbum {
        TreeAlbum {
            id,
            parent_id: parent,
            name: name.to_owned(),
        }
    }

    fn file(album: Uuid, filename: &str, content_type: &str) -> TreeFile {
        TreeFile {
            album_id: album,
            image_id: Uuid::now_v7(),
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            created_at: Utc::now(),
        }
    }

    fn paths(entries: &[Entry]) -> Vec<&str> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Folder(path) | Entry::File { path, .. } => path.as_str(),
            })
            .collect()
    }

    #[test]
    fn the_tree_becomes_folders_under_the_albums_name_with_unique_names() {
        let (root, a, b, c) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let tree = [
            album(root, None, "Trips/2026"),
            album(a, Some(root), "Rome"),
            album(b, Some(root), "rome"),
            album(c, Some(a), "Empty"),
        ];
        let files = vec![
            file(root, "x.jpg", "image/jpeg"),
            file(root, "X.jpg", "image/jpeg"),
            file(a, "Rome", "image/jpeg"),
        ];
        let entries = lay_out(root, &tree, files, Size::Original);
        assert_eq!(
            paths(&entries),
            [
                "Trips_2026/",
                "Trips_2026/x.jpg",
                "Trips_2026/X (2).jpg",
                "Trips_2026/Rome/",
                "Trips_2026/Rome/Rome",
                "Trips_2026/Rome/Empty/",
                "Trips_2026/rome (2)/",
            ]
        );
    }

    #[test]
    fn a_rendition_takes_its_own_formats_extension() {
        let root = Uuid::now_v7();
        let tree = [album(root, None, "A")];
        let files = vec![
            file(root, "shot.heic", "image/jpeg"),
            file(root, "logo.png", "image/png"),
            file(root, "noext", "image/jpeg"),
        ];
        let entries = lay_out(root, &tree, files, Size::Large);
        assert_eq!(
            paths(&entries),
            ["A/", "A/shot.jpg", "A/logo.png", "A/noext.jpg"]
        );
    }
}
