//! The commands: `serve` (the default) and `migrate`. Each resolves the database first,
//! starting the embedded Postgres when no `DATABASE_URL` is given.

use crate::config::{Cli, Command, Settings};
use crate::db::embedded::{self, EmbeddedError, EmbeddedPostgres};
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
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command.unwrap_or(Command::Serve(cli.settings)) {
        Command::Serve(settings) => serve(&settings),
        Command::Migrate(settings) => migrate(&settings),
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
