//! Names of new revisions: random revision ids, id and label validation, the
//! message slug, the create date, and the file name rendered from `file_template`.
//!
//! Everything here is pure apart from reading the clock and the random source for a
//! new id or date. It must not touch the file system: choosing the version directory
//! and writing the file belong to the caller (`write_new_file`).

use std::collections::BTreeSet;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Component, Path};

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

use super::error::ScriptError;

/// The `truncate_slug_length` used when the configured one is 0.
pub const DEFAULT_TRUNCATE_SLUG_LENGTH: usize = 40;

/// The default `file_template`: date first, so that files sort by date.
pub const DEFAULT_FILE_TEMPLATE: &str = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}";

/// Widths and precisions above this in a printf-style `file_template` are refused
/// rather than allocated.
const MAX_PRINTF_WIDTH: usize = 255;

/// A new revision id: the last 12 lowercase hex characters of a random UUID4.
pub fn new_revision_id() -> String {
    let mut buf = uuid::Uuid::encode_buffer();
    let hex = uuid::Uuid::new_v4().simple().encode_lower(&mut buf);
    let start = hex.len().saturating_sub(12);
    hex.get(start..).unwrap_or_default().to_owned()
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_forbidden_in_label(c: char) -> bool {
    matches!(c, '@' | '-' | '+' | ':' | ',') || c.is_whitespace()
}

/// The characters of `s` for which `bad` holds, sorted, unique, joined by `", "`.
fn offending(s: &str, bad: impl Fn(char) -> bool) -> String {
    let set: BTreeSet<char> = s.chars().filter(|&c| bad(c)).collect();
    let mut out = String::new();
    for (i, c) in set.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push(c);
    }
    out
}

/// The names revision arguments resolve to positions in the graph (`upgrade head`,
/// `downgrade base`, `history current:`); a revision with one of them as its id
/// could never be addressed.
pub const SYMBOLIC_REVISIONS: [&str; 4] = ["head", "heads", "base", "current"];

/// The longest revision id: the width of the version table's `version_num`
/// column as aludel creates it (`VARCHAR(255)`).
pub const MAX_REVISION_ID_LEN: usize = 255;

/// Checks a revision identifier: non-empty, only `[A-Za-z0-9_]`, not one of the
/// [`SYMBOLIC_REVISIONS`], at most [`MAX_REVISION_ID_LEN`] characters. The message
/// for other characters is Alembic's (which only rejects `@ - + :`).
pub fn validate_revision_id(id: &str) -> Result<(), ScriptError> {
    if id.is_empty() {
        return Err(ScriptError::EmptyRevisionId { at: None });
    }
    if !id.chars().all(is_id_char) {
        return Err(ScriptError::InvalidRevisionId {
            at: None,
            id: id.to_owned(),
            chars: offending(id, |c| !is_id_char(c)),
        });
    }
    if SYMBOLIC_REVISIONS.contains(&id) {
        return Err(ScriptError::SymbolicRevisionId {
            at: None,
            id: id.to_owned(),
        });
    }
    if id.len() > MAX_REVISION_ID_LEN {
        return Err(ScriptError::RevisionIdTooLong {
            at: None,
            id: id.to_owned(),
            max: MAX_REVISION_ID_LEN,
        });
    }
    Ok(())
}

/// Checks a branch label: non-empty, none of `@ - + : ,` or whitespace.
pub fn validate_branch_label(label: &str) -> Result<(), ScriptError> {
    if label.is_empty() {
        return Err(ScriptError::EmptyBranchLabel { at: None });
    }
    if !label.chars().any(is_forbidden_in_label) {
        return Ok(());
    }
    Err(ScriptError::InvalidBranchLabel {
        at: None,
        label: label.to_owned(),
        chars: offending(label, is_forbidden_in_label),
    })
}

