//! The commands: `serve` (the default), `migrate` and `jobs`. Each resolves the database first,
//! starting the embedded Postgres when no `DATABASE_URL` is given.

use std::io::Write;

use crate::config::{Cli, Command, JobsAction, JobsArgs, Settings};
use crate::db::embedded::{self, EmbeddedError, EmbeddedPostgres};
use crate::db::jobs::{self as job_rows, RetryError};
use crate::db::{self, Db, DbError};
use crate::startup::{Application, StartupError};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("server: {0}")]
    Server(#[from] std::io::Error),
    #[error(transparent)]
    Retry(#[from] RetryError),
}

/// Most jobs `albumen jobs` lists.
const LISTED_JOBS: i64 = 1000;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command.unwrap_or(Command::Serve(cli.settings)) {
        Command::Serve(settings) => serve(&settings),
        Command::Migrate(settings) => migrate(&settings),
        Command::Jobs(args) => jobs(*args),
    }
}

/// The configured database URL, or a started embedded Postgres and its URL.
fn database(settings: &Settings) -> Result<(String, Option<EmbeddedPostgres>), CliError> {
    if let Some(url) = &settings.database.database_url {
        return Ok((url.expose().to_owned(), None));
    }
    let options = embedded::Options {
        unsafe_fast: false,
        die_with_parent: true,
    };
    let server = EmbeddedPostgres::start(&settings.data_dir, options)?;
    Ok((server.url(embedded::DATABASE), Some(server)))
}

fn serve(settings: &Settings) -> Result<(), CliError> {
    let (url, embedded) = database(settings)?;
    let served = actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings, &url).await?;
        tracing::info!(url = %app.public_url(), "Albumen is listening");
        app.run_until_stopped().await?;
        Ok::<_, CliError>(())
    });
    if let Some(embedded) = embedded {
        embedded.stop()?;
    }
    served
}

fn migrate(settings: &Settings) -> Result<(), CliError> {
    let (url, embedded) = database(settings)?;
    let db = Db::connect(&url, 1, settings.database.db_timeout)?;
    let applied = db::run_migrations(&mut *db.get()?)?;
    tracing::info!(migrations.applied = applied, "database is up to date");
    if let Some(embedded) = embedded {
        embedded.stop()?;
    }
    Ok(())
}

fn jobs(args: JobsArgs) -> Result<(), CliError> {
    let (settings, retry) = match args.action {
        None => (args.settings, None),
        Some(JobsAction::Retry { id, settings }) => (settings, Some(id)),
    };
    let (url, embedded) = database(&settings)?;
    let done = (|| {
        let db = Db::connect(&url, 1, settings.database.db_timeout)?;
        let mut conn = db.get()?;
        match retry {
            Some(id) => {
                job_rows::retry(&mut conn, id)?;
                println!("job {id} is queued again");
            }
            None => {
                let jobs = job_rows::list(&mut conn, LISTED_JOBS).map_err(DbError::from)?;
                print_jobs(&mut std::io::stdout().lock(), &jobs)?;
            }
        }
        Ok::<_, CliError>(())
    })();
    if let Some(embedded) = embedded {
        embedded.stop()?;
    }
    done
}

/// One line a job: id, kind, state, attempts, when it is due, its last error.
pub fn print_jobs(out: &mut impl Write, jobs: &[job_rows::Listed]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>8}  {:<24} {:<8} {:>8}  {:<20}  LAST ERROR",
        "ID", "KIND", "STATE", "ATTEMPTS", "RUN AT"
    )?;
    for job in jobs {
        let error = job.last_error.as_deref().unwrap_or("-").replace('\n', " ");
        writeln!(
            out,
            "{:>8}  {:<24} {:<8} {:>8}  {:<20}  {error}",
            job.id,
            job.kind,
            job.state,
            format!("{}/{}", job.attempts, job.max_attempts),
            job.run_at.format("%Y-%m-%d %H:%M:%SZ"),
        )?;
    }
    Ok(())
}
