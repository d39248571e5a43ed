//! Operations: health, readiness, metrics, request ids, and errors actix raises itself.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_answers_200() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn readyz_is_200_with_the_database_and_503_without_it() {
    let app = spawn_app_with(&["--db-timeout", "1s"]).await;
    let ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert_eq!(ready.status(), StatusCode::OK);

    app.db.drop_now();
    let not_ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert!(not_ready.headers().contains_key("retry-after"));
    assert_problem(not_ready, StatusCode::SERVICE_UNAVAILABLE).await;
    // The API answers 503 too, and the process itself stays up.
    let register = app
        .register_raw("alice", "a@b.co", crate::helpers::PASSWORD)
        .await;
    assert_problem(register, StatusCode::SERVICE_UNAVAILABLE).await;
    let alive = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(alive.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_per_route_with_latency_histograms() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for _ in 0..3 {
        app.get_as(Some(&alice), &format!("/albums/{}", uuid::Uuid::now_v7()))
            .await;
    }
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    let counted = text.lines().find(|line| {
        line.starts_with("albumen_http_requests_total")
            && line.contains("endpoint=\"/api/v1/albums/{id}\"")
            && line.contains("status=\"404\"")
    });
    assert!(counted.is_some_and(|line| line.ends_with(" 3")), "{text}");
    assert!(
        text.contains("albumen_http_requests_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_the_callers() {
    let app = spawn_app().await;
    let generated = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert!(generated.headers().contains_key("x-request-id"));
    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .expect("request");
    assert_eq!(echoed.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_problems_too() {
    let app = spawn_app().await;
    let unknown = app
        .request(Method::GET, "/nothing/here")
        .send()
        .await
        .expect("request");
    assert_problem(unknown, StatusCode::NOT_FOUND).await;
    let wrong_method = app
        .request(Method::PUT, "/albums")
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
}
