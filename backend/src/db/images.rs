use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Timestamptz};
use uuid::Uuid;

use super::schema::{albums, image_variants, images};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = images)]
pub struct ImageRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub album_id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub sha256: String,
    pub stored_bytes: i64,
    pub created_at: DateTime<Utc>,
    #[diesel(embed)]
    pub facts: FactColumns,
}

/// The photo facts and placeholder of an image, as stored.
#[derive(Debug, Clone, Default, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = images)]
pub struct FactColumns {
    pub taken_at: Option<DateTime<Utc>>,
    pub taken_offset_minutes: Option<i16>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    pub camera_lens: Option<String>,
    pub iso: Option<i32>,
    pub f_number: Option<f64>,
    pub exposure_time: Option<String>,
    pub focal_length_mm: Option<f64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub thumbhash: String,
    pub color: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = image_variants)]
pub struct VariantRow {
    pub image_id: Uuid,
    pub size: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub content_type: String,
    pub etag: String,
}

/// How a listing is ordered: newest first either way, ties broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    CreatedAt,
    /// Undated images last.
    TakenAt,
}

/// Where a page of images starts: just after this (newest-first) sort key. With `TakenAt`,
/// `time` is `None` inside the undated tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageKey {
    pub time: Option<DateTime<Utc>>,
    pub id: Uuid,
}

/// What a listing shows: its order, filters and start.
#[derive(Debug, Clone, Default)]
pub struct ImageQuery {
    pub sort: SortBy,
    /// A case-insensitive substring of the filename.
    pub filename: Option<String>,
    /// Taken at or after (inclusive) / before (exclusive).
    pub taken_after: Option<DateTime<Utc>>,
    pub taken_before: Option<DateTime<Utc>>,
    pub after: Option<ImageKey>,
}

impl ImageRow {
    /// This row's key in a listing sorted by `sort`.
    pub fn key(&self, sort: SortBy) -> ImageKey {
        ImageKey {
            time: match sort {
                SortBy::CreatedAt => Some(self.created_at),
                SortBy::TakenAt => self.facts.taken_at,
            },
            id: self.id,
        }
    }
}

/// An image with the facts about its album that access depends on.
#[derive(Debug, Clone)]
pub struct ImageInAlbum {
    pub image: ImageRow,
    pub album_owner: Uuid,
    pub album_visibility: String,
}

pub fn insert(
    conn: &mut PgConnection,
    image: &ImageRow,
    variants: &[VariantRow],
) -> QueryResult<()> {
    diesel::insert_into(images::table)
        .values(image)
        .execute(conn)?;
    diesel::insert_into(image_variants::table)
        .values(variants)
        .execute(conn)?;
    Ok(())
}

pub fn find_in_album(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ImageInAlbum>> {
    images::table
        .inner_join(albums::table)
        .filter(images::id.eq(id))
        .filter(images::deleted_at.is_null())
        .select((ImageRow::as_select(), albums::owner_id, albums::visibility))
        .first::<(ImageRow, Uuid, String)>(conn)
        .optional()
        .map(|found| {
            found.map(|(image, album_owner, album_visibility)| ImageInAlbum {
                image,
                album_owner,
                album_visibility,
            })
        })
}

pub enum Scope {
    Owner(Uuid),
    Album(Uuid),
}

/// One page of `query`, in its order.
pub fn list(
    conn: &mut PgConnection,
    scope: Scope,
    query: &ImageQuery,
    limit: i64,
) -> QueryResult<Vec<ImageRow>> {
    let mut rows = images::table
        .filter(images::deleted_at.is_null())
        .select(ImageRow::as_select())
        .into_boxed();
    rows = match scope {
        Scope::Owner(owner) => rows.filter(images::owner_id.eq(owner)),
        Scope::Album(album) => rows.filter(images::album_id.eq(album)),
    };
    if let Some(text) = &query.filename {
        rows = rows.filter(images::filename.ilike(like_pattern(text)));
    }
    if let Some(after) = query.taken_after {
        rows = rows.filter(images::taken_at.ge(after));
    }
    if let Some(before) = query.taken_before {
        rows = rows.filter(images::taken_at.lt(before));
    }
    match query.sort {
        SortBy::CreatedAt => {
            if let Some(ImageKey { time: Some(t), id }) = query.after {
                // A row comparison, so the (scope, created_at DESC, id DESC) index starts the page.
                rows = rows.filter(
                    sql::<Bool>("(images.created_at, images.id) < (")
                        .bind::<Timestamptz, _>(t)
                        .sql(", ")
                        .bind::<diesel::sql_types::Uuid, _>(id)
                        .sql(")"),
                );
            }
            rows.order((images::created_at.desc(), images::id.desc()))
        }
        SortBy::TakenAt => {
            rows = match query.after {
                // Dated rows after the key, then the whole undated tail.
                Some(ImageKey { time: Some(t), id }) => rows.filter(
                    sql::<Bool>("((images.taken_at, images.id) < (")
                        .bind::<Timestamptz, _>(t)
                        .sql(", ")
                        .bind::<diesel::sql_types::Uuid, _>(id)
                        .sql(") OR images.taken_at IS NULL)"),
                ),
                // Inside the undated tail: by id alone.
                Some(ImageKey { time: None, id }) => rows
                    .filter(images::taken_at.is_null())
                    .filter(images::id.lt(id)),
                None => rows,
            };
            rows.order((images::taken_at.desc().nulls_last(), images::id.desc()))
        }
    }
    .limit(limit)
    .load(conn)
}

/// `text` as an ILIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The variants of these images, by image.
pub fn variants_of(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, Vec<VariantRow>>> {
    let rows: Vec<VariantRow> = image_variants::table
        .filter(image_variants::image_id.eq_any(ids))
        .select(VariantRow::as_select())
        .load(conn)?;
    let mut by_image: HashMap<Uuid, Vec<VariantRow>> = HashMap::new();
    for row in rows {
        by_image.entry(row.image_id).or_default().push(row);
    }
    Ok(by_image)
}

pub fn variant(conn: &mut PgConnection, id: Uuid, size: &str) -> QueryResult<Option<VariantRow>> {
    image_variants::table
        .find((id, size))
        .select(VariantRow::as_select())
        .first(conn)
        .optional()
}

/// Moves the owner's live images among `ids` into `album`; those moved.
pub fn move_to_album(
    conn: &mut PgConnection,
    owner: Uuid,
    ids: &[Uuid],
    album: Uuid,
) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        images::table
            .filter(images::id.eq_any(ids))
            .filter(images::owner_id.eq(owner))
            .filter(images::deleted_at.is_null()),
    )
    .set(images::album_id.eq(album))
    .returning(images::id)
    .get_results(conn)
}

