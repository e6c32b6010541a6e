//! `aludel init` and `aludel list-templates`: the starter templates embedded in the
//! binary, and creating a new project on disk from one of them.
//!
//! This module owns the templates (`crates/aludel/templates/<name>/`, embedded at
//! compile time) and the creation of a project: the migrations folder, its
//! `versions/`, `script.sql.tmpl` and `README.md`, plus `aludel.toml` and `schema.sql`
//! when absent. It validates everything before writing anything, writes each file
//! atomically (temporary file + rename), never overwrites an existing file, and removes
//! what it created if a later step fails. It must not read or interpret configuration
//! (that is `config`) or print anything (the CLI renders the [`InitReport`]).

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

/// The folder `init` creates when none is given.
pub const DEFAULT_DIRECTORY: &str = "migrations";
/// The template `init` uses when none is given.
pub const DEFAULT_TEMPLATE: &str = "generic";

/// A template as listed by `list-templates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateInfo {
    pub name: &'static str,
    /// The first line of the template's README.
    pub description: &'static str,
}

/// Options of `aludel init [DIR] [--template NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// The migrations folder, relative to `cwd` (default `migrations`).
    pub directory: PathBuf,
    /// The template name (default `generic`).
    pub template: String,
    /// Where `aludel.toml` goes, relative to `cwd`.
    pub config_path: PathBuf,
    /// The working directory.
    pub cwd: PathBuf,
}

impl Default for InitOptions {
    fn default() -> Self {
        InitOptions {
            directory: PathBuf::from(DEFAULT_DIRECTORY),
            template: DEFAULT_TEMPLATE.to_string(),
            config_path: PathBuf::from(crate::config::DEFAULT_FILE),
            cwd: PathBuf::from("."),
        }
    }
}

/// One thing `init` did, with an absolute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitAction {
    CreatedDirectory(PathBuf),
    GeneratedFile(PathBuf),
    /// A file that exists already and was left as it was.
    SkippedExisting(PathBuf),
}

/// What `init` did, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub actions: Vec<InitAction>,
    /// Absolute path of the project's `aludel.toml` (new or existing).
    pub config_path: PathBuf,
}

#[derive(Debug, Error)]
pub enum InitError {
    #[error("No such template '{name}'")]
    UnknownTemplate {
        name: String,
        available: Vec<&'static str>,
    },

    /// `dir` as the user gave it.
    #[error("Directory {} already exists and is not empty", .dir.display())]
    DirectoryNotEmpty { dir: PathBuf },

    #[error("'{}' exists and is not a directory", .path.display())]
    NotADirectory { path: PathBuf },

    #[error("the config file path '{}' is a directory", .path.display())]
    ConfigPathIsDirectory { path: PathBuf },

    #[error("the path '{}' is not valid UTF-8, so it cannot be written into aludel.toml", .path.display())]
    NonUtf8Path { path: PathBuf },

    #[error("cannot determine the working directory: {source}")]
    CurrentDir {
        #[source]
        source: std::io::Error,
    },

    /// `action` is e.g. "create directory", "write", "read directory".
    #[error("cannot {action} '{}': {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl InitError {
    /// What to do about the error, for the CLI's `hint:` line.
    pub fn hint(&self) -> Option<String> {
        match self {
            InitError::UnknownTemplate { available, .. } => Some(format!(
                "available templates: {} (see 'aludel list-templates')",
                available.join(", ")
            )),
            InitError::DirectoryNotEmpty { .. } => Some(
                "choose a new or empty directory, e.g. 'aludel init db/migrations'; nothing was written"
                    .to_string(),
            ),
            InitError::NotADirectory { .. } => {
                Some("choose another path; nothing was written".to_string())
            }
            InitError::ConfigPathIsDirectory { .. } => {
                Some("pass -c with a file path such as aludel.toml".to_string())
            }
            InitError::NonUtf8Path { .. } => {
                Some("choose a directory whose name is valid UTF-8".to_string())
            }
            InitError::CurrentDir { .. } => None,
            InitError::Io { .. } => Some(
                "check permissions and free space; files and folders created by this run were removed"
                    .to_string(),
            ),
        }
    }
}

