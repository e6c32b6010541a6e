//! The new-file template (`script.sql.tmpl`): [`DEFAULT_TEMPLATE`], the values it is
//! filled with ([`TemplateVars`]), and [`render_template`].
//!
//! The syntax is deliberately small: `{name}` tokens, `{{`/`}}` for literal braces,
//! multi-line values continued with the text before the token (so `-- {message}`
//! comments every line), and lines holding an empty `{branch_labels}` or
//! `{depends_on}` dropped. Rendering is pure text: it must not read or write files
//! (the caller reads the template, and writes with `write_new_file` after checking
//! the result with `parse_revision_file`).

use std::collections::BTreeMap;
use std::path::Path;

use super::error::ScriptError;

/// The template written by `aludel init` and used when a project has none.
pub const DEFAULT_TEMPLATE: &str = "\
-- {message}
--
-- Revision ID: {up_revision}
-- Revises: {down_revision}
-- Create Date: {create_date}
-- Branch Labels: {branch_labels}
-- Depends On: {depends_on}

-- aludel:upgrade
{upgrades}

-- aludel:downgrade
{downgrades}
";

/// The values of a template's tokens. List values are already joined with `", "`
/// (see [`TemplateVars::join`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateVars {
    pub message: String,
    pub up_revision: String,
    /// The parents joined with `", "`; empty for a root.
    pub down_revision: String,
    pub create_date: String,
    pub branch_labels: String,
    pub depends_on: String,
    pub upgrades: String,
    pub downgrades: String,
    /// `-x key=value` pairs, available as `{x.key}`.
    pub x: BTreeMap<String, String>,
}

impl TemplateVars {
    /// Joins list items the way the template shows them: `a, b`.
    pub fn join<S: AsRef<str>>(items: &[S]) -> String {
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(item.as_ref());
        }
        out
    }

    fn get(&self, token: &str) -> Option<&str> {
        Some(match token {
            "message" => &self.message,
            "up_revision" => &self.up_revision,
            "down_revision" => &self.down_revision,
            "create_date" => &self.create_date,
            "branch_labels" => &self.branch_labels,
            "depends_on" => &self.depends_on,
            "upgrades" => &self.upgrades,
            "downgrades" => &self.downgrades,
            _ => {
                return token
                    .strip_prefix("x.")
                    .and_then(|k| self.x.get(k))
                    .map(String::as_str)
            }
        })
    }
}

/// A piece of a template line.
enum Piece<'a> {
    Literal(&'a str),
    Brace(char),
    Token(&'a str, &'a str),
}

/// Splits one template line into pieces, resolving every token.
fn pieces<'t, 'v>(
    line: &'t str,
    line_no: usize,
    template_path: &Path,
    vars: &'v TemplateVars,
) -> Result<Vec<Piece<'v>>, ScriptError>
where
    't: 'v,
{
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            out.push(Piece::Literal(&rest[..i]));
        }
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push(Piece::Brace('{'));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push(Piece::Brace('}'));
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let Some(close) = after.find('}') else {
                return Err(ScriptError::TemplateSyntax {
                    path: template_path.to_path_buf(),
                    line: line_no,
                    problem: "unclosed '{' in template",
                });
            };
            let name = &after[..close];
            let Some(value) = vars.get(name) else {
                return Err(ScriptError::UnknownTemplateToken {
                    path: template_path.to_path_buf(),
                    line: line_no,
                    token: name.to_owned(),
                });
            };
            out.push(Piece::Token(name, value));
            rest = &after[close + 1..];
        } else {
            return Err(ScriptError::TemplateSyntax {
                path: template_path.to_path_buf(),
                line: line_no,
                problem: "single '}' in template",
            });
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    Ok(out)
}

