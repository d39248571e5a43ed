//! The trash's rows. Deleting marks rows (`deleted_at`, and `trashed_with` naming the item
//! deleted directly); restoring clears the marks of everything that went with an item; purging
//! deletes the rows for good. Every other query sees live rows only.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use uuid::Uuid;

use super::images::ids_in_album_tree;
use super::schema::{albums, images};

type SqlUuid = diesel::sql_types::Uuid;

/// Marks an album and its live tree (sub-albums, images) as deleted with it; the ids of the
/// images that went.
pub fn trash_album_tree(
    conn: &mut PgConnection,
    root: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct Gone {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    // One statement: both updates see the tree as it was before either ran.
    let gone: Vec<Gone> = diesel::sql_query(
        "WITH RECURSIVE tree(id) AS ( \
             SELECT id FROM albums WHERE id = $1 AND deleted_at IS NULL \
             UNION ALL \
             SELECT a.id FROM albums a JOIN tree ON a.parent_id = tree.id \
             WHERE a.deleted_at IS NULL), \
         albums_gone AS ( \
             UPDATE albums SET deleted_at = $2, trashed_with = $1 \
             WHERE id IN (SELECT id FROM tree) RETURNING id) \
         UPDATE images SET deleted_at = $2, trashed_with = $1 \
         WHERE album_id IN (SELECT id FROM tree) AND deleted_at IS NULL RETURNING id",
    )
    .bind::<SqlUuid, _>(root)
    .bind::<Timestamptz, _>(at)
    .load(conn)?;
    Ok(gone.into_iter().map(|g| g.id).collect())
}

/// Marks the owner's live images among `ids` as deleted, each its own item; those that went.
pub fn trash_images(
    conn: &mut PgConnection,
    owner: Uuid,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        images::table
            .filter(images::id.eq_any(ids))
            .filter(images::owner_id.eq(owner))
            .filter(images::deleted_at.is_null()),
    )
    .set((
        images::deleted_at.eq(at),
        images::trashed_with.eq(images::id.nullable()),
    ))
    .returning(images::id)
    .get_results(conn)
}

/// One thing the user deleted directly, with what went with it.
#[derive(Debug, Clone, QueryableByName)]
pub struct TrashItemRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Timestamptz)]
    pub deleted_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub images: i64,
    #[diesel(sql_type = BigInt)]
    pub bytes: i64,
}

/// Where a page of the trash starts: just after this (newest-first) key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrashKey {
    pub deleted_at: DateTime<Utc>,
    pub id: Uuid,
}

/// One page of the owner's trash items, newest deletion first, ties broken by id.
pub fn list(
    conn: &mut PgConnection,
    owner: Uuid,
    after: Option<TrashKey>,
    limit: i64,
) -> QueryResult<Vec<TrashItemRow>> {
    // Each half walks its partial index (owner, deleted_at DESC, id DESC) from the cursor.
    const PAGE: &str = "SELECT * FROM ( \
        (SELECT 'album' AS kind, a.id, a.name, a.deleted_at, \
             (SELECT count(*) FROM images i WHERE i.trashed_with = a.id) AS images, \
             (SELECT COALESCE(SUM(i.stored_bytes), 0)::bigint FROM images i \
              WHERE i.trashed_with = a.id) AS bytes \
         FROM albums a WHERE a.owner_id = $1 AND a.trashed_with = a.id \
           AND ($2 IS NULL OR (a.deleted_at, a.id) < ($2, $3)) \
         ORDER BY a.deleted_at DESC, a.id DESC LIMIT $4) \
        UNION ALL \
        (SELECT 'image', i.id, i.filename, i.deleted_at, 1::bigint, i.stored_bytes \
         FROM images i WHERE i.owner_id = $1 AND i.trashed_with = i.id \
           AND ($2 IS NULL OR (i.deleted_at, i.id) < ($2, $3)) \
         ORDER BY i.deleted_at DESC, i.id DESC LIMIT $4) \
        ) items ORDER BY deleted_at DESC, id DESC LIMIT $4";
    diesel::sql_query(PAGE)
        .bind::<SqlUuid, _>(owner)
        .bind::<Nullable<Timestamptz>, _>(after.map(|k| k.deleted_at))
        .bind::<Nullable<SqlUuid>, _>(after.map(|k| k.id))
        .bind::<BigInt, _>(limit)
        .load(conn)
}

/// What the owner's trash holds, nested albums and their images included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName, serde::Serialize)]
pub struct TrashTotals {
    #[diesel(sql_type = BigInt)]
    pub albums: i64,
    #[diesel(sql_type = BigInt)]
    pub images: i64,
    #[diesel(sql_type = BigInt)]
    pub bytes: i64,
}

