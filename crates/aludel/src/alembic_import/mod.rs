//! `import-alembic`: an Alembic project turned into an aludel project beside its
//! `alembic.ini`, with the same revision ids, graph, messages and create dates, and
//! one SQL file per revision whose sections hold the SQL Alembic's offline mode
//! emits for the chosen dialect.
//!
//! Two stages, so that nothing is written unless everything is known:
//! [`read_alembic_project`] runs the project's Python once (`driver`), builds every
//! file's text (`revision_text`) and `aludel.toml` (`settings`), and checks that the
//! files parse and form a valid graph; [`write_import`] writes them, refusing while
//! revisions could not be rendered unless allowed, never overwriting anything, and
//! removing what it wrote if a write fails.

mod driver;
mod revision_text;
mod settings;

use std::path::{Path, PathBuf};

use crate::config::{DatabaseUrl, Dialect, DEFAULT_FILE};
use crate::error::{CommandError, Error, Result};
use crate::project::{normalize, spec_of, TEMPLATE_FILE};
use crate::revision::RevisionMap;
use crate::script::{parse_revision_file, write_new_file, DEFAULT_TEMPLATE};

pub use driver::RenderedSection;
pub use settings::translate_file_template;

/// The dialects the SQL can be rendered for (SQLAlchemy's names).
pub const DIALECTS: [&str; 4] = ["postgresql", "mysql", "mariadb", "sqlite"];

/// Options of `import-alembic`.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The Alembic config file, relative to `cwd`.
    pub ini: PathBuf,
    /// One of [`DIALECTS`]; `None`: the dialect of `url`, else of `sqlalchemy.url`.
    pub dialect: Option<String>,
    /// The database URL given to aludel (`--url`, `DATABASE_URL`), for its dialect.
    pub url: Option<String>,
    /// The interpreter (relative to `cwd`, or a command name); `None`: the Alembic
    /// project's `.venv`/`venv`, else `python3`.
    pub python: Option<PathBuf>,
    /// `-x` values, which revision scripts read with `context.get_x_argument()`.
    pub x_args: Vec<String>,
    pub cwd: PathBuf,
}

/// A function of a revision that could not be rendered offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnrenderedFunction {
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub function: &'static str,
    /// The Alembic revision file.
    pub source: PathBuf,
    /// The line in `source` where it failed, when known.
    pub line: Option<usize>,
    pub reason: String,
}

/// One aludel revision file to write.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub revision: String,
    /// The Alembic revision file it comes from.
    pub source: PathBuf,
    /// The new file (absolute).
    pub path: PathBuf,
    text: String,
}

/// Everything an import would write, read and checked; nothing written yet.
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// The Alembic config file (absolute).
    pub ini: PathBuf,
    /// The dialect the SQL was rendered for.
    pub dialect: String,
    /// The new `aludel.toml` (absolute).
    pub config_path: PathBuf,
    /// The new migrations folder (absolute).
    pub script_location: PathBuf,
    /// The revision files, sorted by path.
    pub files: Vec<ImportedFile>,
    /// Functions that could not be rendered, in file order.
    pub unrendered: Vec<UnrenderedFunction>,
    /// Settings not carried over and other things a person should know.
    pub notes: Vec<String>,
    config_text: String,
}

