//! Lying headers, measured on a real server process: eight GIFs whose logical screen says 1×1
//! while their one frame is 5000×5000 arrive at once; the server's peak memory stays within its
//! decode budget and upload buffer (plus what it holds anyway). The summary line is what
//! RELIABILITY.md reports.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::crash::wait_ready;
use crate::helpers::{PASSWORD, http_client, session_from};
use crate::pictures;
use crate::server_process::ServerProcess;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");
const LIARS: usize = 8;
const DECODE_BUDGET_MIB: u64 = 256;
const UPLOAD_BUFFER_MIB: u64 = 64;
/// What the server holds besides uploads and decodes (code, pools, caches).
const BASELINE_MIB: u64 = 200;

/// A GIF whose logical screen says 1×1 while its one frame is `width`×`height`.
fn gif_with_a_lying_screen(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = pictures::animated_gif(width, height);
    bytes[6..10].copy_from_slice(&[1, 0, 1, 0]);
    bytes
}

#[tokio::test]
async fn eight_gifs_lying_about_their_size_stay_within_the_decode_budget() {
    let liar = gif_with_a_lying_screen(5000, 5000);
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
            .env("ALBUMEN_DECODE_BUDGET", format!("{DECODE_BUDGET_MIB}MiB"))
            .env("ALBUMEN_UPLOAD_BUFFER", format!("{UPLOAD_BUFFER_MIB}MiB"))
            .env("ALBUMEN_UPLOAD_QUEUE_TIMEOUT", "120s")
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
        .json(&json!({"name": "Liars"}))
        .send()
        .await
        .expect("album")
        .json()
        .await
        .expect("json");
    let album = album["id"].as_str().expect("id").to_owned();
    let (_, before_kib) = server.memory_kib().expect("memory");

    let uploads = (0..LIARS).map(|n| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(liar.clone()).file_name(format!("liar{n}.gif")),
        );
        client
            .post(format!("{base}/api/v1/albums/{album}/images"))
            .bearer_auth(&session.access_token)
            .multipart(form)
            .send()
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(uploads)
        .await
        .into_iter()
        .map(|r| r.expect("an answer").status())
        .collect();
    let (peak_kib, _) = server.memory_kib().expect("memory");
    let bound_mib = DECODE_BUDGET_MIB + UPLOAD_BUFFER_MIB + BASELINE_MIB;
    println!(
        "abuse(lying GIFs): {LIARS} GIFs of a 1x1 screen with a 5000x5000 frame ({} KB each) at \
         once: {statuses:?}; server RSS {} MiB before, peak {} MiB (decode budget {} MiB + \
         upload buffer {} MiB + {} MiB baseline = {} MiB)",
        liar.len() / 1000,
        before_kib / 1024,
        peak_kib / 1024,
        DECODE_BUDGET_MIB,
        UPLOAD_BUFFER_MIB,
        BASELINE_MIB,
        bound_mib
    );
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    assert!(peak_kib / 1024 <= bound_mib, "peak {} MiB", peak_kib / 1024);
    server.kill();
}
