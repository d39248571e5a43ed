//! An album's tree: the album and every album under it, for the counts and covers that show
//! what a parent album holds.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use uuid::Uuid;

/// Every live album under each root, the root included, as `tree(root, id)`; with `$2` true
/// only through public albums (what a visitor of a public album may see). A live album's
/// parent is live, so the walk need not look above a trashed one.
const TREE: &str = "WITH RECURSIVE tree(root, id) AS ( \
        SELECT id, id FROM albums WHERE id = ANY($1) \
        UNION ALL \
        SELECT tree.root, albums.id FROM albums JOIN tree ON albums.parent_id = tree.id \
        WHERE albums.deleted_at IS NULL AND (NOT $2 OR albums.visibility = 'public'))";

/// The live images of the tree's albums.
const TREE_IMAGES: &str =
    "FROM tree JOIN images ON images.album_id = tree.id AND images.deleted_at IS NULL";

/// Which of a tree's albums count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The owner sees the whole tree.
    Whole,
    /// A visitor sees the public albums under a public one.
    PublicOnly,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    root: Uuid,
    #[diesel(sql_type = BigInt)]
    images: i64,
}

/// How many images each root's tree holds.
pub fn image_counts(
    conn: &mut PgConnection,
    roots: &[Uuid],
    scope: Scope,
) -> QueryResult<HashMap<Uuid, i64>> {
    let rows: Vec<Count> = diesel::sql_query(format!(
        "{TREE} SELECT tree.root, count(images.id) AS images {TREE_IMAGES} GROUP BY tree.root"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(roots)
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.root, r.images)).collect())
}

#[derive(QueryableByName)]
struct Newest {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    root: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    image: Uuid,
}

/// The newest image in each root's tree (by upload time, then id, like every listing).
pub fn newest_images(
    conn: &mut PgConnection,
    roots: &[Uuid],
    scope: Scope,
) -> QueryResult<HashMap<Uuid, Uuid>> {
    let rows: Vec<Newest> = diesel::sql_query(format!(
        "{TREE} SELECT DISTINCT ON (tree.root) tree.root, images.id AS image {TREE_IMAGES} \
         ORDER BY tree.root, images.created_at DESC, images.id DESC"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(roots)
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.root, r.image)).collect())
}

/// The chosen cover of each root that has one still live in its tree.
pub fn chosen_covers(
    conn: &mut PgConnection,
    roots: &[Uuid],
    scope: Scope,
) -> QueryResult<HashMap<Uuid, Uuid>> {
    let rows: Vec<Newest> = diesel::sql_query(format!(
        "{TREE} SELECT tree.root, images.id AS image {TREE_IMAGES} \
         JOIN albums root ON root.id = tree.root AND root.cover_image_id = images.id"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(roots)
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.root, r.image)).collect())
}

#[derive(QueryableByName)]
struct Held {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    held: bool,
}

/// Whether `image` is live somewhere in `root`'s (whole) tree.
pub fn holds_image(conn: &mut PgConnection, root: Uuid, image: Uuid) -> QueryResult<bool> {
    let held: Held = diesel::sql_query(format!(
        "{TREE} SELECT EXISTS (SELECT 1 {TREE_IMAGES} WHERE images.id = $3) AS held"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(&[root][..])
    .bind::<diesel::sql_types::Bool, _>(false)
    .bind::<diesel::sql_types::Uuid, _>(image)
    .get_result(conn)?;
    Ok(held.held)
}

/// One album of a tree, for laying the tree out as folders.
#[derive(Debug, Clone, QueryableByName)]
pub struct TreeAlbum {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub parent_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
}

/// The albums of `root`'s tree, the root included, by name.
pub fn tree_albums(
    conn: &mut PgConnection,
    root: Uuid,
    scope: Scope,
) -> QueryResult<Vec<TreeAlbum>> {
    diesel::sql_query(format!(
        "{TREE} SELECT albums.id, albums.parent_id, albums.name \
         FROM tree JOIN albums ON albums.id = tree.id ORDER BY albums.name_key, albums.id"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(&[root][..])
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .load(conn)
}

/// One live image of a tree, with its stored rendition of the size asked for.
#[derive(Debug, Clone, QueryableByName)]
pub struct TreeFile {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub album_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub image_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub filename: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub content_type: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The live images of `root`'s tree in upload order, each with its `size` rendition's type.
pub fn tree_files(
    conn: &mut PgConnection,
    root: Uuid,
    scope: Scope,
    size: &str,
) -> QueryResult<Vec<TreeFile>> {
    diesel::sql_query(format!(
        "{TREE} SELECT images.album_id, images.id AS image_id, images.filename, \
                v.content_type, images.created_at {TREE_IMAGES} \
         JOIN image_variants v ON v.image_id = images.id AND v.size = $3 \
         ORDER BY images.created_at, images.id"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(&[root][..])
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .bind::<diesel::sql_types::Text, _>(size)
    .load(conn)
}
