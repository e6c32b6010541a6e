//! One revision file: the [`RevisionFile`] value and its parser.
//!
//! The parser reads the `--` comment header (message paragraphs, then the metadata
//! paragraph of `Key: value` lines) and the `-- aludel:upgrade` / `-- aludel:downgrade`
//! sections, in one pass over the lines, and reports the first problem with its file
//! and 1-based line. A `-- aludel:unrendered REASON` line inside a section marks it
//! as not written yet (`import-alembic` writes it for a revision Alembic could not
//! render offline); the runtime refuses to run such a section. It works on text it is given: it must not read files (see
//! `discover`), split SQL into statements (the `sql` module's job), or check
//! references between revisions (the `revision` graph's job).

use std::path::{Path, PathBuf};

use super::error::{ScriptError, HEADER_KEYS};
use super::naming::{validate_branch_label, validate_dependency, validate_revision_id};
use crate::revision::HeaderLines as KeyLines;

/// A parsed revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionFile {
    pub path: PathBuf,
    pub revision: String,
    /// The parents: empty for a root, several for a merge.
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// The lines of `Revision ID:`, `Revises:` and `Depends On:`, for graph errors.
    pub header_lines: KeyLines,
    /// The `Create Date:` value as written; informational only.
    pub create_date: Option<String>,
    /// The first paragraph of the message; empty when there is no message.
    pub doc: String,
    /// The whole header text (message and metadata), trimmed, as Alembic's docstring.
    pub longdoc: String,
    pub upgrade: Section,
    /// `None` when the revision is irreversible: no downgrade marker, or a downgrade
    /// section holding only blank lines and `--` comments.
    pub downgrade: Option<Section>,
}

/// One `-- aludel:upgrade` or `-- aludel:downgrade` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub options: SectionOptions,
    /// The 1-based line of the marker.
    pub marker_line: usize,
    /// The raw text after the marker line up to the next marker or the end of the
    /// file, line endings as in the file.
    pub sql: String,
    /// The 1-based file line of `sql`'s first line (`marker_line + 1`).
    pub first_line: usize,
    /// Set when the section holds a `-- aludel:unrendered` line: its SQL has not
    /// been written yet, so it must not run.
    pub unrendered: Option<Unrendered>,
}

/// A `-- aludel:unrendered REASON` line: the section's SQL is still to be written
/// by a person (the line is deleted when it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrendered {
    /// The 1-based line of the marker.
    pub line: usize,
    /// The text after the marker: why the SQL could not be produced.
    pub reason: String,
}

/// The marker that leaves a section unrendered.
pub const UNRENDERED_MARKER: &str = "-- aludel:unrendered";

/// The options written after a section marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionOptions {
    /// `transaction=true` (the default) or `transaction=false`.
    pub transaction: bool,
}

impl Default for SectionOptions {
    fn default() -> Self {
        SectionOptions { transaction: true }
    }
}

/// Parses a revision file's bytes: checks UTF-8 (the error names the line of the
/// first bad byte), strips a BOM, then parses as [`parse_revision_file`].
pub fn parse_revision_bytes(path: &Path, bytes: &[u8]) -> Result<RevisionFile, ScriptError> {
    parse_bytes_owned(path.to_path_buf(), bytes)
}

/// [`parse_revision_bytes`] taking the path by value, so that loading many files
/// copies no path.
pub(crate) fn parse_bytes_owned(path: PathBuf, bytes: &[u8]) -> Result<RevisionFile, ScriptError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_owned(path, text),
        Err(e) => {
            let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            Err(ScriptError::NotUtf8 { path, line })
        }
    }
}

/// Parses the text of a revision file (a leading BOM is ignored, CRLF accepted).
pub fn parse_revision_file(path: &Path, text: &str) -> Result<RevisionFile, ScriptError> {
    parse_owned(path.to_path_buf(), text)
}

fn parse_owned(path: PathBuf, text: &str) -> Result<RevisionFile, ScriptError> {
    let parsed = Parser::new(&path).parse(text)?;
    Ok(RevisionFile {
        path,
        revision: parsed.header.revision,
        down_revisions: parsed.header.down_revisions,
        branch_labels: parsed.header.branch_labels,
        depends_on: parsed.header.depends_on,
        header_lines: parsed.header.lines,
        create_date: parsed.header.create_date,
        doc: parsed.header.doc,
        longdoc: parsed.header.longdoc,
        upgrade: parsed.upgrade,
        downgrade: parsed.downgrade,
    })
}

/// What a line is, for the parser.
enum LineKind<'a> {
    Blank,
    /// A `--` comment; the text after `--`.
    Comment(&'a str),
    /// A `-- aludel:<word> <rest>` line.
    Marker {
        word: &'a str,
        rest: &'a str,
    },
    /// Anything else: SQL or stray text.
    Text,
}

