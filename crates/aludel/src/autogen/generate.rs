//! From the target's schema and the desired one to a verified migration:
//! describe both, diff, plan, render the upgrade and the downgrade, and verify
//! them on a shadow copy before anyone writes them (PRODUCT.md §6; see
//! [`Verification`]). Rename questions go to the caller ([`RenameQuestions`]), so
//! the library never talks to a terminal.

use aludel_schema::{after_renames, diff, plan, Change, RenameCandidate, Renames, Schema, Step};

use super::{desired, AutogenError, VerifyStage};
use crate::command::{self, RevisionBody};
use crate::config::{DatabaseUrl, Dialect, SqliteTarget};
use crate::dialect::describe::DescribeScope;
use crate::dialect::flavour::{describe_on, schema_flavour, SchemaFlavour};
use crate::dialect::render::{RenderContext, RenderedStatement};
use crate::dialect::shadow::ShadowDatabase;
use crate::dialect::{connect, Access, ConnectOptions, Connection};
use crate::error::Result;
use crate::project::Project;
use crate::runtime::online::db_error;
use crate::runtime::{NoEvents, Tables};

/// Options of `revision --autogenerate` and `check`.
#[derive(Debug, Clone, Default)]
pub struct AutogenOptions {
    /// `--rename` hints.
    pub renames: Renames,
    /// `--offline`: the current schema is the revision history replayed into a
    /// shadow database, not the target's.
    pub offline: bool,
    /// Only the changes are wanted (`check` without `--sql`): nothing is rendered
    /// or verified, so the answer costs the two descriptions and the diff.
    pub changes_only: bool,
}

/// Asks whether a dropped and an added object of the same shape are a rename.
pub trait RenameQuestions {
    /// `true`: it is a rename (the data is kept).
    fn is_rename(&mut self, candidate: &RenameCandidate) -> bool;
}

/// Asks nothing: every candidate stays a drop and an add.
pub struct NoQuestions;

impl RenameQuestions for NoQuestions {
    fn is_rename(&mut self, _candidate: &RenameCandidate) -> bool {
        false
    }
}

/// A verified migration.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// What differs, from the current schema to the desired one.
    pub changes: Vec<Change>,
    pub upgrade: Vec<RenderedStatement>,
    pub downgrade: Vec<RenderedStatement>,
    /// Drops and adds of the same shape that nobody said were renames: the data
    /// of the dropped side is lost unless the `--rename` they print is given.
    pub unconfirmed_renames: Vec<RenameCandidate>,
}

impl Generated {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The sections of the revision file: statements in order, each destructive
    /// one under `-- WARNING: drops data`; a section with a statement that must
    /// commit before use runs outside a transaction.
    pub fn body(&self) -> RevisionBody {
        RevisionBody {
            upgrade: section_text(&self.upgrade),
            downgrade: section_text(&self.downgrade),
            upgrade_transactional: !self.upgrade.iter().any(|s| s.commit_before_use),
            downgrade_transactional: !self.downgrade.iter().any(|s| s.commit_before_use),
        }
    }
}

