//! The `jobs` table: background work queued, running or given up (see the migration). A job
//! that succeeds is deleted. Statements that lean on Postgres (`FOR UPDATE SKIP LOCKED`, the
//! partial unique index of `ON CONFLICT`) are written as SQL.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{
    Array, BigInt, Double, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use uuid::Uuid;

/// What the lease-lapse sweep records as the error of a job whose taker stopped.
pub const LAPSED_ERROR: &str = "the worker stopped before finishing (its lease lapsed)";

/// A job as a worker takes it.
#[derive(Debug, QueryableByName)]
pub struct Taken {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The payload as JSON text.
    #[diesel(sql_type = Text)]
    pub payload: String,
    /// This attempt's number, from 1.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

/// A job as the CLI lists it.
#[derive(Debug, Queryable)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(Debug, QueryableByName)]
pub struct Ended {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub state: String,
}

#[derive(Debug, QueryableByName)]
pub struct Count {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// Queues a job; `None` when one of the same kind and `dedupe_key` is already queued.
pub fn insert(
    conn: &mut PgConnection,
    kind: &str,
    payload_json: &str,
    run_at: DateTime<Utc>,
    max_attempts: i32,
    dedupe_key: Option<&str>,
) -> QueryResult<Option<i64>> {
    let ids: Vec<Id> = diesel::sql_query(
        "INSERT INTO jobs (kind, payload, run_at, max_attempts, dedupe_key) \
         VALUES ($1, $2::jsonb, $3, $4, $5) \
         ON CONFLICT (kind, dedupe_key) WHERE state = 'queued' AND dedupe_key IS NOT NULL \
         DO NOTHING RETURNING id",
    )
    .bind::<Text, _>(kind)
    .bind::<Text, _>(payload_json)
    .bind::<Timestamptz, _>(run_at)
    .bind::<Integer, _>(max_attempts)
    .bind::<Nullable<Text>, _>(dedupe_key)
    .get_results(conn)?;
    Ok(ids.first().map(|row| row.id))
}

/// Takes the next due job of one of `kinds`, marking it running under `token` for `lease`.
/// Jobs other takers hold are skipped, not waited for.
pub fn take(
    conn: &mut PgConnection,
    kinds: &[String],
    token: Uuid,
    lease: Duration,
) -> QueryResult<Option<Taken>> {
    let taken: Vec<Taken> = diesel::sql_query(
        "UPDATE jobs SET state = 'running', locked_by = $1, \
             lease_until = now() + make_interval(secs => $2), \
             attempts = attempts + 1, updated_at = now() \
         WHERE id = (SELECT id FROM jobs \
                     WHERE state = 'queued' AND run_at <= now() AND kind = ANY($3) \
                     ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, payload::text AS payload, attempts, max_attempts",
    )
    .bind::<SqlUuid, _>(token)
    .bind::<Double, _>(lease.as_secs_f64())
    .bind::<Array<Text>, _>(kinds)
    .get_results(conn)?;
    Ok(taken.into_iter().next())
}

/// Extends a running job's lease; false when `token` no longer holds it.
pub fn renew(conn: &mut PgConnection, id: i64, token: Uuid, lease: Duration) -> QueryResult<bool> {
    let renewed = diesel::sql_query(
        "UPDATE jobs SET lease_until = now() + make_interval(secs => $3), updated_at = now() \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<BigInt, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Double, _>(lease.as_secs_f64())
    .execute(conn)?;
    Ok(renewed == 1)
}

/// The job succeeded: it goes. False when `token` no longer held it.
pub fn complete(conn: &mut PgConnection, id: i64, token: Uuid) -> QueryResult<bool> {
    use super::schema::jobs;
    let deleted = diesel::delete(
        jobs::table
            .filter(jobs::id.eq(id))
            .filter(jobs::locked_by.eq(token)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// The attempt failed: queued again at `retry_at`, or kept as failed when that is `None`.
/// A retry whose equal twin is already queued is dropped (the twin does the work). False when
/// `token` no longer held the job.
pub fn fail(
    conn: &mut PgConnection,
    id: i64,
    token: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<bool> {
    let state = if retry_at.is_some() {
        "queued"
    } else {
        "failed"
    };
    let updated = diesel::sql_query(
        "UPDATE jobs SET state = $3, run_at = coalesce($4, run_at), last_error = $5, \
             locked_by = NULL, lease_until = NULL, updated_at = now() \
         WHERE id = $1 AND locked_by = $2",
    )
    .bind::<BigInt, _>(id)
    .bind::<SqlUuid, _>(token)
    .bind::<Text, _>(state)
    .bind::<Nullable<Timestamptz>, _>(retry_at)
    .bind::<Text, _>(error)
    .execute(conn);
    match updated {
        Ok(n) => Ok(n == 1),
        Err(e) if is_unique_violation(&e) => complete(conn, id, token),
        Err(e) => Err(e),
    }
}

/// Jobs whose taker stopped (lease lapsed) are queued again, or failed when out of attempts.
/// Returns the ones it touched with their new state.
pub fn reap_lapsed(conn: &mut PgConnection, batch: i64) -> QueryResult<Vec<Ended>> {
    // A lapsed job whose equal twin is queued meanwhile is dropped: the twin does the work.
    diesel::sql_query(
        "DELETE FROM jobs j WHERE j.state = 'running' AND j.lease_until < now() \
         AND j.dedupe_key IS NOT NULL AND EXISTS (SELECT 1 FROM jobs q \
             WHERE q.state = 'queued' AND q.kind = j.kind AND q.dedupe_key = j.dedupe_key)",
    )
    .execute(conn)?;
    diesel::sql_query(
        "WITH lapsed AS (SELECT id FROM jobs WHERE state = 'running' AND lease_until < now() \
                         ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED) \
         UPDATE jobs j SET \
             state = CASE WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END, \
             run_at = now(), locked_by = NULL, lease_until = NULL, last_error = $2, \
             updated_at = now() \
         FROM lapsed WHERE j.id = lapsed.id RETURNING j.kind, j.state",
    )
    .bind::<BigInt, _>(batch)
    .bind::<Text, _>(LAPSED_ERROR)
    .get_results(conn)
}

/// Queued and running jobs per kind, for the gauges.
pub fn counts(conn: &mut PgConnection) -> QueryResult<Vec<Count>> {
    diesel::sql_query(
        "SELECT kind, state, count(*) AS count FROM jobs \
         WHERE state IN ('queued', 'running') GROUP BY kind, state",
    )
    .get_results(conn)
}

/// Every job still in the table (queued, running, failed), oldest first.
pub fn list(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<Listed>> {
    use super::schema::jobs;
    jobs::table
        .order(jobs::id)
        .limit(limit)
        .select((
            jobs::id,
            jobs::kind,
            jobs::state,
            jobs::attempts,
            jobs::max_attempts,
            jobs::run_at,
            jobs::last_error,
        ))
        .load(conn)
}

/// Why a failed job could not be queued again.
#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    #[error("no failed job has id {0}")]
    NotFailed(i64),
    #[error("job {0} is already queued again under the same dedupe key")]
    TwinQueued(i64),
    #[error(transparent)]
    Query(#[from] DieselError),
}

/// Queues a failed job again, due now, with all its attempts back.
pub fn retry(conn: &mut PgConnection, id: i64) -> Result<(), RetryError> {
    let updated = diesel::sql_query(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = now(), updated_at = now() \
         WHERE id = $1 AND state = 'failed'",
    )
    .bind::<BigInt, _>(id)
    .execute(conn);
    match updated {
        Ok(1) => Ok(()),
        Ok(_) => Err(RetryError::NotFailed(id)),
        Err(e) if is_unique_violation(&e) => Err(RetryError::TwinQueued(id)),
        Err(e) => Err(e.into()),
    }
}

fn is_unique_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Drops jobs that are still queued (their work was done another way).
pub fn cancel_queued(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<usize> {
    use super::schema::jobs;
    diesel::delete(
        jobs::table
            .filter(jobs::id.eq_any(ids))
            .filter(jobs::state.eq("queued")),
    )
    .execute(conn)
}
