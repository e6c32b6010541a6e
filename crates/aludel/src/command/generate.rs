//! `revision` and `merge`: write a new revision file (Alembic's `generate_revision`,
//! ALEMBIC.md §3.5).
//!
//! Everything is checked before the file is written: the id, the heads, the version
//! path, the branch labels (Alembic writes first and fails after, §10 #7), the
//! dependencies, and the rendered text itself, which must parse back to exactly the
//! revision intended. `post_write` hooks run afterwards; if one fails, or leaves an
//! invalid file, the file is removed, so a failed command leaves nothing behind.

use std::path::{Path, PathBuf};

use crate::error::{Catch, CommandError, Error, Result};
use crate::project::{normalize, Project};
use crate::revision::{Node, RevIdx};
use crate::script::{
    new_revision_id, parse_revision_file, render_file_name, render_template, slugify,
    validate_branch_label, validate_revision_id, write_new_file, CreateDate, TemplateVars,
    DEFAULT_TEMPLATE,
};

/// Options of `revision` (Alembic's flags).
#[derive(Debug, Clone, Default)]
pub struct RevisionOptions {
    pub message: Option<String>,
    pub rev_id: Option<String>,
    /// `--head`; `head` when not given.
    pub head: Option<String>,
    pub splice: bool,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    pub version_path: Option<PathBuf>,
    /// Working directory, against which `version_path` is resolved.
    pub cwd: PathBuf,
}

/// Options of `merge`.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    pub revisions: Vec<String>,
    pub message: Option<String>,
    pub branch_labels: Vec<String>,
    pub rev_id: Option<String>,
    pub splice: bool,
    pub cwd: PathBuf,
}

/// A revision file written by `revision` or `merge`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedRevision {
    pub revision: String,
    pub path: PathBuf,
    /// Output of the `post_write` hooks, in order.
    pub hook_output: Vec<String>,
}

/// The sections of a generated revision (`revision --autogenerate`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevisionBody {
    pub upgrade: String,
    pub downgrade: String,
    /// `false`: the section holds a statement that must commit before a later
    /// one uses it, so its marker line says `transaction=false`.
    pub upgrade_transactional: bool,
    pub downgrade_transactional: bool,
}

pub fn revision(project: &Project, opts: &RevisionOptions) -> Result<GeneratedRevision> {
    revision_with_body(
        project,
        opts,
        RevisionBody {
            upgrade_transactional: true,
            downgrade_transactional: true,
            ..RevisionBody::default()
        },
    )
}

/// `revision` with the sections filled in (autogenerate).
pub fn revision_with_body(
    project: &Project,
    opts: &RevisionOptions,
    body: RevisionBody,
) -> Result<GeneratedRevision> {
    let heads = vec![opts.head.clone().unwrap_or_else(|| "head".to_string())];
    generate(
        project,
        Request {
            body,
            rev_id: opts.rev_id.clone(),
            message: opts.message.clone(),
            heads,
            splice: opts.splice,
            branch_labels: opts.branch_labels.clone(),
            depends_on: opts.depends_on.clone(),
            version_path: opts.version_path.clone(),
            cwd: opts.cwd.clone(),
        },
    )
}

pub fn merge(project: &Project, opts: &MergeOptions) -> Result<GeneratedRevision> {
    generate(
        project,
        Request {
            body: RevisionBody {
                upgrade_transactional: true,
                downgrade_transactional: true,
                ..RevisionBody::default()
            },
            rev_id: opts.rev_id.clone(),
            message: opts.message.clone(),
            heads: opts.revisions.clone(),
            splice: opts.splice,
            branch_labels: opts.branch_labels.clone(),
            depends_on: Vec::new(),
            version_path: None,
            cwd: opts.cwd.clone(),
        },
    )
}

struct Request {
    body: RevisionBody,
    rev_id: Option<String>,
    message: Option<String>,
    heads: Vec<String>,
    splice: bool,
    branch_labels: Vec<String>,
    depends_on: Vec<String>,
    version_path: Option<PathBuf>,
    cwd: PathBuf,
}

const MULTIPLE_HEADS: &str = "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.";

