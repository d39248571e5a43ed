//! A private Postgres run from the installed server binaries, for when no `DATABASE_URL` is
//! given (and for the test harness).
//!
//! The cluster lives in `<data dir>/postgres` and listens only on a Unix socket in that same
//! directory. It is created on first run and reused afterwards. Postgres refuses to run as root,
//! so when we are root it runs as the `postgres` system user, which then owns the cluster.
//!
//! No crate did this without downloading binaries (postgresql_embedded, pg-embed) or without
//! refusing root (pgtemp), so this is our own ~300 lines over `initdb` and `postgres`.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User};

pub const SUPERUSER: &str = "albumen";
pub const DATABASE: &str = "albumen";
const PORT: u16 = 5432;
const CLUSTER_DIR: &str = "postgres";

/// Where the cluster of a data directory lives (and its socket listens).
pub fn cluster_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(CLUSTER_DIR)
}
const LOG_FILE: &str = "postgres.log";
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
/// `sun_path` is 108 bytes on Linux, including the trailing NUL.
const MAX_SOCKET_PATH: usize = 107;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no DATABASE_URL is set and the PostgreSQL server binaries (initdb, postgres) are not on PATH \
         or under /usr/lib/postgresql/*/bin: install PostgreSQL (e.g. apt-get install postgresql) \
         or set DATABASE_URL"
    )]
    BinariesMissing,
    #[error(
        "running as root, the embedded Postgres needs the unprivileged `postgres` system user, which \
         does not exist: create it, run Albumen as another user, or set DATABASE_URL"
    )]
    NoUnprivilegedUser,
    #[error(
        "the `{user}` user that runs the embedded Postgres cannot reach {path}: choose an \
         ALBUMEN_DATA_DIR it can enter (not under /root), or set DATABASE_URL"
    )]
    Unreachable { user: String, path: PathBuf },
    #[error(
        "the data directory path {0} is too long for a Postgres socket; choose a shorter ALBUMEN_DATA_DIR"
    )]
    PathTooLong(PathBuf),
    #[error(
        "{path} exists but is not a Postgres cluster; move it away or choose another ALBUMEN_DATA_DIR"
    )]
    NotACluster { path: PathBuf },
    #[error("initdb failed: {0}")]
    Initdb(String),
    #[error("the embedded Postgres did not start: {0}")]
    Start(String),
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let path = path.to_path_buf();
    move |source| EmbeddedError::Io {
        action,
        path,
        source,
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// fsync off and friends: for throwaway test clusters only.
    pub unsafe_fast: bool,
    /// Stop Postgres when the thread that started it dies, even by SIGKILL.
    pub die_with_parent: bool,
}

/// Who the server runs as: ourselves, or (when we are root) an unprivileged user.
#[derive(Debug, Clone)]
struct RunAs {
    name: String,
    ids: Option<(Uid, Gid)>,
}

impl RunAs {
    fn detect() -> Result<Self, EmbeddedError> {
        if !Uid::effective().is_root() {
            let name = User::from_uid(Uid::effective())
                .ok()
                .flatten()
                .map_or_else(|| "current".to_owned(), |u| u.name);
            return Ok(Self { name, ids: None });
        }
        let user = User::from_name("postgres")
            .ok()
            .flatten()
            .ok_or(EmbeddedError::NoUnprivilegedUser)?;
        Ok(Self {
            name: user.name,
            ids: Some((user.uid, user.gid)),
        })
    }

    fn apply(&self, command: &mut Command) {
        if let Some((uid, gid)) = self.ids {
            command
                .uid(uid.as_raw())
                .gid(gid.as_raw())
                .env("USER", &self.name);
        }
    }

    fn own(&self, path: &Path) -> Result<(), EmbeddedError> {
        if let Some((uid, gid)) = self.ids {
            nix::unistd::chown(path, Some(uid), Some(gid))
                .map_err(|e| io_error("cannot hand over", path)(e.into()))?;
        }
        Ok(())
    }

    /// Whether this user may enter every directory down to `path`.
    fn can_reach(&self, path: &Path) -> bool {
        let Some((uid, gid)) = self.ids else {
            return true;
        };
        path.ancestors().all(|dir| match fs::metadata(dir) {
            Ok(meta) => {
                let mode = meta.permissions().mode();
                if meta.uid() == uid.as_raw() {
                    mode & 0o100 != 0
                } else if meta.gid() == gid.as_raw() {
                    mode & 0o010 != 0
                } else {
                    mode & 0o001 != 0
                }
            }
            Err(_) => true,
        })
    }
}

struct Binaries {
    initdb: PathBuf,
    postgres: PathBuf,
}

impl Binaries {
    fn find() -> Result<Self, EmbeddedError> {
        Self::find_in(Self::search_path())
    }

    /// PATH first, then Debian's versioned directories, newest first.
    fn search_path() -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect())
            .unwrap_or_default();
        let mut versioned: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
            .map(|entries| entries.flatten().map(|e| e.path().join("bin")).collect())
            .unwrap_or_default();
        // Newest major version first.
        versioned.sort_by_key(|dir| {
            std::cmp::Reverse(
                dir.parent()
                    .and_then(|p| p.file_name())
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.parse::<u32>().ok())
                    .unwrap_or(0),
            )
        });
        dirs.extend(versioned);
        dirs
    }

    fn find_in(dirs: Vec<PathBuf>) -> Result<Self, EmbeddedError> {
        dirs.into_iter()
            .map(|dir| Self {
                initdb: dir.join("initdb"),
                postgres: dir.join("postgres"),
            })
            .find(|b| is_executable(&b.initdb) && is_executable(&b.postgres))
            .ok_or(EmbeddedError::BinariesMissing)
    }
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A running private Postgres. Stops when dropped (or call `stop` to see errors).
pub struct EmbeddedPostgres {
    cluster: PathBuf,
    child: Option<Child>,
}

impl EmbeddedPostgres {
    /// Starts (creating on first use) the cluster under `data_dir/postgres` and makes sure the
    /// `albumen` database exists.
    pub fn start(data_dir: &Path, options: Options) -> Result<Self, EmbeddedError> {
        let binaries = Binaries::find()?;
        let run_as = RunAs::detect()?;
        fs::create_dir_all(data_dir).map_err(io_error("cannot create", data_dir))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_error("cannot resolve", data_dir))?;
        if !run_as.can_reach(&data_dir) {
            return Err(EmbeddedError::Unreachable {
                user: run_as.name,
                path: data_dir,
            });
        }
        let cluster = cluster_dir(&data_dir);
        if cluster.join(format!(".s.PGSQL.{PORT}")).as_os_str().len() > MAX_SOCKET_PATH {
            return Err(EmbeddedError::PathTooLong(cluster));
        }
        if !cluster.join("PG_VERSION").exists() {
            init_cluster(&binaries, &run_as, &data_dir, &cluster, options)?;
        }
        let child = spawn_server(&binaries, &run_as, &data_dir, &cluster, options)?;
        let mut server = Self {
            cluster,
            child: Some(child),
        };
        server.wait_until_ready(&data_dir.join(LOG_FILE))?;
        server.ensure_database(DATABASE)?;
        tracing::info!(postgres.dir = %server.cluster.display(), "embedded Postgres is ready");
        Ok(server)
    }

    /// A libpq connection string for `database` over the private socket.
    pub fn url(&self, database: &str) -> String {
        connection_string(&self.cluster, database)
    }

    pub fn cluster_dir(&self) -> &Path {
        &self.cluster
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    fn wait_until_ready(&mut self, log: &Path) -> Result<(), EmbeddedError> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                return Err(EmbeddedError::Start(format!(
                    "postgres exited with {status}; its log ends with: {}",
                    log_tail(log)
                )));
            }
            if PgConnection::establish(&self.url("postgres")).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(EmbeddedError::Start(format!(
                    "not accepting connections after {START_TIMEOUT:?}; its log ends with: {}",
                    log_tail(log)
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn ensure_database(&self, name: &str) -> Result<(), EmbeddedError> {
        let mut conn = PgConnection::establish(&self.url("postgres"))
            .map_err(|e| EmbeddedError::Start(e.to_string()))?;
        let found: Exists = diesel::sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS found",
        )
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result(&mut conn)
        .map_err(|e| EmbeddedError::Start(e.to_string()))?;
        if !found.found {
            diesel::sql_query(format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut conn)
                .map_err(|e| EmbeddedError::Start(e.to_string()))?;
        }
        Ok(())
    }

    /// Fast shutdown (SIGINT): clients are disconnected, data is checkpointed.
    pub fn stop(mut self) -> Result<(), EmbeddedError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), EmbeddedError> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
        for (signal, grace) in [
            (Signal::SIGINT, STOP_TIMEOUT),
            (Signal::SIGQUIT, Duration::from_secs(5)),
            (Signal::SIGKILL, Duration::from_secs(5)),
        ] {
            let _ = kill(pid, signal);
            let deadline = Instant::now() + grace;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    tracing::info!("embedded Postgres stopped");
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Err(EmbeddedError::Start("postgres would not stop".into()))
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown() {
            tracing::error!(error = %e, "stopping the embedded Postgres failed");
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    found: bool,
}

/// libpq's key=value form: no percent-encoding of the socket path needed.
pub fn connection_string(socket_dir: &Path, database: &str) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    format!(
        "host={} port={PORT} user={SUPERUSER} dbname={}",
        quote(&socket_dir.to_string_lossy()),
        quote(database)
    )
}

/// initdb into a scratch directory, renamed into place only when complete, so a crash
/// mid-way never leaves a half-made cluster behind.
fn init_cluster(
    binaries: &Binaries,
    run_as: &RunAs,
    data_dir: &Path,
    cluster: &Path,
    options: Options,
) -> Result<(), EmbeddedError> {
    if cluster.exists() {
        let empty = fs::read_dir(cluster)
            .map_err(io_error("cannot read", cluster))?
            .next()
            .is_none();
        if !empty {
            return Err(EmbeddedError::NotACluster {
                path: cluster.to_path_buf(),
            });
        }
        fs::remove_dir(cluster).map_err(io_error("cannot remove", cluster))?;
    }
    let scratch = data_dir.join(format!("{CLUSTER_DIR}.initdb"));
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(io_error("cannot remove", &scratch))?;
    }
    fs::create_dir(&scratch).map_err(io_error("cannot create", &scratch))?;
    fs::set_permissions(&scratch, fs::Permissions::from_mode(0o700))
        .map_err(io_error("cannot restrict", &scratch))?;
    run_as.own(&scratch)?;

    let mut command = Command::new(&binaries.initdb);
    command
        .arg("-D")
        .arg(&scratch)
        .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
        .args(["--locale=C.UTF-8", "--no-instructions"])
        .current_dir(data_dir)
        .stdin(Stdio::null());
    if options.unsafe_fast {
        command.arg("--no-sync");
    }
    run_as.apply(&mut command);
    let output = command
        .output()
        .map_err(io_error("cannot run", &binaries.initdb))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(EmbeddedError::Initdb(stderr.trim().to_owned()));
    }
    fs::rename(&scratch, cluster).map_err(io_error("cannot move into place", cluster))?;
    tracing::info!(postgres.dir = %cluster.display(), "created the embedded Postgres cluster");
    Ok(())
}

fn spawn_server(
    binaries: &Binaries,
    run_as: &RunAs,
    data_dir: &Path,
    cluster: &Path,
    options: Options,
) -> Result<Child, EmbeddedError> {
    let log_path = data_dir.join(LOG_FILE);
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(io_error("cannot open", &log_path))?;
    let log_err = log
        .try_clone()
        .map_err(io_error("cannot open", &log_path))?;
    let mut command = Command::new(&binaries.postgres);
    command
        .arg("-D")
        .arg(cluster)
        .arg("-k")
        .arg(cluster)
        .args(["-p", &PORT.to_string(), "-c", "listen_addresses="])
        .args(["-c", "unix_socket_permissions=0700"])
        .current_dir(cluster)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Our own process group: a Ctrl-C in the terminal reaches us, and we stop Postgres
        // after the last request is answered, not before.
        .process_group(0);
    if options.unsafe_fast {
        for setting in [
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
        ] {
            command.args(["-c", setting]);
        }
    }
    run_as.apply(&mut command);
    if options.die_with_parent {
        die_with_parent(&mut command);
    }
    command
        .spawn()
        .map_err(io_error("cannot start", &binaries.postgres))
}

#[expect(
    unsafe_code,
    reason = "pre_exec is the only way to set the parent-death signal"
)]
fn die_with_parent(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and only makes the
    // async-signal-safe prctl(2) system call. It runs after setuid, which would reset it.
    unsafe {
        command.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(std::io::Error::from)
        });
    }
}

/// The last lines of the server log, for error messages.
fn log_tail(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = File::open(path) {
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(len.saturating_sub(2000)));
        let _ = file.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().rev().take(5).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_say_how_to_fix_it() {
        let empty = tempfile::tempdir().expect("tempdir");
        let err = Binaries::find_in(vec![empty.path().to_path_buf()])
            .err()
            .expect("nothing to find");
        let message = err.to_string();
        assert!(message.contains("install PostgreSQL"), "{message}");
        assert!(message.contains("DATABASE_URL"), "{message}");
    }

    #[test]
    fn connection_strings_quote_the_socket_path() {
        let url = connection_string(Path::new("/srv/it's here"), "albumen");
        assert_eq!(
            url,
            "host='/srv/it\\'s here' port=5432 user=albumen dbname='albumen'"
        );
    }
}
