//! `[hooks]` commands: shell command lines from aludel.toml with `{placeholders}`.
//!
//! A placeholder is replaced by a quoted reference to an environment variable that
//! holds its value (never the value itself), so paths and URLs with spaces or quotes
//! stay one argument. `{x.key}` is replaced by the `-x key=value` text as given. A
//! hook that cannot start or exits non-zero is an error carrying its output.
//!
//! The database password never reaches a command line, where every local user can
//! read it (`ps`): `{url}` is the URL without it, and clients get it from the
//! variable they read (`PGPASSWORD`, `MYSQL_PWD`). Whatever a hook prints is shown
//! with the password (in any encoding) replaced by `***`.

use std::path::Path;
use std::process::Command;

use crate::config::url::mask_secrets;
use crate::error::{CommandError, Result};
use crate::project::Project;

/// A value a hook can use: as `{placeholder}` in its text and as an environment variable.
pub(crate) struct HookValue<'a> {
    placeholder: &'a str,
    env: &'a str,
    value: String,
}

impl<'a> HookValue<'a> {
    /// `placeholder` may be empty for a value given only through the environment.
    pub(crate) fn env(placeholder: &'a str, env: &'a str, value: &str) -> Self {
        HookValue {
            placeholder,
            env,
            value: value.to_string(),
        }
    }
}

/// Runs one hook in the directory of aludel.toml; returns its stdout and stderr.
pub(crate) fn run_hook(
    project: &Project,
    kind: &str,
    hook: &str,
    values: &[HookValue<'_>],
) -> Result<String> {
    let mut command_line = hook.to_string();
    for v in values.iter().filter(|v| !v.placeholder.is_empty()) {
        command_line = command_line.replace(v.placeholder, &format!("\"${}\"", v.env));
    }
    for (k, v) in &project.config.x_args {
        command_line = command_line.replace(&format!("{{x.{k}}}"), v);
    }
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(&command_line)
        .current_dir(project.config.path.parent().unwrap_or(Path::new(".")));
    for v in values {
        command.env(v.env, &v.value);
    }
    // The password of the project's database, in every form a tool might print.
    let secrets = project
        .config
        .database_url()
        .map(|u| u.secret_forms())
        .unwrap_or_default();
    let hook = mask_secrets(hook, &secrets);
    let output = command.output().map_err(|e| {
        CommandError::new(format!("{kind} hook '{hook}' could not start: {e}"))
            .with_kind("hook_failed")
    })?;
    let text = mask_secrets(
        &format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        &secrets,
    );
    if !output.status.success() {
        return Err(match text.trim() {
            "" => CommandError::new(format!("{kind} hook '{hook}' failed ({})", output.status)),
            said => CommandError::new(format!("{kind} hook '{hook}' failed ({})", output.status))
                .with_reason(said),
        }
        .with_kind("hook_failed")
        .into());
    }
    Ok(text)
}

/// Runs `[hooks] pre_upgrade` (before an upgrade that has steps to run).
/// Placeholders: `{url}` the database URL without its password, `{database}` the
/// database name or SQLite file, `{user}`, `{host}`, `{port}` what aludel connects
/// with (defaults included), `{timestamp}` the UTC time as `YYYYmmdd_HHMMSS`. The
/// environment also holds the variables the dialect's clients read, the password
/// among them (see [`crate::dialect::client_env`]).
pub(crate) fn run_pre_upgrade_hooks(project: &Project) -> Result<Vec<String>> {
    let hooks = &project.config.hooks.pre_upgrade;
    if hooks.is_empty() {
        return Ok(Vec::new());
    }
    let url = project.config.database_url()?;
    let timestamp = chrono::Utc::now().format("%Y%m%d_%H%M%S").to_string();
    let mut values = vec![
        HookValue::env("{url}", "ALUDEL_DATABASE_URL", &url.without_password()),
        HookValue::env(
            "{database}",
            "ALUDEL_DATABASE",
            url.database().unwrap_or(""),
        ),
        HookValue::env("{timestamp}", "ALUDEL_TIMESTAMP", &timestamp),
    ];
    let client = crate::dialect::client_env(&url);
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
        values.push(HookValue::env(placeholder, env, client_value(env)));
    }
    for (name, value) in client.iter().filter(|(n, _)| !n.starts_with("ALUDEL_")) {
        values.push(HookValue::env("", name, value));
    }
    hooks
        .iter()
        .map(|hook| {
            run_hook(project, "pre_upgrade", hook, &values).map_err(|e| match e {
                crate::Error::Command(c) => crate::Error::Command(
                    c.with_hint("nothing was upgraded; fix the hook or the tool it runs"),
                ),
                other => other,
            })
        })
        .collect()
}
