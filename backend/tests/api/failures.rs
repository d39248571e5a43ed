//! Storage failures and crashes leave no rows without bytes and no bytes without rows.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::Value;

use crate::faulty_store::{Faults, FaultyStore};
use crate::helpers::{TestApp, assert_problem, spawn_app_with_store};
use crate::pictures;

async fn app_with_faults() -> (TestApp, Arc<Faults>) {
    let mut faults = None;
    let app = spawn_app_with_store(|root| {
        let store = FaultyStore::over(root);
        faults = Some(store.faults.clone());
        Arc::new(store)
    })
    .await;
    (app, faults.expect("faults"))
}

#[tokio::test]
async fn a_storage_failure_mid_upload_leaves_no_row_and_no_object() {
    let (app, faults) = app_with_faults().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    *faults.fail_puts_ending.lock().expect("lock") = Some("/large");
    let response = app
        .upload(
            &alice,
            &album,
            vec![("a.jpg", pictures::photo_jpeg(400, 300))],
        )
        .await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(app.count_rows("images"), 0);
    assert_eq!(app.count_rows("image_variants"), 0);
    assert_eq!(app.count_rows("object_gc"), 0);
    assert_eq!(
        app.stored_files(),
        0,
        "the objects that were written are gone again"
    );

    *faults.fail_puts_ending.lock().expect("lock") = None;
    let ok = app
        .upload(
            &alice,
            &album,
            vec![("a.jpg", pictures::photo_jpeg(400, 300))],
        )
        .await;
    assert_eq!(
        ok.status(),
        StatusCode::CREATED,
        "the server recovers with its storage"
    );
}

#[tokio::test]
async fn a_write_still_under_way_when_another_fails_is_cleaned_up_after_it_lands() {
    let (app, faults) = app_with_faults().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    *faults.fail_puts_ending.lock().expect("lock") = Some("/large");
    *faults.slow_puts_ending.lock().expect("lock") = Some("/original");
    let response = app
        .upload(
            &alice,
            &album,
            vec![("a.jpg", pictures::photo_jpeg(400, 300))],
        )
        .await;
    assert_problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
    // Past the slow write's own delay: had the answer not waited for it, it would land now.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        app.stored_files(),
        0,
        "no object outlives the failed upload"
    );
    assert_eq!(app.count_rows("object_gc"), 0);
}

#[tokio::test]
async fn a_storage_failure_during_deletion_never_leaves_a_row_pointing_at_missing_bytes() {
    let (app, faults) = app_with_faults().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id").to_owned();
    let thumb = image["variants"]["thumb"]["url"].as_str().expect("url");
    assert_eq!(
        app.fetch(thumb).await.status(),
        StatusCode::OK,
        "served once: kept in memory"
    );
    faults.fail_deletes.store(true, Ordering::SeqCst);

    let response = app
        .delete_as(&alice, &format!("/images/{id}?permanent=true"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count_rows("images"), 0, "the row is gone first");
    assert_eq!(
        app.count_rows("jobs"),
        1,
        "the objects' deletion is queued as a job"
    );
    assert_eq!(app.stored_files(), 5);
    assert_problem(app.fetch(thumb).await, StatusCode::NOT_FOUND).await;

    // Later, with storage back, a worker takes the job once it is due and finishes it.
    faults.fail_deletes.store(false, Ordering::SeqCst);
    diesel::sql_query("UPDATE jobs SET run_at = now()")
        .execute(&mut app.db.connect())
        .expect("make the job due");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.count_rows("jobs") > 0 {
        assert!(std::time::Instant::now() < deadline, "the job never ran");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.stored_files(), 0);
    assert_eq!(app.count_rows("object_gc"), 0);
}

#[tokio::test]
async fn claims_of_a_process_that_is_gone_are_swept_at_the_next_start() {
    let (app, _) = app_with_faults().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let image: Value = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    // What a crashed writer leaves: objects and a claim naming it, but no row.
    let id = image["id"].as_str().expect("id");
    let mut conn = app.db.connect();
    diesel::sql_query(format!(
        "INSERT INTO object_gc (image_id, held_by) VALUES ('{id}', '{}')",
        uuid::Uuid::new_v4()
    ))
    .execute(&mut conn)
    .expect("claim");
    diesel::sql_query(format!("DELETE FROM images WHERE id = '{id}'"))
        .execute(&mut conn)
        .expect("unrow");
    assert_eq!(app.stored_files(), 5);

    let app = app.restart().await;
    assert_eq!(app.stored_files(), 0);
    assert_eq!(app.count_rows("object_gc"), 0);
}
