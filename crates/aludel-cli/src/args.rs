//! Command-line grammar: Alembic's commands and flags in kebab-case (underscore
//! spellings accepted). Global options work before or after the command
//! (`aludel downgrade r1 -q`), except `-c FILE`, which goes before it as in Alembic
//! (after the command, `current -c` is `--check-heads`; `--config FILE` works
//! anywhere).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  aludel init                          create aludel.toml and migrations/
  aludel revision -m \"add users\"       write a new revision file
  aludel heads                         list the head revisions
  aludel history -r base:head          list revisions, newest first
  aludel -n analytics history          use the [analytics] table of aludel.toml
  aludel upgrade head                  apply every revision not applied yet
  aludel downgrade -1                  revert the last revision
  aludel current -v                    show where the database is
  aludel upgrade head --sql            print the SQL instead of running it
  aludel --wait 30s upgrade head       wait for the database to start (Docker Compose)
  aludel --format json heads           machine-readable output";

#[derive(Debug, Parser)]
#[command(name = "aludel", version, about = "Database schema migrations with Alembic's semantics", after_help = EXAMPLES)]
pub struct Cli {
    /// Configuration file, before the command (default: $ALUDEL_CONFIG, else
    /// aludel.toml in the working directory or the nearest parent that has one)
    #[arg(short = 'c', value_name = "FILE")]
    pub config_short: Option<PathBuf>,
    /// Configuration file, before or after the command (as -c FILE)
    #[arg(long = "config", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Read the table [NAME] of the configuration instead of [aludel]
    #[arg(short = 'n', long = "name", value_name = "NAME", global = true)]
    pub name: Option<String>,
    /// key=value made available to templates and hooks as {x.key} (repeatable)
    #[arg(short = 'x', value_name = "KEY=VALUE", global = true)]
    pub x: Vec<String>,
    /// Database URL (overrides DATABASE_URL and database_url)
    #[arg(long, value_name = "URL", global = true)]
    pub url: Option<String>,
    /// Print only errors
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
    /// More detail: full log entries (heads, branches, history, current), the
    /// database URL and changed files (current)
    #[arg(short = 'v', long = "verbose", global = true)]
    pub verbose: bool,
    /// Output format (JSON: one document on stdout, errors included)
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, global = true)]
    pub format: OutputFormat,
    /// Colour in terminal output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Retry the first connection until the database answers, up to DURATION
    /// (e.g. `30s`, `2m`): for containers that start together.
    #[arg(long, value_name = "DURATION", value_parser = parse_wait, global = true)]
    pub wait: Option<std::time::Duration>,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// `--config FILE` or `-c FILE`.
    pub fn config_file(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| self.config_short.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Alembic's text formats
    Text,
    /// One JSON document (docs/json-output.md)
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and NO_COLOR is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project: aludel.toml, the migrations folder and schema.sql
    Init {
        /// Folder for the migrations
        #[arg(default_value = "migrations")]
        directory: PathBuf,
        /// Starter template (see list-templates)
        #[arg(short = 't', long, default_value = "generic")]
        template: String,
    },
    /// List the templates `init` can use
    #[command(alias = "list_templates")]
    ListTemplates,
    /// Write a new revision file
    Revision(RevisionArgs),
    /// Write a revision that merges several heads
    Merge(MergeArgs),
    /// Compare the database with the desired schema: exit 1 with the
    /// differences, or 0 with "No new upgrade operations detected."
    Check {
        /// Print the upgrade that `revision --autogenerate` would write
        #[arg(long)]
        sql: bool,
        #[command(flatten)]
        autogen: AutogenArgs,
    },
    /// Show the head revisions
    Heads {
        /// Treat dependencies as down revisions (omit effective heads)
        #[arg(long, alias = "resolve_dependencies")]
        resolve_dependencies: bool,
    },
    /// Show the branch points
    Branches,
    /// List revisions, newest first
    History {
        /// Range [start]:[end], [start]: or :[end]
        #[arg(
            short = 'r',
            long = "rev-range",
            alias = "rev_range",
            allow_hyphen_values = true
        )]
        rev_range: Option<String>,
        /// Connect to the database and mark with `(current)` the revisions its
        /// version table holds (the heads of what is applied), and show under a
        /// revision a step of it left part-way
        #[arg(short = 'i', long, alias = "indicate_current")]
        indicate_current: bool,
    },
    /// Show the revision(s) an identifier names
    Show {
        /// A revision id or prefix, `head`, `heads`, `base`, `current`, a label,
        /// `label@head`, a relative `rev-1`
        #[arg(allow_hyphen_values = true, value_name = "REVISION")]
        rev: String,
    },
    /// Apply revisions up to REVISION (`head`, `heads`, an id, `+2`, `label@head`...).
    Upgrade {
        /// Target: `head`, `heads`, an id or prefix, `label@head`, `+N`; with
        /// --sql also a range START:END
        #[arg(allow_hyphen_values = true)]
        revision: String,
        #[command(flatten)]
        offline: OfflineArgs,
        /// How to go on with a step an earlier run left part-way
        #[arg(long, value_enum, value_name = "rerun|skip|restart")]
        resume: Option<ResumeArg>,
    },
    /// Revert revisions down to REVISION (`-1`, `base`, an id...).
    Downgrade {
        /// Target: `-N`, `base`, an id or prefix, `label@-N`; with --sql a range
        /// START:END is required
        #[arg(allow_hyphen_values = true)]
        revision: String,
        #[command(flatten)]
        offline: OfflineArgs,
        /// Move past revisions that have no downgrade section without running anything.
        #[arg(long, alias = "allow_irreversible")]
        allow_irreversible: bool,
        /// How to go on with a step an earlier run left part-way
        #[arg(long, value_enum, value_name = "rerun|skip|restart")]
        resume: Option<ResumeArg>,
    },
    /// Show the revisions the database is at.
    Current {
        /// Exit 1 unless the database is at every head.
        #[arg(short = 'c', long, alias = "check_heads")]
        check_heads: bool,
    },
    /// Set the version table to REVISIONS without running any migration.
    Stamp {
        /// The revisions the version table should name (`head`, `base`, ids, …);
        /// with --sql one START: prefix is allowed
        #[arg(required = true)]
        revisions: Vec<String>,
        #[command(flatten)]
        offline: OfflineArgs,
        /// Delete every row of the version table first.
        #[arg(long)]
        purge: bool,
    },
    /// Create the version table (and the history table) if missing.
    #[command(alias = "ensure_version")]
    EnsureVersion {
        #[command(flatten)]
        offline: OfflineArgs,
    },
    /// Turn an Alembic project into an aludel project beside its alembic.ini: the
    /// same revisions, with the SQL Alembic's offline mode emits for the dialect
    #[command(alias = "import_alembic")]
    ImportAlembic(ImportAlembicArgs),
    /// Open the revision file(s) an identifier names in $VISUAL / $EDITOR
    Edit {
        /// A revision id or prefix, `head`, `current`, a label, …
        #[arg(allow_hyphen_values = true, value_name = "REVISION")]
        rev: String,
    },
}

