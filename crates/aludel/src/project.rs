//! A project on disk, opened: its configuration, its revision files in load order
//! and the revision map built from them.
//!
//! Opening validates everything (every file parses, every reference resolves, no
//! cycles) before any command runs, so a malformed file is reported with its path and
//! line before anything touches a database. Owns no command logic.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::display::RevisionText;
use crate::error::{CommandError, Result};
use crate::revision::{RevIdx, RevisionMap, RevisionSpec};
use crate::script::{load_revision_files, RevisionFile};

/// Name of the template for new revision files, inside `script_location`.
pub const TEMPLATE_FILE: &str = "script.sql.tmpl";

#[derive(Debug)]
pub struct Project {
    pub config: Config,
    /// Revision files in load order: `files[i]` is revision `i` of `map`.
    pub files: Vec<RevisionFile>,
    pub map: RevisionMap,
}

impl Project {
    /// Reads every revision file of the configured version locations and builds the map.
    pub fn open(config: Config) -> Result<Project> {
        if !config.script_location.exists() {
            return Err(CommandError::new(format!(
                "Path doesn't exist: '{}'.  Please use the 'init' command to create a new scripts folder.",
                config.script_location.display()
            ))
            .with_hint(format!(
                "check script_location in {}, or run 'aludel init'",
                config.path.display()
            ))
            .with_kind("script_location_missing")
            .with_location(Some(&config.script_location), None)
            .into());
        }
        let files = load_revision_files(
            &config.version_locations,
            config.recursive_version_locations,
        )?;
        let map = RevisionMap::build(files.iter().map(spec_of).collect())?;
        Ok(Project { config, files, map })
    }

    /// Opens the project whose `aludel.toml` is in `dir`, with the process environment
    /// (`DATABASE_URL`, `.env` in `dir`, `${VAR}` expansion), as the CLI does.
    ///
    /// ```no_run
    /// let project = aludel::project::Project::from_dir("./db")?;
    /// println!("{} revisions", project.files.len());
    /// # Ok::<(), aludel::Error>(())
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Project> {
        let cwd = dir.as_ref().to_path_buf();
        let env = crate::config::Environment::from_process(&cwd)?;
        let options = crate::config::ConfigOptions {
            config_path: None,
            name: None,
            url: None,
            x_args: Vec::new(),
            cwd,
        };
        Project::open(Config::load(&options, &env)?)
    }

    pub fn file(&self, idx: RevIdx) -> &RevisionFile {
        &self.files[idx]
    }

    /// The documentation of a revision, for display.
    pub fn text(&self, idx: RevIdx) -> RevisionText<'_> {
        let f = &self.files[idx];
        RevisionText {
            doc: &f.doc,
            longdoc: &f.longdoc,
            path: &f.path,
        }
    }

    pub fn template_path(&self) -> PathBuf {
        self.config.script_location.join(TEMPLATE_FILE)
    }

    /// The configured version location equal to `path` (made absolute against `cwd`).
    pub fn version_location_for(&self, path: &Path, cwd: &Path) -> Option<PathBuf> {
        let wanted = normalize(&cwd.join(path));
        self.config
            .version_locations
            .iter()
            .find(|loc| normalize(loc) == wanted)
            .cloned()
    }
}

/// What the revision graph needs of a revision file.
pub(crate) fn spec_of(f: &RevisionFile) -> RevisionSpec {
    RevisionSpec {
        revision: f.revision.clone(),
        down_revisions: f.down_revisions.clone(),
        branch_labels: f.branch_labels.clone(),
        depends_on: f.depends_on.clone(),
        source: f.path.to_string_lossy().into_owned(),
        lines: f.header_lines,
    }
}

/// Lexical normalisation (`.` and `..`), as Python's `os.path.normpath`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
