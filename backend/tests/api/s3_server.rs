//! One real S3-compatible server for the whole test run, one fresh bucket per test.
//!
//! The server is moto's standalone S3 server (installed by `scripts/setup` into
//! `target/test-tools`, or named by `ALBUMEN_TEST_MOTO_SERVER`), started on 127.0.0.1 on first
//! use with its state in `ALBUMEN_TEST_S3_DIR` (default `/tmp/albumen-test-s3-<uid>`) and left
//! running for the next test process; `scripts/test` stops it at the end.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use object_store::aws::AmazonS3Builder;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::test_db::lock;

pub const ACCESS_KEY: &str = "albumen-test";
pub const SECRET_KEY: &str = "albumen-test-secret";
pub const REGION: &str = "us-east-1";

static ENDPOINT: OnceLock<String> = OnceLock::new();

/// A bucket of its own on the shared test server.
#[derive(Clone, Debug)]
pub struct TestBucket {
    pub endpoint: String,
    pub name: String,
    /// The key prefix the app is told to store under (`s3://bucket/prefix`), if any.
    pub prefix: Option<String>,
}

impl TestBucket {
    pub async fn create() -> Self {
        Self::create_with_prefix(None).await
    }

    pub async fn create_with_prefix(prefix: Option<&str>) -> Self {
        let endpoint = ENDPOINT.get_or_init(start_or_reuse).clone();
        let name = format!("test-{}", uuid::Uuid::new_v4().simple());
        let created = reqwest::Client::new()
            .put(format!("{endpoint}/{name}"))
            .send()
            .await
            .expect("create a bucket");
        assert!(created.status().is_success(), "create bucket: {created:?}");
        Self {
            endpoint,
            name,
            prefix: prefix.map(str::to_owned),
        }
    }

    pub fn storage_url(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("s3://{}/{prefix}", self.name),
            None => format!("s3://{}", self.name),
        }
    }

    /// The `serve` flags that put an app's objects in this bucket.
    pub fn flags(&self) -> Vec<String> {
        [
            "--storage-url",
            &self.storage_url(),
            "--s3-endpoint",
            &self.endpoint,
            "--s3-region",
            REGION,
            "--s3-access-key-id",
            ACCESS_KEY,
            "--s3-secret-access-key",
            SECRET_KEY,
            "--s3-path-style",
            "true",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// The same settings as environment variables, for a server process.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ALBUMEN_STORAGE_URL", self.storage_url()),
            ("ALBUMEN_S3_ENDPOINT", self.endpoint.clone()),
            ("ALBUMEN_S3_REGION", REGION.into()),
            ("ALBUMEN_S3_ACCESS_KEY_ID", ACCESS_KEY.into()),
            ("ALBUMEN_S3_SECRET_ACCESS_KEY", SECRET_KEY.into()),
            ("ALBUMEN_S3_PATH_STYLE", "true".into()),
        ]
    }

    /// The test's own view of the bucket, to look at what the app stored.
    pub fn store(&self) -> Arc<dyn ObjectStore> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Arc::new(
            AmazonS3Builder::new()
                .with_endpoint(&self.endpoint)
                .with_allow_http(true)
                .with_bucket_name(&self.name)
                .with_region(REGION)
                .with_access_key_id(ACCESS_KEY)
                .with_secret_access_key(SECRET_KEY)
                .build()
                .expect("an S3 client for the test bucket"),
        )
    }

    /// Every key in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        futures_util::TryStreamExt::try_collect::<Vec<_>>(self.store().list(None))
            .await
            .expect("list the bucket")
            .into_iter()
            .map(|meta| meta.location.to_string())
            .collect()
    }

    /// Removes the bucket and whatever is in it, as an operator's mistake would.
    pub async fn destroy(&self) {
        let client = reqwest::Client::new();
        let store = self.store();
        let keys: Vec<_> = futures_util::TryStreamExt::try_collect::<Vec<_>>(store.list(None))
            .await
            .expect("list");
        for meta in keys {
            store.delete(&meta.location).await.expect("delete");
        }
        let deleted = client
            .delete(format!("{}/{}", self.endpoint, self.name))
            .send()
            .await
            .expect("delete the bucket");
        assert!(deleted.status().is_success(), "delete bucket: {deleted:?}");
    }
}

fn start_or_reuse() -> String {
    let dir = std::env::var_os("ALBUMEN_TEST_S3_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(format!("/tmp/albumen-test-s3-{}", nix::unistd::getuid()))
        });
    fs::create_dir_all(&dir).expect("create the S3 server directory");
    let _lock = lock(&dir.join("lock"));
    let port_file = dir.join("port");
    if let Some(port) = fs::read_to_string(&port_file)
        .ok()
        .and_then(|p| p.trim().parse().ok())
        && answers(port)
    {
        return endpoint(port);
    }
    let port = free_port();
    let log = fs::File::create(dir.join("server.log")).expect("server log");
    let mut command = Command::new(moto_server());
    command
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
    // Its own process group: it outlives this test process, for the next ones.
    command.process_group(0);
    #[allow(
        clippy::zombie_processes,
        reason = "left running on purpose for later test processes; scripts/test stops it"
    )]
    let child = command.spawn().expect("start the S3 test server");
    fs::write(dir.join("pid"), child.id().to_string()).expect("pid file");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !answers(port) {
        assert!(
            Instant::now() < deadline,
            "the S3 test server did not start; see {}",
            dir.join("server.log").display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    fs::write(&port_file, port.to_string()).expect("port file");
    endpoint(port)
}

fn moto_server() -> PathBuf {
    let path = std::env::var_os("ALBUMEN_TEST_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-tools/bin/moto_server")
        });
    assert!(
        path.is_file(),
        "no S3 test server at {}: run scripts/setup (it installs moto's server)",
        path.display()
    );
    path
}

fn endpoint(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

fn answers(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    )
    .is_ok()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A moto server of one test's own, so the test can freeze it (SIGSTOP: it accepts
/// connections and answers nothing, as a hung store does) without touching other tests.
pub struct PrivateS3 {
    child: std::process::Child,
    pub endpoint: String,
}

impl PrivateS3 {
    pub fn start() -> Self {
        let port = free_port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a private S3 server");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !answers(port) {
            assert!(
                Instant::now() < deadline,
                "the private S3 server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            endpoint: endpoint(port),
        }
    }

    pub async fn bucket(&self) -> TestBucket {
        let name = format!("test-{}", uuid::Uuid::new_v4().simple());
        let created = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("create a bucket");
        assert!(created.status().is_success(), "create bucket: {created:?}");
        TestBucket {
            endpoint: self.endpoint.clone(),
            name,
            prefix: None,
        }
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).expect("pid"));
        nix::sys::signal::kill(pid, signal).expect("signal the S3 server");
    }

    pub fn freeze(&self) {
        self.signal(nix::sys::signal::Signal::SIGSTOP);
    }

    pub fn thaw(&self) {
        self.signal(nix::sys::signal::Signal::SIGCONT);
    }
}

impl Drop for PrivateS3 {
    fn drop(&mut self) {
        self.thaw();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
