//! Bulk actions on up to 500 of the caller's images: move them to another album, or delete
//! them (to the trash, or for good). Each request is one transaction; ids that are not the
//! caller's live images are reported as `failed` with 404, the rest go through.

use std::collections::HashSet;

use chrono::TimeDelta;
use diesel::{Connection, PgConnection};
use serde::Serialize;
use uuid::Uuid;

use crate::db::albums as album_rows;
use crate::db::images as image_rows;
use crate::error::{ApiError, ItemFailure};
use crate::images::ImageService;
use crate::images::removal::{self, Queued};
use crate::trash;

/// What a bulk action did, id by id, in the request's order.
#[derive(Debug, Default, Serialize)]
pub struct Outcome {
    pub done: Vec<Uuid>,
    pub failed: Vec<ItemFailure>,
}

impl Outcome {
    /// `requested` split by whether each is among `done`.
    fn of(requested: &[Uuid], done: &[Uuid]) -> Self {
        let done: HashSet<&Uuid> = done.iter().collect();
        let (done, failed): (Vec<Uuid>, Vec<Uuid>) =
            requested.iter().partition(|id| done.contains(id));
        Self {
            done,
            failed: failed.into_iter().map(ItemFailure::not_found).collect(),
        }
    }
}

/// Moves the caller's live images among `ids` into `album`, which must be one of the caller's
/// live albums (else 422 on `album_id`).
pub fn move_images(
    conn: &mut PgConnection,
    owner: Uuid,
    ids: &[Uuid],
    album: Uuid,
) -> Result<Outcome, ApiError> {
    conn.transaction(|conn| {
        // FOR SHARE: the album cannot go to the trash while images are moved into it.
        match album_rows::find_for_share(conn, album)? {
            Some(row) if row.owner_id == owner => {}
            _ => {
                return Err(ApiError::validation(
                    "album_id",
                    "must be one of your albums",
                ));
            }
        }
        let moved = image_rows::move_to_album(conn, owner, ids, album)?;
        Ok(Outcome::of(ids, &moved))
    })
}

/// Deletes the caller's live images among `ids`: to the trash, or for good with `permanent`.
pub async fn delete_images(
    service: &ImageService,
    owner: Uuid,
    ids: Vec<Uuid>,
    permanent: bool,
) -> Result<Outcome, ApiError> {
    let retention = service.trash_retention;
    let (outcome, queued) = service
        .db
        .run(move |conn| delete_rows(conn, owner, &ids, permanent, retention))
        .await?;
    match queued {
        Some(queued) => removal::purge(service, queued).await,
        None => service.cache.forget(&outcome.done),
    }
    Ok(outcome)
}

fn delete_rows(
    conn: &mut PgConnection,
    owner: Uuid,
    ids: &[Uuid],
    permanent: bool,
    retention: TimeDelta,
) -> Result<(Outcome, Option<Queued>), ApiError> {
    conn.transaction(|conn| {
        if !permanent {
            let gone = trash::trash_images(conn, owner, ids, retention)?;
            return Ok((Outcome::of(ids, &gone), None));
        }
        let gone = image_rows::delete_live(conn, owner, ids)?;
        let queued = removal::queue_deletion(conn, gone.clone())?;
        Ok((Outcome::of(ids, &gone), Some(queued)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_keeps_the_requested_order_and_fails_the_rest_with_404() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let outcome = Outcome::of(&ids, &[ids[2], ids[0]]);
        assert_eq!(outcome.done, vec![ids[0], ids[2]]);
        let failed: Vec<(Uuid, u16)> = outcome.failed.iter().map(|f| (f.id, f.status)).collect();
        assert_eq!(failed, vec![(ids[1], 404), (ids[3], 404)]);
        assert_eq!(outcome.failed[0].title, "Not Found");
    }
}