/// Checks one `Depends On` item, which may be a revision id, a prefix of one, or a
/// branch label: it must be acceptable as a branch label (every valid id is).
pub fn validate_dependency(item: &str) -> Result<(), ScriptError> {
    if !item.is_empty() && !item.chars().any(is_forbidden_in_label) {
        return Ok(());
    }
    Err(ScriptError::InvalidDependency {
        at: None,
        item: item.to_owned(),
        chars: offending(item, is_forbidden_in_label),
    })
}

/// The file-name slug of a message: Python's
/// `"_".join(re.findall(r"\w+", message)).lower()` with Unicode `\w`, cut to
/// `truncate_slug_length` characters (0 means 40) at a word boundary, as Alembic does.
pub fn slugify(message: &str, truncate_slug_length: usize) -> String {
    let mut joined = String::with_capacity(message.len());
    for word in message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
    {
        if !joined.is_empty() {
            joined.push('_');
        }
        joined.push_str(word);
    }
    // Lower-case the whole string (not char by char) so a final sigma is handled
    // in context, as Python's str.lower() does.
    let slug = joined.to_lowercase();
    let limit = if truncate_slug_length == 0 {
        DEFAULT_TRUNCATE_SLUG_LENGTH
    } else {
        truncate_slug_length
    };
    match slug.char_indices().nth(limit) {
        // More than `limit` characters: keep the first `limit`, drop the part after
        // the last '_' in them, and end with '_'.
        Some((cut, _)) => {
            let head = &slug[..cut];
            let kept = head.rsplit_once('_').map_or(head, |(before, _)| before);
            format!("{kept}_")
        }
        None => slug,
    }
}

/// The moment a revision is created, in the configured time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateDate(DateTime<FixedOffset>);

impl CreateDate {
    /// Now, in the IANA time zone `timezone`, tried as given, then upper-cased.
    pub fn now_in(timezone: &str) -> Result<CreateDate, ScriptError> {
        let tz = timezone
            .parse::<chrono_tz::Tz>()
            .or_else(|_| timezone.to_uppercase().parse::<chrono_tz::Tz>())
            .map_err(|_| ScriptError::UnknownTimezone {
                timezone: timezone.to_owned(),
            })?;
        Ok(CreateDate(Utc::now().with_timezone(&tz).fixed_offset()))
    }

    pub fn from_datetime(datetime: DateTime<FixedOffset>) -> CreateDate {
        CreateDate(datetime)
    }

    pub fn datetime(&self) -> DateTime<FixedOffset> {
        self.0
    }

    pub fn year(&self) -> i32 {
        self.0.year()
    }

    pub fn month(&self) -> u32 {
        self.0.month()
    }

    pub fn day(&self) -> u32 {
        self.0.day()
    }

    pub fn hour(&self) -> u32 {
        self.0.hour()
    }

    pub fn minute(&self) -> u32 {
        self.0.minute()
    }

    pub fn second(&self) -> u32 {
        self.0.second()
    }

    /// Unix time in whole seconds.
    pub fn epoch(&self) -> i64 {
        self.0.timestamp()
    }

    fn microsecond(&self) -> u32 {
        // A leap second shows as nanosecond >= 1e9; Python has none.
        (self.0.nanosecond() % 1_000_000_000) / 1_000
    }
}

/// Like Python's `str()` of an aware datetime: `2026-11-21 10:30:00.123456+00:00`,
/// without `.ffffff` when the microseconds are 0.
impl fmt::Display for CreateDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year(),
            self.month(),
            self.day(),
            self.hour(),
            self.minute(),
            self.second()
        )?;
        let micros = self.microsecond();
        if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        let offset = self.0.offset().local_minus_utc();
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)?;
        if abs % 60 != 0 {
            write!(f, ":{:02}", abs % 60)?;
        }
        Ok(())
    }
}

/// A `file_template` token's value.
enum TokenValue<'a> {
    Text(&'a str),
    Number(i64),
}

const FILE_TOKENS: &str = "rev, slug, epoch, year, month, day, hour, minute, second";