impl InitError {
    /// The stable name of this error and its fields, for programs
    /// (docs/json-output.md).
    pub fn fields(&self) -> crate::error::ErrorFields {
        use crate::error::ErrorFields;
        match self {
            InitError::UnknownTemplate { .. } => ErrorFields::new("unknown_template"),
            InitError::DirectoryNotEmpty { dir } => {
                ErrorFields::new("directory_not_empty").at(Some(dir), None)
            }
            InitError::NotADirectory { path } => {
                ErrorFields::new("init_path_not_a_directory").at(Some(path), None)
            }
            InitError::ConfigPathIsDirectory { path } => {
                ErrorFields::new("config_path_is_directory").at(Some(path), None)
            }
            InitError::NonUtf8Path { path } => {
                ErrorFields::new("path_not_utf8").at(Some(path), None)
            }
            InitError::CurrentDir { .. } => ErrorFields::new("working_directory_unreadable"),
            InitError::Io { path, .. } => {
                ErrorFields::new("init_write_failed").at(Some(path), None)
            }
        }
    }
}

/// The files a template consists of, embedded at compile time.
struct Template {
    name: &'static str,
    readme: &'static str,
    config: &'static str,
    script: &'static str,
    /// `schema.sql` (beside aludel.toml, or in each database's folder); `None` when
    /// the desired schema is not SQL (the models of `project_files`).
    schema: Option<&'static str>,
    /// For templates with one sub-folder per database: its README and the names.
    databases: Option<(&'static str, &'static [&'static str])>,
    /// Files beside aludel.toml (path relative to it, contents), written when absent.
    project_files: &'static [(&'static str, &'static str)],
}

const TEMPLATES: &[Template] = &[
    Template {
        name: "generic",
        readme: include_str!("../templates/generic/README.md"),
        config: include_str!("../templates/generic/aludel.toml"),
        script: crate::script::DEFAULT_TEMPLATE,
        schema: Some(include_str!("../templates/generic/schema.sql")),
        databases: None,
        project_files: &[],
    },
    Template {
        name: "multidb",
        readme: include_str!("../templates/multidb/README.md"),
        config: include_str!("../templates/multidb/aludel.toml"),
        script: crate::script::DEFAULT_TEMPLATE,
        schema: Some(include_str!("../templates/multidb/schema.sql")),
        databases: Some((
            include_str!("../templates/multidb/database.README.md"),
            &["primary", "analytics"],
        )),
        project_files: &[],
    },
    Template {
        name: "sqlalchemy",
        readme: include_str!("../templates/sqlalchemy/README.md"),
        config: include_str!("../templates/sqlalchemy/aludel.toml"),
        script: crate::script::DEFAULT_TEMPLATE,
        schema: None,
        databases: None,
        project_files: &[
            (
                "app/__init__.py",
                include_str!("../templates/sqlalchemy/app/__init__.py"),
            ),
            (
                "app/models.py",
                include_str!("../templates/sqlalchemy/app/models.py"),
            ),
        ],
    },
];

impl Template {
    fn description(&self) -> &'static str {
        let first = self.readme.lines().next().unwrap_or("");
        first.trim_start_matches('#').trim()
    }
}

/// The templates `init` knows, in a stable order.
pub fn list_templates() -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|t| TemplateInfo {
            name: t.name,
            description: t.description(),
        })
        .collect()
}

/// A file to write.
struct PlannedFile {
    path: PathBuf,
    contents: String,
    /// `aludel.toml` and `schema.sql` are written only when absent (then skipped);
    /// files inside the new folder never exist beforehand.
    skip_if_exists: bool,
}

/// Everything `init` will do, decided before anything is written.
struct Plan {
    /// Created in order when missing.
    directories: Vec<PathBuf>,
    files: Vec<PlannedFile>,
}

