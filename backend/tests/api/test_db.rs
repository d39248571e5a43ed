//! One real Postgres for the whole test run, one fresh database per test.
//!
//! The cluster comes from `ALBUMEN_TEST_DATABASE_URL` (an admin URL) when set; otherwise it is
//! started from the installed binaries with the product's own `db::embedded` (as the `postgres`
//! user when we are root) in `ALBUMEN_TEST_PG_DIR` (default `/tmp/albumen-test-pg-<uid>`), and
//! left running for the next test process; `scripts/test` stops and removes it at the end.
//! Migrations run once into a template database; each test clones it (a few milliseconds).

use std::fs::{self, OpenOptions};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use albumen::db::embedded::{self, EmbeddedPostgres, Options};
use diesel::{Connection, PgConnection, RunQueryDsl};
use nix::fcntl::{Flock, FlockArg};
use sha2::{Digest, Sha256};

struct Cluster {
    /// Connection string for a database named `{db}`.
    url_template: String,
    template_db: String,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    pub fn create() -> Self {
        let cluster = CLUSTER.get_or_init(Cluster::start);
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = cluster.admin();
        diesel::sql_query(format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{}\"",
            cluster.template_db
        ))
        .execute(&mut admin)
        .expect("create the test database");
        Self {
            url: cluster.url(&name),
            name,
        }
    }

    /// Makes the database unreachable for the app under test (for 503 tests).
    pub fn drop_now(&self) {
        if let Some(cluster) = CLUSTER.get() {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut cluster.admin());
        }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.drop_now();
    }
}

impl Cluster {
    fn start() -> Self {
        let url_template = match std::env::var("ALBUMEN_TEST_DATABASE_URL") {
            Ok(url) => url.replace("/postgres", "/{db}"),
            Err(_) => start_local_cluster(),
        };
        let cluster = Self {
            url_template,
            template_db: format!("template_{}", migrations_fingerprint()),
        };
        cluster.ensure_template();
        cluster
    }

    fn url(&self, db: &str) -> String {
        self.url_template.replace("{db}", db)
    }

    fn admin(&self) -> PgConnection {
        PgConnection::establish(&self.url("postgres")).expect("connect to the test cluster")
    }

    /// Under an advisory lock, so parallel test processes build it once.
    fn ensure_template(&self) {
        let mut admin = self.admin();
        diesel::sql_query("SELECT pg_advisory_lock(4242)")
            .execute(&mut admin)
            .expect("lock");
        let exists = diesel::sql_query(format!(
            "SELECT 1 FROM pg_database WHERE datname = '{}'",
            self.template_db
        ))
        .execute(&mut admin)
        .expect("look for the template");
        if exists == 0 {
            diesel::sql_query(format!("CREATE DATABASE \"{}\"", self.template_db))
                .execute(&mut admin)
                .expect("create the template");
            let mut conn =
                PgConnection::establish(&self.url(&self.template_db)).expect("connect to template");
            albumen::db::run_migrations(&mut conn).expect("migrate the template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(4242)")
            .execute(&mut admin)
            .expect("unlock");
    }
}

fn start_local_cluster() -> String {
    let dir = std::env::var_os("ALBUMEN_TEST_PG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(format!("/tmp/albumen-test-pg-{}", nix::unistd::getuid()))
        });
    fs::create_dir_all(&dir).expect("create the test cluster directory");
    // The postgres user must be able to enter it.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    let _lock = lock(&PathBuf::from(format!("{}.lock", dir.display())));
    let url_template =
        embedded::connection_string(&embedded::cluster_dir(&dir), "{db}").replace("'{db}'", "{db}");
    if PgConnection::establish(&url_template.replace("{db}", "postgres")).is_err() {
        let server = EmbeddedPostgres::start(
            &dir,
            Options {
                unsafe_fast: true,
                die_with_parent: false,
            },
        )
        .expect("start the test Postgres");
        // Left running for the other test processes; scripts/test stops it.
        std::mem::forget(server);
    }
    url_template
}

pub fn lock(path: &Path) -> Flock<fs::File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .expect("open the lock file");
    Flock::lock(file, FlockArg::LockExclusive).expect("lock the test cluster")
}

/// Changes whenever a migration does, so a reused cluster never serves a stale template.
fn migrations_fingerprint() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<PathBuf> = walk(&dir);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(fs::read(&file).expect("read a migration"));
    }
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .expect("read migrations")
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}
