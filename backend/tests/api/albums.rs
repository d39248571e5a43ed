//! Albums, as the contract states it: shape, rules, nesting, pagination, isolation.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, error_fields, spawn_app};

fn id_of(album: &Value) -> &str {
    album["id"].as_str().expect("album id")
}

async fn list(app: &TestApp, user: &Session, query: &str) -> reqwest::Response {
    app.get_as(Some(user), &format!("/albums{query}")).await
}

/// Walks every page, returning the names in order.
async fn walk_all(app: &TestApp, user: &Session, query: &str, limit: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = format!("?limit={limit}{query}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let page: Value = list(app, user, &q).await.json().await.expect("page");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= limit);
        names.extend(
            items
                .iter()
                .map(|a| a["name"].as_str().expect("name").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return names,
        }
    }
}

#[tokio::test]
async fn creating_an_album_returns_201_a_location_and_the_album() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let response = app
        .create_album_raw(
            &alice,
            &json!({"name": "Holidays", "description": "Summer"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let album: Value = response.json().await.expect("json");
    assert_eq!(location, format!("/api/v1/albums/{}", id_of(&album)));
    assert_eq!(album["name"], "Holidays");
    assert_eq!(album["description"], "Summer");
    assert_eq!(album["parent_id"], Value::Null);
    assert_eq!(album["visibility"], "private");
    assert_eq!(album["image_count"], 0);
    assert_eq!(album["cover"], Value::Null);
    assert!(album["created_at"].is_string() && album["updated_at"].is_string());
    let fetched: Value = app
        .get_as(Some(&alice), &location.replace("/api/v1", ""))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(fetched, album);
}

#[tokio::test]
async fn album_names_must_be_1_to_200_characters() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let ok = app
        .create_album_raw(&alice, &json!({"name": "é".repeat(200)}))
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    for (body, why) in [
        (json!({"name": ""}), "empty"),
        (json!({"name": "x".repeat(201)}), "too long"),
        (json!({}), "missing"),
        (json!({"name": null}), "null"),
        (json!({"name": 7}), "not a string"),
    ] {
        let response = app.create_album_raw(&alice, &body).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["name"], "{why}");
    }
}

#[tokio::test]
async fn a_parent_that_is_not_one_of_my_albums_is_a_422() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let bobs = app.create_album(&bob, "Bob's", None).await;
    app.make_public(&bob, id_of(&bobs)).await;
    for (parent, why) in [
        (json!(id_of(&bobs)), "someone else's, even public"),
        (json!(uuid::Uuid::now_v7()), "does not exist"),
        (json!("not-a-uuid"), "not a uuid"),
    ] {
        let response = app
            .create_album_raw(&alice, &json!({"name": "x", "parent_id": parent}))
            .await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), ["parent_id"], "{why}");
    }
}

#[tokio::test]
async fn listing_shows_top_level_albums_or_the_children_of_a_parent() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let trips = app.create_album(&alice, "Trips", None).await;
    app.create_album(&alice, "Rome", Some(id_of(&trips))).await;
    app.create_album(&alice, "Family", None).await;
    assert_eq!(walk_all(&app, &alice, "", 50).await, ["Family", "Trips"]);
    let children = walk_all(&app, &alice, &format!("&parent_id={}", id_of(&trips)), 50).await;
    assert_eq!(children, ["Rome"]);
}

#[tokio::test]
async fn albums_are_sorted_by_name_case_insensitively_then_by_id() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for name in ["banana", "Apple", "cherry", "apple", "Banana2"] {
        app.create_album(&alice, name, None).await;
    }
    let page: Value = list(&app, &alice, "").await.json().await.expect("page");
    let items = page["items"].as_array().expect("items");
    let names: Vec<&str> = items
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Apple", "apple", "banana", "Banana2", "cherry"]);
    assert!(id_of(&items[0]) < id_of(&items[1]), "ties broken by id");
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn pagination_walks_every_album_exactly_once() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let mut expected = Vec::new();
    for n in 0..23 {
        // Duplicate names make the id tie-breaker matter.
        let name = format!("album {}", n % 7);
        app.create_album(&alice, &name, None).await;
        expected.push(name);
    }
    expected.sort();
    let walked = walk_all(&app, &alice, "", 5).await;
    assert_eq!(walked, expected);
    let ids: HashSet<String> = walked.into_iter().collect();
    assert_eq!(ids.len(), 7);
}

