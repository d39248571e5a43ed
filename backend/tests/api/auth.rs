//! Auth, as the contract states it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, assert_problem, error_fields, session_from, spawn_app, spawn_app_with,
};

#[tokio::test]
async fn register_with_json_returns_201_and_a_bearer_token_response() {
    let app = spawn_app().await;
    let response = app
        .register_raw("alice", "alice@example.com", PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3)
    );
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 32)
    );
    let user = &body["user"];
    assert_eq!(user["username"], "alice");
    assert_eq!(user["email"], "alice@example.com");
    assert!(
        user["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert_eq!(
        user["stats"],
        json!({"albums": 0, "images": 0, "bytes": 0,
               "trash": {"albums": 0, "images": 0, "bytes": 0}})
    );
    let id = user["id"].as_str().expect("id");
    assert_eq!(
        uuid::Uuid::parse_str(id).expect("uuid").get_version_num(),
        7
    );
}

#[tokio::test]
async fn register_accepts_a_urlencoded_form() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/auth/register")
        .form(&[
            ("username", "bob"),
            ("email", "bob@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn usernames_are_lowercased() {
    let app = spawn_app().await;
    let response = app
        .register_raw("ALICE", "alice@example.com", PASSWORD)
        .await;
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["user"]["username"], "alice");
    assert_eq!(app.login("Alice", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_taken_username_is_a_409_whatever_its_case() {
    let app = spawn_app().await;
    app.signup("alice").await;
    let response = app
        .register_raw("ALICE", "other@example.com", PASSWORD)
        .await;
    let problem = assert_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["username"]);
}

#[tokio::test]
async fn a_taken_email_is_a_409_whatever_its_case() {
    let app = spawn_app().await;
    app.signup("alice").await;
    let response = app
        .register_raw("alice2", "ALICE@Example.com", PASSWORD)
        .await;
    let problem = assert_problem(response, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["email"]);
}

#[tokio::test]
async fn registration_field_rules_are_422_naming_the_field() {
    let app = spawn_app().await;
    let long_password = "p".repeat(129);
    let cases = [
        (
            json!({"username": "ab", "email": "a@b.co", "password": PASSWORD}),
            "username",
            "too short",
        ),
        (
            json!({"username": "a".repeat(33), "email": "a@b.co", "password": PASSWORD}),
            "username",
            "too long",
        ),
        (
            json!({"username": "al ice", "email": "a@b.co", "password": PASSWORD}),
            "username",
            "space",
        ),
        (
            json!({"username": "alice", "email": "nope", "password": PASSWORD}),
            "email",
            "no @",
        ),
        (
            json!({"username": "alice", "email": "a@localhost", "password": PASSWORD}),
            "email",
            "undotted",
        ),
        (
            json!({"username": "alice", "email": "@b.co", "password": PASSWORD}),
            "email",
            "no local part",
        ),
        (
            json!({"username": "alice", "email": "a@b.co", "password": "short"}),
            "password",
            "too short",
        ),
        (
            json!({"username": "alice", "email": "a@b.co", "password": long_password}),
            "password",
            "too long",
        ),
        (
            json!({"email": "a@b.co", "password": PASSWORD}),
            "username",
            "missing",
        ),
        (
            json!({"username": 42, "email": "a@b.co", "password": PASSWORD}),
            "username",
            "wrong type",
        ),
    ];
    for (body, field, why) in cases {
        let response = app.post_json("/auth/register", &body).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field], "{why}");
    }
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/auth/register")
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .expect("request");
    assert_problem(response, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_body_that_is_neither_json_nor_a_form_is_a_415() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/auth/login")
        .header("content-type", "text/plain")
        .body("alice:secret")
        .send()
        .await
        .expect("request");
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn unknown_json_fields_are_ignored() {
    let app = spawn_app().await;
    let body =
        json!({"username": "alice", "email": "a@b.co", "password": PASSWORD, "shoe_size": 9});
    assert_eq!(
        app.post_json("/auth/register", &body).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn login_works_with_json_with_a_form_and_with_the_email() {
    let app = spawn_app().await;
    app.signup("alice").await;
    assert_eq!(app.login("alice", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(
        app.login("ALICE@EXAMPLE.COM", PASSWORD).await.status(),
        StatusCode::OK
    );
    let form = app
        .request(Method::POST, "/auth/login")
        .form(&[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(form.status(), StatusCode::OK);
    let body: Value = form.json().await.expect("json");
    assert_eq!(body["user"]["username"], "alice");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_401() {
    let app = spawn_app().await;
    app.signup("alice").await;
    let wrong_password = app.login("alice", "not the password").await;
    let unknown_user = app.login("nobody", "not the password").await;
    let wrong = assert_problem(wrong_password, StatusCode::UNAUTHORIZED).await;
    let unknown = assert_problem(unknown_user, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn ten_failures_block_the_pair_with_a_429_and_retry_after() {
    let app = spawn_app().await;
    app.signup("alice").await;
    for attempt in 1..=10 {
        let response = app.login("alice", "wrong password").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let blocked = app.login("alice", PASSWORD).await;
    let retry_after: u64 = blocked
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn the_pair_block_does_not_lock_out_another_username() {
    let app = spawn_app().await;
    app.signup("alice").await;
    app.signup("bob").await;
    for _ in 0..10 {
        app.login("alice", "wrong password").await;
    }
    assert_eq!(app.login("bob", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_throttle_key_is_the_identifier_as_sent_normalised() {
    let app = spawn_app().await;
    app.signup("alice").await;
    for _ in 0..10 {
        app.login("ALICE", "wrong password").await;
    }
    assert_eq!(
        app.login("alice", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // The e-mail is a different identifier.
    assert_eq!(
        app.login("alice@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_address_is_blocked_after_100_failures() {
    let app = spawn_app().await;
    app.signup("alice").await;
    for n in 0..100 {
        let response = app.login(&format!("user{n}"), "wrong password").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let blocked = app.login("alice", PASSWORD).await;
    assert!(blocked.headers().contains_key("retry-after"));
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn malformed_login_attempts_do_not_count_towards_the_throttle() {
    let app = spawn_app().await;
    app.signup("alice").await;
    for _ in 0..12 {
        let response = app
            .post_json("/auth/login", &json!({"username": "alice"}))
            .await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    assert_eq!(app.login("alice", PASSWORD).await.status(), StatusCode::OK);
}

async fn refresh(app: &crate::helpers::TestApp, token: &str) -> reqwest::Response {
    app.post_json("/auth/refresh", &json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn refresh_returns_a_new_pair_and_spends_the_old_token() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let response = refresh(&app, &alice.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let renewed = session_from(response.json().await.expect("json"));
    assert_ne!(renewed.refresh_token, alice.refresh_token);
    assert_eq!(renewed.id, alice.id);
    let me = app.get_as(Some(&renewed), "/users/me").await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_after_the_grace_revokes_that_login() {
    let app = spawn_app_with(&["--refresh-reuse-grace", "0"]).await;
    let alice = app.signup("alice").await;
    let renewed = session_from(
        refresh(&app, &alice.refresh_token)
            .await
            .json()
            .await
            .expect("json"),
    );
    assert_problem(
        refresh(&app, &alice.refresh_token).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // The thief's reuse also ends the legitimate holder's newer token of that login.
    assert_problem(
        refresh(&app, &renewed.refresh_token).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn refresh_tokens_are_stored_only_as_hashes() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        dump: String,
    }
    let rows: Vec<Stored> =
        diesel::sql_query("SELECT row_to_json(t)::text AS dump FROM refresh_tokens t")
            .load(&mut app.db.connect())
            .expect("query");
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].dump.contains(&alice.refresh_token));
}

#[tokio::test]
async fn an_unknown_refresh_token_is_a_401() {
    let app = spawn_app().await;
    assert_problem(refresh(&app, "made-up").await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn logout_ends_only_that_login() {
    let app = spawn_app().await;
    let laptop = app.signup("alice").await;
    let phone = session_from(
        app.login("alice", PASSWORD)
            .await
            .json()
            .await
            .expect("json"),
    );
    let response = app
        .post_json(
            "/auth/logout",
            &json!({"refresh_token": laptop.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        refresh(&app, &laptop.refresh_token).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(
        refresh(&app, &phone.refresh_token).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_with_an_unknown_or_spent_token_is_still_204() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    refresh(&app, &alice.refresh_token).await;
    for token in [alice.refresh_token.as_str(), "never-issued"] {
        let response = app
            .post_json("/auth/logout", &json!({"refresh_token": token}))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn me_shows_the_user_and_counts_nested_albums() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let top = app.create_album(&alice, "Trips", None).await;
    app.create_album(&alice, "Rome", top["id"].as_str()).await;
    let response = app.get_as(Some(&alice), "/users/me").await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.expect("json");
    assert_eq!(me["id"], alice.id.to_string());
    assert_eq!(me["username"], "alice");
    assert_eq!(me["stats"]["albums"], 2);
}

#[tokio::test]
async fn me_without_a_token_is_a_401() {
    let app = spawn_app().await;
    assert_problem(
        app.get_as(None, "/users/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn parallel_guesses_cannot_race_past_the_login_throttle() {
    let app = spawn_app().await;
    app.signup("alice").await;
    let guesses = (0..59).map(|_| app.login("alice", "wrong password"));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let blocked = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(wrong, 10, "only the limit's worth of guesses is checked");
    assert_eq!(blocked, 49);
    assert_eq!(
        app.login("alice", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the right password after the guesses is blocked too"
    );
}

#[tokio::test]
async fn twenty_clients_refreshing_one_token_at_once_all_get_the_same_successor_pair() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let attempts = (0..20).map(|_| refresh(&app, &alice.refresh_token));
    let answers = futures_util::future::join_all(attempts).await;
    let mut pairs = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::OK);
        let body: Value = answer.json().await.expect("json");
        pairs.push((body["access_token"].clone(), body["refresh_token"].clone()));
    }
    assert!(pairs.iter().all(|pair| *pair == pairs[0]), "{pairs:?}");
    let successor = session_from(
        refresh(&app, &alice.refresh_token)
            .await
            .json()
            .await
            .expect("json"),
    );
    assert_eq!(
        app.get_as(Some(&successor), "/users/me").await.status(),
        StatusCode::OK,
        "the login survives"
    );
    assert_eq!(
        refresh(&app, &successor.refresh_token).await.status(),
        StatusCode::OK,
        "and its successor refreshes"
    );
}

#[tokio::test]
async fn the_same_refresh_pair_is_given_again_within_the_grace() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let first: Value = refresh(&app, &alice.refresh_token)
        .await
        .json()
        .await
        .expect("json");
    let again: Value = refresh(&app, &alice.refresh_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["refresh_token"], again["refresh_token"]);
    assert_eq!(first["access_token"], again["access_token"]);
}
