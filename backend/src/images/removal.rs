//! Deleting images: rows first (so no row ever points at missing bytes), with their ids queued
//! in `object_gc` in the same transaction; then the objects, concurrently; then the queue
//! entries. Whatever fails stays queued for the sweeper.

use diesel::{Connection, PgConnection};
use futures_util::StreamExt;
use futures_util::stream;
use uuid::Uuid;

use super::service::ImageService;
use crate::albums::{self, Access};
use crate::auth::Viewer;
use crate::db::albums as album_rows;
use crate::db::images as image_rows;
use crate::db::{DbError, object_gc};
use crate::error::ApiError;

/// Object deletions in flight at once.
const CONCURRENT_DELETES: usize = 16;

pub async fn delete_image(service: &ImageService, user: Uuid, id: Uuid) -> Result<(), ApiError> {
    service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let found = image_rows::find_in_album(conn, id)?;
                let guard = found.as_ref().map(|f| albums::Guarded {
                    owner_id: f.album_owner,
                    public: f.album_visibility == "public",
                });
                albums::authorize(guard, Viewer::User(user), Access::Write)?;
                object_gc::claim_all(conn, &[id])?;
                image_rows::delete(conn, id)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    purge(service, vec![id]).await;
    Ok(())
}

/// Deletes an album, its sub-albums, their images and every stored object of them.
pub async fn delete_album(service: &ImageService, user: Uuid, id: Uuid) -> Result<(), ApiError> {
    let doomed = service
        .db
        .run(move |conn| conn.transaction(|conn| unlink_album(conn, user, id)))
        .await?;
    purge(service, doomed).await;
    Ok(())
}

fn unlink_album(conn: &mut PgConnection, user: Uuid, id: Uuid) -> Result<Vec<Uuid>, ApiError> {
    let album = albums::load(conn, Viewer::User(user), Some(id), Access::Write)?;
    let images = image_rows::ids_in_album_tree(conn, album.id)?;
    object_gc::claim_all(conn, &images)?;
    album_rows::delete(conn, album.id)?;
    Ok(images)
}

/// Deletes the objects of images whose rows are gone, then their queue entries.
pub async fn purge(service: &ImageService, images: Vec<Uuid>) {
    service.cache.forget(&images);
    let deleted: Vec<Uuid> = stream::iter(images)
        .map(|id| async move {
            match service.storage.delete_image(id).await {
                Ok(()) => Some(id),
                Err(e) => {
                    tracing::warn!(image.id = %id, error = %e, "object deletion failed; the sweeper will retry");
                    None
                }
            }
        })
        .buffer_unordered(CONCURRENT_DELETES)
        .filter_map(|id| async move { id })
        .collect()
        .await;
    if deleted.is_empty() {
        return;
    }
    let forgotten = service
        .db
        .run(move |conn| object_gc::forget_all(conn, &deleted).map_err(DbError::from))
        .await;
    if let Err(e) = forgotten {
        tracing::warn!(error = %e, "could not clear the deletion queue; the sweeper will");
    }
}

/// After a failed upload: its objects go now, or are queued for the sweeper.
pub async fn discard(service: &ImageService, id: Uuid) {
    match service.storage.delete_image(id).await {
        Ok(()) => {
            let forgotten = service
                .db
                .run(move |conn| object_gc::forget_all(conn, &[id]).map_err(DbError::from))
                .await;
            if let Err(e) = forgotten {
                tracing::warn!(image.id = %id, error = %e, "could not drop an upload's claim");
            }
        }
        Err(e) => {
            tracing::warn!(image.id = %id, error = %e, "could not delete a failed upload's objects; queued");
            let queued = service
                .db
                .run(move |conn| object_gc::claim(conn, id, None).map_err(DbError::from))
                .await;
            if let Err(e) = queued {
                tracing::error!(image.id = %id, error = %e, "could not queue a failed upload's objects");
            }
        }
    }
}

/// Removes images just stored by a request that then failed as a whole.
pub async fn delete_stored(service: &ImageService, ids: Vec<Uuid>) -> Result<(), ApiError> {
    let doomed = ids.clone();
    service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                object_gc::claim_all(conn, &doomed)?;
                for id in &doomed {
                    image_rows::delete(conn, *id)?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    purge(service, ids).await;
    Ok(())
}
