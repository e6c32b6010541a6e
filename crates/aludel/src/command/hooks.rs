//! `[hooks]` commands: when they run, what they can use, and what their failure
//! means. A hook that cannot start or exits non-zero is an error carrying its
//! output. Running a command line (placeholders, the password kept off it, output
//! masked) is `shell`'s.

use super::shell::{database_values, Shell, ShellValue};
use crate::error::{CommandError, Result};
use crate::project::Project;

/// Runs one hook in the directory of aludel.toml; returns its stdout and stderr.
pub(crate) fn run_hook(
    project: &Project,
    kind: &str,
    hook: &str,
    values: &[ShellValue],
) -> Result<String> {
    let shell = Shell::for_project(project);
    let shown = shell.mask(hook);
    let output = shell.run(hook, values).map_err(|e| {
        CommandError::new(format!("{kind} hook '{shown}' could not start: {e}"))
            .with_kind("hook_failed")
    })?;
    let text = format!("{}{}", output.stdout, output.stderr);
    if !output.status.success() {
        return Err(match text.trim() {
            "" => CommandError::new(format!("{kind} hook '{shown}' failed ({})", output.status)),
            said => CommandError::new(format!("{kind} hook '{shown}' failed ({})", output.status))
                .with_reason(said),
        }
        .with_kind("hook_failed")
        .into());
    }
    Ok(text)
}

/// Runs `[hooks] pre_upgrade` (before an upgrade that has steps to run).
/// Placeholders: the database's (see [`database_values`]: `{url}` without its
/// password, `{database}`, `{user}`, `{host}`, `{port}`) and `{timestamp}`, the UTC
/// time as `YYYYmmdd_HHMMSS`.
pub(crate) fn run_pre_upgrade_hooks(project: &Project) -> Result<Vec<String>> {
    let hooks = &project.config.hooks.pre_upgrade;
    if hooks.is_empty() {
        return Ok(Vec::new());
    }
    let url = project.config.database_url()?;
    let timestamp = chrono::Utc::now().format("%Y%m%d_%H%M%S").to_string();
    let mut values = database_values(&url);
    values.push(ShellValue::env(
        "{timestamp}",
        "ALUDEL_TIMESTAMP",
        &timestamp,
    ));
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