/// Creates a project: see the module docs and PRODUCT §1.
pub fn init(opts: &InitOptions) -> Result<InitReport, InitError> {
    let cwd = absolute(&opts.cwd)?;
    let template = TEMPLATES
        .iter()
        .find(|t| t.name == opts.template)
        .ok_or_else(|| InitError::UnknownTemplate {
            name: opts.template.clone(),
            available: TEMPLATES.iter().map(|t| t.name).collect(),
        })?;

    let dir = crate::config::normalize(&cwd.join(&opts.directory));
    check_target_directory(&dir, &opts.directory)?;

    let config_path = crate::config::normalize(&cwd.join(&opts.config_path));
    if config_path.is_dir() {
        return Err(InitError::ConfigPathIsDirectory { path: config_path });
    }
    let config_dir = config_path
        .parent()
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    check_creatable(&config_dir)?;

    let rel = relative_path(&config_dir, &dir);
    let rel_text = rel
        .to_str()
        .ok_or_else(|| InitError::NonUtf8Path { path: dir.clone() })?
        .replace('\\', "/");
    let plan = plan(template, &dir, &config_path, &config_dir, &rel_text);
    let actions = execute(&plan)?;
    Ok(InitReport {
        actions,
        config_path,
    })
}

fn plan(template: &Template, dir: &Path, config_path: &Path, config_dir: &Path, rel: &str) -> Plan {
    let mut directories = missing_ancestors(dir);
    let mut files = Vec::new();
    let new_file = |path: PathBuf, contents: &str| PlannedFile {
        path,
        contents: contents.to_string(),
        skip_if_exists: false,
    };
    files.push(new_file(dir.join("README.md"), template.readme));
    match template.databases {
        None => {
            directories.push(dir.join("versions"));
            files.push(new_file(
                dir.join(crate::project::TEMPLATE_FILE),
                template.script,
            ));
        }
        Some((readme, names)) => {
            for name in names {
                let sub = dir.join(name);
                directories.push(sub.clone());
                directories.push(sub.join("versions"));
                files.push(new_file(
                    sub.join(crate::project::TEMPLATE_FILE),
                    template.script,
                ));
                files.push(new_file(
                    sub.join("README.md"),
                    &readme.replace("{{name}}", name),
                ));
                if let Some(schema) = template.schema {
                    files.push(new_file(sub.join("schema.sql"), schema));
                }
            }
        }
    }
    for d in missing_ancestors(config_dir) {
        if !directories.contains(&d) {
            directories.push(d);
        }
    }
    files.push(PlannedFile {
        path: config_path.to_path_buf(),
        contents: render_config(template.config, rel),
        skip_if_exists: true,
    });
    if let (None, Some(schema)) = (template.databases, template.schema) {
        files.push(PlannedFile {
            path: config_dir.join("schema.sql"),
            contents: schema.to_string(),
            skip_if_exists: true,
        });
    }
    for (path, contents) in template.project_files {
        let path = config_dir.join(path);
        for d in path.parent().map(missing_ancestors).unwrap_or_default() {
            if !directories.contains(&d) {
                directories.push(d);
            }
        }
        files.push(PlannedFile {
            path,
            contents: contents.to_string(),
            skip_if_exists: true,
        });
    }
    Plan { directories, files }
}

/// Substitutes the migrations folder (relative to the config file) into a config
/// template, as the contents of TOML basic strings.
fn render_config(text: &str, rel: &str) -> String {
    let escaped = toml_escape(rel);
    let prefix = if rel == "." {
        String::new()
    } else {
        format!("{escaped}/")
    };
    text.replace("{{dir}}/", &prefix)
        .replace("{{dir}}", &escaped)
}