/// What an interrupted run's uncertain statement did (`--resume`): after a run was
/// killed while a statement that commits by itself ran (MySQL DDL, a
/// `transaction=false` section), aludel stops until told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResumeArg {
    /// It did not take effect: run it again
    Rerun,
    /// It took effect: count it as done and go on
    Skip,
    /// Start the step over at its first statement (undo by hand what ran first)
    Restart,
}

#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message (the first line names the file)
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    /// Base the revision on this head (default: head; `base` for a new root)
    #[arg(long)]
    pub head: Option<String>,
    /// Allow --head to be a revision that is not a head (start a branch)
    #[arg(long)]
    pub splice: bool,
    /// Branch label for the new revision (repeatable)
    #[arg(long = "branch-label", alias = "branch_label")]
    pub branch_label: Vec<String>,
    /// Folder (one of the version locations) for the new file
    #[arg(long = "version-path", alias = "version_path")]
    pub version_path: Option<PathBuf>,
    /// Use this revision id instead of a generated one
    #[arg(long = "rev-id", alias = "rev_id")]
    pub rev_id: Option<String>,
    /// Revision (id or label) this one depends on (repeatable)
    #[arg(long = "depends-on", alias = "depends_on")]
    pub depends_on: Vec<String>,
    /// Write the migration from the database to the desired schema
    /// ([autogenerate] schema), verified on a shadow database first
    #[arg(long)]
    pub autogenerate: bool,
    #[command(flatten)]
    pub autogen: AutogenArgs,
    /// With --autogenerate: write the revision even when nothing differs
    #[arg(long = "allow-empty", alias = "allow_empty", requires = "autogenerate")]
    pub allow_empty: bool,
}

