//! The `aludel.toml` of an imported project: Alembic's settings translated where
//! aludel has an equivalent (`file_template`, `timezone`, `truncate_slug_length`,
//! `sqlalchemy.url`, env.py's `version_table`/`version_table_schema`), and notes for
//! what is not carried over.
//!
//! Pure: takes what the driver reported and returns text and notes; it must not
//! read or write files, and never puts a password into a note.

use std::path::Path;

use super::driver::AlembicProject;
use crate::config::{DatabaseUrl, DEFAULT_FILE};

/// Alembic's `file_template` when alembic.ini sets none.
const ALEMBIC_DEFAULT_FILE_TEMPLATE: &str = "%(rev)s_%(slug)s";
/// The placeholder URL of Alembic's `init` templates.
const ALEMBIC_PLACEHOLDER_URL: &str = "driver://user:pass@localhost/dbname";

/// The text of `aludel.toml`, and notes about settings not carried over.
pub struct Settings {
    pub toml: String,
    pub notes: Vec<String>,
}

/// `script_location` and `version_locations` are relative to the new file's folder;
/// `python` is the interpreter named with `--python` (written as `[autogenerate]
/// python` when env.py's models become the desired schema).
pub fn aludel_toml(
    project: &AlembicProject,
    ini: &Path,
    script_location: &str,
    version_locations: &[String],
    python: Option<&str>,
) -> Settings {
    let mut notes = Vec::new();
    let mut lines = vec![
        format!(
            "# Made by `aludel import-alembic` from {}; the revision files were rendered for {}.",
            ini.file_name().map_or_else(
                || ini.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            ),
            project.dialect
        ),
        "[aludel]".to_string(),
        format!("script_location = {}", quoted(script_location)),
    ];
    if version_locations.len() > 1 {
        let list: Vec<String> = version_locations.iter().map(|l| quoted(l)).collect();
        lines.push(format!("version_locations = [{}]", list.join(", ")));
    }
    if project.recursive_version_locations {
        lines.push("recursive_version_locations = true".to_string());
    }
    let template = project
        .options
        .file_template
        .as_deref()
        .unwrap_or(ALEMBIC_DEFAULT_FILE_TEMPLATE);
    lines.push(format!(
        "file_template = {}",
        quoted(&translate_file_template(template))
    ));
    if let Some(tz) = project
        .options
        .timezone
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        match [tz.to_string(), tz.to_uppercase()]
            .into_iter()
            .find(|t| t.parse::<chrono_tz::Tz>().is_ok())
        {
            Some(zone) => lines.push(format!("timezone = {}", quoted(&zone))),
            None => notes.push(format!(
                "timezone '{tz}' is not an IANA time zone name, so it was not carried over (aludel uses UTC)"
            )),
        }
    }
    if let Some(n) = project.options.truncate_slug_length.as_deref() {
        match n.trim().parse::<u32>() {
            Ok(n) => lines.push(format!("truncate_slug_length = {n}")),
            Err(_) => notes.push(format!(
                "truncate_slug_length '{n}' is not a number, so it was not carried over"
            )),
        }
    }
    if let Some(url) = database_url(project.url.as_deref(), &mut notes) {
        lines.push(format!("database_url = {}", quoted(&url)));
    }
    let table = project
        .env
        .version_table
        .as_deref()
        .unwrap_or("alembic_version");
    lines.push(format!("version_table = {}", quoted(table)));
    if let Some(schema) = project
        .env
        .version_table_schema
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        lines.push(format!("version_table_schema = {}", quoted(schema)));
    }
    if let Some(warning) = &project.env.warning {
        notes.push(format!(
            "env.py could not be run ({warning}), so a version_table or version_table_schema it sets was not read; check version_table in {DEFAULT_FILE}"
        ));
    }
    if !project.post_write_hooks.is_empty() {
        notes.push(format!(
            "post_write_hooks {} were not carried over: they format Python files, and aludel's revisions are SQL ([hooks] post_write runs e.g. sqlfluff on them)",
            project.post_write_hooks.join(", ")
        ));
    }
    if let Some(models) = &project.env.models {
        // The daily loop goes on with the models env.py gave Alembic.
        lines.push(String::new());
        lines.push(
            "# env.py's target_metadata: the desired schema of `revision --autogenerate` and `check`."
                .to_string(),
        );
        lines.push("[autogenerate]".to_string());
        lines.push(format!("schema = {}", quoted(&models.source)));
        if models.path != "." {
            lines.push(format!("python_path = [{}]", quoted(&models.path)));
        }
        if let Some(python) = python {
            lines.push(format!("python = {}", quoted(python)));
        }
    }
    let mut toml = lines.join("\n");
    toml.push('\n');
    Settings { toml, notes }
}

