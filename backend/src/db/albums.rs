use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use uuid::Uuid;

use super::schema::{albums, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = albums)]
pub struct AlbumRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub name_key: String,
    pub description: Option<String>,
    pub visibility: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The chosen cover; it counts only while that image is live in the album's tree.
    pub cover_image_id: Option<Uuid>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = albums)]
pub struct NewAlbum<'a> {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: &'a str,
    pub description: Option<&'a str>,
}

/// `None` leaves a column alone; `Some(None)` sets it to NULL.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = albums)]
pub struct AlbumChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub parent_id: Option<Option<Uuid>>,
    pub visibility: Option<String>,
    pub cover_image_id: Option<Option<Uuid>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Where a page of albums starts: just after this sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumKey {
    pub name_key: String,
    pub id: Uuid,
}

pub fn insert(conn: &mut PgConnection, album: &NewAlbum<'_>) -> QueryResult<AlbumRow> {
    diesel::insert_into(albums::table)
        .values(album)
        .returning(AlbumRow::as_returning())
        .get_result(conn)
}

/// A live album (one in the trash is not found).
pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<AlbumRow>> {
    albums::table
        .find(id)
        .filter(albums::deleted_at.is_null())
        .select(AlbumRow::as_select())
        .first(conn)
        .optional()
}

/// One page of an owner's albums under `parent` (top level when `None`), by name then id.
/// A live album, locked against deletion (FOR SHARE) until the transaction ends: for writes
/// that put things into it.
pub fn find_for_share(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<AlbumRow>> {
    albums::table
        .find(id)
        .filter(albums::deleted_at.is_null())
        .select(AlbumRow::as_select())
        .for_share()
        .first(conn)
        .optional()
}

pub fn list_children(
    conn: &mut PgConnection,
    owner_id: Uuid,
    parent: Option<Uuid>,
    after: Option<&AlbumKey>,
    limit: i64,
) -> QueryResult<Vec<AlbumRow>> {
    let mut query = albums::table
        .filter(albums::owner_id.eq(owner_id))
        .filter(albums::deleted_at.is_null())
        .select(AlbumRow::as_select())
        .into_boxed();
    query = match parent {
        Some(parent) => query.filter(albums::parent_id.eq(parent)),
        None => query.filter(albums::parent_id.is_null()),
    };
    if let Some(after) = after {
        // A row comparison, so the listing index serves the page start directly.
        query = query.filter(
            sql::<Bool>("(albums.name_key, albums.id) > (")
                .bind::<Text, _>(after.name_key.clone())
                .sql(", ")
                .bind::<diesel::sql_types::Uuid, _>(after.id)
                .sql(")"),
        );
    }
    query
        .order((albums::name_key.asc(), albums::id.asc()))
        .limit(limit)
        .load(conn)
}

pub fn update(conn: &mut PgConnection, id: Uuid, changes: &AlbumChanges) -> QueryResult<AlbumRow> {
    diesel::update(albums::table.find(id))
        .set(changes)
        .returning(AlbumRow::as_returning())
        .get_result(conn)
}

/// Deletes the album for good; its sub-albums go with it (ON DELETE CASCADE).
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(albums::table.find(id)).execute(conn)
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// Whether `album` is `candidate` or one of its ancestors, i.e. whether putting `album` under
/// `candidate` would close a loop.
pub fn is_self_or_ancestor_of(
    conn: &mut PgConnection,
    album: Uuid,
    candidate: Uuid,
) -> QueryResult<bool> {
    let found: Found = diesel::sql_query(
        "WITH RECURSIVE up(id, parent_id) AS ( \
             SELECT id, parent_id FROM albums WHERE id = $1 \
             UNION \
             SELECT a.id, a.parent_id FROM albums a JOIN up ON a.id = up.parent_id) \
         SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS found",
    )
    .bind::<diesel::sql_types::Uuid, _>(candidate)
    .bind::<diesel::sql_types::Uuid, _>(album)
    .get_result(conn)?;
    Ok(found.found)
}

/// Serialises tree changes of one owner: two concurrent moves cannot build a loop together.
pub fn lock_owner_tree(conn: &mut PgConnection, owner_id: Uuid) -> QueryResult<()> {
    users::table
        .find(owner_id)
        .select(users::id)
        .for_update()
        .first::<Uuid>(conn)
        .map(drop)
}
