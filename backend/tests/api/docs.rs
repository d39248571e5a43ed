//! API docs: the spec at /api/openapi.yaml, Redoc at /api/docs, its bundle from the static dir.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

fn header(response: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_spec_is_served_exactly_as_committed() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/openapi.yaml"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, CONTENT_TYPE),
        "application/yaml; charset=utf-8"
    );
    assert_eq!(header(&response, CACHE_CONTROL), "no-cache");
    let body = response.text().await.expect("body");
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml"),
    )
    .expect("openapi.yaml");
    assert_eq!(body, committed);
    let docs = yaml_rust2::YamlLoader::load_from_str(&body).expect("the spec parses");
    assert_eq!(docs[0]["openapi"].as_str(), Some("3.1.0"));
    assert!(!docs[0]["paths"]["/api/docs"]["get"].is_badvalue());
}

#[tokio::test]
async fn the_docs_page_renders_the_spec_with_the_local_bundle_only() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/docs"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "text/html; charset=utf-8");
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
    assert!(!csp.contains("http"), "no other origin is allowed: {csp}");
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"<redoc spec-url="openapi.yaml""#), "{html}");
    assert!(
        html.contains(r#"<script src="../api-docs/redoc.standalone.js"></script>"#),
        "{html}"
    );
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("//"));
    // Both relative references land on this server's routes.
    let page = url::Url::parse(&app.url("/api/docs")).expect("url");
    assert_eq!(
        page.join("openapi.yaml").expect("join").path(),
        "/api/openapi.yaml"
    );
    assert_eq!(
        page.join("../api-docs/redoc.standalone.js")
            .expect("join")
            .path(),
        "/api-docs/redoc.standalone.js"
    );
}

#[tokio::test]
async fn the_redoc_bundle_is_served_from_the_static_dir_beside_the_spa() {
    let static_dir = tempfile::tempdir().expect("static dir");
    std::fs::write(static_dir.path().join("index.html"), "<!doctype html>spa").expect("index");
    std::fs::create_dir(static_dir.path().join("api-docs")).expect("api-docs");
    let bundle = "/* redoc */ window.Redoc = {};";
    std::fs::write(
        static_dir.path().join("api-docs/redoc.standalone.js"),
        bundle,
    )
    .expect("bundle");
    let dir = static_dir.path().to_string_lossy().into_owned();
    let app = spawn_app_with(&["--static-dir", &dir]).await;

    let response = app
        .client
        .get(app.url("/api-docs/redoc.standalone.js"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, CONTENT_TYPE).contains("javascript"),
        "{}",
        header(&response, CONTENT_TYPE)
    );
    assert_eq!(response.text().await.expect("body"), bundle);

    // The docs routes win over the SPA, and the rest of /api stays a problem+json 404.
    let page = app
        .client
        .get(app.url("/api/docs"))
        .send()
        .await
        .expect("request");
    assert!(page.text().await.expect("body").contains("<redoc"));
    let unknown = app
        .client
        .get(app.url("/api/docs/nothing"))
        .send()
        .await
        .expect("request");
    assert_problem(unknown, StatusCode::NOT_FOUND).await;
}