fn toml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// DIR may be missing or an empty directory.
fn check_target_directory(dir: &Path, shown: &Path) -> Result<(), InitError> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => check_creatable(dir),
        Err(source) => {
            // A file in the way gives "not a directory": name that file.
            check_creatable(dir)?;
            Err(InitError::Io {
                action: "inspect",
                path: dir.to_path_buf(),
                source,
            })
        }
        Ok(meta) if !meta.is_dir() => Err(InitError::NotADirectory {
            path: dir.to_path_buf(),
        }),
        Ok(_) => {
            let mut entries = fs::read_dir(dir).map_err(|source| InitError::Io {
                action: "read directory",
                path: dir.to_path_buf(),
                source,
            })?;
            if entries.next().is_some() {
                Err(InitError::DirectoryNotEmpty {
                    dir: shown.to_path_buf(),
                })
            } else {
                Ok(())
            }
        }
    }
}

/// The nearest existing ancestor of `dir` (or `dir` itself) must be a directory.
fn check_creatable(dir: &Path) -> Result<(), InitError> {
    for ancestor in dir.ancestors() {
        if let Ok(meta) = fs::metadata(ancestor) {
            return if meta.is_dir() {
                Ok(())
            } else {
                Err(InitError::NotADirectory {
                    path: ancestor.to_path_buf(),
                })
            };
        }
    }
    Ok(())
}

/// `dir` and its ancestors that do not exist, outermost first.
fn missing_ancestors(dir: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && fs::metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Carries out a plan; on failure, removes what this run created.
fn execute(plan: &Plan) -> Result<Vec<InitAction>, InitError> {
    let mut actions = Vec::new();
    let result = execute_steps(plan, &mut actions);
    if result.is_err() {
        roll_back(&actions);
    }
    result.map(|()| actions)
}

fn execute_steps(plan: &Plan, actions: &mut Vec<InitAction>) -> Result<(), InitError> {
    for dir in &plan.directories {
        if fs::metadata(dir).is_ok() {
            continue;
        }
        fs::create_dir(dir).map_err(|source| InitError::Io {
            action: "create directory",
            path: dir.clone(),
            source,
        })?;
        actions.push(InitAction::CreatedDirectory(dir.clone()));
    }
    for file in &plan.files {
        if file.skip_if_exists && fs::symlink_metadata(&file.path).is_ok() {
            actions.push(InitAction::SkippedExisting(file.path.clone()));
            continue;
        }
        let written =
            write_new_file(&file.path, &file.contents).map_err(|source| InitError::Io {
                action: "write",
                path: file.path.clone(),
                source,
            })?;
        actions.push(if written {
            InitAction::GeneratedFile(file.path.clone())
        } else {
            InitAction::SkippedExisting(file.path.clone())
        });
    }
    Ok(())
}

/// Best effort: removes the files and directories this run created, newest first.
fn roll_back(actions: &[InitAction]) {
    for action in actions.iter().rev() {
        match action {
            InitAction::GeneratedFile(p) => {
                let _ = fs::remove_file(p);
            }
            InitAction::CreatedDirectory(p) => {
                // Only if still empty: never remove anything else.
                let _ = fs::remove_dir(p);
            }
            InitAction::SkippedExisting(_) => {}
        }
    }
}

/// Writes `contents` to a temporary file next to `path`, then moves it into place
/// unless `path` exists. Returns whether the file was written.
fn write_new_file(path: &Path, contents: &str) -> std::io::Result<bool> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp, mut handle) = create_temp(parent, &file_name)?;
    let written = handle
        .write_all(contents.as_bytes())
        .and_then(|()| handle.sync_all());
    drop(handle);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let persisted = persist_new(&tmp, path);
    if persisted.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    persisted
}