fn file_token<'a>(
    name: &str,
    rev: &'a str,
    slug: &'a str,
    date: &CreateDate,
) -> Option<TokenValue<'a>> {
    Some(match name {
        "rev" => TokenValue::Text(rev),
        "slug" => TokenValue::Text(slug),
        "epoch" => TokenValue::Number(date.epoch()),
        "year" => TokenValue::Number(i64::from(date.year())),
        "month" => TokenValue::Number(i64::from(date.month())),
        "day" => TokenValue::Number(i64::from(date.day())),
        "hour" => TokenValue::Number(i64::from(date.hour())),
        "minute" => TokenValue::Number(i64::from(date.minute())),
        "second" => TokenValue::Number(i64::from(date.second())),
        _ => return None,
    })
}

fn template_error(template: &str, token: &str, problem: String) -> ScriptError {
    ScriptError::FileTemplate {
        template: template.to_owned(),
        token: token.to_owned(),
        problem,
    }
}

fn unknown_token(template: &str, token: &str, name: &str) -> ScriptError {
    template_error(
        template,
        token,
        format!("unknown token '{name}' in '{token}'; the tokens are {FILE_TOKENS}"),
    )
}

/// The relative path (under a version location) of a new revision file:
/// `file_template` filled in, plus `.sql`.
///
/// Two spellings are accepted. aludel's `{rev}_{slug}` (`{{`/`}}` are literal
/// braces), where `year` is 4 digits and `month`..`second` are 2 digits so that
/// names sort by date; and, when the template contains `%(`, Alembic's printf form
/// `%(rev)s_%(slug)s`, `%(year)d%(month).2d%(day)02d` (flags `0` and `-`, width,
/// `.precision`, conversions `s`, `d`, `i`; `%%` is `%`).
pub fn render_file_name(
    file_template: &str,
    rev: &str,
    slug: &str,
    date: &CreateDate,
) -> Result<String, ScriptError> {
    let mut name = if file_template.contains("%(") {
        render_printf(file_template, rev, slug, date)?
    } else {
        render_braces(file_template, rev, slug, date)?
    };
    name.push_str(".sql");
    check_relative(file_template, &name)?;
    Ok(name)
}

