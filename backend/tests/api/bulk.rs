//! Bulk move and delete, and the chosen cover: up to 500 ids, each the caller's or `failed`
//! with 404, one transaction per request.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, assert_problem, error_fields, spawn_app};
use crate::pictures;

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn photos(app: &TestApp, user: &Session, album: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        let image = app
            .upload_one(
                user,
                album,
                &format!("{n}.jpg"),
                pictures::photo_jpeg(48, 32),
            )
            .await;
        ids.push(id(&image));
    }
    ids
}

async fn bulk(app: &TestApp, user: &Session, action: &str, body: &Value) -> Value {
    let response = app.post_as(user, &format!("/images/{action}"), body).await;
    assert_eq!(response.status(), StatusCode::OK, "{action}");
    response.json().await.expect("bulk answer")
}

async fn album(app: &TestApp, user: &Session, id: &str) -> Value {
    app.json_as(Some(user), &format!("/albums/{id}")).await
}

fn failed(answer: &Value) -> Vec<(String, i64)> {
    answer["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .map(|f| {
            assert_eq!(f["title"], "Not Found");
            (id(f), f["status"].as_i64().unwrap_or(0))
        })
        .collect()
}

/// 500 ids: some mine, some bob's, the rest unknown.
async fn five_hundred_mixed_ids(
    app: &TestApp,
    alice: &Session,
    bob: &Session,
) -> (Vec<String>, Vec<String>) {
    let mine_album = app.album_id(alice, "Mine").await;
    let bobs_album = app.album_id(bob, "Bob's").await;
    let mine = photos(app, alice, &mine_album, 4).await;
    let mut others = photos(app, bob, &bobs_album, 2).await;
    others.extend((0..494).map(|_| Uuid::now_v7().to_string()));
    (mine, others)
}

#[tokio::test]
async fn deleting_500_ids_trashes_the_callers_and_fails_the_rest_with_404() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let (mine, others) = five_hundred_mixed_ids(&app, &alice, &bob).await;
    let mut ids: Vec<String> = others.clone();
    ids.splice(100..100, mine.iter().cloned());

    let answer = bulk(&app, &alice, "delete", &json!({ "image_ids": ids })).await;

    assert_eq!(answer["done"], json!(mine));
    let expected: Vec<(String, i64)> = others.iter().map(|o| (o.clone(), 404)).collect();
    assert_eq!(failed(&answer), expected);
    let trash = app.json_as(Some(&alice), "/trash").await;
    assert_eq!(trash["items"].as_array().map(Vec::len), Some(4));
    let bobs = app.json_as(Some(&bob), "/images").await;
    assert_eq!(
        bobs["items"].as_array().map(Vec::len),
        Some(2),
        "bob's photos are untouched"
    );
}

#[tokio::test]
async fn a_permanent_bulk_delete_removes_the_objects() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let ids = photos(&app, &alice, &album, 3).await;
    let answer = bulk(
        &app,
        &alice,
        "delete",
        &json!({"image_ids": ids[..2], "permanent": true}),
    )
    .await;
    assert_eq!(answer, json!({"done": ids[..2], "failed": []}));
    assert_eq!(app.stored_files(), 5, "only the third photo's objects");
    assert_eq!(app.count_rows("images"), 1);
}

#[tokio::test]
async fn moving_images_updates_the_albums_counts_and_covers() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let from = app.album_id(&alice, "From").await;
    let to = app.album_id(&alice, "To").await;
    let ids = photos(&app, &alice, &from, 3).await;
    let bobs = photos(&app, &bob, &app.album_id(&bob, "B").await, 1).await;
    let newest = ids[2].clone();
    assert!(!album(&app, &alice, &from).await["cover"].is_null());

    let answer = bulk(
        &app,
        &alice,
        "move",
        &json!({"image_ids": [ids[1], newest, bobs[0]], "album_id": to}),
    )
    .await;

    assert_eq!(answer["done"], json!([ids[1], newest]));
    assert_eq!(failed(&answer), [(bobs[0].clone(), 404)]);
    let (from, to) = (
        album(&app, &alice, &from).await,
        album(&app, &alice, &to).await,
    );
    assert_eq!(
        (from["image_count"].as_i64(), to["image_count"].as_i64()),
        (Some(1), Some(2))
    );
    let moved = app
        .json_as(Some(&alice), &format!("/images/{newest}"))
        .await;
    assert_eq!(moved["album_id"], to["id"]);
    let unsigned = |variant: &Value| {
        variant["url"]
            .as_str()
            .map(|u| u.split('?').next().unwrap_or(u).to_owned())
    };
    assert_eq!(
        unsigned(&to["cover"]),
        unsigned(&moved["variants"]["thumb"]),
        "the newest photo is the new cover"
    );
    let left = app
        .json_as(Some(&alice), &format!("/images/{}", ids[0]))
        .await;
    assert_eq!(
        unsigned(&from["cover"]),
        unsigned(&left["variants"]["thumb"])
    );
}

