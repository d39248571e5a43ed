//! The crash loop: the server is killed (SIGKILL) again and again while uploads and deletions
//! are in flight. After the last restart nothing acknowledged is lost, no row lacks an object
//! and no object lacks a row. `ALBUMEN_CHAOS_CYCLES` sets the number of kills (3 here, 50 in
//! `scripts/chaos`); the summary line is what RELIABILITY.md reports.

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::crash::{count, object_files, serve, wait_ready};
use crate::helpers::{PASSWORD, Session, http_client, session_from};
use crate::pictures;
use crate::test_db::TestDatabase;

const DEFAULT_CYCLES: usize = 3;
const UPLOADERS: usize = 4;

fn cycles() -> usize {
    std::env::var("ALBUMEN_CHAOS_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CYCLES)
}

/// What the clients were told: images stored (by id, with their bytes' index) and deletions
/// answered 204; deletions sent but never answered may have happened or not.
#[derive(Default)]
struct Ledger {
    stored: HashMap<String, usize>,
    deleted: HashSet<String>,
    deleting: HashSet<String>,
}

type Shared = Arc<Mutex<Ledger>>;

struct Target {
    base: String,
    session: Session,
    album: String,
}

async fn upload_loop(
    target: Arc<Target>,
    photos: Arc<Vec<Vec<u8>>>,
    ledger: Shared,
    stop: Arc<AtomicBool>,
) {
    let client = http_client();
    while !stop.load(Ordering::Relaxed) {
        let pick = rand::rng().random_range(0..photos.len());
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(photos[pick].clone()).file_name(format!("{pick}.jpg")),
        );
        let Ok(answer) = client
            .post(format!(
                "{}/api/v1/albums/{}/images",
                target.base, target.album
            ))
            .bearer_auth(&target.session.access_token)
            .multipart(form)
            .send()
            .await
        else {
            return;
        };
        if answer.status() != StatusCode::CREATED {
            continue;
        }
        let Ok(body) = answer.json::<Value>().await else {
            return;
        };
        for image in body["images"].as_array().into_iter().flatten() {
            if let Some(id) = image["id"].as_str() {
                ledger
                    .lock()
                    .expect("ledger")
                    .stored
                    .insert(id.to_owned(), pick);
            }
        }
    }
}

