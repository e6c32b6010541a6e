//! `edit REV`: open the revision files an identifier names in the user's editor.

use std::path::PathBuf;
use std::process::Command;

use crate::error::{CommandError, Result};
use crate::project::Project;

/// `$VISUAL`, else `$EDITOR` (non-empty), as most Unix tools choose.
pub fn editor_from_env() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
}

/// Opens each file in turn with `editor` (a shell command line; the path is passed as
/// one argument, never interpolated). Returns the files opened.
pub fn edit(project: &Project, rev: &str, editor: Option<&str>) -> Result<Vec<PathBuf>> {
    let revs = project.map.resolve_revisions(rev)?;
    if revs.is_empty() {
        return Err(
            CommandError::new(format!("No revision files indicated by symbol '{rev}'"))
                .with_kind("no_revision_files")
                .with_argument(rev)
                .into(),
        );
    }
    let Some(editor) = editor else {
        return Err(CommandError::new(
            "No suitable editor found. Please set the \"EDITOR\" or \"VISUAL\" environment variables",
        )
        .with_kind("no_editor")
        .into());
    };
    let mut opened = Vec::new();
    for idx in revs {
        let path = project.file(idx).path.clone();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&path)
            .status()
            .map_err(|e| {
                CommandError::new(format!("Could not start the editor '{editor}': {e}"))
                    .with_kind("editor_failed")
            })?;
        if !status.success() {
            return Err(CommandError::new(format!(
                "The editor '{editor}' failed on {} ({status})",
                path.display()
            ))
            .with_kind("editor_failed")
            .into());
        }
        opened.push(path);
    }
    Ok(opened)
}
