//! A real crash: the server is killed (SIGKILL) in the middle of an upload, and the next start
//! cleans whatever was half-written.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{PASSWORD, http_client, session_from};
use crate::pictures;
use crate::server_process::ServerProcess;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");

pub fn serve(db: &TestDatabase, data_dir: &std::path::Path, port: u16) -> ServerProcess {
    ServerProcess::spawn(
        Command::new(BINARY)
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("ALBUMEN_DATA_DIR", data_dir)
            .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
            .env("ALBUMEN_BCRYPT_COST", "4")
            .env("ALBUMEN_LOG", "warn")
            .stdin(Stdio::null()),
    )
}

pub async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let ready = client.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("albumen did not become ready");
}

pub fn count(db: &TestDatabase, table: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result::<Count>(&mut db.connect())
        .expect("count")
        .n
}

pub fn object_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .flat_map(|e| {
                    if e.path().is_dir() {
                        object_files(&e.path())
                    } else {
                        vec![e.path()]
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_server_killed_mid_upload_leaves_nothing_half_written_after_its_next_start() {
    // Made first: in a debug build this takes seconds.
    let photo = pictures::photo_jpeg(4000, 3000);
    let db = TestDatabase::create();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = http_client();

    let mut first = serve(&db, dir.path(), port);
    wait_ready(&client, &base).await;
    let session = session_from(
        client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&serde_json::json!({"username": "alice", "email": "a@example.com", "password": PASSWORD}))
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
        .json(&serde_json::json!({"name": "A"}))
        .send()
        .await
        .expect("album")
        .json()
        .await
        .expect("json");
    let album = album["id"].as_str().expect("id").to_owned();

    let mut form = reqwest::multipart::Form::new();
    for n in 0..3 {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(photo.clone()).file_name(format!("{n}.jpg")),
        );
    }
    let upload = client
        .post(format!("{base}/api/v1/albums/{album}/images"))
        .bearer_auth(&session.access_token)
        .multipart(form)
        .send();
    let upload = tokio::spawn(upload);

    // Kill the moment a write is under way: its claim is in the database.
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&db, "object_gc") == 0 {
        if upload.is_finished() {
            let answer = upload.await.expect("joined");
            panic!("the upload finished before a claim was seen: {answer:?}");
        }
        assert!(Instant::now() < deadline, "the upload never started");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.kill();
    assert!(
        upload.await.expect("joined").is_err(),
        "the client saw the connection die"
    );
    assert!(count(&db, "object_gc") > 0, "the crash left a claim behind");

    let mut second = serve(&db, dir.path(), port);
    wait_ready(&client, &base).await;
    assert_eq!(
        count(&db, "object_gc"),
        0,
        "the start-up sweep took every claim"
    );
    // Every object left belongs to a complete image, and every image has all its objects.
    let images = count(&db, "images");
    let files = object_files(&dir.path().join("objects"));
    assert_eq!(files.len() as i64, images * 5, "{files:?}");
    second.kill();
}