#[tokio::test]
async fn the_last_full_page_has_a_null_cursor() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for name in ["a", "b", "c", "d"] {
        app.create_album(&alice, name, None).await;
    }
    let first: Value = list(&app, &alice, "?limit=2")
        .await
        .json()
        .await
        .expect("page");
    let cursor = first["next_cursor"].as_str().expect("more follow");
    let second: Value = list(&app, &alice, &format!("?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(second["items"].as_array().expect("items").len(), 2);
    assert_eq!(second["next_cursor"], Value::Null);
}

#[tokio::test]
async fn limit_is_clamped_to_200_and_must_be_a_positive_integer() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for n in 0..201 {
        app.create_album(&alice, &format!("a{n:03}"), None).await;
    }
    let page: Value = list(&app, &alice, "?limit=1000")
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(page["items"].as_array().expect("items").len(), 200);
    assert!(page["next_cursor"].is_string());
    let default: Value = list(&app, &alice, "").await.json().await.expect("page");
    assert_eq!(default["items"].as_array().expect("items").len(), 50);
    assert_problem(
        list(&app, &alice, "?limit=0").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_problem(
        list(&app, &alice, "?limit=abc").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn bad_query_parameters_are_400s() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    assert_problem(
        list(&app, &alice, "?cursor=garbage").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_problem(
        list(&app, &alice, "?parent_id=nope").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn listing_the_children_of_another_users_album_is_a_404() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let bobs = app.create_album(&bob, "Bob's", None).await;
    app.make_public(&bob, id_of(&bobs)).await;
    let response = list(&app, &alice, &format!("?parent_id={}", id_of(&bobs))).await;
    assert_problem(response, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn another_users_private_album_is_a_404_on_every_route() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let album = app.create_album(&alice, "Private", None).await;
    let path = format!("/albums/{}", id_of(&album));
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"name": "mine now"}))),
        (Method::DELETE, None),
    ] {
        let mut request = app.as_user(method.clone(), &path, &bob);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    // And nothing changed.
    let still: Value = app
        .get_as(Some(&alice), &path)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(still["name"], "Private");
}

#[tokio::test]
async fn a_missing_album_and_a_non_uuid_id_are_404s() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let missing = format!("/albums/{}", uuid::Uuid::now_v7());
    assert_problem(
        app.get_as(Some(&alice), &missing).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.get_as(Some(&alice), "/albums/not-a-uuid").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let response = app.delete_as(&alice, "/albums/not-a-uuid").await;
    assert_problem(response, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn without_credentials_private_or_missing_albums_are_401s() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.create_album(&alice, "Private", None).await;
    for path in [
        format!("/albums/{}", id_of(&album)),
        format!("/albums/{}", uuid::Uuid::now_v7()),
        "/albums".to_owned(),
    ] {
        assert_problem(app.get_as(None, &path).await, StatusCode::UNAUTHORIZED).await;
    }
    let create = app
        .request(Method::POST, "/albums")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect("request");
    assert_problem(create, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_public_album_is_readable_by_anyone_and_writable_only_by_its_owner() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let album = app.create_album(&alice, "Shared", None).await;
    let path = format!("/albums/{}", id_of(&album));
    app.make_public(&alice, id_of(&album)).await;

    let as_visitor: Value = app.get_as(None, &path).await.json().await.expect("json");
    assert_eq!(as_visitor["visibility"], "public");
    assert_eq!(app.get_as(Some(&bob), &path).await.status(), StatusCode::OK);

    let patch = app
        .patch_album(&bob, id_of(&album), &json!({"name": "taken"}))
        .await;
    assert_problem(patch, StatusCode::FORBIDDEN).await;
    let delete = app.delete_as(&bob, &path).await;
    assert_problem(delete, StatusCode::FORBIDDEN).await;
    let anonymous = app
        .request(Method::PATCH, &path)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect("request");
    assert_problem(anonymous, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn patch_renames_describes_and_changes_visibility() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.create_album(&alice, "Old", None).await;
    let response = app
        .patch_album(
            &alice,
            id_of(&album),
            &json!({"name": "New", "description": "d", "visibility": "public"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let patched: Value = response.json().await.expect("json");
    assert_eq!(patched["name"], "New");
    assert_eq!(patched["description"], "d");
    assert_eq!(patched["visibility"], "public");
    assert!(patched["updated_at"].as_str() > album["updated_at"].as_str());

    let cleared: Value = app
        .patch_album(&alice, id_of(&album), &json!({"description": null}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cleared["description"], Value::Null);
    assert_eq!(cleared["name"], "New", "fields left out stay as they were");
}

#[tokio::test]
async fn patch_field_rules_are_422s() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let album = app.create_album(&alice, "A", None).await;
    for (body, field) in [
        (json!({"visibility": "secret"}), "visibility"),
        (json!({"name": null}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"parent_id": "nope"}), "parent_id"),
    ] {
        let response = app.patch_album(&alice, id_of(&album), &body).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field], "{body}");
    }
}

#[tokio::test]
async fn albums_move_between_parents_and_back_to_the_top() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let a = app.create_album(&alice, "A", None).await;
    let b = app.create_album(&alice, "B", None).await;
    let moved: Value = app
        .patch_album(&alice, id_of(&b), &json!({"parent_id": id_of(&a)}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(moved["parent_id"], id_of(&a));
    assert_eq!(walk_all(&app, &alice, "", 50).await, ["A"]);
    let top: Value = app
        .patch_album(&alice, id_of(&b), &json!({"parent_id": null}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(top["parent_id"], Value::Null);
}

#[tokio::test]
async fn moving_an_album_under_itself_or_a_descendant_is_a_409() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let a = app.create_album(&alice, "A", None).await;
    let b = app.create_album(&alice, "B", Some(id_of(&a))).await;
    let c = app.create_album(&alice, "C", Some(id_of(&b))).await;
    for target in [&a, &b, &c] {
        let response = app
            .patch_album(&alice, id_of(&a), &json!({"parent_id": id_of(target)}))
            .await;
        assert_problem(response, StatusCode::CONFLICT).await;
    }
}

#[tokio::test]
async fn moving_under_another_users_album_is_a_422() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let mine = app.create_album(&alice, "Mine", None).await;
    let bobs = app.create_album(&bob, "Bob's", None).await;
    let response = app
        .patch_album(&alice, id_of(&mine), &json!({"parent_id": id_of(&bobs)}))
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["parent_id"]);
}

#[tokio::test]
async fn deleting_an_album_removes_it_and_its_sub_albums() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let a = app.create_album(&alice, "A", None).await;
    let b = app.create_album(&alice, "B", Some(id_of(&a))).await;
    let c = app.create_album(&alice, "C", Some(id_of(&b))).await;
    let keep = app.create_album(&alice, "Keep", None).await;
    let response = app
        .delete_as(&alice, &format!("/albums/{}", id_of(&a)))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for gone in [&a, &b, &c] {
        let response = app
            .get_as(Some(&alice), &format!("/albums/{}", id_of(gone)))
            .await;
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(
        app.get_as(Some(&alice), &format!("/albums/{}", id_of(&keep)))
            .await
            .status(),
        StatusCode::OK
    );
    let me: Value = app
        .get_as(Some(&alice), "/users/me")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["stats"]["albums"], 1);
}

#[tokio::test]
async fn a_parent_album_counts_its_trees_images_and_takes_the_trees_newest_thumb_as_cover() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let trips = app.album_id(&alice, "Trips").await;
    let rome = app.album_id_under(&alice, "Rome", Some(&trips)).await;
    let oslo = app.album_id_under(&alice, "Oslo", Some(&trips)).await;
    let old_town = app.album_id_under(&alice, "Old town", Some(&rome)).await;
    app.upload_one(&alice, &rome, "a.jpg", crate::pictures::photo_jpeg(40, 30))
        .await;
    app.upload_one(
        &alice,
        &old_town,
        "b.jpg",
        crate::pictures::photo_jpeg(40, 30),
    )
    .await;
    let newest = app
        .upload_one(&alice, &oslo, "c.jpg", crate::pictures::photo_jpeg(40, 30))
        .await;
    let album: Value = app
        .get_as(Some(&alice), &format!("/albums/{trips}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(album["image_count"], 0);
    assert_eq!(album["tree_image_count"], 3);
    assert_eq!(
        album["cover"]["url"]
            .as_str()
            .map(|u| u.contains(newest["id"].as_str().expect("id"))),
        Some(true),
        "{album}"
    );
    let rome: Value = app
        .get_as(Some(&alice), &format!("/albums/{rome}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            rome["image_count"].clone(),
            rome["tree_image_count"].clone()
        ),
        (json!(1), json!(2))
    );
}

#[tokio::test]
async fn a_visitor_of_a_public_parent_sees_only_its_public_subtree_in_counts_and_cover() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let trips = app.album_id(&alice, "Trips").await;
    let hidden = app.album_id_under(&alice, "Private", Some(&trips)).await;
    let shown = app.album_id_under(&alice, "Shown", Some(&trips)).await;
    for id in [&trips, &shown] {
        let made_public = app
            .as_user(Method::PATCH, &format!("/albums/{id}"), &alice)
            .json(&json!({"visibility": "public"}))
            .send()
            .await
            .expect("patch");
        assert_eq!(made_public.status(), StatusCode::OK);
    }
    app.upload_one(&alice, &shown, "a.jpg", crate::pictures::photo_jpeg(40, 30))
        .await;
    app.upload_one(
        &alice,
        &hidden,
        "secret.jpg",
        crate::pictures::photo_jpeg(40, 30),
    )
    .await;
    let seen: Value = app
        .get_as(None, &format!("/albums/{trips}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seen["tree_image_count"], 1, "{seen}");
    let owner: Value = app
        .get_as(Some(&alice), &format!("/albums/{trips}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(owner["tree_image_count"], 2);
}
