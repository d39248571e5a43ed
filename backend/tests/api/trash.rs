//! The trash, as the contract states it: deleting hides at once and keeps the bytes; restoring
//! brings things back as they were; purging (now, or by the job after the retention) deletes
//! rows and objects for good.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{
    Backend, Session, TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_with,
};
use crate::pictures;

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

fn thumb(image: &Value) -> &str {
    image["variants"]["thumb"]["url"]
        .as_str()
        .expect("thumb url")
}

async fn photo(app: &TestApp, user: &Session, album: &str, name: &str) -> Value {
    app.upload_one(user, album, name, pictures::photo_jpeg(64, 48))
        .await
}

async fn trash(app: &TestApp, user: &Session) -> Vec<Value> {
    app.json_as(Some(user), "/trash").await["items"]
        .as_array()
        .expect("items")
        .clone()
}

async fn restore(app: &TestApp, user: &Session, ids: &[&str]) -> Value {
    let response = app
        .post_as(user, "/trash/restore", &json!({ "ids": ids }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("restore answer")
}

async fn delete(app: &TestApp, user: &Session, path: &str) {
    let response = app.delete_as(user, path).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "DELETE {path}");
}

async fn stats(app: &TestApp, user: &Session) -> Value {
    app.json_as(Some(user), "/users/me").await["stats"].clone()
}

async fn listed_images(app: &TestApp, user: &Session) -> usize {
    app.json_as(Some(user), "/images").await["items"]
        .as_array()
        .expect("items")
        .len()
}

/// Trips (public) › Rome (public), Paris: four photos each.
struct Tree {
    root: String,
    rome: String,
    paris: String,
    images: Vec<Value>,
}

async fn a_tree_of_three_albums_with_four_photos_each(app: &TestApp, user: &Session) -> Tree {
    let root = app.album_id(user, "Trips").await;
    let rome = app.album_id_under(user, "Rome", Some(&root)).await;
    let paris = app.album_id_under(user, "Paris", Some(&root)).await;
    let mut images = Vec::new();
    for album in [&root, &rome, &paris] {
        for n in 0..4 {
            images.push(photo(app, user, album, &format!("{n}.jpg")).await);
        }
    }
    app.make_public(user, &root).await;
    app.make_public(user, &rome).await;
    Tree {
        root,
        rome,
        paris,
        images,
    }
}

async fn a_deleted_tree_vanishes_everywhere_and_comes_back_as_it_was(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let alice = app.signup("alice").await;
    let keep = app.album_id(&alice, "Keep").await;
    photo(&app, &alice, &keep, "keep.jpg").await;
    let tree = a_tree_of_three_albums_with_four_photos_each(&app, &alice).await;
    let before = stats(&app, &alice).await;
    assert_eq!(
        (before["albums"].as_i64(), before["images"].as_i64()),
        (Some(4), Some(13))
    );

    delete(&app, &alice, &format!("/albums/{}", tree.root)).await;

    let top = app.json_as(Some(&alice), "/albums").await;
    assert_eq!(top["items"].as_array().map(Vec::len), Some(1), "{top}");
    for album in [&tree.root, &tree.rome, &tree.paris] {
        let path = format!("/albums/{album}");
        assert_problem(app.get_as(Some(&alice), &path).await, StatusCode::NOT_FOUND).await;
        let images = format!("/albums/{album}/images");
        assert_problem(
            app.get_as(Some(&alice), &images).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let visitor = app.get_as(None, &format!("/albums/{}", tree.rome)).await;
    assert_eq!(
        visitor.status(),
        StatusCode::UNAUTHORIZED,
        "no public view of a trashed album"
    );
    assert_eq!(listed_images(&app, &alice).await, 1);
    for image in &tree.images {
        let path = format!("/images/{}", id(image));
        assert_problem(app.get_as(Some(&alice), &path).await, StatusCode::NOT_FOUND).await;
        assert_problem(app.fetch(thumb(image)).await, StatusCode::NOT_FOUND).await;
    }
    let during = stats(&app, &alice).await;
    assert_eq!(
        (during["albums"].as_i64(), during["images"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(during["trash"]["albums"], 3);
    assert_eq!(during["trash"]["images"], 12);
    assert_eq!(
        during["trash"]["bytes"].as_i64().unwrap_or(0) + during["bytes"].as_i64().unwrap_or(0),
        before["bytes"].as_i64().unwrap_or(-1),
        "the trash holds exactly the bytes that left the live count"
    );
    assert_eq!(app.stored_objects().await, 13 * 5, "the bytes are kept");

    let answer = restore(&app, &alice, &[&tree.root]).await;
    assert_eq!(answer, json!({"restored": [tree.root], "failed": []}));

    assert_eq!(stats(&app, &alice).await, before);
    assert_eq!(listed_images(&app, &alice).await, 13);
    let root = app
        .json_as(Some(&alice), &format!("/albums/{}", tree.root))
        .await;
    assert_eq!(root["tree_image_count"], 12);
    let visitor = app.get_as(None, &format!("/albums/{}", tree.rome)).await;
    assert_eq!(visitor.status(), StatusCode::OK);
    for image in &tree.images {
        assert_eq!(
            app.fetch(thumb(image)).await.status(),
            StatusCode::OK,
            "the same URLs"
        );
    }
    assert_eq!(trash(&app, &alice).await, Vec::<Value>::new());
}

#[tokio::test]
async fn the_trash_lists_what_was_deleted_directly_newest_first() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let keep = app.album_id(&alice, "Keep").await;
    let loose = photo(&app, &alice, &keep, "loose.jpg").await;
    let album = app.album_id(&alice, "Trip").await;
    let sub = app.album_id_under(&alice, "Day 1", Some(&album)).await;
    photo(&app, &alice, &album, "a.jpg").await;
    photo(&app, &alice, &sub, "b.jpg").await;
    let before = stats(&app, &alice).await["bytes"].as_i64().unwrap_or(0);

    delete(&app, &alice, &format!("/images/{}", id(&loose))).await;
    delete(&app, &alice, &format!("/albums/{album}")).await;

    let items = trash(&app, &alice).await;
    let summary: Vec<(&str, &str, &str, i64)> = items
        .iter()
        .map(|item| {
            (
                item["kind"].as_str().unwrap_or_default(),
                item["id"].as_str().unwrap_or_default(),
                item["name"].as_str().unwrap_or_default(),
                item["images"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("album", album.as_str(), "Trip", 2),
            ("image", id(&loose).as_str(), "loose.jpg", 1)
        ]
    );
    let bytes: i64 = items.iter().filter_map(|i| i["bytes"].as_i64()).sum();
    assert_eq!(bytes, before, "every stored byte is in one item");
    for item in &items {
        let at = |field: &str| {
            item[field]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
                .expect("a timestamp")
        };
        assert_eq!(
            at("purge_at") - at("deleted_at"),
            chrono::TimeDelta::days(30)
        );
    }
}

#[tokio::test]
async fn the_trash_pages_with_a_cursor() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let mut deleted = Vec::new();
    for n in 0..5 {
        let image = photo(&app, &alice, &album, &format!("{n}.jpg")).await;
        delete(&app, &alice, &format!("/images/{}", id(&image))).await;
        deleted.push(id(&image));
    }
    let mut seen = Vec::new();
    let mut path = "/trash?limit=2".to_owned();
    loop {
        let page = app.json_as(Some(&alice), &path).await;
        seen.extend(page["items"].as_array().expect("items").iter().map(id));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/trash?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    deleted.reverse();
    assert_eq!(seen, deleted, "each once, newest first");
}

#[tokio::test]
async fn an_image_whose_album_is_in_the_trash_comes_back_only_after_the_album() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let image = id(&photo(&app, &alice, &album, "a.jpg").await);
    delete(&app, &alice, &format!("/images/{image}")).await;
    delete(&app, &alice, &format!("/albums/{album}")).await;
    let unknown = Uuid::now_v7().to_string();

    let answer = restore(&app, &alice, &[&image, &unknown]).await;
    assert_eq!(
        answer,
        json!({"restored": [], "failed": [
            {"id": image, "status": 409, "title": "Conflict"},
            {"id": unknown, "status": 404, "title": "Not Found"},
        ]})
    );

    restore(&app, &alice, &[&album]).await;
    let back = app.json_as(Some(&alice), &format!("/albums/{album}")).await;
    assert_eq!(
        back["image_count"], 0,
        "an image trashed before its album stays its own item"
    );
    assert_eq!(
        restore(&app, &alice, &[&image]).await["restored"],
        json!([image])
    );
    let back = app.json_as(Some(&alice), &format!("/albums/{album}")).await;
    assert_eq!(back["image_count"], 1);
}

#[tokio::test]
async fn a_sub_album_deleted_before_its_parent_comes_back_only_after_the_parent() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let parent = app.album_id(&alice, "Parent").await;
    let child = app.album_id_under(&alice, "Child", Some(&parent)).await;
    delete(&app, &alice, &format!("/albums/{child}")).await;
    delete(&app, &alice, &format!("/albums/{parent}")).await;

    let answer = restore(&app, &alice, &[&child]).await;
    assert_eq!(answer["failed"][0]["status"], 409);
    assert_eq!(
        restore(&app, &alice, &[&parent, &child]).await["restored"],
        json!([parent, child])
    );
    let back = app.json_as(Some(&alice), &format!("/albums/{child}")).await;
    assert_eq!(back["parent_id"], json!(parent));
}

async fn purging_an_item_deletes_its_objects_for_good(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let image = id(&photo(&app, &alice, &album, "a.jpg").await);
    delete(&app, &alice, &format!("/images/{image}")).await;
    assert_eq!(app.stored_objects().await, 5);

    delete(&app, &alice, &format!("/trash/{image}")).await;

    assert_eq!(app.stored_objects().await, 0);
    assert_eq!(app.count_rows("images"), 0);
    let again = app.delete_as(&alice, &format!("/trash/{image}")).await;
    assert_problem(again, StatusCode::NOT_FOUND).await;
    assert_eq!(
        restore(&app, &alice, &[&image]).await["failed"][0]["status"],
        404
    );
}

async fn emptying_the_trash_purges_every_item_and_nothing_else(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let alice = app.signup("alice").await;
    let keep = app.album_id(&alice, "Keep").await;
    photo(&app, &alice, &keep, "keep.jpg").await;
    let loose = photo(&app, &alice, &keep, "loose.jpg").await;
    let tree = a_tree_of_three_albums_with_four_photos_each(&app, &alice).await;
    delete(&app, &alice, &format!("/images/{}", id(&loose))).await;
    delete(&app, &alice, &format!("/albums/{}", tree.root)).await;

    delete(&app, &alice, "/trash").await;

    assert_eq!(trash(&app, &alice).await, Vec::<Value>::new());
    assert_eq!(
        app.stored_objects().await,
        5,
        "only the kept photo's objects"
    );
    assert_eq!(app.count_rows("albums"), 1);
    assert_eq!(
        stats(&app, &alice).await["trash"],
        json!({"albums": 0, "images": 0, "bytes": 0})
    );
}

#[tokio::test]
async fn items_are_purged_by_the_job_once_the_retention_has_passed() {
    let app = spawn_app_with(&["--trash-retention", "1s", "--job-poll-interval", "100ms"]).await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    photo(&app, &alice, &album, "a.jpg").await;
    let image = id(&photo(&app, &alice, &album, "b.jpg").await);
    delete(&app, &alice, &format!("/images/{image}")).await;
    delete(&app, &alice, &format!("/albums/{album}")).await;

    let started = Instant::now();
    while app.stored_files() > 0 || app.count_rows("albums") > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "purged within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(trash(&app, &alice).await, Vec::<Value>::new());
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn a_permanent_delete_skips_the_trash() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let image = id(&photo(&app, &alice, &album, "a.jpg").await);
    delete(&app, &alice, &format!("/images/{image}?permanent=true")).await;
    delete(&app, &alice, &format!("/albums/{album}?permanent=true")).await;
    assert_eq!(trash(&app, &alice).await, Vec::<Value>::new());
    assert_eq!(app.stored_files(), 0);
    let odd = app.delete_as(&alice, "/images/x?permanent=yes").await;
    assert_problem(odd, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn uploading_into_an_album_in_the_trash_is_a_404() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    delete(&app, &alice, &format!("/albums/{album}")).await;
    let response = app
        .upload(
            &alice,
            &album,
            vec![("a.jpg", pictures::photo_jpeg(32, 32))],
        )
        .await;
    assert_problem(response, StatusCode::NOT_FOUND).await;
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn another_users_trash_is_out_of_reach() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let album = app.album_id(&alice, "A").await;
    let image = id(&photo(&app, &alice, &album, "a.jpg").await);
    delete(&app, &alice, &format!("/images/{image}")).await;

    assert_eq!(trash(&app, &bob).await, Vec::<Value>::new());
    assert_eq!(
        restore(&app, &bob, &[&image]).await["failed"][0]["status"],
        404
    );
    let purge = app.delete_as(&bob, &format!("/trash/{image}")).await;
    assert_problem(purge, StatusCode::NOT_FOUND).await;
    delete(&app, &bob, "/trash").await;
    assert_eq!(
        trash(&app, &alice).await.len(),
        1,
        "bob emptied only his own trash"
    );
}

#[tokio::test]
async fn a_restore_names_1_to_500_ids() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let too_many: Vec<String> = (0..501).map(|_| Uuid::now_v7().to_string()).collect();
    for ids in [
        json!([]),
        json!(too_many),
        json!(["not-a-uuid"]),
        json!(null),
    ] {
        let response = app
            .post_as(&alice, "/trash/restore", &json!({ "ids": ids }))
            .await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

on_both_backends!(
    a_deleted_tree_vanishes_everywhere_and_comes_back_as_it_was,
    purging_an_item_deletes_its_objects_for_good,
    emptying_the_trash_purges_every_item_and_nothing_else,
);
