//! Access tokens that must not work: forged, `alg: none`, expired, malformed, wrong scheme.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

fn claims(user: &str, exp_offset: i64) -> Value {
    let now = Utc::now().timestamp();
    json!({"sub": user, "iat": now - 60, "exp": now + exp_offset, "jti": uuid::Uuid::new_v4(),
           "iss": "albumen", "aud": "albumen-api"})
}

fn sign(app: &TestApp, claims: &Value, alg: Algorithm) -> String {
    let secret = std::fs::read_to_string(app.secret_file()).expect("server secret");
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.trim().as_bytes()),
    )
    .expect("sign")
}

async fn me_with(app: &TestApp, authorization: &str) -> reqwest::Response {
    app.request(Method::GET, "/users/me")
        .header("authorization", authorization)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_token_signed_with_the_server_secret_works() {
    // The control for the tests below: our forging helper makes tokens the server accepts.
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let token = sign(&app, &claims(&alice.id.to_string(), 600), Algorithm::HS256);
    assert_eq!(
        me_with(&app, &format!("Bearer {token}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_expired_token_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let token = sign(&app, &claims(&alice.id.to_string(), -31), Algorithm::HS256);
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn a_forged_signature_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(&alice.id.to_string(), 600),
        &EncodingKey::from_secret(b"an attacker's guess at the secret!!"),
    )
    .expect("sign");
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn alg_none_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&alice.id.to_string(), 600).to_string());
    let token = format!("{header}.{payload}.");
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn another_algorithm_with_the_right_secret_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let token = sign(&app, &claims(&alice.id.to_string(), 600), Algorithm::HS384);
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn a_wrongly_typed_exp_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let mut c = claims(&alice.id.to_string(), 600);
    c["exp"] = json!("4102444800");
    let token = sign(&app, &c, Algorithm::HS256);
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn malformed_authorization_headers_are_401s() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    for header in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        "Bearer not.a.jwt".to_owned(),
        format!("Basic {}", alice.access_token),
        alice.access_token.clone(),
    ] {
        assert_problem(me_with(&app, &header).await, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let response = me_with(&app, &format!("bearer {}", alice.access_token)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn access_token_lifetime_is_configurable() {
    let app = crate::helpers::spawn_app_with(&["--access-token-ttl", "2"]).await;
    let alice = app.signup("alice").await;
    assert_eq!(
        me_with(&app, &format!("Bearer {}", alice.access_token))
            .await
            .status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let expired = me_with(&app, &format!("Bearer {}", alice.access_token)).await;
    assert_problem(expired, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_token_not_yet_valid_by_its_nbf_is_a_401() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let mut early = claims(&alice.id.to_string(), 600);
    early["nbf"] = json!(Utc::now().timestamp() + 300);
    let token = sign(&app, &early, Algorithm::HS256);
    assert_problem(
        me_with(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn a_valid_token_of_a_user_that_no_longer_exists_is_a_401_on_every_route() {
    let app = spawn_app().await;
    let ghost = uuid::Uuid::now_v7().to_string();
    let token = format!(
        "Bearer {}",
        sign(&app, &claims(&ghost, 600), Algorithm::HS256)
    );
    let album = uuid::Uuid::now_v7();
    let routes = [
        (Method::GET, "/users/me".to_owned()),
        (Method::GET, "/albums".to_owned()),
        (Method::POST, "/albums".to_owned()),
        (Method::GET, "/images".to_owned()),
        (Method::GET, format!("/albums/{album}")),
        (Method::GET, format!("/albums/{album}/images")),
    ];
    for (method, path) in routes {
        let response = app
            .request(method.clone(), &path)
            .header("authorization", &token)
            .json(&json!({"name": "Trips"}))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
}
