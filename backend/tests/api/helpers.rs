//! `spawn_app()`: the real application on a random port, over its own fresh database, with
//! typed helpers so each test's setup is a line or two.

use std::path::PathBuf;

use std::sync::Arc;

use albumen::config::Cli;
use albumen::startup::Application;
use albumen::storage::Storage;
use clap::Parser;
use object_store::ObjectStore;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;
use uuid::Uuid;

use crate::s3_server::TestBucket;
use crate::test_db::TestDatabase;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub data_dir: TempDir,
    pub db: TestDatabase,
    /// The S3 bucket the app stores into, when it runs on S3.
    pub bucket: Option<TestBucket>,
}

/// Where an app under test keeps its objects.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Files,
    S3,
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub access_token: String,
    pub refresh_token: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Extra `--flag value` settings on top of the test defaults.
pub async fn spawn_app_with(extra: &[&str]) -> TestApp {
    spawn_app_on_with(Backend::Files, extra).await
}

pub async fn spawn_app_on(backend: Backend) -> TestApp {
    spawn_app_on_with(backend, &[]).await
}

/// The app on local files or on a fresh bucket of the test S3 server, with extra settings.
pub async fn spawn_app_on_with(backend: Backend, extra: &[&str]) -> TestApp {
    let bucket = match backend {
        Backend::Files => None,
        Backend::S3 => Some(TestBucket::create().await),
    };
    spawn_app_in(bucket, extra).await
}

/// The app over this bucket (or local files without one).
pub async fn spawn_app_in(bucket: Option<TestBucket>, extra: &[&str]) -> TestApp {
    let db = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("data dir");
    start(db, data_dir, extra, None, bucket).await
}

/// The app over an object store the test controls (to inject faults).
pub async fn spawn_app_with_store(
    store: impl FnOnce(&std::path::Path) -> Arc<dyn ObjectStore>,
) -> TestApp {
    let db = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("data dir");
    let storage = Storage::new(store(&data_dir.path().join("objects")));
    start(db, data_dir, &[], Some(storage), None).await
}

impl TestApp {
    /// A fresh process's view: a new instance of the app over the same database and files
    /// (the old one keeps running, as another replica would).
    pub async fn restart(self) -> TestApp {
        self.restart_with(&[]).await
    }

    /// `restart`, with other settings.
    pub async fn restart_with(self, extra: &[&str]) -> TestApp {
        start(self.db, self.data_dir, extra, None, self.bucket).await
    }
}

