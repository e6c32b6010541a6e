//! The `aludel` binary: parses arguments, calls the library's commands and renders
//! their results as text (Alembic's formats) or JSON. No migration logic lives here.

mod args;
mod db;
mod progress;
mod render;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, ColorChoice, OutputFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.format;
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    match render::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match format {
                OutputFormat::Json => println!("{}", render::error_json(&err)),
                OutputFormat::Text => eprint!("{}", render::error_text(&err, color)),
            }
            ExitCode::from(1)
        }
    }
}