fn render_braces(
    template: &str,
    rev: &str,
    slug: &str,
    date: &CreateDate,
) -> Result<String, ScriptError> {
    let mut out = String::with_capacity(template.len() + rev.len() + slug.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let Some(close) = after.find('}') else {
                return Err(template_error(
                    template,
                    tail,
                    format!("unclosed '{{' in '{tail}'; write '{{{{' for a literal brace"),
                ));
            };
            let name = &after[..close];
            let token = &tail[..close + 2];
            match file_token(name, rev, slug, date) {
                Some(TokenValue::Text(text)) => out.push_str(text),
                Some(TokenValue::Number(n)) => {
                    let _ = match name {
                        "epoch" => write!(out, "{n}"),
                        "year" => write!(out, "{n:04}"),
                        _ => write!(out, "{n:02}"),
                    };
                }
                None => return Err(unknown_token(template, token, name)),
            }
            rest = &after[close + 1..];
        } else {
            return Err(template_error(
                template,
                "}",
                "single '}' ; write '}}' for a literal brace".to_owned(),
            ));
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Parses the digits at the start of `s`: the number (`usize::MAX` when too large)
/// if there are any, and the rest of `s`.
fn leading_number(s: &str) -> (Option<usize>, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return (None, s);
    }
    (
        Some(s[..end].parse::<usize>().unwrap_or(usize::MAX)),
        &s[end..],
    )
}

fn render_printf(
    template: &str,
    rev: &str,
    slug: &str,
    date: &CreateDate,
) -> Result<String, ScriptError> {
    let mut out = String::with_capacity(template.len() + rev.len() + slug.len());
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let after = &tail[1..];
        if let Some(after) = after.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let Some(named) = after.strip_prefix('(') else {
            let spec: String = tail.chars().take(2).collect();
            return Err(template_error(
                template,
                &spec,
                format!("'%' must be followed by '(name)' or '%', found '{spec}'"),
            ));
        };
        let Some(close) = named.find(')') else {
            return Err(template_error(
                template,
                tail,
                format!("unclosed '%(' in '{tail}'"),
            ));
        };
        let name = &named[..close];
        let mut s = &named[close + 1..];
        let mut left = false;
        let mut zero = false;
        loop {
            if let Some(r) = s.strip_prefix('-') {
                left = true;
                s = r;
            } else if let Some(r) = s.strip_prefix('0') {
                zero = true;
                s = r;
            } else {
                break;
            }
        }
        let (width, r) = leading_number(s);
        s = r;
        let mut precision = None;
        if let Some(r) = s.strip_prefix('.') {
            let (p, r) = leading_number(r);
            precision = Some(p.unwrap_or(0));
            s = r;
        }
        if width.unwrap_or(0).max(precision.unwrap_or(0)) > MAX_PRINTF_WIDTH {
            let spec = &tail[..tail.len() - s.len()];
            return Err(template_error(
                template,
                spec,
                format!("width or precision in '{spec}' is larger than {MAX_PRINTF_WIDTH}"),
            ));
        }
        let mut chars = s.chars();
        let conversion = chars.next();
        let consumed = tail.len() - chars.as_str().len();
        let spec = &tail[..consumed];
        let value =
            file_token(name, rev, slug, date).ok_or_else(|| unknown_token(template, spec, name))?;
        let body = match (conversion, value) {
            (Some('s'), TokenValue::Text(text)) => match precision {
                Some(p) => text.chars().take(p).collect(),
                None => text.to_owned(),
            },
            (Some('s'), TokenValue::Number(n)) => {
                let text = n.to_string();
                match precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                }
            }
            (Some('d' | 'i'), TokenValue::Number(n)) => {
                let digits = n.unsigned_abs().to_string();
                let min_digits = precision.unwrap_or(0);
                let mut body = String::with_capacity(min_digits.max(digits.len()) + 1);
                if n < 0 {
                    body.push('-');
                }
                for _ in digits.len()..min_digits {
                    body.push('0');
                }
                body.push_str(&digits);
                if zero && !left {
                    // Zero padding goes between the sign and the digits.
                    let width = width.unwrap_or(0);
                    let len = body.chars().count();
                    if width > len {
                        let at = usize::from(n < 0);
                        body.insert_str(at, &"0".repeat(width - len));
                    }
                }
                body
            }
            (Some('d' | 'i'), TokenValue::Text(_)) => {
                return Err(template_error(
                    template,
                    spec,
                    format!("'{spec}' needs a number, but '{name}' is text; use 's'"),
                ))
            }
            _ => {
                return Err(template_error(
                    template,
                    spec,
                    format!(
                        "malformed spec '{spec}'; expected %(name) then optional flags '0' or '-', \
                         width, .precision, and the conversion 's', 'd' or 'i'"
                    ),
                ))
            }
        };
        let len = body.chars().count();
        let pad = width.unwrap_or(0).saturating_sub(len);
        if left {
            out.push_str(&body);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&body);
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    Ok(out)
}

