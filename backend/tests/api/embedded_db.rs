//! The real binary with no DATABASE_URL: it runs its own Postgres, keeps the data across
//! restarts, and stops it when it stops. Also: bad settings stop start-up with one clear line.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::kill;
use nix::unistd::Pid;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::PASSWORD;
use crate::server_process::ServerProcess;

const BINARY: &str = env!("CARGO_BIN_EXE_albumen");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    process: ServerProcess,
    base: String,
}

fn start(data_dir: &Path, port: u16) -> Server {
    let process = ServerProcess::spawn(
        Command::new(BINARY)
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("ALBUMEN_DATA_DIR", data_dir)
            .env("ALBUMEN_BIND", format!("127.0.0.1:{port}"))
            .env("ALBUMEN_BCRYPT_COST", "4")
            .env("ALBUMEN_LOG", "warn")
            .stdin(Stdio::null()),
    );
    Server {
        process,
        base: format!("http://127.0.0.1:{port}"),
    }
}

impl Server {
    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            assert!(!self.process.has_exited(), "albumen exited early");
            let ready = client.get(format!("{}/readyz", self.base)).send().await;
            if ready.is_ok_and(|r| r.status() == StatusCode::OK) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("albumen did not become ready");
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        self.process.terminate()
    }
}

fn postmaster_pid(data_dir: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(data_dir.join("postgres/postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

fn process_alive(pid: i32) -> bool {
    kill(Pid::from_raw(pid), None).is_ok()
}

#[tokio::test]
async fn the_embedded_database_starts_survives_a_restart_and_stops_with_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The postgres user must be able to enter the data directory.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data_dir = dir.path().join("data");
    let client = crate::helpers::http_client();
    let port = free_port();

    let mut first = start(&data_dir, port);
    first.wait_ready(&client).await;
    let register = client
        .post(format!("{}/api/v1/auth/register", first.base))
        .json(&json!({"username": "alice", "email": "alice@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("register");
    assert_eq!(register.status(), StatusCode::CREATED);
    let postgres = postmaster_pid(&data_dir).expect("postgres is running");
    assert!(process_alive(postgres));

    assert!(first.terminate().success(), "clean exit on SIGTERM");
    assert!(!process_alive(postgres), "postgres stopped with the server");

    let mut second = start(&data_dir, port);
    second.wait_ready(&client).await;
    let login = client
        .post(format!("{}/api/v1/auth/login", second.base))
        .json(&json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK, "data survived the restart");
    assert!(second.terminate().success());
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_the_variable() {
    let output = Command::new(BINARY)
        .env("ALBUMEN_BIND", "not-an-address")
        .output()
        .expect("run albumen");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ALBUMEN_BIND"), "{stderr}");
}
