//! An album's tree: the album and every album under it, for the counts and covers that show
//! what a parent album holds.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use uuid::Uuid;

/// Every album under each root, the root included, as `tree(root, id)`; with `$2` true only
/// through public albums (what a visitor of a public album may see).
const TREE: &str = "WITH RECURSIVE tree(root, id) AS ( \
        SELECT id, id FROM albums WHERE id = ANY($1) \
        UNION ALL \
        SELECT tree.root, albums.id FROM albums JOIN tree ON albums.parent_id = tree.id \
        WHERE NOT $2 OR albums.visibility = 'public')";

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
        "{TREE} SELECT tree.root, count(images.id) AS images \
         FROM tree JOIN images ON images.album_id = tree.id GROUP BY tree.root"
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
        "{TREE} SELECT DISTINCT ON (tree.root) tree.root, images.id AS image \
         FROM tree JOIN images ON images.album_id = tree.id \
         ORDER BY tree.root, images.created_at DESC, images.id DESC"
    ))
    .bind::<Array<diesel::sql_types::Uuid>, _>(roots)
    .bind::<diesel::sql_types::Bool, _>(scope == Scope::PublicOnly)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.root, r.image)).collect())
}
