//! Configuration: finding and reading `aludel.toml`, the environment (`.env`,
//! `${VAR}` expansion) and the database URL, into one plain [`Config`] value.
//!
//! This module owns the file format of PRODUCT §3: which file is read (`-c`,
//! `ALUDEL_CONFIG`, else the `aludel.toml` of the working directory or of its
//! nearest parent that has one, as cargo and git find theirs), which table (`-n`), every key with its type and
//! default, strict rejection of unknown keys and wrong types, relative paths (relative
//! to the config file's directory) and where the URL comes from (`--url`,
//! `DATABASE_URL`, `database_url`). It must not connect to a database, look at
//! revision files, or parse the database URL before a command asks for it (commands
//! that need no database work with a broken URL). It never shows a password.

mod error;

pub mod env;
pub mod source;
pub mod url;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use toml::{Table, Value};

pub use self::env::{Environment, ExpandError};
pub use self::error::ConfigError;
pub use self::source::SchemaSource;
pub use self::url::{DatabaseUrl, Dialect, SqliteTarget, UrlError};

/// The name of the table read when `-n` is not given.
pub const DEFAULT_NAME: &str = "aludel";
/// The config file looked for in the working directory and its parents.
pub const DEFAULT_FILE: &str = "aludel.toml";
/// The environment variable naming the config file when `-c` is not given.
pub const CONFIG_ENV_VAR: &str = "ALUDEL_CONFIG";
/// The environment variable holding the database URL of the default table
/// ([`DEFAULT_NAME`]); tables chosen with `-n` never read it.
pub const URL_ENV_VAR: &str = "DATABASE_URL";

/// Default of `file_template`.
pub const DEFAULT_FILE_TEMPLATE: &str = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}";
/// Default of `truncate_slug_length` (also used when it is 0, as in Alembic).
pub const DEFAULT_TRUNCATE_SLUG_LENGTH: usize = 40;
/// Default of `version_table`.
pub const DEFAULT_VERSION_TABLE: &str = "aludel_version";
/// Default of `lock_timeout`.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Top-level tables shared by all databases of a file (or nested per database).
const SHARED_TABLES: &[&str] = &["autogenerate", "hooks"];

pub(crate) const DATABASE_KEYS: &[&str] = &[
    "script_location",
    "version_locations",
    "recursive_version_locations",
    "file_template",
    "timezone",
    "truncate_slug_length",
    "database_url",
    "version_table",
    "version_table_schema",
    "transaction_per_migration",
    "lock_timeout",
    "autogenerate",
    "hooks",
];
pub(crate) const AUTOGENERATE_KEYS: &[&str] = &[
    "schema",
    "python",
    "python_path",
    "shadow_database_url",
    "compare_type",
    "compare_server_default",
    "include_schemas",
    "exclude_tables",
];
pub(crate) const HOOKS_KEYS: &[&str] = &["post_write", "pre_upgrade"];

/// What the command line and the caller contribute to loading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigOptions {
    /// `-c FILE`, relative to `cwd`.
    pub config_path: Option<PathBuf>,
    /// `-n NAME`: the table to read instead of `[aludel]`.
    pub name: Option<String>,
    /// `--url URL`: the strongest source of the database URL, for any table.
    pub url: Option<String>,
    /// `-x key=value` items, in command-line order.
    pub x_args: Vec<String>,
    /// The working directory (relative paths on the command line are relative to it).
    pub cwd: PathBuf,
}

/// Where the database URL came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    /// `--url`.
    CommandLine,
    /// The `DATABASE_URL` environment variable (or `.env`); only for `[aludel]`.
    EnvironmentVariable,
    /// The `database_url` key of the config file.
    ConfigFile,
}

