//! Tests of `aludel.toml` loading, with real files in temporary directories.

use std::collections::HashMap;
use std::path::Path;

use super::*;

fn env(pairs: &[(&str, &str)]) -> Environment {
    Environment::from_map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    )
}

fn opts(dir: &Path) -> ConfigOptions {
    ConfigOptions {
        cwd: dir.to_path_buf(),
        ..ConfigOptions::default()
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn load_text(text: &str) -> (tempfile::TempDir, Result<Config, ConfigError>) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "aludel.toml", text);
    let result = Config::load(&opts(dir.path()), &env(&[]));
    (dir, result)
}

fn err_text(text: &str) -> String {
    match load_text(text).1 {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn minimal_file_gets_every_default() {
    let (dir, cfg) = load_text("[aludel]\nscript_location = \"migrations\"\n");
    let cfg = cfg.unwrap();
    let root = normalize(dir.path());
    assert_eq!(cfg.path, root.join("aludel.toml"));
    assert_eq!(cfg.name, "aludel");
    assert_eq!(cfg.script_location, root.join("migrations"));
    assert_eq!(
        cfg.version_locations,
        vec![root.join("migrations/versions")]
    );
    assert!(!cfg.version_locations_configured);
    assert!(!cfg.recursive_version_locations);
    assert_eq!(
        cfg.file_template,
        "{year}{month}{day}_{hour}{minute}_{rev}_{slug}"
    );
    assert_eq!(cfg.timezone, "UTC");
    assert_eq!(cfg.truncate_slug_length, 40);
    assert_eq!(cfg.version_table, "aludel_version");
    assert_eq!(cfg.version_table_schema, None);
    assert!(cfg.transaction_per_migration);
    assert_eq!(cfg.lock_timeout, Duration::from_secs(60));
    assert_eq!(
        cfg.autogenerate.schema,
        [SchemaSource::Sql(root.join("schema.sql"))]
    );
    assert_eq!(cfg.autogenerate.shadow_database_url, None);
    assert!(cfg.autogenerate.compare_type);
    assert!(cfg.autogenerate.compare_server_default);
    assert!(cfg.autogenerate.include_schemas.is_empty());
    assert!(cfg.autogenerate.exclude_tables.is_empty());
    assert_eq!(cfg.autogenerate.python, None);
    assert!(cfg.autogenerate.python_path.is_empty());
    assert_eq!(cfg.hooks, HooksConfig::default());
    assert!(cfg.x_args.is_empty());
    assert_eq!(cfg.database_url_source(), None);
    let err = cfg.database_url().unwrap_err();
    assert_eq!(
        err.to_string(),
        "no database URL is configured for [aludel] in 'aludel.toml'"
    );
    let hint = err.hint().unwrap();
    assert!(
        hint.contains("--url") && hint.contains("DATABASE_URL") && hint.contains("database_url"),
        "{hint}"
    );
}

#[test]
fn every_key_is_read() {
    let (dir, cfg) = load_text(
        r#"
[aludel]
script_location = "db/migrations"
version_locations = ["db/migrations/versions", "/abs/seeds", "../shared"]
recursive_version_locations = true
file_template = "{rev}_{slug}"
timezone = "Europe/Berlin"
truncate_slug_length = 20
database_url = "postgresql://app:pw@db:5432/prod"
version_table = "alembic_version"
version_table_schema = "public"
transaction_per_migration = false
lock_timeout = "500ms"

[autogenerate]
schema = "sql/"
shadow_database_url = "postgres://localhost/aludel_shadow"
compare_type = false
compare_server_default = false
include_schemas = ["public", "audit"]
exclude_tables = ["spatial_ref_sys"]

[hooks]
post_write = ["sqlfluff fix {path}"]
pre_upgrade = ["pg_dump {url} > backup_{timestamp}.sql", "true"]
"#,
    );
    let cfg = cfg.unwrap();
    let root = normalize(dir.path());
    assert_eq!(cfg.script_location, root.join("db/migrations"));
    assert_eq!(
        cfg.version_locations,
        vec![
            root.join("db/migrations/versions"),
            PathBuf::from("/abs/seeds"),
            normalize(&root.join("../shared")),
        ]
    );
    assert!(cfg.version_locations_configured);
    assert!(cfg.recursive_version_locations);
    assert_eq!(cfg.file_template, "{rev}_{slug}");
    assert_eq!(cfg.timezone, "Europe/Berlin");
    assert_eq!(cfg.truncate_slug_length, 20);
    assert_eq!(cfg.version_table, "alembic_version");
    assert_eq!(cfg.version_table_schema.as_deref(), Some("public"));
    assert!(!cfg.transaction_per_migration);
    assert_eq!(cfg.lock_timeout, Duration::from_millis(500));
    assert_eq!(
        cfg.autogenerate.schema,
        [SchemaSource::Sql(root.join("sql"))]
    );
    assert_eq!(
        cfg.autogenerate.shadow_database_url.as_deref(),
        Some("postgres://localhost/aludel_shadow")
    );
    assert!(!cfg.autogenerate.compare_type);
    assert!(!cfg.autogenerate.compare_server_default);
    assert_eq!(cfg.autogenerate.include_schemas, ["public", "audit"]);
    assert_eq!(cfg.autogenerate.exclude_tables, ["spatial_ref_sys"]);
    assert_eq!(cfg.hooks.post_write, ["sqlfluff fix {path}"]);
    assert_eq!(cfg.hooks.pre_upgrade.len(), 2);
    assert_eq!(cfg.database_url_source(), Some(UrlSource::ConfigFile));
    let url = cfg.database_url().unwrap();
    assert_eq!(url.dialect(), Dialect::Postgres);
    assert_eq!(url.to_string(), "postgresql://app:***@db:5432/prod");
    // Debug of the whole config never shows a password.
    assert!(!format!("{cfg:?}").contains(":pw@"), "{cfg:?}");
}

#[test]
fn truncate_slug_length_zero_means_default() {
    let (_d, cfg) = load_text("[aludel]\nscript_location = \"m\"\ntruncate_slug_length = 0\n");
    assert_eq!(cfg.unwrap().truncate_slug_length, 40);
    let e = err_text("[aludel]\nscript_location = \"m\"\ntruncate_slug_length = -3\n");
    assert!(
        e.contains("truncate_slug_length") && e.contains("positive"),
        "{e}"
    );
}

#[test]
fn lock_timeout_forms() {
    for (text, expected) in [
        ("\"60s\"", Duration::from_secs(60)),
        ("\"500ms\"", Duration::from_millis(500)),
        ("\"2m\"", Duration::from_secs(120)),
        ("\"1h\"", Duration::from_secs(3600)),
        ("\"15\"", Duration::from_secs(15)),
        ("\" 10 s \"", Duration::from_secs(10)),
        ("90", Duration::from_secs(90)),
        ("0", Duration::ZERO),
    ] {
        let (_d, cfg) = load_text(&format!(
            "[aludel]\nscript_location = \"m\"\nlock_timeout = {text}\n"
        ));
        assert_eq!(cfg.unwrap().lock_timeout, expected, "{text}");
    }
    for bad in [
        "\"soon\"",
        "\"5 days\"",
        "\"-5s\"",
        "\"\"",
        "-1",
        "1.5",
        "true",
    ] {
        let e = err_text(&format!(
            "[aludel]\nscript_location = \"m\"\nlock_timeout = {bad}\n"
        ));
        assert!(
            e.starts_with("aludel.toml: key 'lock_timeout' in [aludel]"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn unknown_keys_are_errors_with_suggestions() {
    let e = err_text("[aludel]\nscrip_location = \"m\"\n");
    assert!(
        e.starts_with("aludel.toml: unknown key 'scrip_location' in [aludel]; did you mean 'script_location'?"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\nsqlalchemy.url = \"sqlite://x\"\n");
    assert!(
        e.contains("unknown key 'sqlalchemy' in [aludel]; did you mean 'database_url'?"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\ncolour = 1\n");
    assert!(e.contains("unknown key 'colour' in [aludel]"), "{e}");
    assert!(!e.contains("did you mean"), "{e}");
    let hint = load_text("[aludel]\nscript_location = \"m\"\ncolour = 1\n")
        .1
        .unwrap_err()
        .hint()
        .unwrap();
    assert!(hint.contains("known keys are: script_location"), "{hint}");
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerate]\nschemas = \"x\"\n");
    assert!(
        e.contains("unknown key 'schemas' in [autogenerate]; did you mean 'schema'?"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[hooks]\npost_writes = []\n");
    assert!(
        e.contains("unknown key 'post_writes' in [hooks]; did you mean 'post_write'?"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[aludel.hooks]\npre = []\n");
    assert!(e.contains("unknown key 'pre' in [aludel.hooks]"), "{e}");
    let e = err_text("script_location = \"m\"\n[aludel]\nscript_location = \"m\"\n");
    assert!(
        e.contains("unknown key 'script_location' in the file's top level"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerat]\nschema = \"x\"\n");
    assert!(
        e.contains(
            "unknown key 'autogenerat' in the file's top level; did you mean 'autogenerate'?"
        ),
        "{e}"
    );
    // Other database tables are checked too.
    let e = err_text("[aludel]\nscript_location = \"m\"\n[other]\nscript_locaton = \"o\"\n");
    assert!(e.contains("unknown key 'script_locaton' in [other]"), "{e}");
}

#[test]
fn wrong_types_are_errors() {
    for (line, key, expected) in [
        ("script_location = 3", "script_location", "a string"),
        (
            "version_locations = \"m/versions\"",
            "version_locations",
            "an array of strings",
        ),
        (
            "recursive_version_locations = \"yes\"",
            "recursive_version_locations",
            "true or false",
        ),
        (
            "truncate_slug_length = \"40\"",
            "truncate_slug_length",
            "an integer",
        ),
        (
            "transaction_per_migration = 1",
            "transaction_per_migration",
            "true or false",
        ),
        ("database_url = 5", "database_url", "a string"),
        ("version_table = []", "version_table", "a string"),
        ("autogenerate = 1", "autogenerate", "a table"),
    ] {
        let e = err_text(
            &format!("[aludel]\nscript_location = \"m\"\n{line}\n").replacen(
                "script_location = \"m\"\nscript_location = 3",
                "script_location = 3",
                1,
            ),
        );
        assert!(
            e.starts_with(&format!(
                "aludel.toml: key '{key}' in [aludel] must be {expected}"
            )),
            "{line}: {e}"
        );
    }
    let e = err_text("[aludel]\nscript_location = \"m\"\nversion_locations = [\"a\", 2]\n");
    assert!(
        e.contains("key 'version_locations[1]' in [aludel] must be a string, found integer"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerate]\ncompare_type = \"no\"\n");
    assert!(
        e.contains("key 'compare_type' in [autogenerate] must be true or false, found string"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerate]\nschema = 1\n");
    assert!(
        e.contains(
            "key 'schema' in [autogenerate] must be a string or an array of strings \
             (.sql file or folder, \"sqlalchemy:MODULE:ATTR\", \"command:CMD\"), found integer"
        ),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[hooks]\npost_write = \"x\"\n");
    assert!(
        e.contains("key 'post_write' in [hooks] must be an array of strings"),
        "{e}"
    );
    let e = err_text("aludel = 1\n");
    assert!(
        e.contains("key 'aludel' in the file's top level must be a table"),
        "{e}"
    );
}

#[test]
fn invalid_values() {
    let e = err_text("[aludel]\nscript_location = \"m\"\ntimezone = \"Mars/Olympus\"\n");
    assert!(
        e.contains("key 'timezone' in [aludel]: 'Mars/Olympus' is not an IANA time zone"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"\"\n");
    assert!(e.contains("script_location") && e.contains("empty"), "{e}");
    let e = err_text("[aludel]\nscript_location = \"m\"\nversion_locations = []\n");
    assert!(e.contains("version_locations"), "{e}");
    let (_d, cfg) = load_text("[aludel]\nscript_location = \"m\"\nversion_table_schema = \"\"\n");
    assert_eq!(cfg.unwrap().version_table_schema, None);
}

#[test]
fn toml_syntax_errors_name_the_line_and_hide_the_value() {
    let e =
        err_text("[aludel]\nscript_location = \"m\"\ndatabase_url = \"postgres://u:hunter2@h/d\n");
    assert!(e.starts_with("aludel.toml:3:"), "{e}");
    assert!(e.contains("invalid TOML"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn missing_file_and_missing_script_location() {
    let dir = tempfile::tempdir().unwrap();
    let e = Config::load(&opts(dir.path()), &env(&[])).unwrap_err();
    assert_eq!(e.to_string(), "No config file 'aludel.toml' found");
    assert_eq!(
        e.hint().as_deref(),
        Some("run 'aludel init' to create a project, or pass -c FILE (without -c, aludel.toml is looked for in the working directory and its parents)")
    );
    let mut o = opts(dir.path());
    o.config_path = Some("conf/db.toml".into());
    let e = Config::load(&o, &env(&[])).unwrap_err().to_string();
    assert!(e.starts_with("No config file 'conf/db.toml' found"), "{e}");

    let e = err_text("[aludel]\nfile_template = \"{rev}\"\n");
    assert!(
        e.starts_with("No 'script_location' key found in configuration."),
        "{e}"
    );
    assert!(e.contains("aludel.toml"), "{e}");
}

#[test]
fn config_path_option_and_env_var() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "conf/db.toml",
        "[aludel]\nscript_location = \"../migrations\"\n",
    );
    write(
        dir.path(),
        "other/x.toml",
        "[aludel]\nscript_location = \"mig\"\n",
    );
    let root = normalize(dir.path());

    let mut o = opts(dir.path());
    o.config_path = Some("conf/db.toml".into());
    let cfg = Config::load(&o, &env(&[("ALUDEL_CONFIG", "other/x.toml")])).unwrap();
    assert_eq!(cfg.path, root.join("conf/db.toml"));
    // Relative to the config file's directory, not the working directory.
    assert_eq!(cfg.script_location, root.join("migrations"));

    let cfg = Config::load(
        &opts(dir.path()),
        &env(&[("ALUDEL_CONFIG", "other/x.toml")]),
    )
    .unwrap();
    assert_eq!(cfg.path, root.join("other/x.toml"));
    assert_eq!(cfg.script_location, root.join("other/mig"));

    let abs = root.join("conf/db.toml");
    let cfg = Config::load(
        &opts(dir.path()),
        &env(&[("ALUDEL_CONFIG", abs.to_str().unwrap())]),
    )
    .unwrap();
    assert_eq!(cfg.path, abs);

    // A relative working directory is taken relative to the process's.
    let o = ConfigOptions {
        config_path: Some(abs.clone()),
        cwd: PathBuf::from("."),
        ..ConfigOptions::default()
    };
    assert_eq!(Config::load(&o, &env(&[])).unwrap().path, abs);
}

const MULTI: &str = r#"
[primary]
script_location = "migrations/primary"
database_url = "${PRIMARY_DATABASE_URL}"

[primary.autogenerate]
schema = "primary.sql"

[analytics]
script_location = "migrations/analytics"
database_url = "${ANALYTICS_DATABASE_URL}"
lock_timeout = "5s"

[autogenerate]
schema = "shared.sql"
compare_type = false

[hooks]
post_write = ["echo {path}"]
"#;

#[test]
fn named_tables_with_n() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "aludel.toml", MULTI);
    let root = normalize(dir.path());
    let e = env(&[("PRIMARY_DATABASE_URL", "postgres://p:secret@h/p")]);

    let mut o = opts(dir.path());
    o.name = Some("primary".into());
    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(cfg.name, "primary");
    assert_eq!(cfg.script_location, root.join("migrations/primary"));
    // Nested [primary.autogenerate] replaces [autogenerate] as a whole.
    assert_eq!(
        cfg.autogenerate.schema,
        [SchemaSource::Sql(root.join("primary.sql"))]
    );
    assert!(cfg.autogenerate.compare_type);
    assert_eq!(cfg.hooks.post_write, ["echo {path}"]);
    assert_eq!(cfg.database_url().unwrap().database(), Some("p"));

    o.name = Some("analytics".into());
    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(
        cfg.autogenerate.schema,
        [SchemaSource::Sql(root.join("shared.sql"))]
    );
    assert!(!cfg.autogenerate.compare_type);
    assert_eq!(cfg.lock_timeout, Duration::from_secs(5));
    // Loading works without the variable; asking for the URL names it.
    let err = cfg.database_url().unwrap_err().to_string();
    assert!(
        err.starts_with("aludel.toml: key 'database_url' in [analytics]: environment variable 'ANALYTICS_DATABASE_URL' is not set"),
        "{err}"
    );

    // No [aludel] table: Alembic's message plus the tables in file order.
    let err = Config::load(&opts(dir.path()), &e).unwrap_err();
    assert_eq!(
        err.to_string(),
        "No config file 'aludel.toml' found, or file has no '[aludel]' section"
    );
    assert_eq!(
        err.hint().as_deref(),
        Some("the file has these database tables: primary, analytics; choose one with -n NAME")
    );
    o.name = Some("other".into());
    let err = Config::load(&o, &e).unwrap_err().to_string();
    assert_eq!(
        err,
        "No config file 'aludel.toml' found, or file has no '[other]' section"
    );

    o.name = Some("hooks".into());
    assert!(matches!(
        Config::load(&o, &e).unwrap_err(),
        ConfigError::ReservedName { .. }
    ));
}

#[test]
fn expansion_in_every_string() {
    let (dir, _) = load_text("");
    write(
        dir.path(),
        "aludel.toml",
        r#"
[aludel]
script_location = "${MIG}"
version_locations = ["${MIG}/versions", "lit$$eral"]
version_table = "v_${SUFFIX}"
file_template = "{rev}"
[autogenerate]
shadow_database_url = "${SHADOW}"
[hooks]
post_write = ["run ${TOOL} {path}"]
"#,
    );
    let e = env(&[
        ("MIG", "db"),
        ("SUFFIX", "x"),
        ("SHADOW", "postgres://s:pw@h/s"),
        ("TOOL", "fmt"),
    ]);
    let cfg = Config::load(&opts(dir.path()), &e).unwrap();
    let root = normalize(dir.path());
    assert_eq!(cfg.script_location, root.join("db"));
    assert_eq!(
        cfg.version_locations,
        vec![root.join("db/versions"), root.join("lit$eral")]
    );
    assert_eq!(cfg.version_table, "v_x");
    assert_eq!(
        cfg.autogenerate.shadow_database_url.as_deref(),
        Some("postgres://s:pw@h/s")
    );
    assert_eq!(cfg.hooks.post_write, ["run fmt {path}"]);
    assert!(!format!("{:?}", cfg.autogenerate).contains(":pw@"));

    let err = Config::load(&opts(dir.path()), &env(&[("MIG", "db")]))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("aludel.toml: key 'version_table' in [aludel]: environment variable 'SUFFIX' is not set"),
        "{err}"
    );
}

#[test]
fn dotenv_in_working_directory_is_used() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "aludel.toml",
        "[aludel]\nscript_location = \"m\"\ndatabase_url = \"${ALUDEL_TEST_DOTENV_URL}\"\n",
    );
    write(
        dir.path(),
        ".env",
        "ALUDEL_TEST_DOTENV_URL=sqlite:///from_dotenv.db\n",
    );
    let environment = Environment::from_process(dir.path()).unwrap();
    let cfg = Config::load(&opts(dir.path()), &environment).unwrap();
    let url = cfg.database_url().unwrap();
    assert_eq!(url.database(), Some("from_dotenv.db"));
}

#[test]
fn url_precedence() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "aludel.toml",
        "[aludel]\nscript_location = \"m\"\ndatabase_url = \"sqlite://file.db\"\n",
    );
    let mut o = opts(dir.path());

    let cfg = Config::load(&o, &env(&[])).unwrap();
    assert_eq!(cfg.database_url_source(), Some(UrlSource::ConfigFile));
    assert_eq!(cfg.database_url().unwrap().database(), Some("file.db"));

    let with_env = env(&[("DATABASE_URL", "sqlite://env.db")]);
    let cfg = Config::load(&o, &with_env).unwrap();
    assert_eq!(
        cfg.database_url_source(),
        Some(UrlSource::EnvironmentVariable)
    );
    assert_eq!(cfg.database_url().unwrap().database(), Some("env.db"));

    // An empty DATABASE_URL counts as unset.
    let cfg = Config::load(&o, &env(&[("DATABASE_URL", "")])).unwrap();
    assert_eq!(cfg.database_url_source(), Some(UrlSource::ConfigFile));

    o.url = Some("sqlite://cli.db".into());
    let cfg = Config::load(&o, &with_env).unwrap();
    assert_eq!(cfg.database_url_source(), Some(UrlSource::CommandLine));
    assert_eq!(cfg.database_url().unwrap().database(), Some("cli.db"));
}

/// DATABASE_URL stands in for `[aludel]`'s URL only: a table chosen with `-n` keeps
/// its own `database_url` (itself often `${NAME_DATABASE_URL}`), and `--url` wins over
/// both.
#[test]
fn database_url_variable_is_only_for_the_default_table() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "aludel.toml",
        r#"
[aludel]
script_location = "m"
database_url = "sqlite://main.db"

[analytics]
script_location = "a"
database_url = "${ANALYTICS_DATABASE_URL}"

[reports]
script_location = "r"
"#,
    );
    let e = env(&[
        ("DATABASE_URL", "sqlite://env.db"),
        ("ANALYTICS_DATABASE_URL", "sqlite://analytics.db"),
    ]);
    let mut o = opts(dir.path());

    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(
        cfg.database_url_source(),
        Some(UrlSource::EnvironmentVariable)
    );
    assert_eq!(cfg.database_url().unwrap().database(), Some("env.db"));

    o.name = Some("analytics".into());
    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(cfg.database_url_source(), Some(UrlSource::ConfigFile));
    assert_eq!(cfg.database_url().unwrap().database(), Some("analytics.db"));

    o.url = Some("sqlite://cli.db".into());
    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(cfg.database_url_source(), Some(UrlSource::CommandLine));
    assert_eq!(cfg.database_url().unwrap().database(), Some("cli.db"));

    // A named table without database_url: DATABASE_URL does not fill the gap, and
    // the error says why.
    o.url = None;
    o.name = Some("reports".into());
    let cfg = Config::load(&o, &e).unwrap();
    assert_eq!(cfg.database_url_source(), None);
    let err = cfg.database_url().unwrap_err();
    assert_eq!(
        err.to_string(),
        "no database URL is configured for [reports] in 'aludel.toml': it has no database_url, and DATABASE_URL applies only to [aludel]"
    );
    assert_eq!(
        err.hint().as_deref(),
        Some("add database_url = \"${REPORTS_DATABASE_URL}\" to [reports] in 'aludel.toml' and set REPORTS_DATABASE_URL, or pass --url URL")
    );
    // Without DATABASE_URL the message is the plain one, and the hint does not
    // suggest a variable the table would not read.
    let err = Config::load(&o, &env(&[]))
        .unwrap()
        .database_url()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no database URL is configured for [reports] in 'aludel.toml'"
    );
    assert!(!err.hint().unwrap().contains("set DATABASE_URL"));
}

#[test]
fn broken_urls_load_and_fail_only_when_asked() {
    let (dir, cfg) = load_text(
        "[aludel]\nscript_location = \"m\"\ndatabase_url = \"oracle://scott:hunter2@db/orcl\"\n",
    );
    let cfg = cfg.unwrap();
    let err = cfg.database_url().unwrap_err();
    assert!(err
        .hint()
        .unwrap()
        .starts_with("accepted schemes: postgres://"));
    let err = err.to_string();
    assert_eq!(err, "invalid database URL from database_url in aludel.toml: unsupported database URL scheme 'oracle' in 'oracle://scott:***@db/orcl'");

    let mut o = opts(dir.path());
    o.url = Some("postgres://u:hunter2@h:bad/d".into());
    let err = Config::load(&o, &env(&[]))
        .unwrap()
        .database_url()
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("invalid database URL from --url: invalid port 'bad'"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");

    o.url = None;
    let err = Config::load(&o, &env(&[("DATABASE_URL", "nonsense")]))
        .unwrap()
        .database_url()
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("invalid database URL from DATABASE_URL:"),
        "{err}"
    );
}

#[test]
fn x_args() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "aludel.toml",
        "[aludel]\nscript_location = \"m\"\n",
    );
    let mut o = opts(dir.path());
    o.x_args = vec![
        "a=1".into(),
        "flag".into(),
        "b=x=y".into(),
        "a=2".into(),
        "empty=".into(),
    ];
    let cfg = Config::load(&o, &env(&[])).unwrap();
    let expected: BTreeMap<String, String> =
        [("a", "2"), ("b", "x=y"), ("empty", ""), ("flag", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    assert_eq!(cfg.x_args, expected);
    o.x_args = vec!["=v".into()];
    assert!(matches!(
        Config::load(&o, &env(&[])).unwrap_err(),
        ConfigError::InvalidXArg { .. }
    ));
}

#[test]
fn helpers() {
    assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    assert_eq!(levenshtein("kitten", "sitting"), 3);
    assert_eq!(
        suggest("timezon", DATABASE_KEYS).as_deref(),
        Some("timezone")
    );
    assert_eq!(suggest("zzz", DATABASE_KEYS), None);
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
}

#[test]
fn the_config_file_is_found_in_a_parent_and_its_paths_stay_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "aludel.toml",
        "[aludel]\nscript_location = \"db/migrations\"\n",
    );
    let sub = dir.path().join("app/routers");
    std::fs::create_dir_all(&sub).unwrap();
    let cfg = Config::load(&opts(&sub), &env(&[])).unwrap();
    let root = normalize(dir.path());
    assert_eq!(cfg.path, root.join("aludel.toml"));
    assert_eq!(cfg.script_location, root.join("db/migrations"));
    assert_eq!(
        find_config_file(&sub),
        Some(PathBuf::from("../../aludel.toml"))
    );
    // Messages name it as reached from the working directory.
    write(dir.path(), "aludel.toml", "[aludel]\nscript_location = 3\n");
    let e = Config::load(&opts(&sub), &env(&[]))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("../../aludel.toml: key 'script_location'"),
        "{e}"
    );

    // The nearest one wins; -c and ALUDEL_CONFIG are not searched for.
    write(
        &sub,
        "aludel.toml",
        "[aludel]\nscript_location = \"here\"\n",
    );
    let cfg = Config::load(&opts(&sub), &env(&[])).unwrap();
    assert_eq!(cfg.script_location, normalize(&sub).join("here"));
    let e = Config::load(&opts(&sub), &env(&[("ALUDEL_CONFIG", "other.toml")]))
        .unwrap_err()
        .to_string();
    assert_eq!(e, "No config file 'other.toml' found");
}

#[test]
fn schema_sources_python_and_python_path() {
    let (dir, cfg) = load_text(
        "[aludel]\nscript_location = \"m\"\n[autogenerate]\n\
         schema = [\"db/base.sql\", \"sqlalchemy:app.models:Base\", \"command:cat extra.sql\"]\n\
         python = \".venv/bin/python\"\npython_path = [\"src\", \".\"]\n",
    );
    let cfg = cfg.unwrap();
    let root = normalize(dir.path());
    assert_eq!(
        cfg.autogenerate.schema,
        [
            SchemaSource::Sql(root.join("db/base.sql")),
            SchemaSource::SqlAlchemy {
                module: "app.models".into(),
                attr: "Base".into()
            },
            SchemaSource::Command("cat extra.sql".into()),
        ]
    );
    assert_eq!(cfg.autogenerate.python.as_deref(), Some(".venv/bin/python"));
    assert_eq!(
        cfg.autogenerate.python_path,
        [root.join("src"), root.clone()]
    );
}

#[test]
fn a_malformed_schema_source_names_the_key_and_the_form() {
    let e = err_text(
        "[aludel]\nscript_location = \"m\"\n[autogenerate]\nschema = \"sqlalchemy:app.models\"\n",
    );
    assert!(
        e.ends_with(
            "aludel.toml: key 'schema' in [autogenerate]: 'sqlalchemy:app.models' names no ATTR: \
             write sqlalchemy:MODULE:ATTR, e.g. \"sqlalchemy:app.models:Base\" \
             (ATTR is a declarative base, a SQLModel class or a MetaData)"
        ),
        "{e}"
    );
    let e = err_text(
        "[aludel]\nscript_location = \"m\"\n[autogenerate]\nschema = [\"schema.sql\", \"command:\"]\n",
    );
    assert!(
        e.ends_with(
            "key 'schema[1]' in [autogenerate]: 'command:' names no command: \
             write command:CMD, e.g. \"command:cat schema.sql\""
        ),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerate]\nschema = []\n");
    assert!(
        e.contains("key 'schema' in [autogenerate]: an empty array names no schema"),
        "{e}"
    );
    let e = err_text("[aludel]\nscript_location = \"m\"\n[autogenerate]\npython_path = \"src\"\n");
    assert!(
        e.contains("key 'python_path' in [autogenerate] must be an array of strings"),
        "{e}"
    );
}
