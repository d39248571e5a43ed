//! Two API processes over one Postgres and one S3 bucket behave as one service: whatever one
//! replica knows, the other knows too.

use std::process::{Command, Stdio};

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::crash::wait_ready;
use crate::helpers::{PASSWORD, Session, http_client, session_from};
use crate::pictures;
use crate::s3_server::TestBucket;
use crate::server_process::ServerProcess;
use crate::test_db::TestDatabase;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");
const SHARED_SECRET: &str = "replicas-share-this-secret-of-at-least-32-bytes";

struct Replica {
    base: String,
    client: Client,
    _process: ServerProcess,
    _data_dir: tempfile::TempDir,
}

impl Replica {
    async fn start(db: &TestDatabase, bucket: &TestBucket) -> Self {
        let data_dir = tempfile::tempdir().expect("data dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let mut command = Command::new(BINARY);
        command
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("ALBUMEN_DATA_DIR", data_dir.path())
            .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
            .env("ALBUMEN_JWT_SECRET", SHARED_SECRET)
            .env("ALBUMEN_BCRYPT_COST", "4")
            .env("ALBUMEN_LOG", "warn")
            .envs(bucket.env())
            .stdin(Stdio::null());
        let process = ServerProcess::spawn(&mut command);
        let base = format!("http://127.0.0.1:{port}");
        let client = http_client();
        wait_ready(&client, &base).await;
        Self {
            base,
            client,
            _process: process,
            _data_dir: data_dir,
        }
    }

    fn api(&self, method: Method, path: &str, user: Option<&Session>) -> RequestBuilder {
        let request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base));
        match user {
            Some(user) => request.bearer_auth(&user.access_token),
            None => request,
        }
    }

    async fn send(&self, method: Method, path: &str, user: Option<&Session>) -> Response {
        self.api(method, path, user).send().await.expect("request")
    }

    async fn login(&self, password: &str) -> Response {
        self.api(Method::POST, "/auth/login", None)
            .json(&json!({"username": "alice", "password": password}))
            .send()
            .await
            .expect("login")
    }

    /// The same URL, aimed at this replica.
    fn here(&self, url: &str) -> String {
        let path = url.find("/api/").map_or(url, |at| &url[at..]);
        format!("{}{path}", self.base)
    }
}

async fn json_of(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.expect("json")
}

#[tokio::test]
async fn two_replicas_over_one_database_and_bucket_act_as_one_service() {
    let db = TestDatabase::create();
    let bucket = TestBucket::create().await;
    let (a, b) = tokio::join!(Replica::start(&db, &bucket), Replica::start(&db, &bucket));

    let registered = a
        .api(Method::POST, "/auth/register", None)
        .json(&json!({"username": "alice", "email": "alice@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("register on A");
    assert_eq!(registered.status(), StatusCode::CREATED);
    let on_b = session_from(json_of(b.login(PASSWORD).await, StatusCode::OK).await);

    // A token minted by B is good on A: both sign with the shared secret.
    let album = a
        .api(Method::POST, "/albums", Some(&on_b))
        .json(&json!({"name": "Shared"}))
        .send()
        .await
        .expect("album on A");
    let album = json_of(album, StatusCode::CREATED).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pictures::photo_jpeg(320, 240)).file_name("a.jpg"),
    );
    let uploaded = a
        .api(
            Method::POST,
            &format!("/albums/{album}/images"),
            Some(&on_b),
        )
        .multipart(form)
        .send()
        .await
        .expect("upload via A");
    let image = json_of(uploaded, StatusCode::CREATED).await["images"][0].clone();
    let id = image["id"].as_str().expect("id");
    assert_eq!(bucket.keys().await.len(), 5);

    let read = json_of(
        b.send(Method::GET, &format!("/images/{id}"), Some(&on_b))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["sha256"], image["sha256"]);
    let signed_by_a = image["variants"]["medium"]["url"].as_str().expect("url");
    let via_b = b
        .client
        .get(b.here(signed_by_a))
        .send()
        .await
        .expect("fetch");
    assert_eq!(
        via_b.status(),
        StatusCode::OK,
        "A's signature opens B's content"
    );

    let deleted = b
        .send(
            Method::DELETE,
            &format!("/images/{id}?permanent=true"),
            Some(&on_b),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        a.send(Method::GET, &format!("/images/{id}"), Some(&on_b))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let gone = a.client.get(signed_by_a).send().await.expect("fetch");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert!(bucket.keys().await.is_empty(), "B deleted the objects");
}

#[tokio::test]
async fn login_throttling_counts_failures_on_every_replica() {
    let db = TestDatabase::create();
    let bucket = TestBucket::create().await;
    let (a, b) = tokio::join!(Replica::start(&db, &bucket), Replica::start(&db, &bucket));
    let registered = a
        .api(Method::POST, "/auth/register", None)
        .json(&json!({"username": "alice", "email": "alice@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), StatusCode::CREATED);

    for attempt in 0..10 {
        let replica = if attempt % 2 == 0 { &a } else { &b };
        assert_eq!(
            replica.login("wrong password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    for replica in [&a, &b] {
        let throttled = replica.login(PASSWORD).await;
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(throttled.headers().contains_key("retry-after"));
    }
}