/// `[autogenerate]`: where the desired schema is and what to compare.
#[derive(Clone, PartialEq, Eq)]
pub struct AutogenerateConfig {
    /// Where the desired schema comes from, in load order (never empty).
    /// Default: `schema.sql`.
    pub schema: Vec<SchemaSource>,
    /// The Python that loads `sqlalchemy:` sources: a path relative to the
    /// project folder, or a command name on the `PATH` (see [`crate::python`]).
    pub python: Option<String>,
    /// Folders (absolute) put on `sys.path` for `sqlalchemy:` sources, after the
    /// project folder.
    pub python_path: Vec<PathBuf>,
    /// A database aludel may create and drop scratch databases in. May hold a
    /// password: never print it (`Debug` masks it).
    pub shadow_database_url: Option<String>,
    pub compare_type: bool,
    pub compare_server_default: bool,
    pub include_schemas: Vec<String>,
    pub exclude_tables: Vec<String>,
}

impl fmt::Debug for AutogenerateConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutogenerateConfig")
            .field("schema", &self.schema)
            .field("python", &self.python)
            .field("python_path", &self.python_path)
            .field(
                "shadow_database_url",
                &self.shadow_database_url.as_deref().map(mask_text),
            )
            .field("compare_type", &self.compare_type)
            .field("compare_server_default", &self.compare_server_default)
            .field("include_schemas", &self.include_schemas)
            .field("exclude_tables", &self.exclude_tables)
            .finish()
    }
}

/// `[hooks]`: shell commands run around aludel's actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HooksConfig {
    /// Run on each new revision file; `{path}` is the file.
    pub post_write: Vec<String>,
    /// Run before an upgrade; `{url}`, `{timestamp}` are available.
    pub pre_upgrade: Vec<String>,
}

/// The configuration of one database, as read from `aludel.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute path of the file read.
    pub path: PathBuf,
    /// The table read: `aludel` unless `-n NAME`.
    pub name: String,
    /// Absolute.
    pub script_location: PathBuf,
    /// Absolute; `[script_location/versions]` unless configured.
    pub version_locations: Vec<PathBuf>,
    /// Whether `version_locations` was set in the file.
    pub version_locations_configured: bool,
    pub recursive_version_locations: bool,
    pub file_template: String,
    /// An IANA zone name (validated).
    pub timezone: String,
    /// Never 0 (0 in the file means the default, 40).
    pub truncate_slug_length: usize,
    pub version_table: String,
    pub version_table_schema: Option<String>,
    pub transaction_per_migration: bool,
    pub lock_timeout: Duration,
    pub autogenerate: AutogenerateConfig,
    pub hooks: HooksConfig,
    /// `-x key=value` (an item without `=` maps to `""`; a later item wins).
    pub x_args: BTreeMap<String, String>,
    /// The path as the user gave it, for messages.
    shown_path: PathBuf,
    url: Option<UrlSetting>,
    /// `DATABASE_URL` is set but not used, because this is not the default table.
    env_url_ignored: bool,
}

/// The database URL as configured, not yet parsed. A `database_url` from the file is
/// expanded at load time, but an expansion failure is only reported when the URL is
/// needed.
#[derive(Clone)]
struct UrlSetting {
    source: UrlSource,
    value: Result<String, ExpandError>,
}

impl fmt::Debug for UrlSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = match &self.value {
            Ok(text) => Ok(mask_text(text)),
            Err(e) => Err(e),
        };
        f.debug_struct("UrlSetting")
            .field("source", &self.source)
            .field("value", &shown)
            .finish()
    }
}

/// A URL-ish text with its password masked, whether or not it parses.
fn mask_text(text: &str) -> String {
    match DatabaseUrl::parse(text) {
        Ok(url) => url.masked(),
        Err(_) => self::url::mask_raw(text),
    }
}