fn generate(project: &Project, req: Request) -> Result<GeneratedRevision> {
    let map = &project.map;
    let config = &project.config;
    let rev_id = req.rev_id.clone().unwrap_or_else(new_revision_id);
    validate_revision_id(&rev_id)?;
    if let Some(existing) = map.index_of(&rev_id) {
        return Err(
            CommandError::new(format!("Revision {rev_id} is present more than once"))
                .with_reason(format!(
                    "{} already declares it",
                    project.file(existing).path.display()
                ))
                .with_hint("choose another --rev-id")
                .with_kind("duplicate_revision")
                .with_revision(rev_id.clone())
                .into(),
        );
    }

    let catch = Catch {
        multiple_heads: Some(MULTIPLE_HEADS),
        option: Some("--head"),
        ..Default::default()
    };
    let mut heads: Vec<RevIdx> = Vec::new();
    for h in &req.heads {
        for node in map.get_revisions(h).map_err(|e| catch.map(e))? {
            match node {
                Some(Node::Rev(r)) => heads.push(r),
                Some(Node::Base) => {}
                None => return Err(Error::command("Walked too far")),
            }
        }
    }
    let mut unique = heads.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != heads.len() {
        return Err(Error::command("Duplicate head revisions specified"));
    }

    let date = CreateDate::now_in(&config.timezone)?;
    let version_dir = choose_version_path(project, &req, &heads)?;
    let message = req.message.clone();
    let slug = slugify(
        message.as_deref().unwrap_or(""),
        config.truncate_slug_length,
    );
    let file_name = render_file_name(&config.file_template, &rev_id, &slug, &date)?;
    if file_name.contains('/') && !config.recursive_version_locations {
        return Err(CommandError::new(format!(
            "file_template '{}' puts revision files in sub-folders, which are only found with recursive_version_locations = true",
            config.file_template
        ))
        .with_hint(format!("set recursive_version_locations = true in {}", config.path.display()))
        .into());
    }
    let path = version_dir.join(&file_name);

    if !req.splice {
        for &h in &heads {
            if !map.rev(h).is_head() {
                return Err(CommandError::new(format!(
                    "Revision {} is not a head revision; please specify --splice to create a new branch from this revision",
                    map.id(h)
                ))
                .with_kind("not_a_head")
                .with_revision(map.id(h))
                .into());
            }
        }
    }

    let mut depends_on = Vec::new();
    for dep in &req.depends_on {
        let Some(r) = map.get_revision(dep).map_err(|e| Catch::default().map(e))? else {
            return Err(
                CommandError::new(format!("Can't locate revision identified by '{dep}'"))
                    .with_reason("a dependency must name a revision")
                    .into(),
            );
        };
        depends_on.push(if map.has_label(r, dep) {
            dep.clone()
        } else {
            map.id(r).to_string()
        });
    }

    for label in &req.branch_labels {
        let existing = map.lookup(label).map(|r| map.id(r).to_string());
        let existing = existing.or_else(|| (label == &rev_id).then(|| rev_id.clone()));
        if let Some(existing) = existing {
            return Err(CommandError::new(format!(
                "Branch name '{label}' in revision {rev_id} already used by revision {existing}"
            ))
            .with_hint("choose another --branch-label; nothing was written")
            .with_kind("branch_label_in_use")
            .with_revision(existing)
            .into());
        }
        validate_branch_label(label)?;
    }

    let down_ids: Vec<String> = heads.iter().map(|&h| map.id(h).to_string()).collect();
    let template_path = project.template_path();
    let template = if template_path.exists() {
        std::fs::read_to_string(&template_path).map_err(|e| {
            CommandError::new(format!("Could not read {}: {e}", template_path.display()))
        })?
    } else {
        DEFAULT_TEMPLATE.to_string()
    };
    let vars = TemplateVars {
        message: message
            .clone()
            .unwrap_or_else(|| "empty message".to_string()),
        up_revision: rev_id.clone(),
        down_revision: down_ids.join(", "),
        create_date: date.to_string(),
        branch_labels: req.branch_labels.join(", "),
        depends_on: depends_on.join(", "),
        upgrades: req.body.upgrade.clone(),
        downgrades: req.body.downgrade.clone(),
        x: config.x_args.clone(),
    };
    let mut text = render_template(&template, &template_path, &vars)?;
    for (transactional, marker) in [
        (req.body.upgrade_transactional, "-- aludel:upgrade"),
        (req.body.downgrade_transactional, "-- aludel:downgrade"),
    ] {
        if !transactional {
            text = mark_outside_transaction(&text, marker, &template_path)?;
        }
    }
    verify_rendered(
        &path,
        &text,
        &rev_id,
        &down_ids,
        &req.branch_labels,
        &depends_on,
        &template_path,
    )?;

    write_new_file(&path, &text)?;
    let hook_output = match run_post_write_hooks(project, &path, &rev_id) {
        Ok(out) => out,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };
    Ok(GeneratedRevision {
        revision: rev_id,
        path,
        hook_output,
    })
}

