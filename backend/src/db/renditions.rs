//! `image_renditions`: the WebP/AVIF encodings of an image's resized sizes, one row per stored
//! object (written after the object, gone with the image).

use std::collections::HashMap;

use diesel::prelude::*;
use uuid::Uuid;

use super::schema::image_renditions;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = image_renditions)]
pub struct RenditionRow {
    pub image_id: Uuid,
    pub size: String,
    pub format: String,
    pub bytes: i64,
    pub etag: String,
}

/// Records renditions already stored; ones recorded before (a job run twice) stay as they were.
pub fn insert(conn: &mut PgConnection, rows: &[RenditionRow]) -> QueryResult<usize> {
    diesel::insert_into(image_renditions::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
}

/// The renditions of one size of one image.
pub fn of_size(conn: &mut PgConnection, image: Uuid, size: &str) -> QueryResult<Vec<RenditionRow>> {
    image_renditions::table
        .filter(image_renditions::image_id.eq(image))
        .filter(image_renditions::size.eq(size))
        .select(RenditionRow::as_select())
        .load(conn)
}

/// Which formats each (image, size) has, for these images.
pub fn formats_of(
    conn: &mut PgConnection,
    images: &[Uuid],
) -> QueryResult<HashMap<(Uuid, String), Vec<String>>> {
    let rows: Vec<(Uuid, String, String)> = image_renditions::table
        .filter(image_renditions::image_id.eq_any(images))
        .select((
            image_renditions::image_id,
            image_renditions::size,
            image_renditions::format,
        ))
        .load(conn)?;
    let mut by_size: HashMap<(Uuid, String), Vec<String>> = HashMap::new();
    for (image, size, format) in rows {
        by_size.entry((image, size)).or_default().push(format);
    }
    Ok(by_size)
}