/// A TOML string literal.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `sqlalchemy.url` as `database_url`: a `${VAR}` reference as written, a URL aludel
/// reads as it is, nothing for Alembic's placeholder or what aludel cannot read.
fn database_url(url: Option<&str>, notes: &mut Vec<String>) -> Option<String> {
    let url = url.map(str::trim).filter(|u| !u.is_empty())?;
    if url == ALEMBIC_PLACEHOLDER_URL {
        return None;
    }
    if url.contains("${") {
        return Some(url.to_string());
    }
    match DatabaseUrl::parse(url) {
        Ok(_) => Some(url.to_string()),
        Err(e) => {
            notes.push(format!(
                "sqlalchemy.url was not carried over as database_url: {e}"
            ));
            None
        }
    }
}

/// Alembic's printf-style `file_template` in aludel's `{token}` syntax when every
/// token has an exact equivalent there (`%(rev)s`, `%(slug)s`, `%(epoch)s`,
/// `%(year)d`, two-digit `%(month).2d`/`%(month)02d` and the like), else as written
/// (aludel reads Alembic's form too).
pub fn translate_file_template(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['%', '{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('{') {
            out.push_str("{{");
            rest = after;
            continue;
        }
        if let Some(after) = tail.strip_prefix('}') {
            out.push_str("}}");
            rest = after;
            continue;
        }
        if let Some(after) = tail.strip_prefix("%%") {
            out.push('%');
            rest = after;
            continue;
        }
        let Some((name, spec, after)) = printf_token(tail) else {
            return template.to_string();
        };
        let exact = match name {
            "rev" | "slug" => spec == "s",
            "epoch" => spec == "s" || spec == "d",
            "year" => spec == "d" || spec == "4d" || spec == "04d",
            "month" | "day" | "hour" | "minute" | "second" => spec == ".2d" || spec == "02d",
            _ => false,
        };
        if !exact {
            return template.to_string();
        }
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `%(name)SPEC…` at the start of `text`: name, spec (flags, width, precision and
/// conversion) and the rest.
fn printf_token(text: &str) -> Option<(&str, &str, &str)> {
    let after = text.strip_prefix("%(")?;
    let close = after.find(')')?;
    let name = &after[..close];
    let spec_start = &after[close + 1..];
    let conv = spec_start.find(|c: char| c.is_ascii_alphabetic())?;
    Some((name, &spec_start[..=conv], &spec_start[conv + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_templates_are_translated_when_exact() {
        assert_eq!(translate_file_template("%(rev)s_%(slug)s"), "{rev}_{slug}");
        assert_eq!(
            translate_file_template(
                "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s"
            ),
            "{year}_{month}_{day}_{hour}{minute}-{rev}_{slug}"
        );
        assert_eq!(
            translate_file_template("%(epoch)s_{x}_%%"),
            "{epoch}_{{x}}_%"
        );
        // No exact equivalent (unpadded month): kept, aludel reads it as written.
        assert_eq!(
            translate_file_template("%(month)d_%(rev)s"),
            "%(month)d_%(rev)s"
        );
        assert_eq!(translate_file_template("%(bogus)s"), "%(bogus)s");
    }

    #[test]
    fn urls_are_kept_unless_a_placeholder_or_unreadable() {
        let mut notes = Vec::new();
        assert_eq!(
            database_url(Some("driver://user:pass@localhost/dbname"), &mut notes),
            None
        );
        assert_eq!(
            database_url(Some("${DATABASE_URL}"), &mut notes).as_deref(),
            Some("${DATABASE_URL}")
        );
        assert_eq!(
            database_url(Some("postgresql+psycopg2://u:secret@h/db"), &mut notes).as_deref(),
            Some("postgresql+psycopg2://u:secret@h/db")
        );
        assert!(notes.is_empty());
        assert_eq!(
            database_url(Some("oracle://u:secret@h/db"), &mut notes),
            None
        );
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with("sqlalchemy.url was not carried over"),
            "{notes:?}"
        );
        assert!(!notes[0].contains("secret"), "{notes:?}");
    }
}