/// `text` with its `marker` line (`-- aludel:upgrade`) running the section
/// outside a transaction.
pub(crate) fn mark_outside_transaction(
    text: &str,
    marker: &str,
    template: &Path,
) -> Result<String> {
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !found && line.trim_end() == marker {
                found = true;
                format!("{marker} transaction=false")
            } else {
                line.to_string()
            }
        })
        .collect();
    if !found {
        return Err(CommandError::new(format!(
            "The generated migration must run outside a transaction, but the template has no '{marker}' line to mark"
        ))
        .with_reason(format!("template: {}", template.display()))
        .with_hint(format!("keep the line '{marker}' in the template on its own"))
        .into());
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Alembic puts a new revision next to its first head when several locations exist.
fn choose_version_path(project: &Project, req: &Request, heads: &[RevIdx]) -> Result<PathBuf> {
    let locations = &project.config.version_locations;
    let chosen = match &req.version_path {
        Some(p) => p.clone(),
        None if locations.len() > 1 => match heads.first() {
            Some(&h) => project
                .file(h)
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            None => {
                return Err(Error::command(
                    "Multiple version locations present, please specify --version-path",
                ))
            }
        },
        None => match locations.first() {
            Some(l) => l.clone(),
            None => return Err(Error::command("No version locations are configured")),
        },
    };
    if let Some(loc) = project.version_location_for(&chosen, &req.cwd) {
        return Ok(loc);
    }
    // A head's folder may be a sub-folder of a recursive location.
    let abs = normalize(&req.cwd.join(&chosen));
    if req.version_path.is_none()
        && project.config.recursive_version_locations
        && locations.iter().any(|l| abs.starts_with(normalize(l)))
    {
        return Ok(abs);
    }
    Err(CommandError::new(format!(
        "Path {} is not represented in current version locations",
        chosen.display()
    ))
    .with_hint(format!(
        "version locations: {}",
        locations
            .iter()
            .map(|l| l.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .into())
}

#[allow(clippy::too_many_arguments)]
fn verify_rendered(
    path: &Path,
    text: &str,
    rev_id: &str,
    down: &[String],
    labels: &[String],
    depends_on: &[String],
    template_path: &Path,
) -> Result<()> {
    let parsed = parse_revision_file(path, text).map_err(|e| {
        CommandError::new(format!(
            "The template {} renders an invalid revision file: {e}",
            template_path.display()
        ))
        .with_hint("fix the template; nothing was written")
    })?;
    let mismatch = |what: &str| -> Error {
        CommandError::new(format!(
            "Version {rev_id} specified {what}, however the rendered file does not have them; does {} include the '{}' line?",
            template_path.display(),
            match what {
                "branch_labels" => "Branch Labels: {branch_labels}",
                "depends_on" => "Depends On: {depends_on}",
                "down_revision" => "Revises: {down_revision}",
                _ => "Revision ID: {up_revision}",
            }
        ))
        .with_hint("nothing was written")
        .into()
    };
    if parsed.revision != rev_id {
        return Err(mismatch("revision"));
    }
    if parsed.down_revisions != down {
        return Err(mismatch("down_revision"));
    }
    if parsed.branch_labels != labels {
        return Err(mismatch("branch_labels"));
    }
    if parsed.depends_on != depends_on {
        return Err(mismatch("depends_on"));
    }
    Ok(())
}

/// Runs `[hooks] post_write` on the new file; any failure is an error. The file must
/// still be a valid revision afterwards.
use super::hooks::run_hook;
use super::shell::ShellValue;

fn run_post_write_hooks(project: &Project, path: &Path, rev_id: &str) -> Result<Vec<String>> {
    let mut outputs = Vec::new();
    for hook in &project.config.hooks.post_write {
        let text = run_hook(
            project,
            "post_write",
            hook,
            &[
                ShellValue::env(
                    "{path}",
                    "ALUDEL_REVISION_PATH",
                    &path.display().to_string(),
                ),
                ShellValue::env("", "ALUDEL_REVISION", rev_id),
            ],
        )
        .map_err(|e| match e {
            Error::Command(c) => Error::Command(c.with_hint(format!(
                "the new file was removed; fix the hook in {}",
                project.config.path.display()
            ))),
            other => other,
        })?;
        outputs.push(text);
    }
    if !project.config.hooks.post_write.is_empty() {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CommandError::new(format!(
                "Could not read {} after the hooks: {e}",
                path.display()
            ))
        })?;
        let parsed = parse_revision_file(path, &text).map_err(|e| {
            CommandError::new(format!(
                "A post_write hook left an invalid revision file: {e}"
            ))
            .with_hint("the new file was removed")
        })?;
        if parsed.revision != rev_id {
            return Err(
                CommandError::new("A post_write hook changed the revision id")
                    .with_hint("the new file was removed")
                    .into(),
            );
        }
    }
    Ok(outputs)
}
