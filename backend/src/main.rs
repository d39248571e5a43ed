use std::process::ExitCode;

use albumen::config::{self, Cli};
use clap::Parser;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return config::exit_for_parse_error(err),
    };
    albumen::telemetry::init(&cli.log);
    match albumen::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("albumen: {err}");
            ExitCode::FAILURE
        }
    }
}