fn classify(line: &str) -> LineKind<'_> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() {
        return LineKind::Blank;
    }
    let Some(after) = trimmed.strip_prefix("--") else {
        return LineKind::Text;
    };
    match after.trim_start().strip_prefix("aludel:") {
        Some(marker) => {
            let end = marker.find(char::is_whitespace).unwrap_or(marker.len());
            LineKind::Marker {
                word: &marker[..end],
                rest: &marker[end..],
            }
        }
        None => LineKind::Comment(after),
    }
}

/// A header line's content: the text after `--` and one optional space, right-trimmed.
fn header_content(after_dashes: &str) -> &str {
    after_dashes
        .strip_prefix(' ')
        .unwrap_or(after_dashes)
        .trim_end()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Upgrade,
    Downgrade,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Upgrade => "upgrade",
            Which::Downgrade => "downgrade",
        }
    }
}

/// A section being read: where it starts, and whether it holds any SQL yet.
struct OpenSection {
    which: Which,
    options: SectionOptions,
    marker_line: usize,
    start: usize,
    has_sql: bool,
    unrendered: Option<Unrendered>,
}

struct Header {
    revision: String,
    down_revisions: Vec<String>,
    branch_labels: Vec<String>,
    depends_on: Vec<String>,
    lines: KeyLines,
    create_date: Option<String>,
    doc: String,
    longdoc: String,
}

struct Parsed {
    header: Header,
    upgrade: Section,
    downgrade: Option<Section>,
}

enum State {
    /// Before the header: blank lines are skipped.
    Leading,
    /// Inside the `--` header.
    Header,
    /// After the header, before the first marker: only blanks and comments.
    Between,
    /// Inside a section.
    Section(OpenSection),
}