pub fn totals(conn: &mut PgConnection, owner: Uuid) -> QueryResult<TrashTotals> {
    diesel::sql_query(
        "SELECT (SELECT count(*) FROM albums WHERE owner_id = $1 AND deleted_at IS NOT NULL) \
                    AS albums, \
                count(*) AS images, COALESCE(SUM(stored_bytes), 0)::bigint AS bytes \
         FROM images WHERE owner_id = $1 AND deleted_at IS NOT NULL",
    )
    .bind::<SqlUuid, _>(owner)
    .get_result(conn)
}

/// A trash item as found for a restore or purge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An album deleted directly, with its parent (the item can come back only under a live one).
    Album { parent: Option<Uuid> },
    /// An image deleted directly, with its album.
    Image { album: Uuid },
}

/// The owner's trash item `id`, locked for the transaction, with when it was deleted.
pub fn find_item(
    conn: &mut PgConnection,
    owner: Uuid,
    id: Uuid,
) -> QueryResult<Option<(Item, DateTime<Utc>)>> {
    let album: Option<(Option<Uuid>, Option<DateTime<Utc>>)> = albums::table
        .find(id)
        .filter(albums::owner_id.eq(owner))
        .filter(albums::trashed_with.eq(id))
        .select((albums::parent_id, albums::deleted_at))
        .for_update()
        .first(conn)
        .optional()?;
    if let Some((parent, Some(at))) = album {
        return Ok(Some((Item::Album { parent }, at)));
    }
    let image: Option<(Uuid, Option<DateTime<Utc>>)> = images::table
        .find(id)
        .filter(images::owner_id.eq(owner))
        .filter(images::trashed_with.eq(id))
        .select((images::album_id, images::deleted_at))
        .for_update()
        .first(conn)
        .optional()?;
    Ok(image.and_then(|(album, at)| at.map(|at| (Item::Image { album }, at))))
}

/// Whether the album is in the trash (deleted directly or with one above it).
pub fn album_is_trashed(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    albums::table
        .find(id)
        .select(albums::deleted_at.is_not_null())
        .first(conn)
        .optional()
        .map(|trashed| trashed.unwrap_or(false))
}

/// Brings back everything that went with item `id`.
pub fn restore(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(albums::table.filter(albums::trashed_with.eq(id)))
        .set((
            albums::deleted_at.eq(None::<DateTime<Utc>>),
            albums::trashed_with.eq(None::<Uuid>),
        ))
        .execute(conn)?;
    diesel::update(images::table.filter(images::trashed_with.eq(id)))
        .set((
            images::deleted_at.eq(None::<DateTime<Utc>>),
            images::trashed_with.eq(None::<Uuid>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes item `id`'s rows for good; the images whose objects must go. An album takes its
/// whole tree with it, images trashed on their own before it included (they could never come
/// back without it).
pub fn purge(conn: &mut PgConnection, item: Item, id: Uuid) -> QueryResult<Vec<Uuid>> {
    match item {
        Item::Album { .. } => {
            let doomed = ids_in_album_tree(conn, id)?;
            diesel::delete(albums::table.find(id)).execute(conn)?;
            Ok(doomed)
        }
        Item::Image { .. } => {
            diesel::delete(images::table.find(id)).execute(conn)?;
            Ok(vec![id])
        }
    }
}

/// The ids of every item in the owner's trash.
pub fn all_items(conn: &mut PgConnection, owner: Uuid) -> QueryResult<Vec<Uuid>> {
    let mut ids: Vec<Uuid> = albums::table
        .filter(albums::owner_id.eq(owner))
        .filter(albums::trashed_with.eq(albums::id.nullable()))
        .select(albums::id)
        .load(conn)?;
    ids.extend(
        images::table
            .filter(images::owner_id.eq(owner))
            .filter(images::trashed_with.eq(images::id.nullable()))
            .select(images::id)
            .load::<Uuid>(conn)?,
    );
    Ok(ids)
}

/// The owner of item `id`, whoever it is (for the purge job, which acts for no request).
pub fn owner_of_item(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Uuid>> {
    let album = albums::table
        .find(id)
        .filter(albums::trashed_with.eq(id))
        .select(albums::owner_id)
        .first(conn)
        .optional()?;
    if album.is_some() {
        return Ok(album);
    }
    images::table
        .find(id)
        .filter(images::trashed_with.eq(id))
        .select(images::owner_id)
        .first(conn)
        .optional()
}
