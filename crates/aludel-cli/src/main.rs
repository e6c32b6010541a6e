//! The `aludel` binary: parses arguments, calls the library's commands and renders
//! their results as text (Alembic's formats) or JSON. No migration logic lives here.

mod args;
mod autogen;
mod db;
mod import;
mod progress;
mod render;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, ColorChoice, OutputFormat};
use progress::Progress;
use render::Out;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.format == OutputFormat::Json;
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let progress = Progress::new(std::io::stderr().is_terminal(), cli.quiet || json);
    let out = Out::new(json, cli.quiet, progress);
    let result = render::run(&cli, &out);
    out.progress.finish();
    match result {
        Ok(()) => {
            out.finish(None);
            ExitCode::SUCCESS
        }
        Err(err) => {
            if json {
                out.finish(Some(&err));
            } else {
                out.finish(None);
                eprint!("{}", render::error_text(&err, color));
            }
            ExitCode::from(1)
        }
    }
}
