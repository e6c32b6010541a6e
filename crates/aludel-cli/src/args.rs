//! Command-line grammar: Alembic's commands and flags in kebab-case (underscore
//! spellings accepted), global options before the command.

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
    /// Configuration file (default: $ALUDEL_CONFIG, else ./aludel.toml)
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read the table [NAME] of the configuration instead of [aludel]
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub name: Option<String>,
    /// key=value made available to templates and hooks as {x.key} (repeatable)
    #[arg(short = 'x', value_name = "KEY=VALUE")]
    pub x: Vec<String>,
    /// Database URL (overrides DATABASE_URL and database_url)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Print only errors
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// More detail in messages
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Colour in terminal output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Retry the first connection until the database answers, up to DURATION
    /// (e.g. `30s`, `2m`): for containers that start together.
    #[arg(long, value_name = "DURATION", value_parser = parse_wait)]
    pub wait: Option<std::time::Duration>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
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
    /// Show the head revisions
    Heads {
        #[arg(short = 'v', long)]
        verbose: bool,
        /// Treat dependencies as down revisions (omit effective heads)
        #[arg(long, alias = "resolve_dependencies")]
        resolve_dependencies: bool,
    },
    /// Show the branch points
    Branches {
        #[arg(short = 'v', long)]
        verbose: bool,
    },
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
        #[arg(short = 'v', long)]
        verbose: bool,
        /// Mark the revisions the database is at with `(current)`.
        #[arg(short = 'i', long, alias = "indicate_current")]
        indicate_current: bool,
    },
    /// Show the revision(s) an identifier names
    Show {
        #[arg(allow_hyphen_values = true)]
        rev: String,
    },
    /// Apply revisions up to REVISION (`head`, `heads`, an id, `+2`, `label@head`...).
    Upgrade {
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
        #[arg(short = 'v', long)]
        verbose: bool,
        /// Exit 1 unless the database is at every head.
        #[arg(short = 'c', long, alias = "check_heads")]
        check_heads: bool,
    },
    /// Set the version table to REVISIONS without running any migration.
    Stamp {
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
    /// Open the revision file(s) an identifier names in $VISUAL / $EDITOR
    Edit {
        #[arg(allow_hyphen_values = true)]
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
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Revisions to merge (`heads` for all)
    #[arg(required = true)]
    pub revisions: Vec<String>,
    #[arg(short = 'm', long)]
    pub message: Option<String>,
    #[arg(long = "branch-label", alias = "branch_label")]
    pub branch_label: Vec<String>,
    #[arg(long = "rev-id", alias = "rev_id")]
    pub rev_id: Option<String>,
    /// Allow revisions that are not heads
    #[arg(long)]
    pub splice: bool,
}

/// `--sql` and `--dialect`, shared by the commands that can print their SQL.
#[derive(Debug, Args)]
pub struct OfflineArgs {
    /// Print the SQL script instead of running it (ranges `start:end` allowed).
    #[arg(long)]
    pub sql: bool,
    /// The dialect of the script (default: the database URL's).
    #[arg(long, value_enum, requires = "sql")]
    pub dialect: Option<DialectArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    #[value(alias = "postgres")]
    Postgresql,
    #[value(alias = "mariadb")]
    Mysql,
    Sqlite,
}

fn parse_wait(text: &str) -> Result<std::time::Duration, String> {
    aludel::config::parse_duration(text)
}