impl Config {
    /// Finds, reads and checks the config file. See the module docs for the rules.
    pub fn load(opts: &ConfigOptions, env: &Environment) -> Result<Config, ConfigError> {
        let cwd = absolute_cwd(&opts.cwd)?;
        let shown_path = match (&opts.config_path, env.get(CONFIG_ENV_VAR)) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) if !p.is_empty() => PathBuf::from(p),
            _ => find_config_file(&cwd).unwrap_or_else(|| PathBuf::from(DEFAULT_FILE)),
        };
        let path = normalize(&cwd.join(&shown_path));
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::NotFound { path: shown_path })
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: shown_path,
                    source,
                })
            }
        };
        let text = String::from_utf8(text).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            ConfigError::Toml {
                path: shown_path.clone(),
                line,
                column: 1,
                message: "the file is not valid UTF-8".to_string(),
            }
        })?;
        let root: Table = toml::from_str(&text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(&text, span.start));
            ConfigError::Toml {
                path: shown_path.clone(),
                line,
                column,
                // The message only, never the echoed line: it may hold a password.
                message: e.message().trim_end().to_string(),
            }
        })?;

        let name = opts.name.as_deref().unwrap_or(DEFAULT_NAME).to_string();
        if SHARED_TABLES.contains(&name.as_str()) {
            return Err(ConfigError::ReservedName { name });
        }
        let base_dir = path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf);
        let reader = Reader {
            file: &shown_path,
            env,
        };

        let table = match root.get(&name) {
            Some(Value::Table(t)) => t,
            Some(other) => {
                return Err(ConfigError::WrongType {
                    path: shown_path.clone(),
                    table: "the file's top level".to_string(),
                    key: name,
                    expected: "a table",
                    found: other.type_str(),
                })
            }
            None => {
                return Err(ConfigError::MissingSection {
                    path: shown_path,
                    name,
                    available: database_tables_in_order(&text, &root),
                })
            }
        };
        reader.check_root(&root, &name)?;

        let label = format!("[{name}]");
        reader.check_keys(table, DATABASE_KEYS, &label)?;

        let script_location = match reader.string(table, "script_location", &label)? {
            Some(s) if s.trim().is_empty() => {
                return Err(reader.invalid(&label, "script_location", "must not be empty"))
            }
            Some(s) => normalize(&base_dir.join(s)),
            None => {
                return Err(ConfigError::MissingScriptLocation {
                    path: shown_path,
                    table: name,
                })
            }
        };
        let (version_locations, version_locations_configured) =
            match reader.string_array(table, "version_locations", &label)? {
                Some(list) if list.is_empty() => return Err(reader.invalid(
                    &label,
                    "version_locations",
                    "must list at least one folder (or be left out for <script_location>/versions)",
                )),
                Some(list) => (
                    list.iter()
                        .map(|p| normalize(&base_dir.join(p)))
                        .collect::<Vec<_>>(),
                    true,
                ),
                None => (vec![script_location.join("versions")], false),
            };
        let recursive_version_locations = reader
            .boolean(table, "recursive_version_locations", &label)?
            .unwrap_or(false);
        let file_template = match reader.string(table, "file_template", &label)? {
            Some(s) if s.trim().is_empty() => {
                return Err(reader.invalid(&label, "file_template", "must not be empty"))
            }
            Some(s) => s,
            None => DEFAULT_FILE_TEMPLATE.to_string(),
        };
        let timezone = match reader.string(table, "timezone", &label)? {
            Some(tz) => {
                if tz.parse::<chrono_tz::Tz>().is_err() {
                    return Err(reader.invalid(
                        &label,
                        "timezone",
                        &format!("'{tz}' is not an IANA time zone name (such as \"UTC\" or \"Europe/Berlin\")"),
                    ));
                }
                tz
            }
            None => "UTC".to_string(),
        };
        let truncate_slug_length = match reader.integer(table, "truncate_slug_length", &label)? {
            None | Some(0) => DEFAULT_TRUNCATE_SLUG_LENGTH,
            Some(n) => usize::try_from(n).map_err(|_| {
                reader.invalid(&label, "truncate_slug_length", "must be a positive number")
            })?,
        };
        let version_table = match reader.string(table, "version_table", &label)? {
            Some(s) if s.trim().is_empty() => {
                return Err(reader.invalid(&label, "version_table", "must not be empty"))
            }
            Some(s) => s,
            None => DEFAULT_VERSION_TABLE.to_string(),
        };
        let version_table_schema = reader
            .string(table, "version_table_schema", &label)?
            .filter(|s| !s.is_empty());
        let transaction_per_migration = reader
            .boolean(table, "transaction_per_migration", &label)?
            .unwrap_or(true);
        let lock_timeout = match table.get("lock_timeout") {
            None => DEFAULT_LOCK_TIMEOUT,
            Some(Value::Integer(n)) => u64::try_from(*n)
                .map(Duration::from_secs)
                .map_err(|_| reader.invalid(&label, "lock_timeout", "must not be negative"))?,
            Some(Value::String(_)) => {
                let text = reader
                    .string(table, "lock_timeout", &label)?
                    .unwrap_or_default();
                parse_duration(&text)
                    .map_err(|reason| reader.invalid(&label, "lock_timeout", &reason))?
            }
            Some(other) => {
                return Err(reader.wrong_type(
                    &label,
                    "lock_timeout",
                    "a duration such as \"60s\", \"500ms\", \"2m\" or a number of seconds",
                    other,
                ))
            }
        };

        let autogenerate = {
            let (t, label) = reader.shared_table(&root, table, &name, "autogenerate")?;
            let empty = Table::new();
            let t = t.unwrap_or(&empty);
            reader.check_keys(t, AUTOGENERATE_KEYS, &label)?;
            AutogenerateConfig {
                schema: reader.schema_sources(t, &label, &base_dir)?,
                python: reader
                    .string(t, "python", &label)?
                    .filter(|s| !s.is_empty()),
                python_path: reader
                    .string_array(t, "python_path", &label)?
                    .unwrap_or_default()
                    .iter()
                    .map(|p| normalize(&base_dir.join(p)))
                    .collect(),
                shadow_database_url: reader
                    .string(t, "shadow_database_url", &label)?
                    .filter(|s| !s.is_empty()),
                compare_type: reader.boolean(t, "compare_type", &label)?.unwrap_or(true),
                compare_server_default: reader
                    .boolean(t, "compare_server_default", &label)?
                    .unwrap_or(true),
                include_schemas: reader
                    .string_array(t, "include_schemas", &label)?
                    .unwrap_or_default(),
                exclude_tables: reader
                    .string_array(t, "exclude_tables", &label)?
                    .unwrap_or_default(),
            }
        };
        let hooks = {
            let (t, label) = reader.shared_table(&root, table, &name, "hooks")?;
            let empty = Table::new();
            let t = t.unwrap_or(&empty);
            reader.check_keys(t, HOOKS_KEYS, &label)?;
            HooksConfig {
                post_write: reader
                    .string_array(t, "post_write", &label)?
                    .unwrap_or_default(),
                pre_upgrade: reader
                    .string_array(t, "pre_upgrade", &label)?
                    .unwrap_or_default(),
            }
        };

        // The file's URL is type-checked and expanded now, but a failure to expand
        // it only matters to commands that connect.
        let file_url = match table.get("database_url") {
            None => None,
            Some(Value::String(s)) => Some(env.expand(s)),
            Some(other) => {
                return Err(reader.wrong_type(&label, "database_url", "a string", other))
            }
        };
        // DATABASE_URL stands in for the default table's URL only: a project with
        // several databases keeps each one's own URL whatever DATABASE_URL says.
        let env_url = env.get(URL_ENV_VAR).filter(|s| !s.is_empty());
        let env_url_ignored = env_url.is_some() && name != DEFAULT_NAME;
        let url = if let Some(u) = &opts.url {
            Some(UrlSetting {
                source: UrlSource::CommandLine,
                value: Ok(u.clone()),
            })
        } else if let Some(u) = env_url.filter(|_| name == DEFAULT_NAME) {
            Some(UrlSetting {
                source: UrlSource::EnvironmentVariable,
                value: Ok(u.to_string()),
            })
        } else {
            file_url.map(|value| UrlSetting {
                source: UrlSource::ConfigFile,
                value,
            })
        };

        let x_args = parse_x_args(&opts.x_args)?;

        Ok(Config {
            path,
            name,
            script_location,
            version_locations,
            version_locations_configured,
            recursive_version_locations,
            file_template,
            timezone,
            truncate_slug_length,
            version_table,
            version_table_schema,
            transaction_per_migration,
            lock_timeout,
            autogenerate,
            hooks,
            x_args,
            shown_path,
            url,
            env_url_ignored,
        })
    }

    /// An error about the value of `key` in this configuration, found after loading
    /// (when the database is known), with what to do about it.
    pub fn unusable(&self, key: &'static str, reason: String, hint: String) -> ConfigError {
        ConfigError::Unusable {
            path: self.shown_path.clone(),
            table: format!("[{}]", self.name),
            key,
            reason,
            hint,
        }
    }

    /// The database URL, parsed now. The error says where the URL came from and
    /// never shows the password.
    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        let setting = self
            .url
            .as_ref()
            .ok_or_else(|| ConfigError::NoDatabaseUrl {
                path: self.shown_path.clone(),
                table: self.name.clone(),
                env_url_ignored: self.env_url_ignored,
            })?;
        let text = setting
            .value
            .as_ref()
            .map_err(|source| ConfigError::Expand {
                path: self.shown_path.clone(),
                table: format!("[{}]", self.name),
                key: "database_url".to_string(),
                source: source.clone(),
            })?;
        DatabaseUrl::parse(text).map_err(|source| ConfigError::InvalidUrl {
            origin: match setting.source {
                UrlSource::CommandLine => "--url".to_string(),
                UrlSource::EnvironmentVariable => URL_ENV_VAR.to_string(),
                UrlSource::ConfigFile => {
                    format!("database_url in {}", self.shown_path.display())
                }
            },
            source,
        })
    }

    /// Where the database URL comes from, or `None` when none is configured.
    pub fn database_url_source(&self) -> Option<UrlSource> {
        self.url.as_ref().map(|s| s.source)
    }
}