/// Reads the Alembic project and renders every revision; writes nothing.
pub fn read_alembic_project(opts: &ImportOptions) -> Result<ImportPlan> {
    let ini = normalize(&opts.cwd.join(&opts.ini));
    if !ini.is_file() {
        return Err(CommandError::new(format!(
            "No Alembic configuration file at {}",
            ini.display()
        ))
        .with_hint(
            "pass the path of the project's alembic.ini: aludel import-alembic path/to/alembic.ini",
        )
        .with_kind("alembic_ini_missing")
        .with_location(Some(&ini), None)
        .into());
    }
    let dir = ini
        .parent()
        .map_or_else(|| opts.cwd.clone(), Path::to_path_buf);
    let config_path = dir.join(DEFAULT_FILE);
    refuse_existing_config(&config_path)?;
    let dialect = match &opts.dialect {
        Some(d) => d.clone(),
        None => match &opts.url {
            Some(url) => dialect_of_url(url)?,
            None => String::new(),
        },
    };
    let python_arg = opts.python.as_ref().map(|p| {
        if p.components().count() > 1 {
            normalize(&opts.cwd.join(p)).display().to_string()
        } else {
            p.display().to_string()
        }
    });
    let python = driver::find_python(&dir, python_arg.as_deref())?;
    let project = driver::run(&python, &ini, &dialect, &opts.x_args)?;
    if !DIALECTS.contains(&project.dialect.as_str()) {
        return Err(CommandError::new(format!(
            "sqlalchemy.url in {} is a {} database, which aludel does not support",
            ini.display(),
            project.dialect
        ))
        .with_hint("pass --dialect postgresql, mysql, mariadb or sqlite")
        .with_kind("no_dialect")
        .into());
    }

    let script_location = free_folder(&dir)?;
    let location_names = location_names(&project.version_locations);
    let mut files = Vec::new();
    let mut unrendered = Vec::new();
    let mut one_way = Vec::new();
    for rev in &project.revisions {
        let (index, relative) = place(&project.version_locations, &rev.path);
        let folder = match location_names.get(index) {
            Some(name) => script_location.join(name),
            None => script_location.join("versions"),
        };
        let path = folder.join(relative.with_extension("sql"));
        let shown = rev.path.strip_prefix(&dir).unwrap_or(&rev.path);
        let text = revision_text::revision_text(rev, shown)?;
        parse_revision_file(&path, &text).map_err(|e| {
            Error::from(
                CommandError::new(format!(
                    "Alembic revision {} ({}) cannot be written as an aludel revision: {e}",
                    rev.revision,
                    rev.path.display()
                ))
                .with_hint(e.hint())
                .with_kind("alembic_revision_not_importable")
                .with_revision(rev.revision.clone())
                .with_location(Some(&rev.path), None),
            )
        })?;
        for (function, section) in [("upgrade", &rev.upgrade), ("downgrade", &rev.downgrade)] {
            if let RenderedSection::Unrenderable { error, line, .. } = section {
                unrendered.push(UnrenderedFunction {
                    revision: rev.revision.clone(),
                    function,
                    source: rev.path.clone(),
                    line: *line,
                    reason: error.clone(),
                });
            }
        }
        if !revision_text::is_empty(&rev.upgrade)
            && revision_text::is_empty(&rev.downgrade)
            && matches!(rev.upgrade, RenderedSection::Sql { .. })
        {
            one_way.push(rev.revision.clone());
        }
        files.push(ImportedFile {
            revision: rev.revision.clone(),
            source: rev.path.clone(),
            path,
            text,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    unrendered.sort_by(|a, b| (&a.source, a.function).cmp(&(&b.source, b.function)));
    check_graph(&files)?;

    let relative_locations: Vec<String> = location_names
        .iter()
        .map(|name| format!("{}/{name}", folder_name(&script_location)))
        .collect();
    // The interpreter named with --python, as aludel.toml's folder sees it.
    let configured_python = python_arg.as_deref().map(|p| {
        Path::new(p)
            .strip_prefix(&dir)
            .map_or_else(|_| p.to_string(), |r| r.display().to_string())
    });
    let settings = settings::aludel_toml(
        &project,
        &ini,
        &folder_name(&script_location),
        &relative_locations,
        configured_python.as_deref(),
    );
    let mut notes = settings.notes;
    if !one_way.is_empty() {
        notes.push(format!(
            "{} ({}) {} a downgrade() that emits no SQL: aludel treats an empty downgrade as irreversible (downgrading through it needs --allow-irreversible)",
            count(one_way.len(), "revision"),
            one_way.join(", "),
            if one_way.len() == 1 { "has" } else { "have" }
        ));
    }
    Ok(ImportPlan {
        ini,
        dialect: project.dialect,
        config_path,
        script_location,
        files,
        unrendered,
        notes,
        config_text: settings.toml,
    })
}

/// Writes the plan: the revision files, the template, then `aludel.toml`.
/// Refuses while functions are unrendered unless `allow_unrendered`; a failed write
/// removes what this call wrote.
pub fn write_import(plan: &ImportPlan, allow_unrendered: bool) -> Result<()> {
    if !plan.unrendered.is_empty() && !allow_unrendered {
        let lines: Vec<String> = plan
            .unrendered
            .iter()
            .map(|u| {
                let place = match u.line {
                    Some(line) => format!("{}:{line}", u.source.display()),
                    None => u.source.display().to_string(),
                };
                format!("{} {}() at {place}: {}", u.revision, u.function, u.reason)
            })
            .collect();
        return Err(CommandError::new(format!(
            "{} cannot be rendered as SQL offline; nothing was written",
            count(plan.unrendered.len(), "Alembic revision function")
        ))
        .with_reason(lines.join("\n"))
        .with_hint("import with --allow-unrendered to write them anyway: their sections then refuse to run until a person writes their SQL (docs/import-alembic.md)")
        .with_kind("unrendered_revisions")
        .into());
    }
    refuse_existing_config(&plan.config_path)?;
    if plan.script_location.exists() {
        return Err(CommandError::new(format!(
            "{} appeared while importing; nothing was written",
            plan.script_location.display()
        ))
        .with_kind("file_exists")
        .into());
    }
    let written = (|| -> Result<()> {
        for file in &plan.files {
            write_new_file(&file.path, &file.text)?;
        }
        write_new_file(&plan.script_location.join(TEMPLATE_FILE), DEFAULT_TEMPLATE)?;
        write_new_file(&plan.config_path, &plan.config_text)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&plan.script_location);
    }
    written
}

fn refuse_existing_config(config_path: &Path) -> Result<()> {
    if config_path.exists() {
        return Err(CommandError::new(format!(
            "{} already exists; import-alembic writes a new aludel project and never overwrites one",
            config_path.display()
        ))
        .with_hint("move it away first, or import a copy of the Alembic project; nothing was written")
        .with_kind("config_exists")
        .with_location(Some(config_path), None)
        .into());
    }
    Ok(())
}

/// SQLAlchemy's name for the dialect of an aludel database URL.
fn dialect_of_url(url: &str) -> Result<String> {
    let parsed = DatabaseUrl::parse(url).map_err(|e| {
        CommandError::new(format!("The database URL cannot be read: {e}"))
            .with_hint("pass --dialect postgresql, mysql, mariadb or sqlite instead")
            .with_kind("invalid_database_url")
    })?;
    Ok(match parsed.dialect() {
        Dialect::Postgres => "postgresql",
        Dialect::MySql if parsed.scheme().starts_with("mariadb") => "mariadb",
        Dialect::MySql => "mysql",
        Dialect::Sqlite => "sqlite",
    }
    .to_string())
}

/// The first of `migrations`, `aludel_migrations`, `aludel_migrations_2`, … that does
/// not exist in `dir` (Alembic's own folder is often `migrations`).
fn free_folder(dir: &Path) -> Result<PathBuf> {
    let names = ["migrations".to_string(), "aludel_migrations".to_string()]
        .into_iter()
        .chain((2..100).map(|n| format!("aludel_migrations_{n}")));
    for name in names {
        let path = dir.join(&name);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    Err(CommandError::new(format!(
        "No free folder name for the migrations in {}",
        dir.display()
    ))
    .with_kind("file_exists")
    .into())
}

fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The aludel folder of each Alembic version location: `versions` for one;
/// the locations' own names (made unique) for several.
fn location_names(locations: &[PathBuf]) -> Vec<String> {
    if locations.len() <= 1 {
        return vec!["versions".to_string()];
    }
    let mut names: Vec<String> = Vec::new();
    for location in locations {
        let base = match folder_name(location) {
            n if n.is_empty() => "versions".to_string(),
            n => n,
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// Which location holds `file` (the deepest that contains it), and its path there.
fn place(locations: &[PathBuf], file: &Path) -> (usize, PathBuf) {
    locations
        .iter()
        .enumerate()
        .filter_map(|(i, loc)| file.strip_prefix(loc).ok().map(|rel| (i, loc, rel)))
        .max_by_key(|(_, loc, _)| loc.components().count())
        .map(|(i, _, rel)| (i, rel.to_path_buf()))
        .unwrap_or_else(|| (0, file.file_name().map(PathBuf::from).unwrap_or_default()))
}

/// The new files must form the same valid graph (they always do when Alembic's
/// does; checked so that nothing invalid is ever written).
fn check_graph(files: &[ImportedFile]) -> Result<()> {
    let mut specs = Vec::with_capacity(files.len());
    for file in files {
        specs.push(spec_of(&parse_revision_file(&file.path, &file.text)?));
    }
    RevisionMap::build(specs)?;
    Ok(())
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_location_is_versions_several_keep_their_names() {
        assert_eq!(
            location_names(&[PathBuf::from("/p/alembic/versions")]),
            ["versions"]
        );
        assert_eq!(
            location_names(&[
                PathBuf::from("/p/alembic/versions"),
                PathBuf::from("/p/seeds/versions"),
                PathBuf::from("/p/extra"),
            ]),
            ["versions", "versions_2", "extra"]
        );
        let locations = [PathBuf::from("/p/a"), PathBuf::from("/p/a/sub")];
        assert_eq!(
            place(&locations, Path::new("/p/a/sub/x.py")),
            (1, PathBuf::from("x.py"))
        );
        assert_eq!(
            place(&locations, Path::new("/p/a/2026/x.py")),
            (0, PathBuf::from("2026/x.py"))
        );
    }

    #[test]
    fn the_migrations_folder_never_collides() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            free_folder(dir.path()).unwrap(),
            dir.path().join("migrations")
        );
        std::fs::create_dir(dir.path().join("migrations")).unwrap();
        std::fs::write(dir.path().join("aludel_migrations"), "").unwrap();
        assert_eq!(
            free_folder(dir.path()).unwrap(),
            dir.path().join("aludel_migrations_2")
        );
    }

    #[test]
    fn dialects_of_urls() {
        assert_eq!(dialect_of_url("postgres://u@h/d").unwrap(), "postgresql");
        assert_eq!(
            dialect_of_url("mariadb+pymysql://u@h/d").unwrap(),
            "mariadb"
        );
        assert_eq!(dialect_of_url("mysql://u@h/d").unwrap(), "mysql");
        assert_eq!(dialect_of_url("sqlite:///x.db").unwrap(), "sqlite");
        let e = dialect_of_url("oracle://u:secret@h/d").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