async fn delete_loop(target: Arc<Target>, ledger: Shared, stop: Arc<AtomicBool>) {
    let client = http_client();
    while !stop.load(Ordering::Relaxed) {
        let victim = {
            let mut ledger = ledger.lock().expect("ledger");
            // one photo in four is deleted, so most acknowledged uploads must survive
            let candidate = ledger
                .stored
                .iter()
                .find(|(id, pick)| **pick == 0 && !ledger.deleting.contains(*id))
                .map(|(id, _)| id.clone());
            if let Some(id) = &candidate {
                ledger.deleting.insert(id.clone());
            }
            candidate
        };
        let Some(id) = victim else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let Ok(answer) = client
            .delete(format!("{}/api/v1/images/{id}?permanent=true", target.base))
            .bearer_auth(&target.session.access_token)
            .send()
            .await
        else {
            return;
        };
        if answer.status() == StatusCode::NO_CONTENT {
            ledger.lock().expect("ledger").deleted.insert(id);
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

async fn sign_up_with_album(base: &str) -> (Session, String) {
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
        .json(&json!({"name": "Chaos"}))
        .send()
        .await
        .expect("album")
        .json()
        .await
        .expect("json");
    (session, album["id"].as_str().expect("id").to_owned())
}

/// Claims of writers that are gone must all have been swept; queued deletions (no writer) may
/// wait for the next sweep, their objects are already counted as orphans if they are left.
fn writer_claims(db: &TestDatabase) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM object_gc WHERE held_by IS NOT NULL")
        .get_result::<Count>(&mut db.connect())
        .expect("claims")
        .n
}

fn image_ids(db: &TestDatabase) -> HashSet<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    diesel::sql_query("SELECT id::text AS id FROM images")
        .load::<Id>(&mut db.connect())
        .expect("ids")
        .into_iter()
        .map(|row| row.id)
        .collect()
}

#[tokio::test]
async fn repeated_kill_9_under_load_loses_no_acknowledged_upload_and_leaves_no_orphans() {
    let photos: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..4)
            .map(|i| pictures::photo_jpeg(1024 + i * 16, 768))
            .collect(),
    );
    let db = TestDatabase::create();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = http_client();

    let mut server = serve(&db, dir.path(), port);
    wait_ready(&client, &base).await;
    let (session, album) = sign_up_with_album(&base).await;
    let target = Arc::new(Target {
        base: base.clone(),
        session,
        album,
    });
    let ledger = Shared::default();
    let cycles = cycles();
    for cycle in 0..cycles {
        if cycle > 0 {
            server = serve(&db, dir.path(), port);
            wait_ready(&client, &base).await;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers: Vec<_> = (0..UPLOADERS)
            .map(|_| {
                tokio::spawn(upload_loop(
                    target.clone(),
                    photos.clone(),
                    ledger.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        workers.push(tokio::spawn(delete_loop(
            target.clone(),
            ledger.clone(),
            stop.clone(),
        )));
        let run_for = rand::rng().random_range(1500..4000);
        tokio::time::sleep(Duration::from_millis(run_for)).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.expect("worker");
        }
    }

    let mut last = serve(&db, dir.path(), port);
    wait_ready(&client, &base).await;
    let ledger = std::mem::take(&mut *ledger.lock().expect("ledger"));
    let must_exist: Vec<(&String, &usize)> = ledger
        .stored
        .iter()
        .filter(|(id, _)| !ledger.deleting.contains(*id))
        .collect();
    let mut lost = Vec::new();
    for (id, pick) in &must_exist {
        let original = client
            .get(format!("{base}/api/v1/images/{id}/content/original"))
            .bearer_auth(&target.session.access_token)
            .send()
            .await
            .expect("original");
        let whole = original.status() == StatusCode::OK
            && original.bytes().await.expect("bytes").as_ref() == photos[**pick].as_slice();
        if !whole {
            lost.push((*id).clone());
        }
    }
    let rows = image_ids(&db);
    let resurrected: Vec<_> = ledger.deleted.intersection(&rows).collect();
    let objects = object_files(&dir.path().join("objects"));
    let folders: HashSet<String> = objects
        .iter()
        .filter_map(|f| f.parent()?.file_name()?.to_str().map(str::to_owned))
        .collect();
    let orphans: Vec<_> = folders.difference(&rows).collect();
    let rows_without_objects: Vec<_> = rows.difference(&folders).collect();
    println!(
        "chaos: {cycles} kill -9 cycles, {} acknowledged uploads, {} acknowledged deletions, \
         {} lost, {} deleted images back, {} rows without objects, {} orphan object folders, \
         {} objects for {} images, {} writers' claims left, {} deletions still queued",
        ledger.stored.len(),
        ledger.deleted.len(),
        lost.len(),
        resurrected.len(),
        rows_without_objects.len(),
        orphans.len(),
        objects.len(),
        rows.len(),
        writer_claims(&db),
        count(&db, "object_gc") - writer_claims(&db),
    );
    assert!(
        !must_exist.is_empty(),
        "no surviving upload was ever acknowledged"
    );
    assert!(lost.is_empty(), "acknowledged uploads lost: {lost:?}");
    assert!(
        resurrected.is_empty(),
        "deleted images came back: {resurrected:?}"
    );
    assert!(rows_without_objects.is_empty(), "{rows_without_objects:?}");
    assert!(orphans.is_empty(), "orphan objects: {orphans:?}");
    assert_eq!(
        objects.len(),
        rows.len() * 5,
        "every image has its five objects"
    );
    assert_eq!(
        count(&db, "object_gc"),
        0,
        "the start-up sweep took every claim"
    );
    last.kill();
}