/// The header lines read so far, `(line number, content)`: on the stack for the
/// usual short header, so parsing a file allocates only what it returns.
struct HeaderLines<'a> {
    inline: [(usize, &'a str); 16],
    len: usize,
    spill: Vec<(usize, &'a str)>,
}

impl<'a> HeaderLines<'a> {
    fn new() -> Self {
        HeaderLines {
            inline: [(0, ""); 16],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, line: usize, content: &'a str) {
        if self.len < self.inline.len() {
            self.inline[self.len] = (line, content);
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push((line, content));
        }
        self.len += 1;
    }

    fn as_slice(&self) -> &[(usize, &'a str)] {
        if self.len <= self.inline.len() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

struct Parser<'p> {
    path: &'p Path,
}

impl<'p> Parser<'p> {
    fn new(path: &'p Path) -> Self {
        Parser { path }
    }

    fn path(&self) -> PathBuf {
        self.path.to_path_buf()
    }

    fn parse(&self, text: &str) -> Result<Parsed, ScriptError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // (line number, content) of each header line.
        let mut header_lines = HeaderLines::new();
        let mut header: Option<Header> = None;
        let mut upgrade: Option<Section> = None;
        let mut downgrade: Option<Option<Section>> = None;
        let mut upgrade_marker: Option<usize> = None;
        let mut downgrade_marker: Option<usize> = None;
        let mut state = State::Leading;
        let mut pos = 0;
        let mut line_no = 0;

        while pos < text.len() {
            line_no += 1;
            let rest = &text[pos..];
            let (raw_len, next) = match rest.find('\n') {
                Some(i) => (i, pos + i + 1),
                None => (rest.len(), text.len()),
            };
            let raw = &rest[..raw_len];
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let kind = classify(line);

            match (&mut state, kind) {
                (State::Leading, LineKind::Blank) => {}
                (State::Leading, LineKind::Comment(after)) => {
                    header_lines.push(line_no, header_content(after));
                    state = State::Header;
                }
                (State::Leading, _) => {
                    return Err(ScriptError::NoHeader {
                        path: self.path(),
                        line: line_no,
                    })
                }
                (State::Header, LineKind::Comment(after)) => {
                    header_lines.push(line_no, header_content(after));
                }
                (State::Header, LineKind::Blank) => {
                    header = Some(self.header(header_lines.as_slice())?);
                    state = State::Between;
                }
                (State::Header, LineKind::Text) => {
                    // A header error comes first: it is on an earlier line.
                    self.header(header_lines.as_slice())?;
                    return Err(ScriptError::TextBeforeMarker {
                        path: self.path(),
                        line: line_no,
                    });
                }
                (State::Between, LineKind::Blank | LineKind::Comment(_)) => {}
                (State::Between, LineKind::Text) => {
                    return Err(ScriptError::TextBeforeMarker {
                        path: self.path(),
                        line: line_no,
                    })
                }
                (State::Section(open), LineKind::Text) => open.has_sql = true,
                (State::Section(_), LineKind::Blank | LineKind::Comment(_)) => {}
                (
                    State::Section(open),
                    LineKind::Marker {
                        word: "unrendered",
                        rest,
                    },
                ) => {
                    if open.unrendered.is_none() {
                        open.unrendered = Some(Unrendered {
                            line: line_no,
                            reason: rest.trim().to_owned(),
                        });
                    }
                }
                (
                    _,
                    LineKind::Marker {
                        word: "unrendered", ..
                    },
                ) => {
                    self.header_if_missing(&mut header, header_lines.as_slice())?;
                    return Err(ScriptError::UnrenderedOutsideSection {
                        path: self.path(),
                        line: line_no,
                    });
                }
                (_, LineKind::Marker { word, rest }) => {
                    self.header_if_missing(&mut header, header_lines.as_slice())?;
                    if let State::Section(open) = std::mem::replace(&mut state, State::Between) {
                        close(open, &text[..pos], &mut upgrade, &mut downgrade);
                    }
                    let (which, options) = self.marker(line_no, word, rest)?;
                    let seen = match which {
                        Which::Upgrade => &mut upgrade_marker,
                        Which::Downgrade => &mut downgrade_marker,
                    };
                    if let Some(first_line) = *seen {
                        return Err(ScriptError::DuplicateMarker {
                            path: self.path(),
                            line: line_no,
                            marker: which.name(),
                            first_line,
                        });
                    }
                    *seen = Some(line_no);
                    state = State::Section(OpenSection {
                        which,
                        options,
                        marker_line: line_no,
                        start: next,
                        has_sql: false,
                        unrendered: None,
                    });
                }
            }
            pos = next;
        }

        match state {
            State::Leading => {
                return Err(ScriptError::NoHeader {
                    path: self.path(),
                    line: line_no.max(1),
                })
            }
            State::Header => header = Some(self.header(header_lines.as_slice())?),
            State::Between => {}
            State::Section(open) => close(open, text, &mut upgrade, &mut downgrade),
        }
        let (Some(header), Some(upgrade)) = (header, upgrade) else {
            return Err(ScriptError::MissingUpgrade { path: self.path() });
        };
        Ok(Parsed {
            header,
            upgrade,
            downgrade: downgrade.flatten(),
        })
    }

    /// Parses the header when a marker ends it (a header error comes first: it is on
    /// an earlier line).
    fn header_if_missing(
        &self,
        header: &mut Option<Header>,
        lines: &[(usize, &str)],
    ) -> Result<(), ScriptError> {
        if header.is_none() {
            *header = Some(self.header(lines)?);
        }
        Ok(())
    }

    /// Reads a marker line's word and options.
    fn marker(
        &self,
        line: usize,
        word: &str,
        rest: &str,
    ) -> Result<(Which, SectionOptions), ScriptError> {
        let which = match word {
            "upgrade" => Which::Upgrade,
            "downgrade" => Which::Downgrade,
            _ => {
                return Err(ScriptError::UnknownMarker {
                    path: self.path(),
                    line,
                    marker: word.to_owned(),
                })
            }
        };
        let mut options = SectionOptions::default();
        let mut seen_transaction = false;
        for option in rest.split_whitespace() {
            let problem = match option.split_once('=') {
                Some(("transaction", _)) if seen_transaction => Some("given twice"),
                Some(("transaction", "true")) => {
                    seen_transaction = true;
                    options.transaction = true;
                    None
                }
                Some(("transaction", "false")) => {
                    seen_transaction = true;
                    options.transaction = false;
                    None
                }
                Some(("transaction", _)) => Some("expected true or false"),
                Some(_) => Some("unknown option"),
                None => Some("expected key=value"),
            };
            if let Some(problem) = problem {
                return Err(ScriptError::SectionOption {
                    path: self.path(),
                    line,
                    marker: which.name(),
                    option: option.to_owned(),
                    problem,
                });
            }
        }
        Ok((which, options))
    }

    /// Interprets the header lines: message paragraphs, then the metadata paragraph.
    fn header(&self, lines: &[(usize, &str)]) -> Result<Header, ScriptError> {
        // Paragraphs as index ranges into `lines`: the first, the last, and how many.
        let mut first: Option<(usize, usize)> = None;
        let mut last: Option<(usize, usize)> = None;
        let mut count = 0;
        let mut start: Option<usize> = None;
        for i in 0..=lines.len() {
            let blank = lines.get(i).is_none_or(|(_, content)| content.is_empty());
            match (blank, start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    first.get_or_insert((s, i));
                    last = Some((s, i));
                    count += 1;
                    start = None;
                }
                _ => {}
            }
        }
        let Some((meta_start, meta_end)) = last else {
            return Err(ScriptError::NoHeader {
                path: self.path(),
                line: lines.first().map_or(1, |l| l.0),
            });
        };
        let meta = &lines[meta_start..meta_end];
        let meta_first_line = meta.first().map_or(1, |l| l.0);

        // For each key in HEADER_KEYS: (line, value).
        let mut values: [Option<(usize, &str)>; 5] = [None; 5];
        for &(line, content) in meta {
            let Some((key, value)) = content.split_once(':') else {
                return Err(ScriptError::MalformedMetadata {
                    path: self.path(),
                    line,
                    text: content.to_owned(),
                });
            };
            let key = key.trim();
            let Some(index) = HEADER_KEYS.iter().position(|k| *k == key) else {
                return Err(ScriptError::UnknownKey {
                    path: self.path(),
                    line,
                    key: key.to_owned(),
                    suggestion: closest_key(key),
                });
            };
            if let Some((first_line, _)) = values[index] {
                return Err(ScriptError::DuplicateKey {
                    path: self.path(),
                    line,
                    key: HEADER_KEYS[index],
                    first_line,
                });
            }
            values[index] = Some((line, value.trim()));
        }
        let [revision, revises, create_date, branch_labels, depends_on] = values;

        let key_lines = KeyLines {
            revision: revision.map(|(line, _)| line),
            revises: revises.map(|(line, _)| line),
            depends_on: depends_on.map(|(line, _)| line),
        };
        let Some((line, revision)) = revision else {
            return Err(ScriptError::MissingKey {
                path: self.path(),
                line: meta_first_line,
                key: HEADER_KEYS[0],
            });
        };
        validate_revision_id(revision).map_err(|e| e.located(self.path, line))?;
        let Some((line, revises)) = revises else {
            return Err(ScriptError::MissingKey {
                path: self.path(),
                line: meta_first_line,
                key: HEADER_KEYS[1],
            });
        };
        let down_revisions = self.list(HEADER_KEYS[1], line, revises, validate_revision_id)?;
        let branch_labels = match branch_labels {
            Some((line, v)) => self.list(HEADER_KEYS[3], line, v, validate_branch_label)?,
            None => Vec::new(),
        };
        let depends_on = match depends_on {
            Some((line, v)) => self.list(HEADER_KEYS[4], line, v, validate_dependency)?,
            None => Vec::new(),
        };
        let create_date = create_date
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
            .map(str::to_owned);

        let doc = match first {
            Some((s, e)) if count > 1 => join_lines(&lines[s..e]),
            _ => String::new(),
        };
        let longdoc = join_lines(lines).trim().to_owned();

        Ok(Header {
            revision: revision.to_owned(),
            down_revisions,
            branch_labels,
            depends_on,
            lines: key_lines,
            create_date,
            doc,
            longdoc,
        })
    }

    /// Splits a comma-separated value, trims items, drops empty ones, validates each
    /// and refuses duplicates.
    fn list(
        &self,
        key: &'static str,
        line: usize,
        value: &str,
        validate: fn(&str) -> Result<(), ScriptError>,
    ) -> Result<Vec<String>, ScriptError> {
        let mut items: Vec<String> = Vec::new();
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            validate(item).map_err(|e| e.located(self.path, line))?;
            if items.iter().any(|seen| seen == item) {
                return Err(ScriptError::DuplicateItem {
                    path: self.path(),
                    line,
                    key,
                    item: item.to_owned(),
                });
            }
            items.push(item.to_owned());
        }
        Ok(items)
    }
}

/// Finishes a section at the end of `text_before_end`.
fn close(
    open: OpenSection,
    text_before_end: &str,
    upgrade: &mut Option<Section>,
    downgrade: &mut Option<Option<Section>>,
) {
    let sql = text_before_end
        .get(open.start..)
        .unwrap_or_default()
        .to_owned();
    let section = Section {
        options: open.options,
        marker_line: open.marker_line,
        sql,
        first_line: open.marker_line + 1,
        unrendered: open.unrendered,
    };
    match open.which {
        Which::Upgrade => *upgrade = Some(section),
        // An unrendered downgrade is not irreversible: it is still to be written.
        Which::Downgrade if open.has_sql || section.unrendered.is_some() => {
            *downgrade = Some(Some(section))
        }
        // An empty downgrade is irreversible; remember the marker was seen so a
        // second one is still reported.
        Which::Downgrade => *downgrade = Some(None),
    }
}

fn join_lines(lines: &[(usize, &str)]) -> String {
    let len = lines.iter().map(|(_, l)| l.len() + 1).sum();
    let mut out = String::with_capacity(len);
    for (i, (_, line)) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// The known header key closest to `key`, when it is close enough to be a typo,
/// a case difference, or one of Alembic's variable names.
fn closest_key(key: &str) -> Option<&'static str> {
    let normal: String = key
        .chars()
        .map(|c| match c {
            '_' | '-' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let alias = match normal.trim() {
        "revision" | "rev" | "id" | "revision id" => Some(HEADER_KEYS[0]),
        "down revision" | "down revisions" | "parent" | "parents" => Some(HEADER_KEYS[1]),
        "date" | "created" | "create date" => Some(HEADER_KEYS[2]),
        "branch label" | "branch labels" | "labels" | "label" => Some(HEADER_KEYS[3]),
        "depends on" | "dependencies" | "depends" => Some(HEADER_KEYS[4]),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    HEADER_KEYS
        .iter()
        .map(|k| (edit_distance(&normal, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 3 && *d < k.len() / 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "\
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
";

    fn parse(text: &str) -> Result<RevisionFile, ScriptError> {
        parse_revision_file(Path::new("v/x.sql"), text)
    }

    fn ok(text: &str) -> RevisionFile {
        match parse(text) {
            Ok(file) => file,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn err(text: &str) -> ScriptError {
        match parse(text) {
            Ok(file) => panic!("expected an error, parsed {file:?}"),
            Err(e) => e,
        }
    }

    /// A minimal valid header followed by `rest`.
    fn with_header(rest: &str) -> String {
        format!("-- Revision ID: a1\n-- Revises:\n{rest}")
    }

    #[test]
    fn parses_the_product_example() {
        let f = ok(EXAMPLE);
        assert_eq!(f.path, Path::new("v/x.sql"));
        assert_eq!(f.revision, "3f2a9c1b7d4e");
        assert_eq!(f.down_revisions, ["1c9e8d7a6b5f"]);
        assert_eq!(f.branch_labels, ["auth"]);
        assert_eq!(f.depends_on, ["9a8b7c6d5e4f"]);
        assert_eq!(
            f.create_date.as_deref(),
            Some("2026-11-21 10:30:00.123456+00:00")
        );
        assert_eq!(f.doc, "Add email verification to users");
        assert_eq!(
            f.longdoc,
            "Add email verification to users\n\nRevision ID: 3f2a9c1b7d4e\nRevises: 1c9e8d7a6b5f\n\
             Create Date: 2026-11-21 10:30:00.123456+00:00\nBranch Labels: auth\nDepends On: 9a8b7c6d5e4f"
        );
        assert_eq!(f.upgrade.marker_line, 9);
        assert_eq!(f.upgrade.first_line, 10);
        assert!(f.upgrade.options.transaction);
        assert_eq!(
            f.upgrade.sql,
            "ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;\n\n"
        );
        let down = f.downgrade.expect("downgrade");
        assert_eq!(down.marker_line, 12);
        assert_eq!(down.first_line, 13);
        assert_eq!(down.sql, "ALTER TABLE users DROP COLUMN email_verified;\n");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = format!("\u{feff}{}", EXAMPLE.replace('\n', "\r\n"));
        let f = ok(&text);
        assert_eq!(f.revision, "3f2a9c1b7d4e");
        assert_eq!(f.down_revisions, ["1c9e8d7a6b5f"]);
        assert_eq!(f.doc, "Add email verification to users");
        assert!(!f.longdoc.contains('\r'));
        assert_eq!(f.upgrade.marker_line, 9);
        assert_eq!(
            f.downgrade.expect("downgrade").sql,
            "ALTER TABLE users DROP COLUMN email_verified;\r\n"
        );
        // The same through the bytes entry point.
        let f = parse_revision_bytes(Path::new("b.sql"), text.as_bytes()).expect("parses");
        assert_eq!(f.branch_labels, ["auth"]);
    }

    #[test]
    fn non_utf8_names_the_line() {
        let mut bytes =
            b"-- m\n--\n-- Revision ID: a\n-- Revises:\n-- aludel:upgrade\nSELECT '".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"';\n");
        let e = parse_revision_bytes(Path::new("v/x.sql"), &bytes).unwrap_err();
        assert_eq!(e.to_string(), "v/x.sql:6: file is not valid UTF-8");
        assert_eq!(e.line(), Some(6));
        assert!(e.hint().contains("UTF-8"));
    }

    #[test]
    fn leading_blank_lines_are_skipped_and_counted() {
        let f = ok(&format!("\n  \n{EXAMPLE}"));
        assert_eq!(f.revision, "3f2a9c1b7d4e");
        assert_eq!(f.upgrade.marker_line, 11);
        let e = err("\n\n-- Revision ID: a\n-- Revises:\n-- Bogus: 1\n-- aludel:upgrade\n");
        assert_eq!(e.line(), Some(5));
    }

    #[test]
    fn no_header() {
        let e = err("");
        assert_eq!(
            e.to_string(),
            "v/x.sql:1: no header: a revision file must start with '--' comment lines holding its message and metadata"
        );
        assert!(e.hint().contains("-- Revision ID: <id>"));
        assert_eq!(err("\n\n").line(), Some(2));
        let e = err("\nCREATE TABLE t (id int);\n");
        assert!(matches!(e, ScriptError::NoHeader { line: 2, .. }), "{e}");
        let e = err("-- aludel:upgrade\nSELECT 1;\n");
        assert!(matches!(e, ScriptError::NoHeader { line: 1, .. }), "{e}");
        // Only blank header lines.
        let e = err("--\n--   \n\n-- aludel:upgrade\n");
        assert!(matches!(e, ScriptError::NoHeader { line: 1, .. }), "{e}");
    }

    #[test]
    fn header_line_content_and_blank_lines() {
        let f = ok("--Two  spaces inside\n--  indented\n--   \n--\n--Revision ID: a1\n--Revises:\n\n-- aludel:upgrade\n");
        assert_eq!(f.doc, "Two  spaces inside\n indented");
        assert_eq!(f.revision, "a1");
        assert!(f.down_revisions.is_empty());
        assert_eq!(
            f.longdoc,
            "Two  spaces inside\n indented\n\n\nRevision ID: a1\nRevises:"
        );
    }

    #[test]
    fn doc_is_the_first_message_paragraph() {
        let f = ok("-- First line\n-- second line\n--\n-- More detail.\n--\n-- Revision ID: a1\n-- Revises: b2\n-- aludel:upgrade\n");
        assert_eq!(f.doc, "First line\nsecond line");
        assert_eq!(
            f.longdoc,
            "First line\nsecond line\n\nMore detail.\n\nRevision ID: a1\nRevises: b2"
        );
        // No message: doc is empty, longdoc is the metadata.
        let f = ok(&with_header("-- aludel:upgrade\n"));
        assert_eq!(f.doc, "");
        assert_eq!(f.longdoc, "Revision ID: a1\nRevises:");
        assert_eq!(f.create_date, None);
    }

    #[test]
    fn header_ends_at_a_marker_line() {
        let f = ok("-- Revision ID: a1\n-- Revises:\n-- aludel:upgrade\nSELECT 1;\n");
        assert_eq!(f.upgrade.marker_line, 3);
        assert_eq!(f.upgrade.sql, "SELECT 1;\n");
    }

    #[test]
    fn unknown_key_names_it_and_suggests() {
        let e = err("-- m\n--\n-- Revison ID: a1\n-- Revises:\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: unknown header key 'Revison ID'; expected one of: Revision ID, Revises, Create Date, Branch Labels, Depends On"
        );
        assert_eq!(e.hint(), "did you mean 'Revision ID'?");
        let e = err("-- Revision ID: a1\n-- down_revision: b\n-- aludel:upgrade\n");
        assert_eq!(e.hint(), "did you mean 'Revises'?");
        let e = err("-- Revision ID: a1\n-- revises:\n-- aludel:upgrade\n");
        assert_eq!(e.hint(), "did you mean 'Revises'?");
        let e = err("-- Revision ID: a1\n-- Revises:\n-- Author: me\n-- aludel:upgrade\n");
        assert!(
            matches!(&e, ScriptError::UnknownKey { line: 3, suggestion: None, key, .. } if key == "Author")
        );
        assert!(e.hint().starts_with("use only Revision ID, Revises"));
    }

    #[test]
    fn metadata_lines_must_be_key_value() {
        let e = err("-- Add users table\n\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:1: expected a 'Key: value' metadata line in the header's last paragraph, found 'Add users table'"
        );
        assert!(e
            .hint()
            .contains("separate the two with a line holding only '--'"));
        // A message glued to the metadata is the same mistake.
        let e = err("-- Add users\n-- Revision ID: a1\n-- Revises:\n-- aludel:upgrade\n");
        assert!(
            matches!(e, ScriptError::MalformedMetadata { line: 1, .. }),
            "{e}"
        );
    }

    #[test]
    fn duplicate_key() {
        let e = err("-- Revision ID: a1\n-- Revises:\n-- Revises: b\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: header key 'Revises' is given twice (first on line 2)"
        );
    }

    #[test]
    fn a_symbolic_or_over_long_revision_id_in_the_header_names_file_and_line() {
        let e = err("-- msg\n--\n-- Revision ID: head\n-- Revises:\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: revision identifier 'head' is a reserved name"
        );
        assert_eq!(e.line(), Some(3));
        let e = err("-- msg\n--\n-- Revision ID: a1\n-- Revises: x, base\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:4: revision identifier 'base' is a reserved name"
        );
        let long = "b".repeat(300);
        let e = err(&format!(
            "-- msg\n--\n-- Revision ID: {long}\n-- Revises:\n-- aludel:upgrade\n"
        ));
        assert_eq!(
            e.to_string(),
            format!("v/x.sql:3: revision identifier '{long}' is 300 characters long; the version table holds at most 255")
        );
    }

    #[test]
    fn missing_keys() {
        let e = err("-- msg\n--\n-- Revises:\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: the header has no 'Revision ID:' line"
        );
        assert_eq!(
            e.hint(),
            "add '-- Revision ID: <value>' to the header's last paragraph"
        );
        let e = err("-- msg\n--\n-- Revision ID: a1\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: the header has no 'Revises:' line"
        );
        assert!(e
            .hint()
            .starts_with("write 'Revises:' with nothing after it"));
    }

    #[test]
    fn lists_are_split_trimmed_and_empty_items_dropped() {
        let f = ok("-- Revision ID: m1\n-- Revises:  a1 , ,b2,\n-- Branch Labels: , lib ,auth.v2\n-- Depends On: c3, lib\n-- aludel:upgrade\n");
        assert_eq!(f.down_revisions, ["a1", "b2"]);
        assert_eq!(f.branch_labels, ["lib", "auth.v2"]);
        assert_eq!(f.depends_on, ["c3", "lib"]);
        let f = ok("-- Revision ID: m1\n-- Revises: ,\n-- Branch Labels:\n-- Depends On:\n-- Create Date:\n-- aludel:upgrade\n");
        assert!(
            f.down_revisions.is_empty() && f.branch_labels.is_empty() && f.depends_on.is_empty()
        );
        assert_eq!(f.create_date, None);
    }

    #[test]
    fn revision_ids_are_validated_with_alembic_text() {
        let e = err("-- Revision ID: ab-c@d\n-- Revises:\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:1: Character(s) '-, @' not allowed in revision identifier 'ab-c@d'"
        );
        let e = err("-- Revision ID:\n-- Revises:\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:1: revision identifier must not be empty"
        );
        let e = err("-- Revision ID: a1\n-- Revises: b2, c 3\n-- aludel:upgrade\n");
        assert_eq!(
            e.to_string(),
            "v/x.sql:2: Character(s) ' ' not allowed in revision identifier 'c 3'"
        );
        assert_eq!(e.path(), Some(Path::new("v/x.sql")));
    }

    #[test]
    fn branch_labels_and_dependencies_are_validated() {
        let e = err(&with_header(
            "-- Branch Labels: ok, bad label\n-- aludel:upgrade\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: Character(s) ' ' not allowed in branch label 'bad label'"
        );
        let e = err(&with_header("-- Branch Labels: a@b+c\n-- aludel:upgrade\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: Character(s) '+, @' not allowed in branch label 'a@b+c'"
        );
        let e = err(&with_header("-- Depends On: lib@head\n-- aludel:upgrade\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: Character(s) '@' not allowed in dependency 'lib@head'"
        );
    }

    #[test]
    fn duplicate_list_items() {
        let e = err("-- Revision ID: a1\n-- Revises: b, b\n-- aludel:upgrade\n");
        assert_eq!(e.to_string(), "v/x.sql:2: 'Revises' lists 'b' twice");
        let e = err(&with_header("-- Branch Labels: x, x\n-- aludel:upgrade\n"));
        assert_eq!(e.to_string(), "v/x.sql:3: 'Branch Labels' lists 'x' twice");
    }

    #[test]
    fn section_options() {
        let f = ok(&with_header(
            "\n-- aludel:upgrade transaction=false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- aludel:downgrade   transaction=true  \nDROP INDEX i;\n",
        ));
        assert!(!f.upgrade.options.transaction);
        assert!(f.downgrade.expect("downgrade").options.transaction);
        let e = err(&with_header("-- aludel:upgrade transactional=false\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: invalid option 'transactional=false' on '-- aludel:upgrade': unknown option"
        );
        assert!(e.hint().contains("transaction=false"));
        let e = err(&with_header("-- aludel:upgrade transaction=no\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: invalid option 'transaction=no' on '-- aludel:upgrade': expected true or false"
        );
        let e = err(&with_header(
            "-- aludel:upgrade\n-- aludel:downgrade transaction=false transaction=false\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:4: invalid option 'transaction=false' on '-- aludel:downgrade': given twice"
        );
        let e = err(&with_header("-- aludel:upgrade notx\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: invalid option 'notx' on '-- aludel:upgrade': expected key=value"
        );
    }

    #[test]
    fn marker_spellings() {
        let f = ok(&with_header(
            "--aludel:upgrade\nSELECT 1;\n  --   aludel:downgrade\nSELECT 2;\n",
        ));
        assert_eq!(f.upgrade.sql, "SELECT 1;\n");
        assert_eq!(f.downgrade.expect("downgrade").sql, "SELECT 2;\n");
        let e = err(&with_header("-- aludel:upgrades\n"));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: unknown marker '-- aludel:upgrades'; expected '-- aludel:upgrade' or '-- aludel:downgrade'"
        );
        assert!(e.hint().contains("exactly as '-- aludel:upgrade'"));
        let e = err(&with_header("-- aludel: upgrade\n"));
        assert!(
            matches!(&e, ScriptError::UnknownMarker { line: 3, marker, .. } if marker.is_empty()),
            "{e}"
        );
        let e = err(&with_header(
            "-- aludel:upgrade\nSELECT 1;\n-- aludel:note something\n",
        ));
        assert_eq!(e.line(), Some(5));
        assert!(e.hint().contains("write other comments without 'aludel:'"));
    }

    #[test]
    fn duplicate_markers() {
        let e = err(&with_header(
            "-- aludel:upgrade\nSELECT 1;\n-- aludel:upgrade\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:5: '-- aludel:upgrade' appears twice (first on line 3)"
        );
        // An empty downgrade still counts.
        let e = err(&with_header(
            "-- aludel:upgrade\n-- aludel:downgrade\n\n-- aludel:downgrade\nSELECT 1;\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:6: '-- aludel:downgrade' appears twice (first on line 4)"
        );
    }

    #[test]
    fn missing_upgrade() {
        for text in [
            with_header(""),
            with_header("\n-- a comment\n"),
            with_header("\n-- aludel:downgrade\nDROP TABLE t;\n"),
        ] {
            let e = err(&text);
            assert_eq!(
                e.to_string(),
                "v/x.sql: no '-- aludel:upgrade' marker",
                "{text}"
            );
            assert_eq!(e.line(), None);
            assert_eq!(
                e.hint(),
                "add a line '-- aludel:upgrade' followed by the upgrade SQL"
            );
        }
    }

    #[test]
    fn text_before_the_first_marker() {
        let e = err(&with_header(
            "CREATE TABLE t (id int);\n-- aludel:upgrade\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:3: text between the header and the first '-- aludel:' marker"
        );
        let e = err(&with_header("\n-- note\n\nSELECT 1;\n-- aludel:upgrade\n"));
        assert_eq!(e.line(), Some(6));
        // Comments and blank lines are fine.
        let f = ok(&with_header(
            "\n-- note: reviewed by DBA\n\n-- aludel:upgrade\nSELECT 1;\n",
        ));
        assert_eq!(f.upgrade.marker_line, 6);
    }

    #[test]
    fn header_errors_come_before_later_errors() {
        let e = err("-- Revision ID: a1\n-- Bogus: 1\nSELECT 1;\n-- aludel:upgrades\n");
        assert!(matches!(e, ScriptError::UnknownKey { line: 2, .. }), "{e}");
        let e = err("-- Revision ID: a1\n-- Revises: x\n\n-- aludel:upgrade\n-- aludel:upgrade\n");
        assert_eq!(e.line(), Some(5));
    }

    #[test]
    fn irreversible_downgrades() {
        // No downgrade marker.
        let f = ok(&with_header("-- aludel:upgrade\nSELECT 1;\n"));
        assert_eq!(f.downgrade, None);
        // Only blanks and comments.
        let f = ok(&with_header(
            "-- aludel:upgrade\nSELECT 1;\n\n-- aludel:downgrade transaction=false\n\n-- nothing to undo\n   \n-- really\n",
        ));
        assert_eq!(f.downgrade, None);
        assert_eq!(f.upgrade.sql, "SELECT 1;\n\n");
        // A trailing comment after SQL is SQL.
        let f = ok(&with_header(
            "-- aludel:upgrade\n-- aludel:downgrade\nDROP TABLE t; -- bye\n",
        ));
        assert_eq!(
            f.downgrade.expect("downgrade").sql,
            "DROP TABLE t; -- bye\n"
        );
        // Empty upgrade is allowed (Alembic writes empty revisions too).
        assert_eq!(f.upgrade.sql, "");
    }

    #[test]
    fn an_unrendered_marker_marks_its_section() {
        let f = ok(&with_header(
            "-- aludel:upgrade\n-- aludel:unrendered reads the database: executes `SELECT 1`\n-- def upgrade(): ...\n-- aludel:downgrade\nDROP TABLE t;\n",
        ));
        assert_eq!(
            f.upgrade.unrendered,
            Some(Unrendered {
                line: 4,
                reason: "reads the database: executes `SELECT 1`".to_owned()
            })
        );
        assert_eq!(f.downgrade.expect("downgrade").unrendered, None);
        // An unrendered downgrade holding no SQL is still a section (to be
        // written), not an irreversible one; SQL under the marker does not clear it.
        let f = ok(&with_header(
            "-- aludel:upgrade\nSELECT 1;\n-- aludel:downgrade\n-- aludel:unrendered\n",
        ));
        let down = f.downgrade.expect("an unrendered downgrade is kept");
        assert_eq!(
            down.unrendered.map(|u| (u.line, u.reason)),
            Some((6, String::new()))
        );
        let f = ok(&with_header(
            "-- aludel:upgrade\n-- aludel:unrendered x\nSELECT 1;\n",
        ));
        assert!(f.upgrade.unrendered.is_some());
        // Before any section it is an error naming the line.
        let e = err(&with_header(
            "\n-- aludel:unrendered x\n-- aludel:upgrade\n",
        ));
        assert_eq!(
            e.to_string(),
            "v/x.sql:4: '-- aludel:unrendered' must be inside an '-- aludel:upgrade' or '-- aludel:downgrade' section"
        );
        assert_eq!(e.kind(), "unrendered_outside_section");
    }

    #[test]
    fn sections_in_either_order_and_at_end_of_file() {
        let f = ok(&with_header(
            "-- aludel:downgrade\nDROP TABLE t;\n-- aludel:upgrade\nCREATE TABLE t (id int);",
        ));
        assert_eq!(f.upgrade.marker_line, 5);
        assert_eq!(f.upgrade.first_line, 6);
        assert_eq!(f.upgrade.sql, "CREATE TABLE t (id int);");
        assert_eq!(f.downgrade.expect("downgrade").sql, "DROP TABLE t;\n");
        let f = ok(&with_header("-- aludel:upgrade"));
        assert_eq!(f.upgrade.sql, "");
        assert_eq!(f.upgrade.first_line, 4);
    }

    #[test]
    fn closest_key_suggestions() {
        assert_eq!(closest_key("Revision Id"), Some("Revision ID"));
        assert_eq!(closest_key("Depend On"), Some("Depends On"));
        assert_eq!(closest_key("branch_labels"), Some("Branch Labels"));
        assert_eq!(closest_key("Created"), Some("Create Date"));
        assert_eq!(closest_key("Reviewer"), None);
        assert_eq!(closest_key("X"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