/// Reads typed values from the tables of one file, with errors naming file, table
/// and key.
struct Reader<'a> {
    file: &'a Path,
    env: &'a Environment,
}

impl Reader<'_> {
    fn wrong_type(
        &self,
        table: &str,
        key: &str,
        expected: &'static str,
        found: &Value,
    ) -> ConfigError {
        ConfigError::WrongType {
            path: self.file.to_path_buf(),
            table: table.to_string(),
            key: key.to_string(),
            expected,
            found: found.type_str(),
        }
    }

    fn invalid(&self, table: &str, key: &str, reason: &str) -> ConfigError {
        ConfigError::InvalidValue {
            path: self.file.to_path_buf(),
            table: table.to_string(),
            key: key.to_string(),
            reason: reason.to_string(),
        }
    }

    fn expand(&self, table: &str, key: &str, text: &str) -> Result<String, ConfigError> {
        self.env.expand(text).map_err(|source| ConfigError::Expand {
            path: self.file.to_path_buf(),
            table: table.to_string(),
            key: key.to_string(),
            source,
        })
    }

    fn unknown_key(&self, table: &str, key: &str, known: &[&str]) -> ConfigError {
        ConfigError::UnknownKey {
            path: self.file.to_path_buf(),
            table: table.to_string(),
            key: key.to_string(),
            suggestion: suggest(key, known),
            known: known.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn check_keys(&self, table: &Table, known: &[&str], label: &str) -> Result<(), ConfigError> {
        match table.keys().find(|k| !known.contains(&k.as_str())) {
            Some(key) => Err(self.unknown_key(label, key, known)),
            None => Ok(()),
        }
    }

    /// The top level holds database tables and the shared `[autogenerate]` and
    /// `[hooks]`; every table's key names are checked, so a typo anywhere is caught.
    fn check_root(&self, root: &Table, selected: &str) -> Result<(), ConfigError> {
        const TOP: &str = "the file's top level";
        for (key, value) in root {
            let Value::Table(t) = value else {
                return Err(self.unknown_key(TOP, key, &[]));
            };
            match key.as_str() {
                "autogenerate" => self.check_keys(t, AUTOGENERATE_KEYS, "[autogenerate]")?,
                "hooks" => self.check_keys(t, HOOKS_KEYS, "[hooks]")?,
                name => {
                    if name != selected {
                        if let Some(shared) = suggest(name, SHARED_TABLES) {
                            return Err(ConfigError::UnknownKey {
                                path: self.file.to_path_buf(),
                                table: TOP.to_string(),
                                key: name.to_string(),
                                suggestion: Some(shared),
                                known: Vec::new(),
                            });
                        }
                    }
                    let label = format!("[{name}]");
                    self.check_keys(t, DATABASE_KEYS, &label)?;
                    for (nested, keys) in
                        [("autogenerate", AUTOGENERATE_KEYS), ("hooks", HOOKS_KEYS)]
                    {
                        match t.get(nested) {
                            Some(Value::Table(inner)) => {
                                self.check_keys(inner, keys, &format!("[{name}.{nested}]"))?
                            }
                            Some(other) => {
                                return Err(self.wrong_type(&label, nested, "a table", other))
                            }
                            None => {}
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// `[NAME.<shared>]` when present, else the top-level `[<shared>]`.
    fn shared_table<'t>(
        &self,
        root: &'t Table,
        table: &'t Table,
        name: &str,
        shared: &str,
    ) -> Result<(Option<&'t Table>, String), ConfigError> {
        if let Some(v) = table.get(shared) {
            return match v {
                Value::Table(t) => Ok((Some(t), format!("[{name}.{shared}]"))),
                other => Err(self.wrong_type(&format!("[{name}]"), shared, "a table", other)),
            };
        }
        match root.get(shared) {
            Some(Value::Table(t)) => Ok((Some(t), format!("[{shared}]"))),
            Some(other) => Err(self.wrong_type("the file's top level", shared, "a table", other)),
            None => Ok((None, format!("[{shared}]"))),
        }
    }

    fn string(&self, table: &Table, key: &str, label: &str) -> Result<Option<String>, ConfigError> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => self.expand(label, key, s).map(Some),
            Some(other) => Err(self.wrong_type(label, key, "a string", other)),
        }
    }

    /// `schema`: one source or an array of them, each read by [`SchemaSource::parse`].
    fn schema_sources(
        &self,
        table: &Table,
        label: &str,
        base_dir: &Path,
    ) -> Result<Vec<SchemaSource>, ConfigError> {
        let parse = |key: &str, text: &str| {
            SchemaSource::parse(text, base_dir).map_err(|reason| self.invalid(label, key, &reason))
        };
        match table.get("schema") {
            None => Ok(vec![parse("schema", "schema.sql")?]),
            Some(Value::Array(_)) => {
                let items = self.string_array(table, "schema", label)?.unwrap_or_default();
                if items.is_empty() {
                    return Err(self.invalid(
                        label,
                        "schema",
                        "an empty array names no schema: list .sql files or folders, \
                         \"sqlalchemy:MODULE:ATTR\" or \"command:CMD\" values",
                    ));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, text)| parse(&format!("schema[{i}]"), text))
                    .collect()
            }
            Some(Value::String(text)) => {
                let text = self.expand(label, "schema", text)?;
                Ok(vec![parse("schema", &text)?])
            }
            Some(other) => Err(self.wrong_type(
                label,
                "schema",
                "a string or an array of strings (.sql file or folder, \"sqlalchemy:MODULE:ATTR\", \"command:CMD\")",
                other,
            )),
        }
    }

    fn boolean(&self, table: &Table, key: &str, label: &str) -> Result<Option<bool>, ConfigError> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(label, key, "true or false", other)),
        }
    }

    fn integer(&self, table: &Table, key: &str, label: &str) -> Result<Option<i64>, ConfigError> {
        match table.get(key) {
            None => Ok(None),
            Some(Value::Integer(n)) => Ok(Some(*n)),
            Some(other) => Err(self.wrong_type(label, key, "an integer", other)),
        }
    }

    fn string_array(
        &self,
        table: &Table,
        key: &str,
        label: &str,
    ) -> Result<Option<Vec<String>>, ConfigError> {
        const EXPECTED: &str = "an array of strings, e.g. [\"a\", \"b\"]";
        match table.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => self.expand(label, &format!("{key}[{i}]"), s),
                    other => Err(self.wrong_type(label, &format!("{key}[{i}]"), "a string", other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong_type(label, key, EXPECTED, other)),
        }
    }
}