/// Renders a new revision file from `template`; `template_path` is only for errors.
///
/// `{name}` is replaced by its value; `{{` and `}}` are literal braces. When a value
/// has several lines, each line after the first is prefixed with the text that
/// precedes the token on its line. A line holding `{branch_labels}` or `{depends_on}`
/// whose value is empty is dropped. Every output line is right-trimmed (so a root
/// renders `-- Revises:`), and a value's trailing line breaks are ignored. Output
/// lines end with `\r\n` when the template's first line does, else `\n`.
pub fn render_template(
    template: &str,
    template_path: &Path,
    vars: &TemplateVars,
) -> Result<String, ScriptError> {
    let newline = match template.find('\n') {
        Some(i) if template[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let mut out = String::with_capacity(
        template.len() + vars.message.len() + vars.upgrades.len() + vars.downgrades.len(),
    );
    for (index, raw) in template.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let has_newline = raw.ends_with('\n');
        let line = raw.trim_end_matches(['\n', '\r']);
        let pieces = pieces(line, line_no, template_path, vars)?;
        let drop = pieces.iter().any(|p| {
            matches!(p, Piece::Token("branch_labels" | "depends_on", value) if value.trim().is_empty())
        });
        if drop {
            continue;
        }
        // The output line being built; completed lines go to `out` right-trimmed.
        let mut current = String::new();
        for piece in pieces {
            match piece {
                Piece::Literal(text) => current.push_str(text),
                Piece::Brace(c) => current.push(c),
                Piece::Token(_, value) => {
                    let prefix = current.clone();
                    let value = value.trim_end_matches(['\n', '\r']);
                    for (i, value_line) in value.split('\n').enumerate() {
                        let value_line = value_line.strip_suffix('\r').unwrap_or(value_line);
                        if i > 0 {
                            out.push_str(current.trim_end());
                            out.push_str(newline);
                            current.clear();
                            current.push_str(&prefix);
                        }
                        current.push_str(value_line);
                    }
                }
            }
        }
        out.push_str(current.trim_end());
        if has_newline {
            out.push_str(newline);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::file::parse_revision_file;
    use proptest::prelude::*;

    fn typical() -> TemplateVars {
        TemplateVars {
            message: "Add email verification to users".to_owned(),
            up_revision: "3f2a9c1b7d4e".to_owned(),
            down_revision: "1c9e8d7a6b5f".to_owned(),
            create_date: "2026-11-21 10:30:00.123456+00:00".to_owned(),
            branch_labels: "auth".to_owned(),
            depends_on: "9a8b7c6d5e4f".to_owned(),
            upgrades: "ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;"
                .to_owned(),
            downgrades: "ALTER TABLE users DROP COLUMN email_verified;".to_owned(),
            x: BTreeMap::new(),
        }
    }

    fn render(template: &str, vars: &TemplateVars) -> Result<String, ScriptError> {
        render_template(template, Path::new("migrations/script.sql.tmpl"), vars)
    }

    fn render_err(template: &str, vars: &TemplateVars) -> ScriptError {
        match render(template, vars) {
            Ok(text) => panic!("expected an error, rendered {text:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn default_template_renders_the_product_example() {
        let text = render(DEFAULT_TEMPLATE, &typical()).expect("renders");
        assert_eq!(
            text,
            "\
-- Add email verification to users
--
-- Revision ID: 3f2a9c1b7d4e
-- Revises: 1c9e8d7a6b5f
-- Create Date: 2026-11-21 10:30:00.123456+00:00
-- Branch Labels: auth
-- Depends On: 9a8b7c6d5e4f

-- aludel:upgrade
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;

-- aludel:downgrade
ALTER TABLE users DROP COLUMN email_verified;
"
        );
    }

    #[test]
    fn root_without_labels_or_dependencies() {
        let vars = TemplateVars {
            down_revision: String::new(),
            branch_labels: String::new(),
            depends_on: String::new(),
            downgrades: String::new(),
            ..typical()
        };
        let text = render(DEFAULT_TEMPLATE, &vars).expect("renders");
        assert_eq!(
            text,
            "\
-- Add email verification to users
--
-- Revision ID: 3f2a9c1b7d4e
-- Revises:
-- Create Date: 2026-11-21 10:30:00.123456+00:00

-- aludel:upgrade
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;

-- aludel:downgrade

"
        );
        let f = parse_revision_file(Path::new("r.sql"), &text).expect("parses");
        assert!(f.down_revisions.is_empty());
        assert!(f.branch_labels.is_empty() && f.depends_on.is_empty());
        assert_eq!(f.downgrade, None);
    }

    #[test]
    fn multi_line_values_repeat_the_prefix() {
        let vars = TemplateVars {
            message: "First line\nsecond line\n\nMore detail.\r\n".to_owned(),
            upgrades: "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);\n".to_owned(),
            ..typical()
        };
        let text = render("-- {message}\n  {upgrades} -- end\n", &vars).expect("renders");
        assert_eq!(
            text,
            "-- First line\n-- second line\n--\n-- More detail.\n  CREATE TABLE a (id int);\n\n  CREATE TABLE b (id int); -- end\n"
        );
    }

    #[test]
    fn round_trip_of_the_default_template() {
        let vars = TemplateVars {
            message: "Merge heads\n\nJoins the auth and billing branches.".to_owned(),
            down_revision: TemplateVars::join(&["a1b2", "c3d4"]),
            branch_labels: TemplateVars::join(&["auth", "core"]),
            depends_on: TemplateVars::join(&["lib", "e5f6"]),
            ..typical()
        };
        let text = render(DEFAULT_TEMPLATE, &vars).expect("renders");
        let f = parse_revision_file(Path::new("m.sql"), &text).expect("parses");
        assert_eq!(f.revision, "3f2a9c1b7d4e");
        assert_eq!(f.down_revisions, ["a1b2", "c3d4"]);
        assert_eq!(f.branch_labels, ["auth", "core"]);
        assert_eq!(f.depends_on, ["lib", "e5f6"]);
        assert_eq!(
            f.create_date.as_deref(),
            Some("2026-11-21 10:30:00.123456+00:00")
        );
        assert_eq!(f.doc, "Merge heads");
        assert!(f.longdoc.starts_with(
            "Merge heads\n\nJoins the auth and billing branches.\n\nRevision ID: 3f2a9c1b7d4e\n"
        ));
        assert_eq!(f.upgrade.sql.trim(), vars.upgrades);
        assert_eq!(f.downgrade.expect("downgrade").sql.trim(), vars.downgrades);
    }

    #[test]
    fn braces_and_x_tokens() {
        let mut vars = typical();
        vars.x.insert("author".to_owned(), "ada".to_owned());
        let text =
            render("-- by {x.author} {{literal}} {{{up_revision}}}\n", &vars).expect("renders");
        assert_eq!(text, "-- by ada {literal} {3f2a9c1b7d4e}\n");
    }

    #[test]
    fn lines_with_empty_lists_are_dropped_others_kept() {
        let vars = TemplateVars {
            branch_labels: String::new(),
            ..typical()
        };
        let text = render(
            "a\n-- L: {branch_labels} D: {depends_on}\n-- D: {depends_on}\nz",
            &vars,
        )
        .expect("renders");
        assert_eq!(text, "a\n-- D: 9a8b7c6d5e4f\nz");
    }

    #[test]
    fn crlf_templates_render_crlf() {
        let vars = TemplateVars {
            message: "one\ntwo".to_owned(),
            ..typical()
        };
        let text =
            render("-- {message}\r\n-- Revises: {down_revision}\r\n", &vars).expect("renders");
        assert_eq!(text, "-- one\r\n-- two\r\n-- Revises: 1c9e8d7a6b5f\r\n");
    }

    #[test]
    fn unknown_tokens_and_bad_braces() {
        let e = render_err("-- {message}\n-- Author: {author}\n", &typical());
        assert_eq!(
            e.to_string(),
            "migrations/script.sql.tmpl:2: unknown token '{author}' in template"
        );
        assert!(e
            .hint()
            .starts_with("template tokens are message, up_revision"));
        let e = render_err("\n\n-- {x.ticket}\n", &typical());
        assert_eq!(
            e.to_string(),
            "migrations/script.sql.tmpl:3: unknown token '{x.ticket}' in template"
        );
        assert_eq!(
            e.hint(),
            "pass -x ticket=<value>, or remove '{x.ticket}' from the template"
        );
        // Unknown tokens are reported even on a line that would be dropped.
        let vars = TemplateVars {
            depends_on: String::new(),
            ..typical()
        };
        assert!(matches!(
            render_err("{depends_on} {nope}\n", &vars),
            ScriptError::UnknownTemplateToken { line: 1, .. }
        ));
        let e = render_err("ok\nSELECT '{' ;\n", &typical());
        assert_eq!(
            e.to_string(),
            "migrations/script.sql.tmpl:2: unclosed '{' in template"
        );
        assert!(e.hint().contains("'{{' and '}}'"));
        let e = render_err("SELECT '}';\n", &typical());
        assert_eq!(
            e.to_string(),
            "migrations/script.sql.tmpl:1: single '}' in template"
        );
    }

    fn word() -> impl Strategy<Value = String> {
        "[A-Za-z0-9_]{1,12}"
    }

    fn distinct(items: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in items {
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }

    /// A message line: starts with a non-blank character, never a marker.
    fn message_line() -> impl Strategy<Value = String> {
        "[A-Za-z0-9({][A-Za-z0-9 ,.:!?()'_{}é-]{0,30}"
            .prop_filter("looks like a marker", |l| !l.starts_with("aludel:"))
    }

    fn sql_lines() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[A-Za-z(][A-Za-z0-9 ,;()'{}=_-]{0,40}", 0..5)
    }

    proptest! {
        #[test]
        fn rendered_revisions_parse_back(
            paragraphs in prop::collection::vec(prop::collection::vec(message_line(), 1..4), 0..3),
            rev in word(),
            down in prop::collection::vec(word(), 0..4),
            labels in prop::collection::vec("[a-z][a-z0-9_.]{0,10}", 0..3),
            depends in prop::collection::vec("[a-z0-9_]{1,10}", 0..3),
            upgrades in sql_lines(),
            downgrades in sql_lines(),
            micros in 0u32..2,
        ) {
            let down = distinct(down);
            let labels = distinct(labels);
            let depends = distinct(depends);
            let message = paragraphs
                .iter()
                .map(|p| p.join("\n"))
                .collect::<Vec<_>>()
                .join("\n\n");
            let vars = TemplateVars {
                message: message.clone(),
                up_revision: rev.clone(),
                down_revision: TemplateVars::join(&down),
                create_date: format!("2026-11-21 10:30:00{}+00:00", if micros == 1 { ".000001" } else { "" }),
                branch_labels: TemplateVars::join(&labels),
                depends_on: TemplateVars::join(&depends),
                upgrades: upgrades.join("\n"),
                downgrades: downgrades.join("\n"),
                x: BTreeMap::new(),
            };
            let text = render(DEFAULT_TEMPLATE, &vars).expect("renders");
            let f = parse_revision_file(Path::new("p.sql"), &text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            prop_assert_eq!(&f.revision, &rev);
            prop_assert_eq!(&f.down_revisions, &down);
            prop_assert_eq!(&f.branch_labels, &labels);
            prop_assert_eq!(&f.depends_on, &depends);
            prop_assert_eq!(f.create_date.as_deref(), Some(vars.create_date.as_str()));
            let first = paragraphs.first().map(|p| p.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n"));
            prop_assert_eq!(f.doc, first.unwrap_or_default());
            let expected_upgrade = upgrades.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
            prop_assert_eq!(f.upgrade.sql.trim_end(), expected_upgrade.trim_end());
            let expected_downgrade = downgrades.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
            match f.downgrade {
                None => prop_assert!(downgrades.is_empty()),
                Some(section) => prop_assert_eq!(section.sql.trim_end(), expected_downgrade.trim_end()),
            }
        }
    }
}