fn section_text(statements: &[RenderedStatement]) -> String {
    statements
        .iter()
        .map(|s| {
            let warning = if s.drops_data {
                "-- WARNING: drops data\n"
            } else {
                ""
            };
            format!("{warning}{};", s.sql.trim_end())
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Compares the target (or, `offline`, the revision history) with the desired
/// schema and returns the verified migration between them.
pub async fn autogenerate(
    project: &Project,
    options: &AutogenOptions,
    questions: &mut dyn RenameQuestions,
) -> Result<Generated> {
    let url = project.config.database_url()?;
    let flavour = schema_flavour(url.dialect());
    let tables = Tables::for_project(project, crate::dialect::sql_dialect(url.dialect()))?;
    let scope = DescribeScope {
        schemas: project.config.autogenerate.include_schemas.clone(),
        exclude_tables: project.config.autogenerate.exclude_tables.clone(),
        own_tables: vec![tables.version.clone(), tables.history.clone()],
    };
    let shadow_url = match &project.config.autogenerate.shadow_database_url {
        Some(text) => {
            Some(DatabaseUrl::parse(text).map_err(|e| AutogenError::ShadowUrl(e.to_string()))?)
        }
        None => None,
    };
    let shadow_url = shadow_url.as_ref();

    // The two sides are read at the same time (the server works on both), but
    // a configured shadow database holds one of them at a time.
    let desired = desired_schema(project, &url, shadow_url, &scope);
    let (current, desired) = if !options.offline {
        tokio::join!(target_schema(project, &url, &scope), desired)
    } else if shadow_url.is_none() {
        tokio::join!(replayed_history(project, &url, None, &scope), desired)
    } else {
        let current = replayed_history(project, &url, shadow_url, &scope).await;
        (current, desired.await)
    };
    let (desired, desired_shadow) = desired?;
    let current = match current {
        Ok(current) => current,
        Err(e) => return discard(desired_shadow, Err(e)).await,
    };

    let planned = plan_both(flavour, &current, &desired, options, questions);
    let (found, unconfirmed, upgrade, downgrade) = match planned {
        Ok(Some(planned)) => planned,
        Ok(None) => return discard(desired_shadow, Ok(Generated::default())).await,
        Err(e) => return discard(desired_shadow, Err(e)).await,
    };
    if options.changes_only {
        return discard(
            desired_shadow,
            Ok(Generated {
                changes: found,
                unconfirmed_renames: unconfirmed,
                ..Generated::default()
            }),
        )
        .await;
    }
    let verified = Verification {
        scope: &scope,
        current: &current,
        desired: &desired,
    };
    verified.run(desired_shadow, &upgrade, &downgrade).await?;
    Ok(Generated {
        changes: found,
        upgrade,
        downgrade,
        unconfirmed_renames: unconfirmed,
    })
}

/// The changes (asking about renames), the rendered upgrade and downgrade (left
/// empty when only the changes are wanted); `None` when nothing differs.
type Planned = (
    Vec<Change>,
    Vec<RenameCandidate>,
    Vec<RenderedStatement>,
    Vec<RenderedStatement>,
);

fn plan_both(
    flavour: &dyn SchemaFlavour,
    current: &Schema,
    desired: &Schema,
    options: &AutogenOptions,
    questions: &mut dyn RenameQuestions,
) -> Result<Option<Planned>> {
    let mut renames = options.renames.clone();
    let mut found = diff(current, desired, &renames).map_err(AutogenError::from)?;
    let mut unconfirmed = Vec::new();
    if !found.rename_candidates.is_empty() {
        let mut accepted = false;
        for candidate in &found.rename_candidates {
            if questions.is_rename(candidate) {
                candidate.accept(&mut renames);
                accepted = true;
            } else {
                unconfirmed.push(candidate.clone());
            }
        }
        if accepted {
            found = diff(current, desired, &renames).map_err(AutogenError::from)?;
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    if options.changes_only {
        return Ok(Some((found.changes, unconfirmed, Vec::new(), Vec::new())));
    }
    let upgrade = render_plan(flavour, found.changes.clone(), current, desired)?;
    let back = diff(desired, current, &renames.reversed()).map_err(AutogenError::from)?;
    let downgrade = render_plan(flavour, back.changes, desired, current)?;
    Ok(Some((found.changes, unconfirmed, upgrade, downgrade)))
}

/// `check`: `Ok` when the database (or, `offline`, the revision history) has
/// the desired schema, else [`AutogenError::DiffsDetected`] listing the changes a
/// migration would make. Renames are never asked about, and no migration is
/// rendered or verified (`changes_only`).
///
/// ```no_run
/// # async fn ci(project: &aludel::project::Project) -> aludel::Result<()> {
/// aludel::autogen::check(project, &aludel::autogen::AutogenOptions::default()).await?;
/// # Ok(()) }
/// ```
pub async fn check(project: &Project, options: &AutogenOptions) -> Result<()> {
    let options = AutogenOptions {
        changes_only: true,
        ..options.clone()
    };
    let generated = autogenerate(project, &options, &mut NoQuestions).await?;
    if generated.is_empty() {
        return Ok(());
    }
    Err(AutogenError::DiffsDetected {
        changes: generated.changes.iter().map(|c| c.to_string()).collect(),
    }
    .into())
}

/// The target's schema, which must be at its heads. A SQLite file that does
/// not exist yet is an empty database (nothing is created to find that out).
async fn target_schema(
    project: &Project,
    url: &DatabaseUrl,
    scope: &DescribeScope,
) -> Result<Schema> {
    if let Some(SqliteTarget::File(path)) = url.sqlite_target() {
        if !path.exists() {
            let heads = project.map.ids(project.map.real_heads());
            if !heads.is_empty() {
                return Err(AutogenError::NotUpToDate {
                    current: Vec::new(),
                    heads,
                }
                .into());
            }
            return Ok(Schema::default());
        }
    }
    let options = ConnectOptions {
        access: Access::Read,
        ..ConnectOptions::default()
    };
    let mut conn = connect(url, &options, &mut |_| {})
        .await
        .map_err(db_error("connecting to the database"))?;
    let result = async {
        let status = command::status(conn.as_mut(), project).await?;
        if !status.up_to_date {
            return Err(AutogenError::NotUpToDate {
                current: status.current,
                heads: status.expected,
            }
            .into());
        }
        // A second connection shares the reading where the dialect can; without
        // one (refused, or another dialect) it all runs on the first.
        let mut second = match url.dialect() {
            Dialect::Postgres => connect(url, &options, &mut |_| {}).await.ok(),
            _ => None,
        };
        let helper = second.as_deref_mut().map(|c| -> &mut dyn Connection { c });
        let described = describe_on(conn.as_mut(), helper, scope)
            .await
            .map_err(db_error("reading the database's schema"));
        if let Some(second) = second {
            second.close().await;
        }
        described
    }
    .await;
    conn.close().await;
    result
}

/// The revision history applied to a shadow database, described (`--offline`).
async fn replayed_history(
    project: &Project,
    url: &DatabaseUrl,
    shadow_url: Option<&DatabaseUrl>,
    scope: &DescribeScope,
) -> Result<Schema> {
    let mut shadow = ShadowDatabase::create(url, shadow_url)
        .await
        .map_err(db_error("creating a shadow database"))?;
    let result = async {
        command::upgrade(
            shadow.connection(),
            project,
            "heads",
            &command::MigrateOptions::default(),
            &mut NoEvents,
        )
        .await
        .map_err(|e| {
            let reason = e.reason().map(|r| format!(" ({r})")).unwrap_or_default();
            AutogenError::Replay(format!("{e}{reason}"))
        })?;
        let (conn, second) = shadow.connections().await;
        describe_on(conn, second, scope)
            .await
            .map_err(db_error("reading the replayed schema"))
    }
    .await;
    discard(shadow, result).await
}

/// The desired schema, loaded into a shadow database and described; the shadow
/// database is kept for the verification (which copies it where it can). Sources
/// that start processes are read on a thread of their own: while the shadow
/// database is made, or, when SQLAlchemy compiles for the server, after asking the
/// new shadow database its version.
async fn desired_schema(
    project: &Project,
    url: &DatabaseUrl,
    shadow_url: Option<&DatabaseUrl>,
    scope: &DescribeScope,
) -> Result<(Schema, ShadowDatabase)> {
    let sources = desired::Sources::for_project(project, url);
    let read = |sources: desired::Sources| async move {
        tokio::task::spawn_blocking(move || sources.read())
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    };
    let (statements, shadow) = if sources.want_server_version() {
        match ShadowDatabase::create(url, shadow_url).await {
            Ok(mut shadow) => {
                let conn = shadow.connection();
                let version = conn
                    .query_column(conn.sql().server_version_sql())
                    .await
                    .ok()
                    .and_then(|v| v.into_iter().next().flatten());
                (read(sources.with_server_version(version)).await, Ok(shadow))
            }
            Err(e) => (read(sources).await, Err(e)),
        }
    } else {
        tokio::join!(read(sources), ShadowDatabase::create(url, shadow_url))
    };
    // A source's error is the one to act on, whatever happened to the shadow.
    let statements = match (statements, shadow) {
        (Ok(statements), Ok(shadow)) => (statements, shadow),
        (Err(e), Ok(shadow)) => return discard(shadow, Err(e.into())).await,
        (Err(e), Err(_)) => return Err(e.into()),
        (Ok(_), Err(e)) => return Err(db_error("creating a shadow database")(e)),
    };
    let (statements, mut shadow) = statements;
    let result = async {
        desired::load(shadow.connection(), &statements).await?;
        let (conn, second) = shadow.connections().await;
        describe_on(conn, second, scope)
            .await
            .map_err(db_error("reading the desired schema"))
    }
    .await;
    match result {
        Ok(schema) => Ok((schema, shadow)),
        Err(e) => discard(shadow, Err(e)).await,
    }
}

/// Drops a shadow database, keeping the first error.
async fn discard<T>(shadow: ShadowDatabase, result: Result<T>) -> Result<T> {
    let dropped = shadow.discard().await;
    let value = result?;
    dropped.map_err(db_error("dropping the shadow database"))?;
    Ok(value)
}

/// The plan of `changes` (from `diff(from, to)`) for a database, rendered: the
/// statements of a migration section, in order.
pub fn render_plan(
    flavour: &dyn SchemaFlavour,
    changes: Vec<Change>,
    from: &Schema,
    to: &Schema,
) -> Result<Vec<RenderedStatement>> {
    // Renames run first: what the other steps find is the renamed schema.
    let renamed = after_renames(from, &changes);
    let steps: Vec<Step> = plan(changes, from, to, &flavour.capabilities());
    let ctx = RenderContext { from: &renamed, to };
    let mut out = Vec::new();
    for step in &steps {
        out.extend(flavour.render(step, ctx).map_err(AutogenError::from)?);
    }
    out.extend(flavour.finish(&steps));
    Ok(out)
}

/// What a generated migration is verified against.
struct Verification<'a> {
    scope: &'a DescribeScope,
    current: &'a Schema,
    desired: &'a Schema,
}

impl Verification<'_> {
    /// Requires the downgrade to take the shadow database that holds the desired
    /// schema to the current schema, and the upgrade to take that copy of the
    /// current schema to the desired one again: both sections are applied, each to
    /// a database that describes exactly as its starting point, and the result is
    /// compared with the same description a fresh load gives. The shadow database
    /// is dropped whatever happens.
    async fn run(
        &self,
        mut shadow: ShadowDatabase,
        upgrade: &[RenderedStatement],
        downgrade: &[RenderedStatement],
    ) -> Result<()> {
        let result = async {
            run(shadow.connection(), downgrade, VerifyStage::Downgrade).await?;
            expect(
                &mut shadow,
                self.scope,
                self.current,
                VerifyStage::Downgrade,
            )
            .await?;
            run(shadow.connection(), upgrade, VerifyStage::Upgrade).await?;
            expect(&mut shadow, self.scope, self.desired, VerifyStage::Upgrade).await
        }
        .await;
        discard(shadow, result).await
    }
}

async fn run(
    conn: &mut dyn Connection,
    statements: &[RenderedStatement],
    stage: VerifyStage,
) -> Result<()> {
    for statement in statements {
        if let Err(e) = conn.execute(&statement.sql).await {
            return Err(AutogenError::VerifyStatement {
                stage,
                statement: statement.sql.clone(),
                source: Box::new(e),
            }
            .into());
        }
    }
    Ok(())
}

/// Describes the shadow database and requires `expected`.
async fn expect(
    shadow: &mut ShadowDatabase,
    scope: &DescribeScope,
    expected: &Schema,
    stage: VerifyStage,
) -> Result<()> {
    let (conn, second) = shadow.connections().await;
    let got = describe_on(conn, second, scope)
        .await
        .map_err(db_error("reading the shadow database's schema"))?;
    let remaining = diff(&got, expected, &Renames::default())
        .map_err(AutogenError::from)?
        .changes;
    if remaining.is_empty() {
        Ok(())
    } else {
        Err(AutogenError::Verification { stage, remaining }.into())
    }
}
