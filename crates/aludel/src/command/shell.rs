//! Shell command lines from aludel.toml (`[hooks]`, `command:` schema sources) with
//! `{placeholders}`, run through `sh -c` in the folder of aludel.toml.
//!
//! A placeholder is replaced by a quoted reference to an environment variable that
//! holds its value (never the value itself), so paths and URLs with spaces or quotes
//! stay one argument. `{x.key}` is replaced by the `-x key=value` text as given.
//!
//! The database password never reaches a command line, where every local user can
//! read it (`ps`): `{url}` is the URL without it, and clients get it from the
//! variable they read (`PGPASSWORD`, `MYSQL_PWD`). Whatever a command prints is
//! returned with the password (in any encoding) replaced by `***`. This module
//! runs commands and nothing else: what a failure means is its callers' business.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use crate::config::url::mask_secrets;
use crate::config::DatabaseUrl;
use crate::project::Project;

/// A value a command can use: as `{placeholder}` in its text and as an environment
/// variable.
pub(crate) struct ShellValue {
    placeholder: &'static str,
    env: &'static str,
    value: String,
}

impl ShellValue {
    /// `placeholder` may be empty for a value given only through the environment.
    pub(crate) fn env(placeholder: &'static str, env: &'static str, value: &str) -> Self {
        ShellValue {
            placeholder,
            env,
            value: value.to_string(),
        }
    }
}

/// What a finished command printed (masked) and how it ended.
pub(crate) struct ShellOutput {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Where commands run and what they must never show: owned, so a command can run
/// on a thread of its own.
#[derive(Debug, Clone)]
pub(crate) struct Shell {
    dir: PathBuf,
    x_args: BTreeMap<String, String>,
    /// The password of the project's database, in every form a tool might print.
    secrets: Vec<String>,
}

impl Shell {
    /// Commands of `project`: in the folder of its aludel.toml.
    pub(crate) fn for_project(project: &Project) -> Shell {
        Shell {
            dir: project
                .config
                .path
                .parent()
                .unwrap_or(Path::new("."))
                .to_path_buf(),
            x_args: project.config.x_args.clone(),
            secrets: project
                .config
                .database_url()
                .map(|u| u.secret_forms())
                .unwrap_or_default(),
        }
    }

    /// The folder commands run in.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn mask(&self, text: &str) -> String {
        mask_secrets(text, &self.secrets)
    }

    /// Runs `line` with `values`; `Err` is why it could not start.
    pub(crate) fn run(&self, line: &str, values: &[ShellValue]) -> std::io::Result<ShellOutput> {
        let mut command_line = line.to_string();
        for v in values.iter().filter(|v| !v.placeholder.is_empty()) {
            command_line = command_line.replace(v.placeholder, &format!("\"${}\"", v.env));
        }
        for (k, v) in &self.x_args {
            command_line = command_line.replace(&format!("{{x.{k}}}"), v);
        }
        let mut command = Command::new("sh");
        command.arg("-c").arg(&command_line).current_dir(&self.dir);
        for v in values {
            command.env(v.env, &v.value);
        }
        let output = command.output()?;
        Ok(ShellOutput {
            status: output.status,
            stdout: self.mask(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.mask(&String::from_utf8_lossy(&output.stderr)),
        })
    }
}

/// The database's values for commands: `{url}` the URL without its password,
/// `{database}` the database name or SQLite file, `{user}`, `{host}`, `{port}` what
/// aludel connects with (defaults included), and, without placeholders, the
/// variables the dialect's clients read, the password among them (see
/// [`crate::dialect::client_env`]).
pub(crate) fn database_values(url: &DatabaseUrl) -> Vec<ShellValue> {
    let mut values = vec![
        ShellValue::env("{url}", "ALUDEL_DATABASE_URL", &url.without_password()),
        ShellValue::env(
            "{database}",
            "ALUDEL_DATABASE",
            url.database().unwrap_or(""),
        ),
    ];
    let client = crate::dialect::client_env(url);
    let client_value = |name: &str| {
        client
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    for (placeholder, env) in [
        ("{user}", "ALUDEL_DATABASE_USER"),
        ("{host}", "ALUDEL_DATABASE_HOST"),
        ("{port}", "ALUDEL_DATABASE_PORT"),
    ] {
        values.push(ShellValue::env(placeholder, env, client_value(env)));
    }
    for (name, value) in client.iter().filter(|(n, _)| !n.starts_with("ALUDEL_")) {
        values.push(ShellValue::env("", name, value));
    }
    values
}
