//! Soak: mixed traffic (browse, upload, serve, delete) at a fixed rate against a real server
//! process for `ALBUMEN_SOAK_SECS` (20 s in the suite, 600 in `scripts/soak`): no 5xx, and on a
//! long run resident memory flat within 10 % after warm-up. Prints p50/p99 per route, the lines
//! RELIABILITY.md reports.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::crash::wait_ready;
use crate::helpers::{PASSWORD, Session, http_client, session_from};
use crate::pictures;
use crate::server_process::ServerProcess;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");
const REQUESTS_PER_SECOND: u64 = 20;
/// Below this the memory figure is reported, not judged: caches are still filling.
const JUDGE_MEMORY_AFTER: Duration = Duration::from_secs(120);

fn duration() -> Duration {
    Duration::from_secs(
        std::env::var("ALBUMEN_SOAK_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    )
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Route {
    ListAlbums,
    ListImages,
    GetImage,
    ServeThumb,
    Upload,
    Delete,
}

/// One in ten requests writes; the rest browse and serve, as people use a photo store.
const MIX: [Route; 10] = [
    Route::ListAlbums,
    Route::ListImages,
    Route::GetImage,
    Route::ServeThumb,
    Route::ServeThumb,
    Route::ListImages,
    Route::GetImage,
    Route::ServeThumb,
    Route::Upload,
    Route::Delete,
];

struct World {
    base: String,
    session: Session,
    album: String,
    images: Mutex<Vec<String>>,
    photo: Vec<u8>,
    client: reqwest::Client,
}

impl World {
    fn some_image(&self, n: u64) -> Option<String> {
        let images = self.images.lock().expect("images");
        let len = u64::try_from(images.len()).ok()?;
        (len > 0).then(|| images[usize::try_from(n % len).unwrap_or(0)].clone())
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.session.access_token)
    }

    async fn upload(&self) -> Option<StatusCode> {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(self.photo.clone()).file_name("soak.jpg"),
        );
        let answer = self
            .request(
                Method::POST,
                &format!("/api/v1/albums/{}/images", self.album),
            )
            .multipart(form)
            .send()
            .await
            .ok()?;
        let status = answer.status();
        if let Ok(body) = answer.json::<Value>().await
            && let Some(id) = body["images"][0]["id"].as_str()
        {
            self.images.lock().expect("images").push(id.to_owned());
        }
        Some(status)
    }

    async fn delete(&self) -> Option<StatusCode> {
        // keeps a working set: only delete when there is plenty
        let victim = {
            let mut images = self.images.lock().expect("images");
            (images.len() > 20).then(|| images.remove(0))
        };
        let Some(id) = victim else {
            return self
                .request(Method::GET, "/api/v1/albums")
                .send()
                .await
                .ok()
                .map(|r| r.status());
        };
        let answer = self
            .request(Method::DELETE, &format!("/api/v1/images/{id}"))
            .send()
            .await
            .ok()?;
        Some(answer.status())
    }

    async fn call(&self, route: Route, n: u64) -> Option<StatusCode> {
        let image = self.some_image(n).unwrap_or_default();
        let path = match route {
            Route::Upload => return self.upload().await,
            Route::Delete => return self.delete().await,
            Route::ListAlbums => "/api/v1/albums".to_owned(),
            Route::ListImages => format!("/api/v1/albums/{}/images", self.album),
            Route::GetImage => format!("/api/v1/images/{image}"),
            Route::ServeThumb => format!("/api/v1/images/{image}/content/thumb"),
        };
        let answer = self.request(Method::GET, &path).send().await.ok()?;
        let status = answer.status();
        let _ = answer.bytes().await;
        Some(status)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

type Timings = Arc<Mutex<BTreeMap<Route, Vec<Duration>>>>;

#[tokio::test]
async fn mixed_traffic_at_a_fixed_rate_gives_no_5xx_and_flat_memory() {
    let soak = duration();
    let db = TestDatabase::create();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = ServerProcess::spawn(
        Command::new(BINARY)
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("ALBUMEN_DATA_DIR", dir.path())
            .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
            .env("ALBUMEN_BCRYPT_COST", "4")
            .env("ALBUMEN_ACCESS_TOKEN_TTL", "2h")
            .env("ALBUMEN_LOG", "warn")
            .stdin(Stdio::null()),
    );
    let client = http_client();
    wait_ready(&client, &base).await;
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
        .json(&json!({"name": "Soak"}))
        .send()
        .await
        .expect("album")
        .json()
        .await
        .expect("json");
    let world = Arc::new(World {
        base,
        session,
        album: album["id"].as_str().expect("id").to_owned(),
        images: Mutex::new(Vec::new()),
        photo: pictures::photo_jpeg(640, 480),
        client,
    });
    for _ in 0..5 {
        world.upload().await;
    }

    let timings = Timings::default();
    let failures = Arc::new(Mutex::new(Vec::new()));
    let mut memory = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / REQUESTS_PER_SECOND));
    let started = Instant::now();
    let mut n = 0u64;
    let mut in_flight = Vec::new();
    while started.elapsed() < soak {
        tick.tick().await;
        let route = MIX[usize::try_from(n % 10).unwrap_or(0)];
        let (world, timings, failures) = (world.clone(), timings.clone(), failures.clone());
        in_flight.push(tokio::spawn(async move {
            let begun = Instant::now();
            let status = world.call(route, n).await;
            let took = begun.elapsed();
            timings
                .lock()
                .expect("timings")
                .entry(route)
                .or_default()
                .push(took);
            if status.is_none_or(|s| s.is_server_error()) {
                failures.lock().expect("failures").push((route, status));
            }
        }));
        if n.is_multiple_of(REQUESTS_PER_SECOND) {
            memory.push((
                started.elapsed(),
                server.memory_kib().map(|(_, rss)| rss).unwrap_or(0),
            ));
        }
        n += 1;
    }
    for request in in_flight {
        request.await.expect("request");
    }

    let warm = memory
        .iter()
        .find(|(at, _)| *at >= soak / 4)
        .map_or(0, |(_, rss)| *rss);
    let end = memory.last().map_or(0, |(_, rss)| *rss);
    let growth = if warm == 0 {
        0.0
    } else {
        end as f64 / warm as f64 - 1.0
    };
    println!(
        "soak: {} s at {REQUESTS_PER_SECOND} req/s, {n} requests, {} 5xx or unanswered; RSS {} MiB \
         after warm-up, {} MiB at the end ({:+.1} %)",
        soak.as_secs(),
        failures.lock().expect("failures").len(),
        warm / 1024,
        end / 1024,
        growth * 100.0
    );
    for (route, mut took) in std::mem::take(&mut *timings.lock().expect("timings")) {
        took.sort();
        println!(
            "soak: {route:?}: {} requests, p50 {} ms, p99 {} ms",
            took.len(),
            percentile(&took, 0.50).as_millis(),
            percentile(&took, 0.99).as_millis()
        );
    }
    let failures = failures.lock().expect("failures");
    assert!(failures.is_empty(), "{failures:?}");
    if soak >= JUDGE_MEMORY_AFTER {
        assert!(
            growth <= 0.10,
            "RSS grew {:.1} % after warm-up",
            growth * 100.0
        );
    }
    server.kill();
}