/// A rendered name must stay inside the version location, and no part of it may
/// start with '.', because discovery skips hidden files and directories.
fn check_relative(template: &str, name: &str) -> Result<(), ScriptError> {
    let bad = |why: &str| {
        Err(template_error(
            template,
            name,
            format!("renders to '{name}', {why}"),
        ))
    };
    if name.starts_with(['/', '\\']) {
        return bad("which is not a relative path inside the version location");
    }
    for component in Path::new(name).components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => {
                if part.as_encoded_bytes().first() == Some(&b'.') {
                    return bad(
                        "and aludel does not load files or folders whose name starts with '.'",
                    );
                }
            }
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return bad("which is not a relative path inside the version location");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[allow(clippy::too_many_arguments)]
    fn date(
        y: i32,
        mo: u32,
        d: u32,
        h: u32,
        mi: u32,
        s: u32,
        micro: u32,
        offset: i32,
    ) -> CreateDate {
        let tz = FixedOffset::east_opt(offset).expect("offset");
        let dt = tz
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("date")
            + chrono::Duration::microseconds(i64::from(micro));
        CreateDate::from_datetime(dt)
    }

    fn sample() -> CreateDate {
        date(2026, 3, 5, 7, 8, 9, 123456, 0)
    }

    fn name(template: &str) -> Result<String, ScriptError> {
        render_file_name(template, "3f2a9c1b7d4e", "add_users", &sample())
    }

    fn name_err(template: &str) -> String {
        match name(template) {
            Ok(n) => panic!("expected an error for {template:?}, got {n:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn new_ids_are_12_lowercase_hex() {
        let a = new_revision_id();
        let b = new_revision_id();
        assert_eq!(a.len(), 12);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{a}"
        );
        assert_ne!(a, b);
        assert!(validate_revision_id(&a).is_ok());
    }

    #[test]
    fn revision_id_validation() {
        assert!(validate_revision_id("abc_DEF_123").is_ok());
        let e = validate_revision_id("").unwrap_err();
        assert_eq!(e.to_string(), "revision identifier must not be empty");
        let e = validate_revision_id("a:b+c-d@e").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Character(s) '+, -, :, @' not allowed in revision identifier 'a:b+c-d@e'"
        );
        assert_eq!(e.line(), None);
        assert!(e.hint().contains("letters, digits and '_'"));
        // Beyond Alembic's four: every character outside [A-Za-z0-9_], unique.
        let e = validate_revision_id("é.é/x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Character(s) '., /, é' not allowed in revision identifier 'é.é/x'"
        );
    }

    #[test]
    fn symbolic_names_are_refused_as_revision_ids() {
        for id in ["head", "heads", "base", "current"] {
            let e = validate_revision_id(id).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("revision identifier '{id}' is a reserved name")
            );
            assert_eq!(
                e.hint(),
                "'head', 'heads', 'base' and 'current' name positions in the revision graph, so \
                 a revision with that id could never be addressed; choose another id"
            );
        }
        // Only the exact names: these can be addressed.
        for id in ["HEAD", "base1", "headline", "current_schema"] {
            assert!(validate_revision_id(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn revision_ids_longer_than_the_version_column_are_refused() {
        assert!(validate_revision_id(&"a".repeat(255)).is_ok());
        let long = "a".repeat(256);
        let e = validate_revision_id(&long).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("revision identifier '{long}' is 256 characters long; the version table holds at most 255")
        );
        assert_eq!(e.hint(), "choose an id of at most 255 characters");
    }

    #[test]
    fn label_and_dependency_validation() {
        assert!(validate_branch_label("auth.v2").is_ok());
        assert_eq!(
            validate_branch_label("").unwrap_err().to_string(),
            "branch label must not be empty"
        );
        assert_eq!(
            validate_branch_label("a,b:c").unwrap_err().to_string(),
            "Character(s) ',, :' not allowed in branch label 'a,b:c'"
        );
        assert!(validate_branch_label("a\tb").is_err());
        assert!(validate_dependency("3f2a").is_ok());
        assert!(validate_dependency("auth").is_ok());
        assert!(validate_dependency("").is_err());
        assert_eq!(
            validate_dependency("a-1").unwrap_err().to_string(),
            "Character(s) '-' not allowed in dependency 'a-1'"
        );
    }

    #[test]
    fn slug_examples() {
        assert_eq!(
            slugify(
                "this is a really long name with lots of characters in it",
                40
            ),
            "this_is_a_really_long_name_with_lots_of_"
        );
        assert_eq!(slugify(&"a".repeat(50), 40), format!("{}_", "a".repeat(40)));
        assert_eq!(slugify(&"a".repeat(50), 0), format!("{}_", "a".repeat(40)));
        assert_eq!(slugify("hello world again", 10), "hello_");
        assert_eq!(slugify("Ünïcödé naïve café", 40), "ünïcödé_naïve_café");
        assert_eq!(slugify("x-y.z (1)", 40), "x_y_z_1");
        assert_eq!(slugify("", 40), "");
        assert_eq!(slugify("  -- !! ", 40), "");
        assert_eq!(
            slugify("Add\nemail_verified\tto Users", 40),
            "add_email_verified_to_users"
        );
        // Exactly N characters is not truncated; N+1 is.
        assert_eq!(slugify("abcde", 5), "abcde");
        assert_eq!(slugify("abc de", 5), "abc_");
        // Truncation counts characters, not bytes.
        assert_eq!(slugify("ééééé ééééé", 8), "ééééé_");
        // Python lower-cases a final sigma in context.
        assert_eq!(slugify("ΟΔΟΣ", 40), "οδος");
    }

    #[test]
    fn create_date_display_like_python() {
        assert_eq!(sample().to_string(), "2026-03-05 07:08:09.123456+00:00");
        assert_eq!(
            date(2026, 11, 21, 10, 30, 0, 0, 0).to_string(),
            "2026-11-21 10:30:00+00:00"
        );
        assert_eq!(
            date(2026, 11, 21, 10, 30, 0, 5, -(5 * 3600 + 30 * 60)).to_string(),
            "2026-11-21 10:30:00.000005-05:30"
        );
        assert_eq!(
            date(2026, 1, 2, 3, 4, 5, 0, 3600 + 15).to_string(),
            "2026-01-02 03:04:05+01:00:15"
        );
        let d = sample();
        assert_eq!(
            (
                d.year(),
                d.month(),
                d.day(),
                d.hour(),
                d.minute(),
                d.second()
            ),
            (2026, 3, 5, 7, 8, 9)
        );
        assert_eq!(d.epoch(), 1_772_694_489);
        assert_eq!(date(1970, 1, 1, 1, 0, 0, 0, 3600).epoch(), 0);
    }

    #[test]
    fn create_date_now_in_zones() {
        let utc = CreateDate::now_in("UTC").expect("UTC");
        assert!(utc.to_string().ends_with("+00:00"));
        assert!((utc.epoch() - Utc::now().timestamp()).abs() < 5);
        // Tried as given, then upper-cased.
        assert!(CreateDate::now_in("est5edt").is_ok());
        assert!(CreateDate::now_in("Europe/Paris").is_ok());
        let e = CreateDate::now_in("Mars/Olympus").unwrap_err();
        assert_eq!(e.to_string(), "Can't locate timezone: Mars/Olympus");
        assert!(e.hint().contains("IANA"));
    }

    #[test]
    fn brace_file_names() {
        assert_eq!(
            name(DEFAULT_FILE_TEMPLATE).expect("default"),
            "20260305_0708_3f2a9c1b7d4e_add_users.sql"
        );
        assert_eq!(
            name("{year}/{month}/{day}{hour}{minute}{second}_{rev}").expect("dirs"),
            "2026/03/05070809_3f2a9c1b7d4e.sql"
        );
        assert_eq!(
            name("{epoch}_{rev}").expect("epoch"),
            "1772694489_3f2a9c1b7d4e.sql"
        );
        assert_eq!(name("{{{rev}}}%").expect("braces"), "{3f2a9c1b7d4e}%.sql");
        let early = date(987, 1, 2, 3, 4, 5, 0, 0);
        assert_eq!(
            render_file_name("{year}{month}", "r", "s", &early).expect("early"),
            "098701.sql"
        );
        // An empty slug gives `<rev>_`, as in Alembic.
        assert_eq!(
            render_file_name("{rev}_{slug}", "abc", "", &sample()).expect("no slug"),
            "abc_.sql"
        );
    }

    #[test]
    fn printf_file_names() {
        assert_eq!(
            name("%(rev)s_%(slug)s").expect("alembic default"),
            "3f2a9c1b7d4e_add_users.sql"
        );
        assert_eq!(
            name("%(year)d%(month).2d%(day)02d_%(hour)i%(minute)2d_%(rev)s").expect("dates"),
            "20260305_7 8_3f2a9c1b7d4e.sql"
        );
        assert_eq!(
            name("%(year)d/%(month).2d/%(day).2d_%(rev)s").expect("dirs"),
            "2026/03/05_3f2a9c1b7d4e.sql"
        );
        assert_eq!(
            name("%(rev).4s_%(slug)-12s|").expect("precision"),
            "3f2a_add_users   |.sql"
        );
        assert_eq!(
            name("%(day)-4d|%(day)05.3d|%(year)s").expect("flags"),
            "5   |00005|2026.sql"
        );
        assert_eq!(
            name("100%%_%(rev)s").expect("percent"),
            "100%_3f2a9c1b7d4e.sql"
        );
        assert_eq!(name("%(epoch)d").expect("epoch"), "1772694489.sql");
        // Braces are literal in the printf form.
        assert_eq!(
            name("{x}_%(rev)s").expect("literal"),
            "{x}_3f2a9c1b7d4e.sql"
        );
    }

    #[test]
    fn file_template_errors() {
        assert_eq!(
            name_err("{rev}_{slugg}"),
            "file_template '{rev}_{slugg}': unknown token 'slugg' in '{slugg}'; the tokens are rev, slug, epoch, year, month, day, hour, minute, second"
        );
        assert_eq!(
            name_err("%(rev)s_%(name)s"),
            "file_template '%(rev)s_%(name)s': unknown token 'name' in '%(name)s'; the tokens are rev, slug, epoch, year, month, day, hour, minute, second"
        );
        assert_eq!(
            name_err("{rev}_{slug"),
            "file_template '{rev}_{slug': unclosed '{' in '{slug'; write '{{' for a literal brace"
        );
        assert_eq!(
            name_err("{rev}}_"),
            "file_template '{rev}}_': single '}' ; write '}}' for a literal brace"
        );
        assert_eq!(
            name_err("%(rev)d"),
            "file_template '%(rev)d': '%(rev)d' needs a number, but 'rev' is text; use 's'"
        );
        assert_eq!(
            name_err("%(rev)x"),
            "file_template '%(rev)x': malformed spec '%(rev)x'; expected %(name) then optional flags '0' or '-', width, .precision, and the conversion 's', 'd' or 'i'"
        );
        assert_eq!(
            name_err("%(rev)"),
            "file_template '%(rev)': malformed spec '%(rev)'; expected %(name) then optional flags '0' or '-', width, .precision, and the conversion 's', 'd' or 'i'"
        );
        assert_eq!(
            name_err("%(rev)s_%s"),
            "file_template '%(rev)s_%s': '%' must be followed by '(name)' or '%', found '%s'"
        );
        assert_eq!(
            name_err("%(rev_%(slug)s"),
            "file_template '%(rev_%(slug)s': unknown token 'rev_%(slug' in '%(rev_%(slug)s'; the tokens are rev, slug, epoch, year, month, day, hour, minute, second"
        );
        assert_eq!(
            name_err("%(rev)s_%(slug"),
            "file_template '%(rev)s_%(slug': unclosed '%(' in '%(slug'"
        );
        assert_eq!(
            name_err("%(rev)999s"),
            "file_template '%(rev)999s': width or precision in '%(rev)999' is larger than 255"
        );
        let e = name("{rev}_{sl}").unwrap_err();
        assert!(matches!(&e, ScriptError::FileTemplate { token, .. } if token == "{sl}"));
        assert!(e.hint().contains("rev, slug, epoch"));
    }

    #[test]
    fn file_names_stay_inside_the_location() {
        assert_eq!(
            name_err("/tmp/{rev}"),
            "file_template '/tmp/{rev}': renders to '/tmp/3f2a9c1b7d4e.sql', which is not a relative path inside the version location"
        );
        assert!(name_err("../{rev}").contains("not a relative path"));
        assert!(name_err("a/../../{rev}").contains("not a relative path"));
        assert_eq!(
            render_file_name("{slug}", "r", "", &sample()).unwrap_err().to_string(),
            "file_template '{slug}': renders to '.sql', and aludel does not load files or folders whose name starts with '.'"
        );
        assert!(name_err(".hidden/{rev}").contains("starts with '.'"));
        assert_eq!(name("./{rev}").expect("curdir"), "./3f2a9c1b7d4e.sql");
    }
}
