//! The aludel revision file of one Alembic revision: same id, parents, labels,
//! dependencies, message and create date, rendered with the default revision
//! template; the SQL Alembic emitted offline in each section, or, for a function
//! that could not be rendered, an `-- aludel:unrendered` line, what to do, and the
//! Python code commented out.
//!
//! Pure text: it must not write files (the caller checks the text with the parser
//! and writes it with `write_new_file`).

use std::path::Path;

use super::driver::{AlembicRevision, RenderedSection};
use crate::command::mark_outside_transaction;
use crate::error::Result;
use crate::script::{render_template, TemplateVars, DEFAULT_TEMPLATE, UNRENDERED_MARKER};

/// The file's text.
pub fn revision_text(rev: &AlembicRevision, shown_source: &Path) -> Result<String> {
    let vars = TemplateVars {
        message: if rev.message.is_empty() {
            "empty message".to_string()
        } else {
            rev.message.clone()
        },
        up_revision: rev.revision.clone(),
        down_revision: TemplateVars::join(&rev.down_revisions),
        create_date: rev.create_date.clone(),
        branch_labels: TemplateVars::join(&rev.branch_labels),
        depends_on: TemplateVars::join(&rev.depends_on),
        upgrades: section_body(&rev.upgrade, "upgrade", shown_source),
        downgrades: section_body(&rev.downgrade, "downgrade", shown_source),
        x: Default::default(),
    };
    let mut text = render_template(DEFAULT_TEMPLATE, Path::new("script.sql.tmpl"), &vars)?;
    for (section, marker) in [
        (&rev.upgrade, "-- aludel:upgrade"),
        (&rev.downgrade, "-- aludel:downgrade"),
    ] {
        if let RenderedSection::Sql {
            outside_transaction: true,
            ..
        } = section
        {
            text = mark_outside_transaction(&text, marker, Path::new("script.sql.tmpl"))?;
        }
    }
    Ok(text)
}

/// Whether an Alembic function emitted no SQL at all.
pub fn is_empty(section: &RenderedSection) -> bool {
    matches!(section, RenderedSection::Sql { sql, .. } if sql.trim().is_empty())
}

fn section_body(section: &RenderedSection, function: &str, source: &Path) -> String {
    match section {
        RenderedSection::Sql { sql, .. } if sql.trim().is_empty() => {
            format!("-- Alembic's {function}() emits no SQL.")
        }
        RenderedSection::Sql { sql, .. } => sql.trim_end().to_string(),
        RenderedSection::Unrenderable {
            error,
            line,
            source: code,
        } => {
            let place = match line {
                Some(line) => format!("{}:{line}", source.display()),
                None => source.display().to_string(),
            };
            let reason = error.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut body = format!(
                "{UNRENDERED_MARKER} Alembic's {function}() cannot be rendered as SQL offline: {reason} ({place})\n\
                 -- This section refuses to run until it holds SQL: write the SQL that does what\n\
                 -- the Alembic code below did, then delete the '{UNRENDERED_MARKER}' line.\n--"
            );
            for line in code.lines() {
                body.push_str("\n-- ");
                body.push_str(line);
            }
            body
        }
    }
}
