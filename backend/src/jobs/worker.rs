//! The workers: each takes one due job at a time, runs its handler under a renewed lease, and
//! records the outcome. Every database call goes through `Db::run` (a blocking thread).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::metrics::JobMetrics;
use super::{Handlers, Job, SHUTDOWN_GRACE, backoff};
use crate::db::{Db, DbError, jobs as job_rows};

/// Lapsed leases looked at per pass.
const REAP_BATCH: i64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// Workers in this process (0: this process takes no jobs).
    pub workers: usize,
    /// How long a taken job is the taker's without a heartbeat; renewed every third of it.
    pub lease: Duration,
    /// How long an idle worker waits before looking for due jobs again.
    pub poll_interval: Duration,
    /// The first retry's step; each further one doubles (see `backoff`).
    pub retry_base: Duration,
}

struct Context {
    db: Db,
    handlers: Handlers,
    kinds: Vec<String>,
    config: WorkerConfig,
    metrics: Option<JobMetrics>,
}

/// This process's running workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `config.workers` workers over `handlers`' kinds.
    pub fn start(
        db: Db,
        handlers: Handlers,
        config: WorkerConfig,
        metrics: Option<JobMetrics>,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let context = Arc::new(Context {
            db,
            kinds: handlers.kinds(),
            handlers,
            config,
            metrics,
        });
        let tasks = if context.kinds.is_empty() {
            Vec::new()
        } else {
            (0..config.workers)
                .map(|_| tokio::spawn(work(context.clone(), stopped.clone())))
                .collect()
        };
        Self { stop, tasks }
    }

    /// Takes no more jobs; waits for running ones up to `SHUTDOWN_GRACE`, then leaves them to
    /// lapse (another replica, or the next start, takes them again).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut tasks = self.tasks;
        let finished = tokio::time::timeout(SHUTDOWN_GRACE, async {
            for task in &mut tasks {
                let _ = task.await;
            }
        })
        .await;
        if finished.is_err() {
            tracing::warn!("jobs still running at shutdown are left for another worker");
            for task in tasks {
                task.abort();
            }
        }
    }
}

async fn work(context: Arc<Context>, mut stopped: watch::Receiver<bool>) {
    loop {
        if *stopped.borrow() {
            return;
        }
        match next(&context).await {
            Ok(Some(taken)) => {
                run(&context, taken).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not take a job; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(context.config.poll_interval) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// A job taken under a fresh lease token.
struct Taken {
    row: job_rows::Taken,
    token: Uuid,
}

/// Queues lapsed jobs again, then takes the next due one.
async fn next(context: &Arc<Context>) -> Result<Option<Taken>, DbError> {
    let kinds = context.kinds.clone();
    let lease = context.config.lease;
    let token = Uuid::new_v4();
    let (reaped, row) = context
        .db
        .run(move |conn| {
            let reaped = job_rows::reap_lapsed(conn, REAP_BATCH)?;
            let row = job_rows::take(conn, &kinds, token, lease)?;
            Ok::<_, DbError>((reaped, row))
        })
        .await?;
    for ended in reaped {
        tracing::warn!(job.kind = %ended.kind, job.state = %ended.state, "a job's worker stopped before finishing it");
        if ended.state == "failed" {
            count_failed(context, &ended.kind);
        }
    }
    Ok(row.map(|row| Taken { row, token }))
}

fn count_failed(context: &Context, kind: &str) {
    if let Some(metrics) = &context.metrics {
        metrics.count_failed(kind);
    }
}

/// Runs one job's handler with its lease renewed, then records how it went.
async fn run(context: &Arc<Context>, taken: Taken) {
    let Taken { row, token } = taken;
    let Some(handler) = context.handlers.get(&row.kind) else {
        return;
    };
    let payload = serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
    let job = Job {
        id: row.id,
        kind: row.kind.clone(),
        payload,
        attempt: row.attempts,
    };
    // Its own task: a panicking handler fails its job, not the worker.
    let mut handling = tokio::spawn(handler(job));
    let outcome = tokio::select! {
        joined = &mut handling => Some(match joined {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(e) => Err(format!("the handler panicked: {e}")),
        }),
        () = keep_lease(context, row.id, token) => None,
    };
    let Some(outcome) = outcome else {
        handling.abort();
        tracing::warn!(job.id = row.id, job.kind = %row.kind, "lost a job's lease; another worker has it");
        return;
    };
    if let Err(e) = record(context, &row, token, outcome).await {
        // The lease lapses and the job is taken again: handlers are idempotent.
        tracing::warn!(job.id = row.id, job.kind = %row.kind, error = %e, "could not record a job's outcome");
    }
}

/// Renews the lease every third of it; returns only when the lease is lost.
async fn keep_lease(context: &Arc<Context>, id: i64, token: Uuid) {
    let lease = context.config.lease;
    loop {
        tokio::time::sleep(lease / 3).await;
        let renewed = context
            .db
            .run(move |conn| job_rows::renew(conn, id, token, lease).map_err(DbError::from))
            .await;
        match renewed {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => tracing::warn!(job.id = id, error = %e, "could not renew a job's lease"),
        }
    }
}

async fn record(
    context: &Arc<Context>,
    row: &job_rows::Taken,
    token: Uuid,
    outcome: Result<(), String>,
) -> Result<(), DbError> {
    let id = row.id;
    let error = match outcome {
        Ok(()) => {
            context
                .db
                .run(move |conn| job_rows::complete(conn, id, token).map_err(DbError::from))
                .await?;
            return Ok(());
        }
        Err(error) => error,
    };
    let attempt = u32::try_from(row.attempts).unwrap_or(0);
    let retry_at = (row.attempts < row.max_attempts).then(|| {
        let wait = backoff::delay_with_random_jitter(context.config.retry_base, attempt);
        Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX)
    });
    match retry_at {
        Some(at) => {
            tracing::warn!(job.id = id, job.kind = %row.kind, job.attempt = attempt, job.retry_at = %at, error = %error, "a job failed; will retry")
        }
        None => {
            tracing::error!(job.id = id, job.kind = %row.kind, job.attempt = attempt, error = %error, "a job failed for the last time; kept as failed")
        }
    }
    let failed_for_good = retry_at.is_none();
    let recorded = context
        .db
        .run(move |conn| job_rows::fail(conn, id, token, &error, retry_at).map_err(DbError::from))
        .await?;
    if recorded && failed_for_good {
        count_failed(context, &row.kind);
    }
    Ok(())
}
