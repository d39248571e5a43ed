//! Postgres: the schema, one model file per table, the pool, migrations, and the embedded server
//! used when no `DATABASE_URL` is given.

pub mod album_trees;
pub mod albums;
pub mod embedded;
pub mod images;
pub mod jobs;
pub mod login_failures;
pub mod object_gc;
pub mod refresh_tokens;
pub mod registrations;
pub mod renditions;
pub mod schema;
pub mod trash;
pub mod users;

use std::time::Duration;

use diesel::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed")]
    Query(#[from] DieselError),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("a database task panicked")]
    TaskPanicked,
}

impl DbError {
    /// The database cannot be reached: the client should retry (503), nothing is wrong with the request.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Pool(_) | Self::Connect(_) => true,
            Self::Query(DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)) => true,
            Self::Query(DieselError::BrokenTransactionManager) => true,
            Self::Query(DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)) => {
                // libpq reports a dropped server connection without a SQLSTATE
                let message = info.message();
                message.contains("server closed the connection")
                    || message.contains("no connection to the server")
                    || message.contains("terminating connection")
            }
            _ => false,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Query(DieselError::NotFound))
    }
}

/// The pool plus the one way handlers touch it: `db.run(|conn| ..)` runs the closure on a
/// blocking thread, never on an async worker.
#[derive(Clone)]
pub struct Db {
    pool: PgPool,
}

impl Db {
    pub fn connect(url: &str, size: u32, timeout: Duration) -> Result<Self, DbError> {
        let manager = ConnectionManager::<PgConnection>::new(url);
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1.min(size)))
            .connection_timeout(timeout)
            .test_on_check_out(true)
            .build_unchecked(manager);
        Ok(Self { pool })
    }

    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::Pool)?;
            work(&mut conn)
        })
        .await
        .map_err(|_| DbError::TaskPanicked)?
    }

    /// A connection for blocking code that already runs off the async workers.
    pub fn get(&self) -> Result<PooledConnection<ConnectionManager<PgConnection>>, DbError> {
        Ok(self.pool.get()?)
    }

    pub async fn ping(&self) -> Result<(), DbError> {
        use diesel::RunQueryDsl;
        self.run(|conn| {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok::<_, DbError>(())
        })
        .await
    }
}

/// Any number for `pg_advisory_lock`, as long as it is always the same: replicas starting
/// together take turns migrating.
const MIGRATION_LOCK_KEY: i64 = 0x616c_6275_6d65_6e00;

pub fn run_migrations(conn: &mut PgConnection) -> Result<usize, DbError> {
    use diesel::RunQueryDsl;
    use diesel::sql_types::BigInt;
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .execute(conn)?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map(|applied| applied.len())
        .map_err(|e| DbError::Migration(e.to_string()));
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
        .execute(conn)?;
    applied
}

/// Unique-constraint violations, by constraint name, for mapping to 409s.
pub fn violated_unique_constraint(error: &DieselError) -> Option<&str> {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            info.constraint_name()
        }
        _ => None,
    }
}