#[derive(Debug, Args)]
pub struct ImportAlembicArgs {
    /// The Alembic project's configuration file
    #[arg(default_value = "alembic.ini", value_name = "PATH/alembic.ini")]
    pub ini: PathBuf,
    /// The dialect to render the SQL for (default: the dialect of --url,
    /// DATABASE_URL, else alembic.ini's sqlalchemy.url)
    #[arg(long, value_enum)]
    pub dialect: Option<ImportDialect>,
    /// The Python that has the project's Alembic installed (default:
    /// .venv/bin/python or venv/bin/python beside alembic.ini, else python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Write the project even when revisions cannot be rendered offline: their
    /// sections refuse to run until a person writes their SQL
    #[arg(long = "allow-unrendered", alias = "allow_unrendered")]
    pub allow_unrendered: bool,
}

/// SQLAlchemy's dialects that aludel runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportDialect {
    /// PostgreSQL
    #[value(alias = "postgres")]
    Postgresql,
    /// MySQL
    Mysql,
    /// MariaDB
    Mariadb,
    /// SQLite
    Sqlite,
}

/// What autogenerate compares, for `revision --autogenerate` and `check`.
#[derive(Debug, Args)]
pub struct AutogenArgs {
    /// A rename to make instead of a drop and an add, keeping the data:
    /// OLD=NEW for a table, TABLE.OLD=TABLE.NEW for a column (repeatable)
    #[arg(long = "rename", value_name = "OLD=NEW")]
    pub rename: Vec<String>,
    /// Compare with the revision history replayed into a shadow database
    /// instead of the database itself (no connection to it needed)
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Revisions to merge (`heads` for all)
    #[arg(required = true)]
    pub revisions: Vec<String>,
    /// Message (the first line names the file)
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    /// Branch label for the merge revision (repeatable)
    #[arg(long = "branch-label", alias = "branch_label")]
    pub branch_label: Vec<String>,
    /// Use this revision id instead of a generated one
    #[arg(long = "rev-id", alias = "rev_id")]
    pub rev_id: Option<String>,
    /// Allow revisions that are not heads
    #[arg(long)]
    pub splice: bool,
}

/// `--sql` and `--dialect`, shared by the commands that can print their SQL.
#[derive(Debug, Args)]
pub struct OfflineArgs {
    /// Print the SQL script instead of running it
    #[arg(long)]
    pub sql: bool,
    /// The dialect of the script (default: the database URL's).
    #[arg(long, value_enum, requires = "sql")]
    pub dialect: Option<DialectArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// PostgreSQL
    #[value(alias = "postgres")]
    Postgresql,
    /// MySQL and MariaDB
    #[value(alias = "mariadb")]
    Mysql,
    /// SQLite
    Sqlite,
}

fn parse_wait(text: &str) -> Result<std::time::Duration, String> {
    aludel::config::parse_duration(text)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every positional argument, flag and option of every command says what it is
    /// for in `--help`.
    #[test]
    fn every_argument_has_help() {
        fn visit(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                visit(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        visit(&Cli::command(), "aludel", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:?}");
    }

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }
}
