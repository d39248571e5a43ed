//! The durable job queue: jobs commit with their transaction, run exactly once across
//! replicas, retry with backoff, are kept when they fail for good, and survive a dead worker.
//! The handlers are real: each writes a row of `job_effects` per attempt.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use albumen::db::{Db, DbError, jobs as job_rows};
use albumen::jobs::{self, Handlers, Job, JobError, JobKind, NewJob, WorkerConfig, Workers};
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::helpers::spawn_app;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");
const EFFECT: JobKind = JobKind::new("test_effect");
const WAIT: Duration = Duration::from_secs(30);

fn config() -> WorkerConfig {
    WorkerConfig {
        workers: 2,
        lease: Duration::from_secs(3),
        poll_interval: Duration::from_millis(20),
        retry_base: Duration::from_millis(400),
    }
}

/// The test database with a table the handlers write to, and a pool over it.
fn database() -> (TestDatabase, Db) {
    let db = TestDatabase::create();
    diesel::sql_query(
        "CREATE TABLE job_effects (job_id bigint NOT NULL, attempt integer NOT NULL, \
         note text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())",
    )
    .execute(&mut db.connect())
    .expect("effects table");
    let pool = Db::connect(&db.url, 8, Duration::from_secs(5)).expect("pool");
    (db, pool)
}

/// Records one attempt of `job` as a row; fails it with "the printer is on fire" while `fail`.
async fn record(db: Db, job: Job, fail: Arc<AtomicBool>) -> Result<(), JobError> {
    let note: String = job.payload()?;
    let (id, attempt) = (job.id, job.attempt);
    db.run(move |conn| {
        diesel::sql_query("INSERT INTO job_effects (job_id, attempt, note) VALUES ($1, $2, $3)")
            .bind::<BigInt, _>(id)
            .bind::<Integer, _>(attempt)
            .bind::<Text, _>(note)
            .execute(conn)
            .map_err(DbError::from)
    })
    .await?;
    if fail.load(Ordering::SeqCst) {
        return Err("the printer is on fire".into());
    }
    Ok(())
}

fn handlers(db: &Db, fail: &Arc<AtomicBool>) -> Handlers {
    let mut handlers = Handlers::new();
    let (db, fail) = (db.clone(), fail.clone());
    handlers.register(EFFECT, move |job| record(db.clone(), job, fail.clone()));
    handlers
}

fn workers(db: &Db, fail: &Arc<AtomicBool>) -> Workers {
    Workers::start(db.clone(), handlers(db, fail), config(), None)
}

fn succeeding() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

#[derive(QueryableByName, Debug)]
struct Effect {
    #[diesel(sql_type = BigInt)]
    job_id: i64,
    #[diesel(sql_type = Integer)]
    attempt: i32,
    #[diesel(sql_type = Text)]
    note: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    at: chrono::DateTime<chrono::Utc>,
}

fn effects(db: &TestDatabase) -> Vec<Effect> {
    diesel::sql_query("SELECT job_id, attempt, note, at FROM job_effects ORDER BY at")
        .load(&mut db.connect())
        .expect("effects")
}

