//! Claims on objects that must be deleted unless their image row commits (see the migration).
//! Queued deletions are jobs now (`images::removal::DELETE_OBJECTS`); a claim always names
//! its writer.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::object_gc;

/// Claims `image`'s objects for the writer `held_by` before any is written.
pub fn claim(conn: &mut PgConnection, image: Uuid, held_by: Uuid) -> QueryResult<()> {
    diesel::insert_into(object_gc::table)
        .values((
            object_gc::image_id.eq(image),
            object_gc::held_by.eq(held_by),
        ))
        .on_conflict(object_gc::image_id)
        .do_update()
        .set(object_gc::held_by.eq(held_by))
        .execute(conn)
        .map(drop)
}

/// Postgres takes at most 65535 bind parameters a statement.
const ROWS_PER_STATEMENT: usize = 10_000;

/// Drops the writer's claim when its row commits. False means a sweeper took the claim (the
/// writer was thought dead), so the objects may be gone and the upload must fail.
pub fn release_own(conn: &mut PgConnection, image: Uuid, held_by: Uuid) -> QueryResult<bool> {
    let released = diesel::delete(
        object_gc::table
            .filter(object_gc::image_id.eq(image))
            .filter(object_gc::held_by.eq(held_by)),
    )
    .execute(conn)?;
    Ok(released == 1)
}

/// The objects are gone: forget the claims.
pub fn forget_all(conn: &mut PgConnection, images: &[Uuid]) -> QueryResult<()> {
    for chunk in images.chunks(ROWS_PER_STATEMENT) {
        diesel::delete(object_gc::table.filter(object_gc::image_id.eq_any(chunk))).execute(conn)?;
    }
    Ok(())
}

/// What a sweep should look at: other writers' claims (the caller checks whether they are
/// alive), and this writer's own claims older than `own_before` (an upload never takes that
/// long; something lost track of it).
pub fn pending(
    conn: &mut PgConnection,
    me: Uuid,
    own_before: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, Option<Uuid>)>> {
    object_gc::table
        .filter(
            object_gc::held_by
                .ne(me)
                .or(object_gc::held_by.is_null())
                .or(object_gc::held_by
                    .eq(me)
                    .and(object_gc::created_at.lt(own_before))),
        )
        .order(object_gc::created_at)
        .limit(limit)
        .select((object_gc::image_id, object_gc::held_by))
        .load(conn)
}