#[tokio::test]
async fn moving_into_an_album_that_is_not_a_live_one_of_mine_is_a_422() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mine = app.album_id(&alice, "Mine").await;
    let trashed = app.album_id(&alice, "Trashed").await;
    let bobs = app.album_id(&bob, "Bob's").await;
    let ids = photos(&app, &alice, &mine, 1).await;
    assert_eq!(
        app.delete_as(&alice, &format!("/albums/{trashed}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let unknown = Uuid::now_v7().to_string();
    for target in [&bobs, &trashed, &unknown] {
        let response = app
            .post_as(
                &alice,
                "/images/move",
                &json!({"image_ids": ids, "album_id": target}),
            )
            .await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["album_id"]);
    }
    let image = app
        .json_as(Some(&alice), &format!("/images/{}", ids[0]))
        .await;
    assert_eq!(image["album_id"], json!(mine), "nothing moved");
}

#[tokio::test]
async fn a_bulk_request_names_1_to_500_ids() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let too_many: Vec<String> = (0..501).map(|_| Uuid::now_v7().to_string()).collect();
    for ids in [json!([]), json!(too_many), json!("x"), json!([1])] {
        for (action, extra) in [("delete", json!({})), ("move", json!({"album_id": album}))] {
            let mut body = extra.clone();
            body["image_ids"] = ids.clone();
            let response = app
                .post_as(&alice, &format!("/images/{action}"), &body)
                .await;
            let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(error_fields(&problem), ["image_ids"], "{action} {ids}");
        }
    }
}

#[tokio::test]
async fn a_chosen_cover_is_shown_until_it_leaves_the_tree_and_null_is_automatic() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let parent = app.album_id(&alice, "Parent").await;
    let child = app.album_id_under(&alice, "Child", Some(&parent)).await;
    let own = photos(&app, &alice, &parent, 1).await;
    let deep = photos(&app, &alice, &child, 1).await;
    let cover_path = |a: &Value| {
        a["cover"]["url"]
            .as_str()
            .map(|u| u.split('/').nth(6).map(str::to_owned))
    };

    let response = app
        .patch_album(&alice, &parent, &json!({"cover_image_id": deep[0]}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let chosen: Value = response.json().await.expect("album");
    assert_eq!(chosen["cover_image_id"], json!(deep[0]));
    assert_eq!(cover_path(&chosen), Some(Some(deep[0].clone())), "{chosen}");

    assert_eq!(
        app.delete_as(&alice, &format!("/images/{}", deep[0]))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let after = album(&app, &alice, &parent).await;
    assert_eq!(
        cover_path(&after),
        Some(Some(own[0].clone())),
        "a trashed cover falls back"
    );

    let automatic = app
        .patch_album(&alice, &parent, &json!({"cover_image_id": null}))
        .await;
    let automatic: Value = automatic.json().await.expect("album");
    assert_eq!(automatic["cover_image_id"], Value::Null);
}

#[tokio::test]
async fn a_cover_from_outside_the_albums_tree_is_a_422() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "A").await;
    let elsewhere = app.album_id(&alice, "B").await;
    let outside = photos(&app, &alice, &elsewhere, 1).await;
    for cover in [outside[0].clone(), Uuid::now_v7().to_string()] {
        let response = app
            .patch_album(&alice, &album, &json!({"cover_image_id": cover}))
            .await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["cover_image_id"]);
    }
}