/// Deletes the owner's live images among `ids` for good; those deleted.
pub fn delete_live(conn: &mut PgConnection, owner: Uuid, ids: &[Uuid]) -> QueryResult<Vec<Uuid>> {
    diesel::delete(
        images::table
            .filter(images::id.eq_any(ids))
            .filter(images::owner_id.eq(owner))
            .filter(images::deleted_at.is_null()),
    )
    .returning(images::id)
    .get_results(conn)
}

/// Whether the image's row is there (live or in the trash).
pub fn exists(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(images::table.find(id))).get_result(conn)
}

/// Locks the image's row against deletion until the transaction ends; false when it is gone.
pub fn lock_for_share(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    images::table
        .find(id)
        .select(images::id)
        .for_share()
        .first::<Uuid>(conn)
        .optional()
        .map(|found| found.is_some())
}

/// Deletes the image's rows for good.
pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(images::table.find(id)).execute(conn)
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

/// Every image in the album and all its sub-albums, those in the trash included.
pub fn ids_in_album_tree(conn: &mut PgConnection, root: Uuid) -> QueryResult<Vec<Uuid>> {
    let rows: Vec<IdRow> = diesel::sql_query(
        "WITH RECURSIVE tree(id) AS ( \
             SELECT id FROM albums WHERE id = $1 \
             UNION \
             SELECT a.id FROM albums a JOIN tree ON a.parent_id = tree.id) \
         SELECT i.id FROM images i JOIN tree ON i.album_id = tree.id",
    )
    .bind::<diesel::sql_types::Uuid, _>(root)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The `thumb` variants of these images, by image.
pub fn thumbs_of(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, VariantRow>> {
    let rows: Vec<VariantRow> = image_variants::table
        .filter(image_variants::image_id.eq_any(ids))
        .filter(image_variants::size.eq("thumb"))
        .select(VariantRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|row| (row.image_id, row)).collect())
}

/// How many images each album holds directly.
pub fn counts_by_album(
    conn: &mut PgConnection,
    albums: &[Uuid],
) -> QueryResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = images::table
        .filter(images::album_id.eq_any(albums))
        .filter(images::deleted_at.is_null())
        .group_by(images::album_id)
        .select((images::album_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The newest image of each album, by album.
pub fn newest_by_album(
    conn: &mut PgConnection,
    albums: &[Uuid],
) -> QueryResult<HashMap<Uuid, Uuid>> {
    let rows: Vec<(Uuid, Uuid)> = images::table
        .filter(images::album_id.eq_any(albums))
        .filter(images::deleted_at.is_null())
        .distinct_on(images::album_id)
        .order((
            images::album_id,
            images::created_at.desc(),
            images::id.desc(),
        ))
        .select((images::album_id, images::id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

#[derive(QueryableByName)]
struct Usage {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    images: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    bytes: i64,
}

/// (images, stored bytes) of one owner's live images.
pub fn usage(conn: &mut PgConnection, owner: Uuid) -> QueryResult<(i64, i64)> {
    // SUM(bigint) is numeric in Postgres; the cast keeps it an integer.
    let usage: Usage = diesel::sql_query(
        "SELECT count(*) AS images, COALESCE(SUM(stored_bytes), 0)::bigint AS bytes \
         FROM images WHERE owner_id = $1 AND deleted_at IS NULL",
    )
    .bind::<diesel::sql_types::Uuid, _>(owner)
    .get_result(conn)?;
    Ok((usage.images, usage.bytes))
}
