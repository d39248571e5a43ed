//! What only S3 storage does: keys under a prefix, readiness of the bucket, presigned redirects.

use albumen::config::{Cli, Command};
use albumen::startup::Application;
use clap::Parser;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{
    Backend, Session, TestApp, assert_problem, spawn_app_in, spawn_app_on, spawn_app_on_with,
};
use crate::pictures;
use crate::s3_server::TestBucket;
use crate::test_db::TestDatabase;

async fn a_photo_of_alices(app: &TestApp, source: Vec<u8>) -> (Session, Value) {
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "Photos").await;
    let image = app.upload_one(&alice, &album, "a.jpg", source).await;
    (alice, image)
}

fn variant_url(image: &Value, size: &str) -> String {
    image["variants"][size]["url"]
        .as_str()
        .expect("variant url")
        .to_owned()
}

#[tokio::test]
async fn objects_live_under_the_storage_urls_prefix() {
    let bucket = TestBucket::create_with_prefix(Some("tenants/a")).await;
    let app = spawn_app_in(Some(bucket.clone()), &[]).await;
    let (_, image) = a_photo_of_alices(&app, pictures::photo_jpeg(120, 80)).await;

    let keys = bucket.keys().await;
    assert_eq!(keys.len(), 5, "{keys:?}");
    let id = image["id"].as_str().expect("id");
    for key in keys {
        assert!(key.starts_with(&format!("tenants/a/images/{id}/")), "{key}");
    }
    assert_eq!(
        app.fetch(&variant_url(&image, "thumb")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn readyz_is_503_when_the_bucket_is_gone_and_uploads_fail_cleanly() {
    let app = spawn_app_on(Backend::S3).await;
    let alice = app.signup("alice").await;
    let album = app.album_id(&alice, "Photos").await;
    let ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert_eq!(ready.status(), StatusCode::OK);

    app.bucket.as_ref().expect("a bucket").destroy().await;
    let not_ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert_problem(not_ready, StatusCode::SERVICE_UNAVAILABLE).await;
    let upload = app
        .upload(
            &alice,
            &album,
            vec![("a.jpg", pictures::photo_jpeg(64, 64))],
        )
        .await;
    assert_problem(upload, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(app.count_rows("images"), 0, "no row without its objects");
    let alive = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(alive.status(), StatusCode::OK);
}

#[tokio::test]
async fn redirect_delivery_answers_302_to_a_presigned_url_that_serves_the_bytes() {
    let app = spawn_app_on_with(Backend::S3, &["--content-delivery", "redirect"]).await;
    let source = pictures::photo_jpeg(200, 150);
    let (_, image) = a_photo_of_alices(&app, source.clone()).await;

    let response = app.fetch(&variant_url(&image, "original")).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let endpoint = &app.bucket.as_ref().expect("a bucket").endpoint;
    assert!(location.starts_with(endpoint.as_str()), "{location}");
    assert!(location.contains("X-Amz-Signature="), "{location}");

    let direct = app
        .client
        .get(&location)
        .send()
        .await
        .expect("presigned get");
    assert_eq!(direct.status(), StatusCode::OK);
    assert_eq!(
        direct.bytes().await.expect("bytes").as_ref(),
        source.as_slice()
    );
    let ranged = app
        .client
        .get(&location)
        .header("range", "bytes=0-9")
        .send()
        .await
        .expect("presigned range");
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.bytes().await.expect("bytes").as_ref(), &source[..10]);
}

#[tokio::test]
async fn redirect_delivery_still_checks_access_first() {
    let app = spawn_app_on_with(Backend::S3, &["--content-delivery", "redirect"]).await;
    let (_, image) = a_photo_of_alices(&app, pictures::photo_jpeg(64, 64)).await;
    let id = image["id"].as_str().expect("id");
    assert_problem(
        app.get_as(None, &format!("/images/{id}/content/large"))
            .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let bob = app.signup("bob").await;
    assert_problem(
        app.as_user(Method::GET, &format!("/images/{id}/content/large"), &bob)
            .send()
            .await
            .expect("request"),
        StatusCode::NOT_FOUND,
    )
    .await;
    let tampered = variant_url(&image, "large").replace("sig=", "sig=0");
    assert_problem(app.fetch(&tampered).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn redirect_delivery_on_local_files_is_refused_at_start() {
    let db = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("data dir");
    let cli = Cli::try_parse_from([
        "albumen",
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        &data_dir.path().to_string_lossy(),
        "--content-delivery",
        "redirect",
    ])
    .expect("settings parse");
    let Some(Command::Serve(settings)) = cli.command else {
        unreachable!("serve was asked for");
    };
    let Err(error) = Application::build(&settings, &db.url).await else {
        panic!("redirect delivery over local files must not start");
    };
    assert!(
        error.to_string().contains("ALBUMEN_CONTENT_DELIVERY"),
        "{error}"
    );
}
