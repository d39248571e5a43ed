//! The trash. Deleting an image or an album (with its tree) marks its rows; from then on every
//! listing, count, cover and URL treats them as gone, while their bytes stay for the retention.
//! Restoring clears the marks; purging (now, or by the `PURGE_DUE` job once the retention has
//! passed) deletes the rows and hands their objects to `removal`.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{Connection, PgConnection, QueryResult};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::albums::{self, Access};
use crate::auth::Viewer;
use crate::db::images as image_rows;
use crate::db::trash::{self as rows, Item, TrashItemRow, TrashKey};
use crate::error::{ApiError, ItemFailure};
use crate::images::ImageService;
use crate::images::removal::{self, Queued};
use crate::jobs::{self, Job, JobError, JobKind};

/// The job purging trash items whose retention has passed.
pub const PURGE_DUE: JobKind = JobKind::new("purge_trash");

#[derive(Debug, Serialize, Deserialize)]
struct PurgeDue {
    items: Vec<Uuid>,
}

/// A trash item as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TrashItem {
    pub kind: String,
    pub id: Uuid,
    pub name: String,
    pub deleted_at: DateTime<Utc>,
    pub purge_at: DateTime<Utc>,
    pub images: i64,
    pub bytes: i64,
}

/// What a restore did, item by item.
#[derive(Debug, Default, Serialize)]
pub struct Restored {
    pub restored: Vec<Uuid>,
    pub failed: Vec<ItemFailure>,
}

/// When something deleted at `at` is purged.
fn purge_time(at: DateTime<Utc>, retention: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(retention)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Queues the purge of `items` (deleted at `at`) for when their retention ends; in the
/// transaction that trashed them.
pub fn schedule_purge(
    conn: &mut PgConnection,
    items: Vec<Uuid>,
    at: DateTime<Utc>,
    retention: TimeDelta,
) -> QueryResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let due = purge_time(at, retention);
    jobs::enqueue(conn, PURGE_DUE, &PurgeDue { items }, Some(due))?;
    Ok(())
}

/// Moves the owner's live images among `ids` to the trash, each its own item; those that went.
pub fn trash_images(
    conn: &mut PgConnection,
    owner: Uuid,
    ids: &[Uuid],
    retention: TimeDelta,
) -> QueryResult<Vec<Uuid>> {
    let now = Utc::now();
    let gone = rows::trash_images(conn, owner, ids, now)?;
    schedule_purge(conn, gone.clone(), now, retention)?;
    Ok(gone)
}

/// `DELETE /images/{id}`: the image goes to the trash.
pub async fn trash_image(service: &ImageService, user: Uuid, id: Uuid) -> Result<(), ApiError> {
    let retention = service.trash_retention;
    let gone = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let found = image_rows::find_in_album(conn, id)?;
                albums::authorize_image(found.as_ref(), Viewer::User(user), Access::Write)?;
                Ok::<_, ApiError>(trash_images(conn, user, &[id], retention)?)
            })
        })
        .await?;
    service.cache.forget(&gone);
    Ok(())
}

/// `DELETE /albums/{id}`: the album and its tree go to the trash, as one item.
pub async fn trash_album(service: &ImageService, user: Uuid, id: Uuid) -> Result<(), ApiError> {
    let retention = service.trash_retention;
    let gone = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let album = albums::load(conn, Viewer::User(user), Some(id), Access::Write)?;
                let now = Utc::now();
                let images = rows::trash_album_tree(conn, album.id, now)?;
                schedule_purge(conn, vec![album.id], now, retention)?;
                Ok::<_, ApiError>(images)
            })
        })
        .await?;
    service.cache.forget(&gone);
    Ok(())
}