fn create_temp(dir: &Path, file_name: &str) -> std::io::Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = dir.join(format!(".{file_name}.aludel-{pid}-{nanos}-{attempt}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Moves `tmp` to `target` unless `target` exists (a hard link refuses to replace
/// a file; where links are unsupported, an existence check and a rename).
fn persist_new(tmp: &Path, target: &Path) -> std::io::Result<bool> {
    match fs::hard_link(tmp, target) {
        Ok(()) => {
            let _ = fs::remove_file(tmp);
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = fs::remove_file(tmp);
            Ok(false)
        }
        Err(_) => {
            if fs::symlink_metadata(target).is_ok() {
                let _ = fs::remove_file(tmp);
                return Ok(false);
            }
            fs::rename(tmp, target)?;
            Ok(true)
        }
    }
}

/// `to` relative to the directory `from` (both absolute and normalised); `to` itself
/// when they share no root (another drive on Windows).
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_components: Vec<Component> = to.components().collect();
    if from.first() != to_components.first() {
        return to.to_path_buf();
    }
    let common = from
        .iter()
        .zip(&to_components)
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to_components[common..] {
        rel.push(c.as_os_str());
    }
    if rel.as_os_str().is_empty() {
        rel.push(".");
    }
    rel
}

fn absolute(cwd: &Path) -> Result<PathBuf, InitError> {
    if cwd.is_absolute() {
        return Ok(crate::config::normalize(cwd));
    }
    let here = std::env::current_dir().map_err(|source| InitError::CurrentDir { source })?;
    Ok(crate::config::normalize(&here.join(cwd)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigError, ConfigOptions, Environment, SchemaSource};
    use std::collections::HashMap;

    const SCRIPT: &str = crate::script::DEFAULT_TEMPLATE;

    fn opts(cwd: &Path) -> InitOptions {
        InitOptions {
            cwd: cwd.to_path_buf(),
            ..InitOptions::default()
        }
    }

    fn no_env() -> Environment {
        Environment::from_map(HashMap::new())
    }

    fn load(cwd: &Path, config: Option<&str>, name: Option<&str>) -> Result<Config, ConfigError> {
        Config::load(
            &ConfigOptions {
                config_path: config.map(PathBuf::from),
                name: name.map(str::to_string),
                cwd: cwd.to_path_buf(),
                ..ConfigOptions::default()
            },
            &no_env(),
        )
    }

    /// Every file under `dir`, relative, sorted.
    fn tree(dir: &Path) -> Vec<String> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if path.is_dir() {
                    out.push(format!("{rel}/"));
                    walk(base, &path, out);
                } else {
                    out.push(rel);
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out.sort();
        out
    }

    #[test]
    fn templates_are_listed_with_their_readme_first_line() {
        let list = list_templates();
        let names: Vec<&str> = list.iter().map(|t| t.name).collect();
        assert_eq!(names, ["generic", "multidb", "sqlalchemy"]);
        assert_eq!(
            list[0].description,
            "Single database: one aludel.toml table and one migrations folder."
        );
        assert_eq!(
            list[1].description,
            "Several databases in one aludel.toml, each with its own migrations folder."
        );
        assert_eq!(
            list[2].description,
            "Single database whose desired schema is SQLAlchemy models (app/models.py, FastAPI-style)."
        );
        for t in TEMPLATES {
            assert_eq!(t.script, SCRIPT, "{}", t.name);
        }
    }

    #[test]
    fn generic_creates_the_project() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let report = init(&opts(tmp.path())).unwrap();
        assert_eq!(report.config_path, root.join("aludel.toml"));
        assert_eq!(
            report.actions,
            vec![
                InitAction::CreatedDirectory(root.join("migrations")),
                InitAction::CreatedDirectory(root.join("migrations/versions")),
                InitAction::GeneratedFile(root.join("migrations/README.md")),
                InitAction::GeneratedFile(root.join("migrations/script.sql.tmpl")),
                InitAction::GeneratedFile(root.join("aludel.toml")),
                InitAction::GeneratedFile(root.join("schema.sql")),
            ]
        );
        assert_eq!(
            tree(&root),
            [
                "aludel.toml",
                "migrations/",
                "migrations/README.md",
                "migrations/script.sql.tmpl",
                "migrations/versions/",
                "schema.sql",
            ]
        );
        assert_eq!(
            fs::read_to_string(root.join("migrations/script.sql.tmpl")).unwrap(),
            SCRIPT
        );
        let readme = fs::read_to_string(root.join("migrations/README.md")).unwrap();
        for command in [
            "aludel revision -m \"",
            "aludel upgrade head",
            "aludel history",
        ] {
            assert!(readme.contains(command), "{command}");
        }
        let toml_text = fs::read_to_string(root.join("aludel.toml")).unwrap();
        assert!(
            toml_text.contains("script_location = \"migrations\"\n"),
            "{toml_text}"
        );

        let cfg = load(&root, None, None).unwrap();
        assert_eq!(cfg.script_location, root.join("migrations"));
        assert_eq!(
            cfg.version_locations,
            vec![root.join("migrations/versions")]
        );
        assert_eq!(
            cfg.autogenerate.schema,
            [SchemaSource::Sql(root.join("schema.sql"))]
        );
        assert_eq!(
            cfg.file_template,
            "{year}{month}{day}_{hour}{minute}_{rev}_{slug}"
        );
        assert_eq!(cfg.version_table, "aludel_version");
        let url = cfg.database_url().unwrap();
        assert_eq!(
            url.sqlite_target(),
            Some(crate::config::SqliteTarget::File("app.db".into()))
        );
    }

    #[test]
    fn sqlalchemy_lays_out_an_app_package_beside_aludel_toml() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        init(&InitOptions {
            template: "sqlalchemy".to_string(),
            ..opts(tmp.path())
        })
        .unwrap();
        assert_eq!(
            tree(&root),
            [
                "aludel.toml",
                "app/",
                "app/__init__.py",
                "app/models.py",
                "migrations/",
                "migrations/README.md",
                "migrations/script.sql.tmpl",
                "migrations/versions/",
            ]
        );
        let readme = fs::read_to_string(root.join("migrations/README.md")).unwrap();
        for command in [
            "aludel revision --autogenerate -m \"",
            "aludel upgrade head",
            "aludel check",
        ] {
            assert!(readme.contains(command), "{command}");
        }
        let cfg = load(&root, None, None).unwrap();
        assert_eq!(
            cfg.autogenerate.schema,
            [SchemaSource::SqlAlchemy {
                module: "app.models".into(),
                attr: "Base".into()
            }]
        );
        assert_eq!(cfg.autogenerate.python_path, std::slice::from_ref(&root));
        // An existing models file is kept.
        let again = tempfile::tempdir().unwrap();
        fs::create_dir(again.path().join("app")).unwrap();
        fs::write(again.path().join("app/models.py"), "mine").unwrap();
        let report = init(&InitOptions {
            template: "sqlalchemy".to_string(),
            ..opts(again.path())
        })
        .unwrap();
        let kept = crate::config::normalize(&again.path().join("app/models.py"));
        assert!(report
            .actions
            .contains(&InitAction::SkippedExisting(kept.clone())));
        assert_eq!(fs::read_to_string(kept).unwrap(), "mine");
    }

    #[test]
    fn the_generic_config_mentions_every_key() {
        let text = TEMPLATES[0].config;
        let keys = crate::config::DATABASE_KEYS
            .iter()
            .chain(crate::config::AUTOGENERATE_KEYS)
            .chain(crate::config::HOOKS_KEYS)
            .chain(&["[autogenerate]", "[hooks]"]);
        for key in keys {
            assert!(text.contains(key), "{key}");
        }
    }

    #[test]
    fn an_existing_empty_directory_is_used() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        fs::create_dir(root.join("migrations")).unwrap();
        let report = init(&opts(&root)).unwrap();
        assert_eq!(
            report.actions[0],
            InitAction::CreatedDirectory(root.join("migrations/versions"))
        );
        assert!(root.join("migrations/script.sql.tmpl").is_file());
    }

    #[test]
    fn a_non_empty_directory_is_refused_and_nothing_written() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        fs::create_dir(root.join("migrations")).unwrap();
        fs::write(root.join("migrations/keep.txt"), "x").unwrap();
        let err = init(&opts(&root)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Directory migrations already exists and is not empty"
        );
        assert!(err.hint().is_some());
        assert_eq!(tree(&root), ["migrations/", "migrations/keep.txt"]);

        // A file in the way is refused too.
        fs::write(root.join("afile"), "x").unwrap();
        let mut o = opts(&root);
        o.directory = "afile".into();
        assert!(matches!(
            init(&o).unwrap_err(),
            InitError::NotADirectory { .. }
        ));
        o.directory = "afile/sub".into();
        assert!(matches!(
            init(&o).unwrap_err(),
            InitError::NotADirectory { .. }
        ));
        assert_eq!(tree(&root), ["afile", "migrations/", "migrations/keep.txt"]);
    }

    #[test]
    fn unknown_template_is_refused_and_nothing_written() {
        let tmp = tempfile::tempdir().unwrap();
        let mut o = opts(tmp.path());
        o.template = "fancy".into();
        let err = init(&o).unwrap_err();
        assert_eq!(err.to_string(), "No such template 'fancy'");
        assert_eq!(
            err.hint().unwrap(),
            "available templates: generic, multidb, sqlalchemy (see 'aludel list-templates')"
        );
        assert!(tree(tmp.path()).is_empty());
    }

    #[test]
    fn existing_config_and_schema_are_kept_byte_for_byte() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let mine = b"# mine\r\n[aludel]\r\nscript_location = \"elsewhere\"\r\n\xef\xbb\xbf";
        fs::write(root.join("aludel.toml"), mine).unwrap();
        fs::write(root.join("schema.sql"), "CREATE TABLE t (id int);\n").unwrap();
        let report = init(&opts(&root)).unwrap();
        assert!(report
            .actions
            .contains(&InitAction::SkippedExisting(root.join("aludel.toml"))));
        assert!(report
            .actions
            .contains(&InitAction::SkippedExisting(root.join("schema.sql"))));
        assert_eq!(fs::read(root.join("aludel.toml")).unwrap(), mine);
        assert_eq!(
            fs::read_to_string(root.join("schema.sql")).unwrap(),
            "CREATE TABLE t (id int);\n"
        );
        assert!(root.join("migrations/versions").is_dir());
        // No temporary files left behind.
        assert!(
            tree(&root).iter().all(|f| !f.contains(".aludel-")),
            "{:?}",
            tree(&root)
        );
    }

    #[test]
    fn config_elsewhere_gets_a_relative_script_location() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let o = InitOptions {
            directory: "db/migrations".into(),
            config_path: "conf/aludel.toml".into(),
            ..opts(&root)
        };
        let report = init(&o).unwrap();
        assert_eq!(report.config_path, root.join("conf/aludel.toml"));
        assert!(report
            .actions
            .contains(&InitAction::CreatedDirectory(root.join("db"))));
        assert!(report
            .actions
            .contains(&InitAction::CreatedDirectory(root.join("conf"))));
        let text = fs::read_to_string(root.join("conf/aludel.toml")).unwrap();
        assert!(
            text.contains("script_location = \"../db/migrations\"\n"),
            "{text}"
        );
        assert!(root.join("conf/schema.sql").is_file());
        let cfg = load(&root, Some("conf/aludel.toml"), None).unwrap();
        assert_eq!(cfg.script_location, root.join("db/migrations"));
        assert_eq!(
            cfg.autogenerate.schema,
            [SchemaSource::Sql(root.join("conf/schema.sql"))]
        );
    }

    #[test]
    fn init_into_the_config_directory_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let o = InitOptions {
            directory: ".".into(),
            ..opts(&root)
        };
        init(&o).unwrap();
        let text = fs::read_to_string(root.join("aludel.toml")).unwrap();
        assert!(text.contains("script_location = \".\"\n"), "{text}");
        let cfg = load(&root, None, None).unwrap();
        assert_eq!(cfg.script_location, root);
        assert_eq!(cfg.version_locations, vec![root.join("versions")]);
    }

    #[test]
    fn odd_directory_names_are_escaped_in_toml() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let o = InitOptions {
            directory: "my \"mig\" $dir".into(),
            ..opts(&root)
        };
        init(&o).unwrap();
        let cfg = load(&root, None, None).unwrap();
        assert_eq!(cfg.script_location, root.join("my \"mig\" $dir"));
    }

    #[test]
    fn multidb_creates_one_folder_per_database() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        let o = InitOptions {
            template: "multidb".into(),
            ..opts(&root)
        };
        init(&o).unwrap();
        assert_eq!(
            tree(&root),
            [
                "aludel.toml",
                "migrations/",
                "migrations/README.md",
                "migrations/analytics/",
                "migrations/analytics/README.md",
                "migrations/analytics/schema.sql",
                "migrations/analytics/script.sql.tmpl",
                "migrations/analytics/versions/",
                "migrations/primary/",
                "migrations/primary/README.md",
                "migrations/primary/schema.sql",
                "migrations/primary/script.sql.tmpl",
                "migrations/primary/versions/",
            ]
        );
        assert_eq!(
            fs::read_to_string(root.join("migrations/primary/script.sql.tmpl")).unwrap(),
            SCRIPT
        );
        let readme = fs::read_to_string(root.join("migrations/README.md")).unwrap();
        assert!(readme.contains("aludel -n primary upgrade head"));
        let sub = fs::read_to_string(root.join("migrations/analytics/README.md")).unwrap();
        assert!(sub.contains("aludel -n analytics upgrade head") && !sub.contains("{{"));

        // Loads with -n, even though the URL's variable is not set.
        let cfg = load(&root, None, Some("primary")).unwrap();
        assert_eq!(cfg.script_location, root.join("migrations/primary"));
        assert_eq!(
            cfg.autogenerate.schema,
            [SchemaSource::Sql(
                root.join("migrations/primary/schema.sql")
            )]
        );
        let err = cfg.database_url().unwrap_err().to_string();
        assert!(err.contains("'PRIMARY_DATABASE_URL' is not set"), "{err}");
        let cfg = load(&root, None, Some("analytics")).unwrap();
        assert_eq!(
            cfg.version_locations,
            vec![root.join("migrations/analytics/versions")]
        );

        // Without -n: the missing-section error listing the databases.
        let err = load(&root, None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No config file 'aludel.toml' found, or file has no '[aludel]' section"
        );
        assert!(
            err.hint().unwrap().contains("primary, analytics"),
            "{:?}",
            err.hint()
        );
    }

    #[test]
    fn a_failure_midway_removes_what_was_created() {
        let tmp = tempfile::tempdir().unwrap();
        let root = crate::config::normalize(tmp.path());
        fs::write(root.join("existing.txt"), "keep").unwrap();
        let plan = Plan {
            directories: vec![root.join("a"), root.join("a/b")],
            files: vec![
                PlannedFile {
                    path: root.join("a/one.txt"),
                    contents: "1".into(),
                    skip_if_exists: false,
                },
                PlannedFile {
                    path: root.join("existing.txt"),
                    contents: "new".into(),
                    skip_if_exists: true,
                },
                PlannedFile {
                    path: root.join("missing/two.txt"),
                    contents: "2".into(),
                    skip_if_exists: false,
                },
            ],
        };
        let err = execute(&plan).unwrap_err();
        assert!(
            matches!(
                err,
                InitError::Io {
                    action: "write",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(tree(&root), ["existing.txt"]);
        assert_eq!(
            fs::read_to_string(root.join("existing.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(
            relative_path(Path::new("/a/b"), Path::new("/a/b/c")),
            PathBuf::from("c")
        );
        assert_eq!(
            relative_path(Path::new("/a/b"), Path::new("/a/x/y")),
            PathBuf::from("../x/y")
        );
        assert_eq!(
            relative_path(Path::new("/a/b"), Path::new("/a/b")),
            PathBuf::from(".")
        );
        assert_eq!(
            relative_path(Path::new("/a"), Path::new("/")),
            PathBuf::from("..")
        );
        assert_eq!(toml_escape("a\\b\"c\n"), "a\\\\b\\\"c\\u000A");
        assert_eq!(
            render_config("x = \"{{dir}}/p\" y = \"{{dir}}\"", "."),
            "x = \"p\" y = \".\""
        );
        assert_eq!(render_config("x = \"{{dir}}/p\"", "m"), "x = \"m/p\"");
    }
}