fn jobs_left(db: &TestDatabase) -> Vec<job_rows::Listed> {
    job_rows::list(&mut db.connect(), 1000).expect("list")
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn enqueue_note(db: &TestDatabase, note: &str) -> i64 {
    jobs::enqueue(&mut db.connect(), EFFECT, &note, None)
        .expect("enqueue")
        .expect("queued")
}

#[tokio::test]
async fn a_job_enqueued_in_a_transaction_that_rolls_back_never_runs() {
    let (db, pool) = database();
    let rolled_back = db.connect().transaction(|conn| {
        jobs::enqueue(conn, EFFECT, &"rolled back", None)?;
        Err::<(), _>(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    enqueue_note(&db, "committed");

    let workers = workers(&pool, &succeeding());
    wait_until("the committed job ran", || jobs_left(&db).is_empty()).await;
    workers.stop().await;
    let notes: Vec<String> = effects(&db).into_iter().map(|e| e.note).collect();
    assert_eq!(notes, ["committed"]);
}

#[tokio::test]
async fn a_job_runs_exactly_once_with_two_replicas_working_the_queue() {
    let (db, _) = database();
    let ids: Vec<i64> = (0..40)
        .map(|n| enqueue_note(&db, &format!("job {n}")))
        .collect();
    // Two replicas: their own pools, their own workers, one queue.
    let replicas: Vec<Workers> = (0..2)
        .map(|_| {
            let pool = Db::connect(&db.url, 4, Duration::from_secs(5)).expect("pool");
            workers(&pool, &succeeding())
        })
        .collect();
    wait_until("every job ran", || jobs_left(&db).is_empty()).await;
    for replica in replicas {
        replica.stop().await;
    }
    let mut ran: Vec<i64> = effects(&db).into_iter().map(|e| e.job_id).collect();
    ran.sort_unstable();
    assert_eq!(ran, ids, "each job ran once");
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_then_kept_as_failed_with_its_error() {
    let (db, pool) = database();
    let job = NewJob::new(EFFECT, &"doomed").expect("job").max_attempts(3);
    let id = jobs::enqueue_job(&mut db.connect(), job)
        .expect("enqueue")
        .expect("queued");

    let workers = workers(&pool, &Arc::new(AtomicBool::new(true)));
    wait_until("the job failed for good", || {
        jobs_left(&db).first().is_some_and(|j| j.state == "failed")
    })
    .await;
    workers.stop().await;

    let left = jobs_left(&db);
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].id, left[0].attempts), (id, 3));
    assert_eq!(
        left[0].last_error.as_deref(),
        Some("the printer is on fire")
    );
    let attempts = effects(&db);
    let numbers: Vec<i32> = attempts.iter().map(|e| e.attempt).collect();
    assert_eq!(numbers, [1, 2, 3]);
    // Retry n waits at least half of base × 2^(n-1): 200 ms, then 400 ms.
    for (n, pair) in attempts.windows(2).enumerate() {
        let waited = (pair[1].at - pair[0].at).to_std().expect("ordered");
        let least = Duration::from_millis(200 << n);
        assert!(waited >= least, "retry {} came after {waited:?}", n + 1);
    }
}

fn cli(args: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run the CLI");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn albumen_jobs_lists_a_failed_job_and_retry_runs_it_again() {
    let (db, pool) = database();
    let job = NewJob::new(EFFECT, &"second chance")
        .expect("job")
        .max_attempts(1);
    let id = jobs::enqueue_job(&mut db.connect(), job)
        .expect("enqueue")
        .expect("queued");
    let fail = Arc::new(AtomicBool::new(true));
    let workers = workers(&pool, &fail);
    wait_until("the job failed", || {
        jobs_left(&db).first().is_some_and(|j| j.state == "failed")
    })
    .await;

    let (ok, listing) = cli(&["jobs", "--database-url", &db.url]);
    assert!(ok, "{listing}");
    let line = listing
        .lines()
        .find(|l| l.trim_start().starts_with(&id.to_string()))
        .unwrap_or_else(|| panic!("job {id} not listed: {listing}"));
    for shown in ["test_effect", "failed", "1/1", "the printer is on fire"] {
        assert!(line.contains(shown), "{shown} missing: {line}");
    }

    fail.store(false, Ordering::SeqCst);
    let (ok, said) = cli(&["jobs", "retry", &id.to_string(), "--database-url", &db.url]);
    assert!(ok, "{said}");
    wait_until("the retried job ran", || jobs_left(&db).is_empty()).await;
    workers.stop().await;
    assert_eq!(effects(&db).len(), 2, "one failed attempt, one that worked");
}

#[tokio::test]
async fn retrying_a_job_that_has_not_failed_is_refused() {
    let (db, _) = database();
    let id = enqueue_note(&db, "still queued");
    let (ok, said) = cli(&["jobs", "retry", &id.to_string(), "--database-url", &db.url]);
    assert!(!ok, "{said}");
    assert!(
        said.contains(&format!("no failed job has id {id}")),
        "{said}"
    );
    assert_eq!(jobs_left(&db)[0].state, "queued");
}

#[tokio::test]
async fn a_job_whose_worker_died_is_taken_again_and_completed() {
    let (db, pool) = database();
    let id = enqueue_note(&db, "survivor");
    // A worker takes it under a short lease, then dies: no heartbeat, no outcome.
    let kinds = vec![EFFECT.as_str().to_owned()];
    let taken = job_rows::take(
        &mut db.connect(),
        &kinds,
        uuid::Uuid::new_v4(),
        Duration::from_millis(500),
    )
    .expect("take")
    .expect("a due job");
    assert_eq!(taken.id, id);

    let workers = workers(&pool, &succeeding());
    wait_until("the job was completed", || jobs_left(&db).is_empty()).await;
    workers.stop().await;
    let done = effects(&db);
    assert_eq!(
        done.len(),
        1,
        "the dead worker did nothing, the next one did it all"
    );
    assert_eq!((done[0].job_id, done[0].attempt), (id, 2));
}

#[tokio::test]
async fn a_running_job_keeps_its_lease_by_heartbeat() {
    let (db, pool) = database();
    enqueue_note(&db, "slow");
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handlers = Handlers::new();
    let counted = runs.clone();
    handlers.register(EFFECT, move |_job| {
        counted.fetch_add(1, Ordering::SeqCst);
        async {
            // Longer than two leases: only the heartbeat keeps it ours.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            Ok(())
        }
    });
    let short = WorkerConfig {
        lease: Duration::from_millis(600),
        ..config()
    };
    let workers = Workers::start(pool.clone(), handlers, short, None);
    wait_until("the job was done", || jobs_left(&db).is_empty()).await;
    workers.stop().await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "a lapsed lease would be taken again"
    );
}

#[tokio::test]
async fn an_equal_job_is_queued_once_while_it_waits() {
    let (db, _) = database();
    let mut conn = db.connect();
    let at = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    let first = jobs::schedule(&mut conn, EFFECT, at).expect("schedule");
    let second = jobs::schedule(&mut conn, EFFECT, at).expect("schedule again");
    assert!(first.is_some());
    assert_eq!(second, None, "already queued");
    assert_eq!(jobs_left(&db).len(), 1);
}

#[tokio::test]
async fn a_job_waits_for_its_time() {
    let (db, pool) = database();
    let later = chrono::Utc::now() + chrono::TimeDelta::milliseconds(700);
    let queued_at = Instant::now();
    jobs::enqueue(&mut db.connect(), EFFECT, &"later", Some(later))
        .expect("enqueue")
        .expect("queued");
    let workers = workers(&pool, &succeeding());
    wait_until("the job ran", || jobs_left(&db).is_empty()).await;
    workers.stop().await;
    assert!(queued_at.elapsed() >= Duration::from_millis(600));
}

#[tokio::test]
async fn job_and_imaging_metrics_appear_on_metrics() {
    let app = spawn_app().await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    for name in [
        "albumen_jobs_queued{kind=\"delete_image_objects\"} 0",
        "albumen_jobs_running{kind=\"delete_image_objects\"} 0",
        "albumen_jobs_failed_total{kind=\"delete_image_objects\"} 0",
        "albumen_imaging_queue_depth 0",
    ] {
        assert!(text.lines().any(|l| l == name), "{name} missing:\n{text}");
    }
}
