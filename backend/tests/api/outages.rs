//! Outages, as an operator meets them: the database stopped under load, the object store hung
//! (its process frozen with SIGSTOP: connections accepted, nothing answered), the disk full. The
//! answers during the outage are 503s (507 for a full disk), never 500s or hung requests; full
//! service is back within seconds of the dependency's return; nothing is half-written.
//! `ALBUMEN_OUTAGE_SECS` sets the database outage (4 s here, 20 s in `scripts/outages`); the
//! summary lines are what RELIABILITY.md reports.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use albumen::db::embedded::{EmbeddedPostgres, Options};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::crash::{object_files, wait_ready};
use crate::helpers::{PASSWORD, Session, http_client, session_from};
use crate::pictures;
use crate::server_process::ServerProcess;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");
/// The server's wait for a database connection (`ALBUMEN_DB_TIMEOUT`).
const DB_TIMEOUT: Duration = Duration::from_secs(2);
/// What a request may take during an outage: the connection wait plus a margin.
const LONGEST_ANSWER: Duration = Duration::from_secs(5);
/// How soon after the dependency returns every request must succeed again.
const RECOVERY: Duration = Duration::from_secs(5);

fn outage() -> Duration {
    let secs = std::env::var("ALBUMEN_OUTAGE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    Duration::from_secs(secs)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

fn reachable_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

fn serve_with(database_url: &str, data_dir: &Path, port: u16) -> ServerProcess {
    ServerProcess::spawn(
        Command::new(BINARY)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("ALBUMEN_DATA_DIR", data_dir)
            .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
            .env("ALBUMEN_BCRYPT_COST", "4")
            .env("ALBUMEN_DB_TIMEOUT", format!("{}s", DB_TIMEOUT.as_secs()))
            .env("ALBUMEN_LOG", "error")
            .stdin(Stdio::null()),
    )
}

fn postgres_in(dir: &Path) -> EmbeddedPostgres {
    EmbeddedPostgres::start(
        dir,
        Options {
            unsafe_fast: true,
            die_with_parent: false,
        },
    )
    .expect("a private Postgres")
}

async fn alice_with_album(base: &str) -> (Session, String) {
    let client = http_client();
    let session = session_from(
        client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&json!({"username": "alice", "email": "a@example.com", "password": PASSWORD}))
            .send()
            .await
            .expect("register")
            .json()
            .await
            .expect("json"),
    );
    let album: Value = client
        .post(format!("{base}/api/v1/albums"))
        .bearer_auth(&session.access_token)
        .json(&json!({"name": "Outage"}))
        .send()
        .await
        .expect("album")
        .json()
        .await
        .expect("json");
    (session, album["id"].as_str().expect("id").to_owned())
}

/// One answered (or failed) request of the load.
struct Sample {
    started: Instant,
    took: Duration,
    /// None: no answer at all (connection refused or the client's own timeout).
    status: Option<StatusCode>,
}

/// Browsing and writing requests in a loop until told to stop.
async fn load(base: String, session: Session, album: String, stop: Arc<AtomicBool>) -> Vec<Sample> {
    load_with(base, session, album, None, stop).await
}

/// `load`, plus serving `image`'s bytes when given (so the store is needed on every turn).
async fn load_with(
    base: String,
    session: Session,
    album: String,
    image: Option<String>,
    stop: Arc<AtomicBool>,
) -> Vec<Sample> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let mut routes = vec![
        (Method::GET, "/api/v1/albums".to_owned(), None),
        (Method::GET, format!("/api/v1/albums/{album}/images"), None),
        (Method::GET, "/api/v1/users/me".to_owned(), None),
        (
            Method::POST,
            "/api/v1/albums".to_owned(),
            Some(json!({"name": "made during the test"})),
        ),
    ];
    if let Some(image) = image {
        routes.push((
            Method::GET,
            format!("/api/v1/images/{image}/content/large"),
            None,
        ));
        routes.push((Method::GET, "/readyz".to_owned(), None));
    }
    let mut samples = Vec::new();
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let (method, path, body) = &routes[n % routes.len()];
        n += 1;
        let mut request = client
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth(&session.access_token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = Instant::now();
        let status = match request.send().await {
            Ok(answer) => {
                let status = answer.status();
                answer.bytes().await.ok().map(|_| status)
            }
            Err(_) => None,
        };
        samples.push(Sample {
            started,
            took: started.elapsed(),
            status,
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    samples
}

#[tokio::test]
async fn a_database_outage_under_load_answers_only_503s_and_service_returns_within_5_s() {
    let outage = outage();
    let dir = reachable_dir();
    let pg_dir = dir.path().join("pg");
    let mut postgres = Some(postgres_in(&pg_dir));
    let url = postgres.as_ref().expect("postgres").url("albumen");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve_with(&url, &dir.path().join("data"), port);
    wait_ready(&http_client(), &base).await;
    let (session, album) = alice_with_album(&base).await;

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(load(
                base.clone(),
                session.clone(),
                album.clone(),
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let down_at = Instant::now();
    let running = postgres.take().expect("postgres");
    tokio::task::spawn_blocking(move || running.stop())
        .await
        .expect("join")
        .expect("stop postgres");
    tokio::time::sleep(outage).await;
    let pg_dir_again = pg_dir.clone();
    postgres = Some(
        tokio::task::spawn_blocking(move || postgres_in(&pg_dir_again))
            .await
            .expect("join"),
    );
    let back_at = Instant::now();
    tokio::time::sleep(RECOVERY + Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    let mut samples = Vec::new();
    for worker in workers {
        samples.extend(worker.await.expect("load"));
    }

    let during = |s: &&Sample| s.started >= down_at && s.started < back_at;
    let refused: Vec<_> = samples
        .iter()
        .filter(|s| {
            s.status
                .is_some_and(|c| c.is_server_error() && c != StatusCode::SERVICE_UNAVAILABLE)
        })
        .map(|s| s.status)
        .collect();
    let unanswered = samples.iter().filter(|s| s.status.is_none()).count();
    let slowest = samples.iter().map(|s| s.took).max().unwrap_or_default();
    let unavailable = samples
        .iter()
        .filter(during)
        .filter(|s| s.status == Some(StatusCode::SERVICE_UNAVAILABLE))
        .count();
    // Recovery: the first moment after which every request started succeeded.
    let last_failure = samples
        .iter()
        .filter(|s| s.started >= back_at && !s.status.is_some_and(|c| c.is_success()))
        .map(|s| s.started + s.took)
        .max();
    let recovered_after =
        last_failure.map_or(Duration::ZERO, |t| t.saturating_duration_since(back_at));
    println!(
        "outage(database, {} s): {} requests, {} answered 503 during the outage, {} other 5xx, \
         {} unanswered, slowest {} ms, every request succeeding {} ms after Postgres was back",
        outage.as_secs(),
        samples.len(),
        unavailable,
        refused.len(),
        unanswered,
        slowest.as_millis(),
        recovered_after.as_millis(),
    );
    assert!(refused.is_empty(), "5xx other than 503: {refused:?}");
    assert_eq!(unanswered, 0, "every request got an answer");
    assert!(unavailable > 0, "the outage was seen");
    assert!(slowest <= LONGEST_ANSWER, "a request took {slowest:?}");
    assert!(
        recovered_after <= RECOVERY,
        "service was back only after {recovered_after:?}"
    );
    server.kill();
    drop(postgres);
}

/// A small tmpfs mounted for the test; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Self {
        let dir = reachable_dir();
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "mount a tmpfs (the tests run as root)");
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[tokio::test]
async fn a_full_disk_answers_507_and_keeps_nothing_half_written() {
    let db = TestDatabase::create();
    let disk = SmallDisk::mount("6m");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve_with(&db.url, disk.path(), port);
    wait_ready(&http_client(), &base).await;
    let (session, album) = alice_with_album(&base).await;
    let client = http_client();
    let mut statuses = Vec::new();
    for n in 0..40u32 {
        let photo = pictures::photo_jpeg(1200 + n, 900);
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(photo).file_name(format!("{n}.jpg")),
        );
        let answer = client
            .post(format!("{base}/api/v1/albums/{album}/images"))
            .bearer_auth(&session.access_token)
            .multipart(form)
            .send()
            .await
            .expect("an answer");
        statuses.push(answer.status());
        if answer.status() == StatusCode::INSUFFICIENT_STORAGE {
            break;
        }
    }
    let stored = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let full = statuses.last().copied();
    let images = crate::crash::count(&db, "images");
    let files = object_files(&disk.path().join("objects"));
    println!(
        "outage(full disk, 6 MiB tmpfs): {stored} uploads stored, then {full:?}; {images} image \
         rows, {} objects",
        files.len()
    );
    assert_eq!(full, Some(StatusCode::INSUFFICIENT_STORAGE), "{statuses:?}");
    assert!(
        statuses[..statuses.len() - 1]
            .iter()
            .all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    assert_eq!(images, i64::try_from(stored).expect("count"));
    assert_eq!(files.len(), stored * 5, "nothing half-written: {files:?}");
    // The server is still up, and deleting makes room again.
    let ready = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_ne!(ready.status(), StatusCode::INTERNAL_SERVER_ERROR);
    server.kill();
}

/// How long a request may wait on a hung store: 5 s without a byte, retried within 15 s (so at
/// most about 20 s), and a margin.
const LONGEST_STORE_ANSWER: Duration = Duration::from_secs(25);

#[tokio::test]
async fn a_hung_object_store_under_load_answers_only_503s_and_service_returns_within_5_s() {
    let outage = outage();
    let s3 = crate::s3_server::PrivateS3::start();
    let bucket = s3.bucket().await;
    let db = TestDatabase::create();
    let dir = reachable_dir();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(BINARY);
    command
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("ALBUMEN_DATA_DIR", dir.path())
        .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
        .env("ALBUMEN_BCRYPT_COST", "4")
        .env("ALBUMEN_CONTENT_CACHE", "0")
        .env("ALBUMEN_LOG", "error")
        .stdin(Stdio::null());
    for (key, value) in bucket.env() {
        command.env(key, value);
    }
    let mut server = ServerProcess::spawn(&mut command);
    wait_ready(&http_client(), &base).await;
    let (session, album) = alice_with_album(&base).await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pictures::photo_jpeg(800, 600)).file_name("a.jpg"),
    );
    let uploaded: Value = http_client()
        .post(format!("{base}/api/v1/albums/{album}/images"))
        .bearer_auth(&session.access_token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let image = uploaded["images"][0]["id"]
        .as_str()
        .expect("image")
        .to_owned();

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(load_with(
                base.clone(),
                session.clone(),
                album.clone(),
                Some(image.clone()),
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let down_at = Instant::now();
    s3.freeze();
    tokio::time::sleep(outage).await;
    s3.thaw();
    let back_at = Instant::now();
    tokio::time::sleep(RECOVERY + Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    let mut samples = Vec::new();
    for worker in workers {
        samples.extend(worker.await.expect("load"));
    }

    let other_5xx: Vec<_> = samples
        .iter()
        .filter(|s| {
            s.status
                .is_some_and(|c| c.is_server_error() && c != StatusCode::SERVICE_UNAVAILABLE)
        })
        .map(|s| s.status)
        .collect();
    let unanswered = samples.iter().filter(|s| s.status.is_none()).count();
    let slowest = samples.iter().map(|s| s.took).max().unwrap_or_default();
    let unavailable = samples
        .iter()
        .filter(|s| s.started >= down_at && s.status == Some(StatusCode::SERVICE_UNAVAILABLE))
        .count();
    // Requests that began once the store answered again all succeed within RECOVERY.
    let late_failures = samples
        .iter()
        .filter(|s| s.started >= back_at + RECOVERY && !s.status.is_some_and(|c| c.is_success()))
        .count();
    println!(
        "outage(S3 frozen, {} s): {} requests, {} answered 503, {} other 5xx, {} unanswered, \
         slowest {} ms, {} failures once 5 s had passed after the store was back",
        outage.as_secs(),
        samples.len(),
        unavailable,
        other_5xx.len(),
        unanswered,
        slowest.as_millis(),
        late_failures
    );
    assert!(other_5xx.is_empty(), "5xx other than 503: {other_5xx:?}");
    assert_eq!(unanswered, 0, "every request got an answer");
    assert!(
        slowest <= LONGEST_STORE_ANSWER,
        "a request took {slowest:?}"
    );
    assert_eq!(late_failures, 0, "service was not back within {RECOVERY:?}");
    server.kill();
}
