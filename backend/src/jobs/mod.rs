//! Durable background jobs in Postgres (docs/jobs.md).
//!
//! A job is a row of `jobs`: a kind, a JSON payload, a time it is due. It is queued with
//! [`enqueue`] on the caller's connection, so inside a transaction it commits (or rolls back)
//! with the rows that need it. Workers in every replica take due jobs with
//! `FOR UPDATE SKIP LOCKED` under a lease they renew while the handler runs; a job whose lease
//! lapses (its process died) is taken again by anyone. A failed attempt is retried with
//! exponential backoff until `max_attempts`, then kept as failed with its error, for
//! `albumen jobs retry <id>`.
//!
//! **Handlers must be idempotent**: a job runs to completion once, but an attempt can be cut
//! short (crash, lost lease) after it did part or all of its work, and the next attempt does
//! it again.

pub mod backoff;
pub mod metrics;
mod worker;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use diesel::QueryResult;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::jobs as job_rows;

pub use worker::{WorkerConfig, Workers};

/// Attempts a job gets unless its enqueuer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 5;

/// A job's kind: names its handler. Kinds are constants next to their handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct JobKind(&'static str);

impl JobKind {
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// A job to queue: built with [`NewJob::new`], adjusted with the builder methods.
#[derive(Debug, Clone)]
pub struct NewJob {
    kind: JobKind,
    payload: serde_json::Value,
    run_at: Option<DateTime<Utc>>,
    max_attempts: i32,
    dedupe_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` carrying `payload`, due now.
    pub fn new(kind: JobKind, payload: &impl Serialize) -> Result<Self, serde_json::Error> {
        Ok(Self {
            kind,
            payload: serde_json::to_value(payload)?,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            dedupe_key: None,
        })
    }

    /// Not before `at`.
    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    /// Given up (kept as failed) after this many attempts (at least 1).
    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// While a job of this kind with this key is queued, queuing another does nothing.
    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// A job's id, as the CLI shows it.
pub type JobId = i64;

/// Queues `job` on `conn`; inside a transaction it commits with it. `None` when an equal job
/// (same kind and dedupe key) is already queued.
pub fn enqueue_job(conn: &mut PgConnection, job: NewJob) -> QueryResult<Option<JobId>> {
    let payload = job.payload.to_string();
    job_rows::insert(
        conn,
        job.kind.as_str(),
        &payload,
        job.run_at.unwrap_or_else(Utc::now),
        job.max_attempts,
        job.dedupe_key.as_deref(),
    )
}

/// Queues a job of `kind` with `payload`, due at `run_at` (`None`: now).
pub fn enqueue(
    conn: &mut PgConnection,
    kind: JobKind,
    payload: &impl Serialize,
    run_at: Option<DateTime<Utc>>,
) -> QueryResult<Option<JobId>> {
    let mut job = NewJob::new(kind, payload)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    job.run_at = run_at;
    enqueue_job(conn, job)
}

/// "Run `kind` at `at`": a payload-less job, queued at most once at a time (a second call
/// while one is queued does nothing and answers `None`).
pub fn schedule(
    conn: &mut PgConnection,
    kind: JobKind,
    at: DateTime<Utc>,
) -> QueryResult<Option<JobId>> {
    let job = NewJob {
        kind,
        payload: serde_json::Value::Null,
        run_at: Some(at),
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        dedupe_key: Some(String::from("scheduled")),
    };
    enqueue_job(conn, job)
}

/// A taken job, as its handler sees it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: serde_json::Value,
    /// This attempt's number, from 1.
    pub attempt: i32,
}

impl Job {
    /// The payload as the type it was queued as.
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.payload)
    }
}

/// What a handler fails with; its `Display` becomes the job's `last_error`.
pub type JobError = Box<dyn std::error::Error + Send + Sync>;

type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type Handler = Arc<dyn Fn(Job) -> HandlerFuture + Send + Sync>;

/// The handlers of one process, by kind. Workers take only the kinds registered here, so a
/// replica running an older build leaves the kinds it does not know to the others.
#[derive(Clone, Default)]
pub struct Handlers {
    by_kind: HashMap<&'static str, Handler>,
}

impl Handlers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the (idempotent, async) handler of `kind`, replacing any earlier one.
    pub fn register<F, Fut>(&mut self, kind: JobKind, handler: F) -> &mut Self
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |job| Box::pin(handler(job)));
        self.by_kind.insert(kind.as_str(), handler);
        self
    }

    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self.by_kind.keys().map(|k| (*k).to_owned()).collect();
        kinds.sort();
        kinds
    }

    fn get(&self, kind: &str) -> Option<Handler> {
        self.by_kind.get(kind).cloned()
    }
}

/// How long a stopping server waits for running jobs before leaving them to lapse.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