/// The database tables of a file (top-level tables other than the shared ones), in
/// the order their headers appear in the text.
fn database_tables_in_order(text: &str, root: &Table) -> Vec<String> {
    let is_db = |name: &str| {
        matches!(root.get(name), Some(Value::Table(_))) && !SHARED_TABLES.contains(&name)
    };
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some(header) = line.strip_prefix('[') else {
            continue;
        };
        if header.starts_with('[') {
            continue;
        }
        let Some(end) = header.find(']') else {
            continue;
        };
        let first = header[..end].split('.').next().unwrap_or("").trim();
        let first = first.trim_matches(|c| c == '"' || c == '\'');
        if is_db(first) && !names.iter().any(|n| n == first) {
            names.push(first.to_string());
        }
    }
    // Tables the header scan missed (quoted names with dots, inline tables).
    for name in root.keys() {
        if is_db(name) && !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The closest known name, if it is close enough to be a likely typo.
fn suggest(key: &str, known: &[&str]) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "url" | "sqlalchemy" | "sqlalchemy.url" | "database" | "db_url"
    ) && known.contains(&"database_url")
    {
        return Some("database_url".to_string());
    }
    known
        .iter()
        .map(|k| (levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `-x key=value` items into a map: split at the first `=`; no `=` maps to `""`.
fn parse_x_args(items: &[String]) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut map = BTreeMap::new();
    for item in items {
        let (key, value) = item.split_once('=').unwrap_or((item.as_str(), ""));
        if key.is_empty() {
            return Err(ConfigError::InvalidXArg { arg: item.clone() });
        }
        map.insert(key.to_string(), value.to_string());
    }
    Ok(map)
}

/// `"60s"`, `"500ms"`, `"2m"`, `"1h"`, or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits_end);
    let unit = unit.trim();
    let invalid = || {
        format!("'{text}' is not a duration; write e.g. \"60s\", \"500ms\", \"2m\", \"1h\" or a number of seconds")
    };
    let n: u64 = number.parse().map_err(|_| invalid())?;
    let duration = match unit {
        "" | "s" | "sec" | "secs" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" | "min" | "mins" => n
            .checked_mul(60)
            .map(Duration::from_secs)
            .ok_or_else(invalid)?,
        "h" => n
            .checked_mul(3600)
            .map(Duration::from_secs)
            .ok_or_else(invalid)?,
        _ => return Err(invalid()),
    };
    Ok(duration)
}

/// The nearest `aludel.toml` in `cwd` or its parents, as a path relative to `cwd`
/// (`aludel.toml`, `../aludel.toml`, …), so that messages stay short.
pub fn find_config_file(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors().enumerate().find_map(|(up, dir)| {
        dir.join(DEFAULT_FILE).is_file().then(|| {
            let mut path: PathBuf = std::iter::repeat_n("..", up).collect();
            path.push(DEFAULT_FILE);
            path
        })
    })
}

fn absolute_cwd(cwd: &Path) -> Result<PathBuf, ConfigError> {
    if cwd.is_absolute() {
        return Ok(normalize(cwd));
    }
    let here = std::env::current_dir().map_err(|source| ConfigError::CurrentDir { source })?;
    Ok(normalize(&here.join(cwd)))
}

/// Removes `.` components and folds `..` into its parent, lexically.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else if !matches!(
                    out.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_))
                ) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

#[cfg(test)]
mod tests;