/// A page of the owner's trash, newest deletion first.
pub fn list(
    conn: &mut PgConnection,
    owner: Uuid,
    after: Option<TrashKey>,
    limit: i64,
    retention: TimeDelta,
) -> Result<Vec<TrashItem>, ApiError> {
    let rows = rows::list(conn, owner, after, limit)?;
    Ok(rows
        .into_iter()
        .map(|row: TrashItemRow| TrashItem {
            purge_at: purge_time(row.deleted_at, retention),
            kind: row.kind,
            id: row.id,
            name: row.name,
            deleted_at: row.deleted_at,
            images: row.images,
            bytes: row.bytes,
        })
        .collect())
}

/// Brings back each of `ids` as it was; an item that cannot come back is `failed` (404 for an
/// unknown or purged id, 409 when what it belongs in is itself in the trash).
pub fn restore(conn: &mut PgConnection, owner: Uuid, ids: &[Uuid]) -> Result<Restored, ApiError> {
    conn.transaction(|conn| {
        let mut outcome = Restored::default();
        for &id in ids {
            let Some((item, _)) = rows::find_item(conn, owner, id)? else {
                outcome.failed.push(ItemFailure::not_found(id));
                continue;
            };
            let home = match item {
                Item::Album { parent } => parent,
                Item::Image { album } => Some(album),
            };
            if let Some(home) = home
                && rows::album_is_trashed(conn, home)?
            {
                let conflict = actix_web::http::StatusCode::CONFLICT;
                outcome.failed.push(ItemFailure::new(id, conflict));
                continue;
            }
            rows::restore(conn, id)?;
            outcome.restored.push(id);
        }
        Ok(outcome)
    })
}

/// Deletes trash items for good: rows now, objects right after (or by the deletion job).
async fn purge_items(
    service: &ImageService,
    owner: Option<Uuid>,
    ids: Vec<Uuid>,
    only_due: Option<TimeDelta>,
) -> Result<usize, ApiError> {
    let (queued, purged) = service
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let mut doomed = Vec::new();
                let mut purged = 0;
                for id in ids {
                    let owner = match owner {
                        Some(owner) => Some(owner),
                        None => rows::owner_of_item(conn, id)?,
                    };
                    let Some(owner) = owner else { continue };
                    let Some((item, deleted_at)) = rows::find_item(conn, owner, id)? else {
                        continue;
                    };
                    if let Some(retention) = only_due
                        && purge_time(deleted_at, retention) > Utc::now()
                    {
                        // Deleted again since, or the retention grew: purge it when it is due.
                        schedule_purge(conn, vec![id], deleted_at, retention)?;
                        continue;
                    }
                    doomed.extend(rows::purge(conn, item, id)?);
                    purged += 1;
                }
                Ok::<(Queued, usize), ApiError>((removal::queue_deletion(conn, doomed)?, purged))
            })
        })
        .await?;
    removal::purge(service, queued).await;
    Ok(purged)
}

/// `DELETE /trash/{id}`: one item, for good (404 when it is not in the owner's trash).
pub async fn purge_one(service: &ImageService, owner: Uuid, id: Uuid) -> Result<(), ApiError> {
    match purge_items(service, Some(owner), vec![id], None).await? {
        0 => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}

/// `DELETE /trash`: everything in the owner's trash, for good.
pub async fn empty(service: &ImageService, owner: Uuid) -> Result<(), ApiError> {
    let items = service
        .db
        .run(move |conn| rows::all_items(conn, owner).map_err(ApiError::from))
        .await?;
    purge_items(service, Some(owner), items, None).await?;
    Ok(())
}

/// The handler of `PURGE_DUE`: purges the items still in the trash whose retention has passed
/// (idempotent: a restored or purged item is skipped).
pub async fn run_purge_job(service: &ImageService, job: Job) -> Result<(), JobError> {
    let payload: PurgeDue = job.payload()?;
    let retention = Some(service.trash_retention);
    purge_items(service, None, payload.items, retention)
        .await
        .map(|_| ())
        .map_err(|e| format!("purging trash items: {e}").into())
}