async fn start(
    db: TestDatabase,
    data_dir: TempDir,
    extra: &[&str],
    storage: Option<Storage>,
    bucket: Option<TestBucket>,
) -> TestApp {
    let data_dir_arg = data_dir.path().to_string_lossy().into_owned();
    let bucket_flags = bucket.as_ref().map(TestBucket::flags).unwrap_or_default();
    let mut args = vec![
        "albumen",
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--data-dir",
        &data_dir_arg,
        "--database-url",
        &db.url,
        "--bcrypt-cost",
        "4",
        "--workers",
        "2",
        "--db-pool-size",
        "8",
    ];
    args.extend(bucket_flags.iter().map(String::as_str));
    // WebP/AVIF jobs would add objects and jobs under every other test's counts (and CPU):
    // only the tests about renditions ask for them.
    if !extra.contains(&"--renditions") {
        args.extend_from_slice(&["--renditions", ""]);
    }
    args.extend_from_slice(extra);
    let cli = Cli::try_parse_from(args).expect("test settings parse");
    let Some(albumen::config::Command::Serve(settings)) = cli.command else {
        unreachable!("serve was asked for");
    };
    let app = Application::build_with_storage(&settings, &db.url, storage)
        .await
        .expect("the application builds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: http_client(),
        data_dir,
        db,
        bucket,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn api(&self, path: &str) -> String {
        self.url(&format!("/api/v1{path}"))
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.api(path))
    }

    pub fn as_user(&self, method: Method, path: &str, user: &Session) -> RequestBuilder {
        self.request(method, path).bearer_auth(&user.access_token)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub fn secret_file(&self) -> PathBuf {
        self.data_dir.path().join("jwt-secret")
    }

    pub async fn register_raw(&self, username: &str, email: &str, password: &str) -> Response {
        self.post_json(
            "/auth/register",
            &json!({"username": username, "email": email, "password": password}),
        )
        .await
    }

    /// Registers `username` (e-mail `<username>@example.com`) and returns the session.
    pub async fn signup(&self, username: &str) -> Session {
        let response = self
            .register_raw(username, &format!("{username}@example.com"), PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "signup {username}");
        session_from(response.json().await.expect("token response"))
    }

    pub async fn login(&self, identifier: &str, password: &str) -> Response {
        self.post_json(
            "/auth/login",
            &json!({"username": identifier, "password": password}),
        )
        .await
    }

    pub async fn create_album(&self, user: &Session, name: &str, parent: Option<&str>) -> Value {
        let response = self
            .create_album_raw(user, &json!({"name": name, "parent_id": parent}))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create album {name}"
        );
        response.json().await.expect("album")
    }

    pub async fn create_album_raw(&self, user: &Session, body: &Value) -> Response {
        self.as_user(Method::POST, "/albums", user)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_album(&self, user: &Session, id: &str, body: &Value) -> Response {
        self.as_user(Method::PATCH, &format!("/albums/{id}"), user)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_as(&self, user: &Session, path: &str, body: &Value) -> Response {
        self.as_user(Method::POST, path, user)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// GETs `path` as `user`, which must answer 200 with JSON.
    pub async fn json_as(&self, user: Option<&Session>, path: &str) -> Value {
        let response = self.get_as(user, path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("json")
    }

    pub async fn delete_as(&self, user: &Session, path: &str) -> Response {
        self.as_user(Method::DELETE, path, user)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_as(&self, user: Option<&Session>, path: &str) -> Response {
        let request = self.request(Method::GET, path);
        let request = match user {
            Some(user) => request.bearer_auth(&user.access_token),
            None => request,
        };
        request.send().await.expect("request")
    }

    pub async fn make_public(&self, user: &Session, album_id: &str) {
        let response = self
            .patch_album(user, album_id, &json!({"visibility": "public"}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

/// Idle connections are dropped well before the server's 5 s keep-alive closes them, so a
/// request never goes out on a connection the server is closing.
pub fn http_client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client")
}

pub fn session_from(body: Value) -> Session {
    Session {
        id: body["user"]["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("user id"),
        access_token: body["access_token"]
            .as_str()
            .expect("access token")
            .to_owned(),
        refresh_token: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}

/// Asserts an RFC 9457 problem with this status, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    if status == StatusCode::UNAUTHORIZED {
        let challenge = response
            .headers()
            .get("www-authenticate")
            .expect("WWW-Authenticate");
        assert!(challenge.to_str().expect("ascii").starts_with("Bearer"));
    }
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    for member in ["type", "title", "detail"] {
        assert!(body[member].is_string(), "problem lacks {member}: {body}");
    }
    body
}

/// The fields named in a 422's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A file for an upload: its name and bytes.
pub type File<'a> = (&'a str, Vec<u8>);

impl TestApp {
    /// Uploads `files` as parts named `file` into `album`.
    pub async fn upload(&self, user: &Session, album: &str, files: Vec<File<'_>>) -> Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, bytes) in files {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        self.as_user(Method::POST, &format!("/albums/{album}/images"), user)
            .multipart(form)
            .send()
            .await
            .expect("upload request")
    }

    /// Uploads one file that must be stored; returns the Image.
    pub async fn upload_one(
        &self,
        user: &Session,
        album: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Value {
        let response = self.upload(user, album, vec![(name, bytes)]).await;
        assert_eq!(response.status(), StatusCode::CREATED, "upload {name}");
        let body: Value = response.json().await.expect("upload answer");
        assert_eq!(body["rejected"], json!([]), "{body}");
        body["images"][0].clone()
    }

    /// A new album of `user`'s, returning its id.
    pub async fn album_id(&self, user: &Session, name: &str) -> String {
        self.album_id_under(user, name, None).await
    }

    /// A new album inside `parent` (or at the top), by id.
    pub async fn album_id_under(&self, user: &Session, name: &str, parent: Option<&str>) -> String {
        self.create_album(user, name, parent).await["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// Fetches an absolute URL, as an `<img>` tag would: no header.
    pub async fn fetch(&self, url: &str) -> Response {
        self.client.get(url).send().await.expect("fetch")
    }

    pub async fn fetch_bytes(&self, url: &str) -> Vec<u8> {
        let response = self.fetch(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        response.bytes().await.expect("bytes").to_vec()
    }

    /// Objects the app has stored, on whichever backend it runs.
    pub async fn stored_objects(&self) -> usize {
        match &self.bucket {
            Some(bucket) => bucket.keys().await.len(),
            None => self.stored_files(),
        }
    }

    /// Regular files under the data directory's object store.
    pub fn stored_files(&self) -> usize {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| {
                            let path = e.path();
                            if path.is_dir() { count(&path) } else { 1 }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        count(&self.data_dir.path().join("objects"))
    }

    /// Rows in a table of the app's database.
    pub fn count_rows(&self, table: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result(&mut self.db.connect())
            .expect("count");
        count.n
    }
}
