//! Regressions from contract fuzzing (scripts/test-contract): each test is a request Schemathesis
//! found the server answering against openapi.yaml.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

fn fields_of(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

/// Was a 500: Postgres text cannot hold U+0000.
#[tokio::test]
async fn a_nul_character_in_any_text_field_is_a_422_not_a_500() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;

    let album = app
        .create_album_raw(&alice, &json!({"name": "Trips", "description": "a\u{0}b"}))
        .await;
    let problem = assert_problem(album, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["description"]);

    let made = app.create_album(&alice, "Trips", None).await;
    let id = made["id"].as_str().expect("id");
    let patch = app
        .patch_album(
            &alice,
            id,
            &json!({"name": "x\u{0}", "visibility": "public"}),
        )
        .await;
    let problem = assert_problem(patch, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["name"]);

    let login = app
        .request(Method::POST, "/auth/login")
        .form(&[("username", "al\u{0}ice"), ("password", "whatever1")])
        .send()
        .await
        .expect("request");
    let problem = assert_problem(login, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["username"]);

    let register = app
        .register_raw("bob", "bob@example.com", "pass\u{0}word")
        .await;
    let problem = assert_problem(register, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["password"]);
}

/// Was a 500: a forged images cursor with a time before 4713 BC reached Postgres.
#[tokio::test]
async fn a_forged_cursor_is_a_400_whatever_it_holds() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let forge = |value: Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let id = uuid::Uuid::now_v7();
    for cursor in [
        forge(json!({"t": -8_000_000_000_000_000_000_i64, "i": id})),
        forge(json!({"t": 8_000_000_000_000_000_000_i64, "i": id})),
    ] {
        let response = app
            .get_as(Some(&alice), &format!("/images?cursor={cursor}"))
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST).await;
    }
    let cursor = forge(json!({"k": "a\u{0}", "i": id}));
    let response = app
        .get_as(Some(&alice), &format!("/albums?cursor={cursor}"))
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST).await;
}

/// Was a 400: an integer beyond 64 bits is still an integer above 200.
#[tokio::test]
async fn a_huge_limit_is_clamped_and_a_hugely_negative_one_is_a_422() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let page = app
        .get_as(Some(&alice), "/albums?limit=256479786673972013170688")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = app
        .get_as(Some(&alice), "/images?limit=-256479786673972013170688")
        .await;
    assert_problem(page, StatusCode::UNPROCESSABLE_ENTITY).await;
}

/// Was a 200 (the empty value was dropped): `?parent_id=` is not a UUID.
#[tokio::test]
async fn an_empty_query_value_is_a_value_that_must_parse() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for query in ["/albums?parent_id=", "/albums?limit=", "/images?cursor="] {
        let response = app.get_as(Some(&alice), query).await;
        assert_problem(response, StatusCode::BAD_REQUEST).await;
    }
}

/// Was a 201/200 with the album at the top: in JSON, "" is not a UUID (null is how to say none).
#[tokio::test]
async fn an_empty_parent_id_in_json_is_a_422_while_a_form_may_mean_null() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let created = app
        .create_album_raw(&alice, &json!({"name": "Trips", "parent_id": ""}))
        .await;
    let problem = assert_problem(created, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["parent_id"]);

    let parent = app.create_album(&alice, "Parent", None).await;
    let child = app
        .create_album(&alice, "Child", parent["id"].as_str())
        .await;
    let child_id = child["id"].as_str().expect("id");
    let patched = app
        .patch_album(&alice, child_id, &json!({"parent_id": ""}))
        .await;
    assert_problem(patched, StatusCode::UNPROCESSABLE_ENTITY).await;

    let moved = app
        .as_user(Method::PATCH, &format!("/albums/{child_id}"), &alice)
        .form(&[("parent_id", "")])
        .send()
        .await
        .expect("request");
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.expect("album");
    assert_eq!(moved["parent_id"], Value::Null);
}

/// Was a 200: `grant_type`, when sent, must be "password"; null is not.
#[tokio::test]
async fn a_null_grant_type_is_refused() {
    let app = spawn_app().await;
    app.signup("alice").await;
    let response = app
        .post_json(
            "/auth/login",
            &json!({"username": "alice", "password": crate::helpers::PASSWORD, "grant_type": null}),
        )
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(fields_of(&problem), ["grant_type"]);
    let response = app
        .post_json(
            "/auth/login",
            &json!({"username": "alice", "password": crate::helpers::PASSWORD, "grant_type": "password"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Was a 404: /metrics is served by middleware, so other methods found no resource.
#[tokio::test]
async fn other_methods_on_metrics_are_405_with_allow_get() {
    let app = spawn_app().await;
    for method in [Method::POST, Method::TRACE, Method::DELETE] {
        let response = app
            .client
            .request(method.clone(), app.url("/metrics"))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok()),
            Some("GET"),
            "{method}"
        );
        assert_problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
    }
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request");
    assert_eq!(metrics.status(), StatusCode::OK);
    let body = metrics.text().await.expect("body");
    assert!(body.contains("albumen_http_requests_total"), "{body}");
}
