//! Deleting images: rows first (so no row ever points at missing bytes), with a job that
//! deletes their objects queued in the same transaction (`DELETE_OBJECTS`); then the objects
//! are deleted in-line, concurrently, and the job dropped. Whatever fails is left to the job,
//! which a worker takes after `WORKER_GRACE` and retries with backoff.

use chrono::{TimeDelta, Utc};
use diesel::{Connection, PgConnection, QueryResult};
use futures_util::StreamExt;
use futures_util::stream;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::service::ImageService;
use crate::albums::{self, Access};
use crate::auth::Viewer;
use crate::db::albums as album_rows;
use crate::db::images as image_rows;
use crate::db::{DbError, jobs as job_rows, object_gc};
use crate::error::ApiError;
use crate::jobs::{self, Job, JobError, JobId, JobKind};

/// Object deletions in flight at once.
const CONCURRENT_DELETES: usize = 16;
/// The job deleting the objects of images whose rows are gone.
pub const DELETE_OBJECTS: JobKind = JobKind::new("delete_image_objects");
/// How long a queued deletion is left to the in-line attempt before a worker takes it.
const WORKER_GRACE: TimeDelta = TimeDelta::minutes(1);
/// Images per deletion job, so a huge album's payload stays small.
const IMAGES_PER_JOB: usize = 1000;

#[derive(Debug, Serialize, Deserialize)]
struct DeleteObjects {
    images: Vec<Uuid>,
}

/// Deletions queued in a transaction, for `purge` to carry out once it commits.
#[derive(Debug, Default)]
pub struct Queued {
    images: Vec<Uuid>,
    jobs: Vec<JobId>,
}

/// Queues the deletion of `images`' objects; in the transaction that deletes their rows.
pub fn queue_deletion(conn: &mut PgConnection, images: Vec<Uuid>) -> QueryResult<Queued> {
    let due = Utc::now() + WORKER_GRACE;
    let mut jobs = Vec::new();
    for chunk in images.chunks(IMAGES_PER_JOB) {
        let payload = DeleteObjects {
            images: chunk.to_vec(),
        };
        jobs.extend(jobs::enqueue(conn, DELETE_OBJECTS, &payload, Some(due))?);
    }
    Ok(Queued { images, jobs })
}

pub async fn delete_image(service: &ImageService, user: Uuid, id: Uuid) -> Result<(), ApiError> {
    let doomed = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let found = image_rows::find_in_album(conn, id)?;
                albums::authorize_image(found.as_ref(), Viewer::User(user), Access::Write)?;
                image_rows::delete(conn, id)?;
                Ok::<_, ApiError>(queue_deletion(conn, vec![id])?)
            })
        })
        .await?;
    purge(service, doomed).await;
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

fn unlink_album(conn: &mut PgConnection, user: Uuid, id: Uuid) -> Result<Queued, ApiError> {
    let album = albums::load(conn, Viewer::User(user), Some(id), Access::Write)?;
    let images = image_rows::ids_in_album_tree(conn, album.id)?;
    album_rows::delete(conn, album.id)?;
    Ok(queue_deletion(conn, images)?)
}

/// Deletes queued objects now; when all are gone, drops their jobs (else a worker retries).
pub async fn purge(service: &ImageService, queued: Queued) {
    let Queued { images, jobs } = queued;
    if images.is_empty() {
        return;
    }
    if let Err(e) = delete_objects(service, &images).await {
        tracing::warn!(error = %e, "object deletion failed; a job will retry it");
        return;
    }
    let dropped = service
        .db
        .run(move |conn| job_rows::cancel_queued(conn, &jobs).map_err(DbError::from))
        .await;
    if let Err(e) = dropped {
        tracing::warn!(error = %e, "could not drop done deletion jobs; they will run (harmlessly)");
    }
}

/// Deletes every object of `images`, concurrently; the first failure, if any.
async fn delete_objects(service: &ImageService, images: &[Uuid]) -> Result<(), JobError> {
    service.cache.forget(images);
    let failures: Vec<_> = stream::iter(images.iter().copied())
        .map(|id| async move {
            service
                .storage
                .delete_image(id)
                .await
                .err()
                .map(|e| (id, e))
        })
        .buffer_unordered(CONCURRENT_DELETES)
        .filter_map(|failed| async move { failed })
        .collect()
        .await;
    match failures.into_iter().next() {
        None => Ok(()),
        Some((id, e)) => Err(format!("deleting the objects of image {id}: {e}").into()),
    }
}

/// The handler of `DELETE_OBJECTS` (idempotent: an object already gone counts as deleted).
pub async fn run_deletion_job(service: &ImageService, job: Job) -> Result<(), JobError> {
    let payload: DeleteObjects = job.payload()?;
    delete_objects(service, &payload.images).await
}

/// After a failed upload: its claim becomes a queued deletion, carried out now if it can be.
pub async fn discard(service: &ImageService, id: Uuid) {
    let queued = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                object_gc::forget_all(conn, &[id])?;
                queue_deletion(conn, vec![id])
            })
            .map_err(DbError::from)
        })
        .await;
    match queued {
        Ok(queued) => purge(service, queued).await,
        // The claim stays; the sweeper turns it into a deletion once it is old.
        Err(e) => {
            tracing::warn!(image.id = %id, error = %e, "could not queue a failed upload's objects")
        }
    }
}

/// Removes images just stored by a request that then failed as a whole.
pub async fn delete_stored(service: &ImageService, ids: Vec<Uuid>) -> Result<(), ApiError> {
    let doomed = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                for id in &ids {
                    image_rows::delete(conn, *id)?;
                }
                Ok::<_, ApiError>(queue_deletion(conn, ids)?)
            })
        })
        .await?;
    purge(service, doomed).await;
    Ok(())
}
