//! The sweeper: makes `object_gc` empty again after crashes, turning the claims nobody will
//! complete into queued deletions (jobs).
//!
//! Whether the writer of a claim is still alive is told by Postgres itself: every process holds
//! a session advisory lock named after its instance id on a connection of its own, for as long
//! as it lives. If another process can take that lock, its holder is gone, and so is any
//! chance it finishes its uploads.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use diesel::sql_types::{BigInt, Bool};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use uuid::Uuid;

use super::removal;
use super::service::ImageService;
use crate::db::{DbError, object_gc};

/// No upload of ours takes this long; an own claim this old was lost track of.
const OWN_CLAIM_EXPIRY: TimeDelta = TimeDelta::hours(1);
const BATCH: i64 = 500;
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

pub struct Liveness {
    url: String,
    instance: Uuid,
    conn: Mutex<Option<PgConnection>>,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

fn lock_key(instance: Uuid) -> i64 {
    let bytes = instance.as_bytes();
    i64::from_be_bytes([
        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15],
    ])
}

impl Liveness {
    /// Takes this instance's lock; held until the process (or its connection) ends.
    pub fn start(url: &str, instance: Uuid) -> Result<Self, DbError> {
        let liveness = Self {
            url: url.to_owned(),
            instance,
            conn: Mutex::new(None),
        };
        liveness.with_conn(|_| Ok(()))?;
        Ok(liveness)
    }

    /// Runs `work` on the lock-holding connection, reconnecting (and re-locking) when needed.
    fn with_conn<T>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut guard = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let healthy = guard
            .as_mut()
            .is_some_and(|conn| diesel::sql_query("SELECT 1").execute(conn).is_ok());
        if !healthy {
            let mut conn =
                PgConnection::establish(&self.url).map_err(|e| DbError::Connect(e.to_string()))?;
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<BigInt, _>(lock_key(self.instance))
                .execute(&mut conn)?;
            *guard = Some(conn);
        }
        match guard.as_mut() {
            Some(conn) => work(conn),
            None => Err(DbError::TaskPanicked),
        }
    }

    /// True when `other`'s lock is free: that process is gone.
    pub fn is_gone(&self, other: Uuid) -> Result<bool, DbError> {
        if other == self.instance {
            return Ok(false);
        }
        self.with_conn(|conn| {
            let key = lock_key(other);
            let taken: Locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
                .bind::<BigInt, _>(key)
                .get_result(conn)?;
            if taken.locked {
                diesel::sql_query("SELECT pg_advisory_unlock($1)")
                    .bind::<BigInt, _>(key)
                    .execute(conn)?;
            }
            Ok(taken.locked)
        })
    }
}

/// One pass: queues (and tries at once) the deletion of every claim nobody will complete. Returns how many images'
/// objects it went after.
pub async fn sweep(service: &ImageService) -> Result<usize, DbError> {
    let me = service.instance;
    let now = Utc::now();
    let pending = service
        .db
        .run(move |conn| {
            object_gc::pending(conn, me, now - OWN_CLAIM_EXPIRY, BATCH).map_err(DbError::from)
        })
        .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let liveness = service.liveness.clone();
    let doomed = tokio::task::spawn_blocking(move || abandoned(&liveness, me, pending))
        .await
        .map_err(|_| DbError::TaskPanicked)??;
    let count = doomed.len();
    if count > 0 {
        tracing::info!(
            images = count,
            "sweeping objects of deleted or abandoned images"
        );
        let queued = service
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    object_gc::forget_all(conn, &doomed)?;
                    removal::queue_deletion(conn, doomed)
                })
                .map_err(DbError::from)
            })
            .await?;
        removal::purge(service, queued).await;
    }
    Ok(count)
}

/// Of the pending claims, those nobody will finish.
fn abandoned(
    liveness: &Liveness,
    me: Uuid,
    pending: Vec<(Uuid, Option<Uuid>)>,
) -> Result<Vec<Uuid>, DbError> {
    let mut gone: std::collections::HashMap<Uuid, bool> = std::collections::HashMap::new();
    let mut doomed = Vec::new();
    for (image, holder) in pending {
        let abandoned = match holder {
            None => true,
            Some(holder) if holder == me => true,
            Some(holder) => match gone.get(&holder) {
                Some(known) => *known,
                None => {
                    let is_gone = liveness.is_gone(holder)?;
                    gone.insert(holder, is_gone);
                    is_gone
                }
            },
        };
        if abandoned {
            doomed.push(image);
        }
    }
    Ok(doomed)
}

/// Sweeps now and then every `SWEEP_EVERY`, for the life of the process.
pub async fn run(service: Arc<ImageService>) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = sweep(&service).await {
            tracing::warn!(error = %e, "the object sweep failed; will retry");
        }
    }
}
