//! Database URLs: parsing every form aludel accepts, normalising them to what the
//! database driver (sqlx) expects, and masking the password for anything a human sees.
//!
//! This module owns the URL grammar (PostgreSQL, MySQL/MariaDB, SQLite, including the
//! SQLAlchemy driver forms found in Alembic projects) and the rule that a password
//! never appears in `Display`, `Debug` or an error. It must not connect to anything,
//! touch the file system (relative SQLite paths stay relative), or read the
//! environment.

use std::fmt;
use std::path::PathBuf;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use thiserror::Error;

/// What replaces a password wherever a URL is shown.
const MASK: &str = "***";

/// The database family a URL talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Sqlite,
    Postgres,
    MySql,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::MySql => "mysql",
        })
    }
}

/// Where a SQLite URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteTarget {
    /// An in-memory database (`sqlite::memory:`, `sqlite://`).
    Memory,
    /// A database file; a relative path is relative to the working directory.
    File(PathBuf),
}

/// Why a string is not a database URL aludel can use. Every message shows the URL
/// with its password replaced by `***`; [`UrlError::hint`] says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("the database URL is empty")]
    Empty,

    #[error("'{url}' is not a database URL: it has no scheme such as 'postgresql://'")]
    MissingScheme { url: String },

    #[error("unsupported database URL scheme '{scheme}' in '{url}'")]
    UnknownScheme { scheme: String, url: String },

    #[error("invalid port '{port}' in database URL '{url}': a port is a number from 0 to 65535")]
    InvalidPort { port: String, url: String },

    #[error("unclosed '[' in the host of database URL '{url}'")]
    UnclosedIpv6 { url: String },

    #[error("the {part} in database URL '{url}' is not valid percent-encoded UTF-8")]
    InvalidEncoding { part: &'static str, url: String },
}

impl UrlError {
    /// What to do about the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            UrlError::Empty => Some(
                "use a URL such as postgresql://user:password@host:5432/dbname or sqlite://app.db"
                    .to_string(),
            ),
            UrlError::MissingScheme { .. } | UrlError::UnknownScheme { .. } => {
                Some(format!("accepted schemes: {}", accepted_schemes()))
            }
            UrlError::InvalidPort { .. } => None,
            UrlError::UnclosedIpv6 { .. } => Some("write an IPv6 address as [::1]".to_string()),
            UrlError::InvalidEncoding { .. } => {
                Some("encode special characters as %XX, e.g. '@' as %40 and '/' as %2F".to_string())
            }
        }
    }
}

/// A parsed database URL. The password is kept only for [`DatabaseUrl::connection_string`];
/// `Display` and `Debug` show it as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    dialect: Dialect,
    /// The scheme as written, lower-cased (`postgresql+psycopg2`, `sqlite`, ...).
    scheme: String,
    location: Location,
    /// The raw query string, without the `?`.
    query: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Location {
    Server {
        username: Option<String>,
        password: Option<String>,
        /// As written (an IPv6 address keeps its brackets).
        host: Option<String>,
        port: Option<u16>,
        /// Percent-decoded.
        database: Option<String>,
    },
    Sqlite {
        /// `None` for an in-memory database; the path exactly as written otherwise.
        path: Option<String>,
        /// How the part after the scheme was written, for `Display`.
        written: String,
    },
}

/// The schemes aludel accepts, as listed in error hints.
const POSTGRES_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "postgresql+psycopg2",
    "postgresql+psycopg",
    "postgresql+asyncpg",
    "postgresql+pg8000",
];
const MYSQL_SCHEMES: &[&str] = &[
    "mysql",
    "mariadb",
    "mysql+pymysql",
    "mysql+mysqldb",
    "mysql+aiomysql",
    "mysql+asyncmy",
    "mariadb+mariadbconnector",
];

fn accepted_schemes() -> String {
    let mut all: Vec<&str> = POSTGRES_SCHEMES.to_vec();
    all.extend_from_slice(MYSQL_SCHEMES);
    all.push("sqlite");
    let mut text = all
        .iter()
        .map(|s| format!("{s}://"))
        .collect::<Vec<_>>()
        .join(", ");
    text.push_str(" (and sqlite::memory:)");
    text
}

/// The dialect of a scheme. Besides the listed schemes, any SQLAlchemy driver suffix
/// on a known dialect (`postgresql+<driver>`, `mysql+<driver>`, `mariadb+<driver>`,
/// `sqlite+<driver>`) is accepted: the driver names a Python library, which aludel
/// does not use.
fn dialect_of(scheme: &str) -> Option<Dialect> {
    let (base, driver) = match scheme.split_once('+') {
        Some((base, driver)) => (base, Some(driver)),
        None => (scheme, None),
    };
    if let Some(driver) = driver {
        let valid_driver = !driver.is_empty()
            && driver
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid_driver {
            return None;
        }
    }
    match (base, driver) {
        ("postgres", None) => Some(Dialect::Postgres),
        ("postgresql", _) => Some(Dialect::Postgres),
        ("mysql", _) | ("mariadb", _) => Some(Dialect::MySql),
        ("sqlite", _) => Some(Dialect::Sqlite),
        _ => None,
    }
}

/// Characters encoded in a user name, password or database name: everything but the
/// RFC 3986 unreserved characters.
const COMPONENT: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters encoded in a SQLite path for sqlx, which splits at `?` and then
/// percent-decodes the path.
const SQLITE_PATH: &AsciiSet = &CONTROLS.add(b'%').add(b'?').add(b'#').add(b' ');

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

fn decode(text: &str, part: &'static str, raw: &str) -> Result<String, UrlError> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| UrlError::InvalidEncoding {
            part,
            url: mask_raw(raw),
        })
}

impl DatabaseUrl {
    /// Parses a database URL in any accepted form (see the module docs and PRODUCT §3).
    pub fn parse(s: &str) -> Result<DatabaseUrl, UrlError> {
        let raw = s.trim();
        if raw.is_empty() {
            return Err(UrlError::Empty);
        }
        let (scheme, rest, has_slashes) = match raw.find("://") {
            Some(i) if is_scheme(&raw[..i]) => (&raw[..i], &raw[i + 3..], true),
            _ => match raw.find(':') {
                Some(i) if is_scheme(&raw[..i]) => (&raw[..i], &raw[i + 1..], false),
                _ => return Err(UrlError::MissingScheme { url: mask_raw(raw) }),
            },
        };
        let scheme_lc = scheme.to_ascii_lowercase();
        let dialect = dialect_of(&scheme_lc).ok_or_else(|| UrlError::UnknownScheme {
            scheme: scheme.to_string(),
            url: mask_raw(raw),
        })?;
        match dialect {
            Dialect::Sqlite => Ok(Self::parse_sqlite(scheme_lc, rest, has_slashes)),
            Dialect::Postgres | Dialect::MySql => {
                if !has_slashes {
                    return Err(UrlError::MissingScheme { url: mask_raw(raw) });
                }
                Self::parse_server(dialect, scheme_lc, rest, raw)
            }
        }
    }

    fn parse_sqlite(scheme: String, rest: &str, has_slashes: bool) -> DatabaseUrl {
        let written = if has_slashes {
            format!("//{rest}")
        } else {
            rest.to_string()
        };
        let (path_part, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (rest, None),
        };
        // `sqlite://X`: X as written (sqlx); `sqlite:///X`: X, relative (SQLAlchemy);
        // `sqlite:////X`: /X, absolute. Without slashes (`sqlite:X`), X as written.
        let path = if has_slashes {
            path_part.strip_prefix('/').unwrap_or(path_part)
        } else {
            path_part
        };
        let path = match path {
            "" | ":memory:" => None,
            p => Some(p.to_string()),
        };
        DatabaseUrl {
            dialect: Dialect::Sqlite,
            scheme,
            location: Location::Sqlite { path, written },
            query: query.filter(|q| !q.is_empty()),
        }
    }

    fn parse_server(
        dialect: Dialect,
        scheme: String,
        rest: &str,
        raw: &str,
    ) -> Result<DatabaseUrl, UrlError> {
        // The authority ends at the first '/' or '?' after the user information, which
        // ends at the last '@' before the path. A password may therefore contain
        // unencoded ':', '#' or '@' (but not '/' or '?').
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let after = &rest[authority_end..];

        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (username, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (user, pass) = match info.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (info, None),
                };
                let user = decode(user, "user name", raw)?;
                let pass = pass.map(|p| decode(p, "password", raw)).transpose()?;
                (Some(user).filter(|u| !u.is_empty()), pass)
            }
        };

        let (host, port) = split_host_port(hostport, raw)?;

        let (path, query) = match after.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (after, None),
        };
        let database = path.strip_prefix('/').unwrap_or(path);
        let database = if database.is_empty() {
            None
        } else {
            Some(decode(database, "database name", raw)?)
        };

        Ok(DatabaseUrl {
            dialect,
            scheme,
            location: Location::Server {
                username,
                password,
                host,
                port,
                database,
            },
            query: query.filter(|q| !q.is_empty()).map(str::to_string),
        })
    }

    /// The database family.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The scheme as written (lower-cased), e.g. `postgresql+psycopg2`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The raw query string (without `?`), passed through to the driver unchanged.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The password (decoded), only for removing it from driver messages: never print it.
    pub(crate) fn password(&self) -> Option<&str> {
        match &self.location {
            Location::Server { password, .. } => password.as_deref(),
            Location::Sqlite { .. } => None,
        }
    }

    /// Whether the URL carries a password.
    pub fn has_password(&self) -> bool {
        matches!(
            &self.location,
            Location::Server {
                password: Some(_),
                ..
            }
        )
    }

    /// The URL in the form sqlx expects (`postgres://`, `mysql://`, `sqlite://` or
    /// `sqlite::memory:`), WITH the password. Only for connecting: never print it.
    ///
    /// For SQLite, `sqlite://` is followed by the path as sqlx reads it: a relative
    /// path stays relative (`sqlite://app.db`), an absolute one gives `sqlite:///abs`.
    pub fn connection_string(&self) -> String {
        self.render(Render::Full)
    }

    /// The URL with the password replaced by `***` (the same text as `Display`).
    pub fn masked(&self) -> String {
        self.to_string()
    }

    /// Where a SQLite URL points; `None` for other dialects.
    pub fn sqlite_target(&self) -> Option<SqliteTarget> {
        match &self.location {
            Location::Sqlite { path: None, .. } => Some(SqliteTarget::Memory),
            Location::Sqlite { path: Some(p), .. } => Some(SqliteTarget::File(PathBuf::from(p))),
            Location::Server { .. } => None,
        }
    }

    /// Whether a SQLite URL has an empty path (`sqlite://`, `sqlite:///`, `sqlite:`):
    /// an in-memory database, as in SQLAlchemy, though rarely what was meant. An
    /// explicit `:memory:` is not empty.
    pub fn sqlite_path_is_empty(&self) -> bool {
        match &self.location {
            Location::Sqlite {
                path: None,
                written,
            } => !written.split('?').next().unwrap_or("").contains(":memory:"),
            _ => false,
        }
    }

    /// The host as written (an IPv6 address keeps its brackets); `None` for SQLite
    /// and when the URL names none.
    pub fn host(&self) -> Option<&str> {
        match &self.location {
            Location::Server { host, .. } => host.as_deref(),
            Location::Sqlite { .. } => None,
        }
    }

    /// The port, when the URL names one.
    pub fn port(&self) -> Option<u16> {
        match &self.location {
            Location::Server { port, .. } => *port,
            Location::Sqlite { .. } => None,
        }
    }

    /// The database name (decoded), or for SQLite the file path as written
    /// (`None` in memory).
    pub fn database(&self) -> Option<&str> {
        match &self.location {
            Location::Server { database, .. } => database.as_deref(),
            Location::Sqlite { path, .. } => path.as_deref(),
        }
    }

    /// The same server, user, password and options with another database (a
    /// scratch database next to the target); a SQLite URL comes back unchanged.
    pub fn with_database(&self, name: &str) -> DatabaseUrl {
        let mut url = self.clone();
        if let Location::Server { database, .. } = &mut url.location {
            *database = Some(name.to_string());
        }
        url
    }

    /// The user name (decoded).
    pub fn username(&self) -> Option<&str> {
        match &self.location {
            Location::Server { username, .. } => username.as_deref(),
            Location::Sqlite { .. } => None,
        }
    }

    /// The URL for a database client started by a hook (`{url}`): as
    /// [`connection_string`](Self::connection_string) but without the password, which
    /// a client reads from its own environment variable (`PGPASSWORD`, `MYSQL_PWD`)
    /// instead of its command line. Secret query parameters are left out too.
    pub fn without_password(&self) -> String {
        self.render(Render::NoPassword)
    }

    /// The password a client needs: the one in the user information, else a
    /// `password` query parameter (decoded). Never print it.
    pub(crate) fn client_password(&self) -> Option<String> {
        if let Some(p) = self.password() {
            return Some(p.to_string());
        }
        self.query.as_deref().and_then(|q| {
            q.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                let key = percent_decode_str(k)
                    .decode_utf8_lossy()
                    .to_ascii_lowercase();
                (key == "password").then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
            })
        })
    }

    /// Every form in which a secret of this URL (its password, secret query
    /// parameters) could appear in a tool's output: as written, decoded and
    /// percent-encoded. Longest first, for [`mask_secrets`].
    pub(crate) fn secret_forms(&self) -> Vec<String> {
        // Decoded secrets, and query values as written.
        let mut secrets: Vec<String> = Vec::new();
        let mut forms: Vec<String> = Vec::new();
        if let Some(p) = self.password() {
            secrets.push(p.to_string());
        }
        if let Some(q) = &self.query {
            for pair in q.split('&') {
                if let Some((k, v)) = pair.split_once('=') {
                    if is_secret_param(k) {
                        forms.push(v.to_string());
                        secrets.push(percent_decode_str(v).decode_utf8_lossy().into_owned());
                    }
                }
            }
        }
        for s in secrets {
            forms.push(encode(&s, COMPONENT));
            forms.push(encode(&s, percent_encoding::NON_ALPHANUMERIC));
            forms.push(s);
        }
        forms.retain(|f| !f.is_empty());
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms
    }

    /// Renders the URL: for humans (the scheme as written, password as `***`), for
    /// sqlx, or for a client that reads the password elsewhere.
    fn render(&self, mode: Render) -> String {
        let masked = mode == Render::Masked;
        match &self.location {
            Location::Sqlite { path, written } => {
                if masked {
                    return format!("{}:{}", self.scheme, mask_query_in(written));
                }
                let mut out = match path {
                    None => "sqlite::memory:".to_string(),
                    Some(p) => format!("sqlite://{}", encode(p, SQLITE_PATH)),
                };
                if let Some(q) = &self.query {
                    let q = match mode {
                        Render::NoPassword => without_secret_params(q),
                        _ => q.clone(),
                    };
                    if !q.is_empty() {
                        out.push('?');
                        out.push_str(&q);
                    }
                }
                out
            }
            Location::Server {
                username,
                password,
                host,
                port,
                database,
            } => {
                let scheme = if masked {
                    self.scheme.as_str()
                } else {
                    match self.dialect {
                        Dialect::Postgres => "postgres",
                        _ => "mysql",
                    }
                };
                let password = match mode {
                    Render::NoPassword => None,
                    _ => password.as_ref(),
                };
                let mut out = format!("{scheme}://");
                let mut extra_query: Vec<String> = Vec::new();
                // sqlx (through the `url` crate) rejects user information without a
                // host; PostgreSQL then takes them as query parameters (keeping the
                // default host, a local socket), MySQL's default host is localhost.
                let creds_in_query = !masked && host.is_none() && self.dialect == Dialect::Postgres;
                let has_creds = username.is_some() || password.is_some();
                if has_creds && !creds_in_query {
                    if let Some(user) = username {
                        out.push_str(&encode(user, COMPONENT));
                    }
                    if let Some(pass) = password {
                        out.push(':');
                        if masked {
                            out.push_str(MASK);
                        } else {
                            out.push_str(&encode(pass, COMPONENT));
                        }
                    }
                    out.push('@');
                } else if has_creds {
                    if let Some(user) = username {
                        extra_query.push(format!("user={}", encode(user, COMPONENT)));
                    }
                    if let Some(pass) = password {
                        extra_query.push(format!("password={}", encode(pass, COMPONENT)));
                    }
                }
                match host {
                    Some(h) => out.push_str(h),
                    // sqlx's default, which it cannot take from an empty host.
                    None if !masked && self.dialect == Dialect::MySql => out.push_str("localhost"),
                    None => {}
                }
                match port {
                    // Nor a port without a host.
                    Some(p) if creds_in_query => extra_query.push(format!("port={p}")),
                    Some(p) => {
                        out.push(':');
                        out.push_str(&p.to_string());
                    }
                    None => {}
                }
                if let Some(db) = database {
                    out.push('/');
                    out.push_str(&encode(db, COMPONENT));
                }
                let mut query: Vec<String> = Vec::new();
                if let Some(q) = &self.query {
                    query.push(match mode {
                        Render::Masked => mask_query(q),
                        Render::Full => q.clone(),
                        Render::NoPassword => without_secret_params(q),
                    });
                }
                query.retain(|q| !q.is_empty());
                query.extend(extra_query);
                if !query.is_empty() {
                    if database.is_none() {
                        out.push('/');
                    }
                    out.push('?');
                    out.push_str(&query.join("&"));
                }
                out
            }
        }
    }
}

/// How [`DatabaseUrl::render`] treats the password.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Render {
    /// For humans: the scheme as written, secrets as `***`.
    Masked,
    /// For sqlx: everything.
    Full,
    /// For a client that reads the password from its environment: no secrets.
    NoPassword,
}

/// Replaces every form of a secret (see [`DatabaseUrl::secret_forms`]) in `text`
/// by `***`.
pub(crate) fn mask_secrets(text: &str, forms: &[String]) -> String {
    let mut out = text.to_string();
    for form in forms.iter().filter(|f| !f.is_empty()) {
        out = out.replace(form.as_str(), MASK);
    }
    out
}

impl std::str::FromStr for DatabaseUrl {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DatabaseUrl::parse(s)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Render::Masked))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.render(Render::Masked))
            .finish()
    }
}

/// A scheme is `[A-Za-z][A-Za-z0-9+.-]*`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | '_'))
}

fn split_host_port(hostport: &str, raw: &str) -> Result<(Option<String>, Option<u16>), UrlError> {
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let close = inner
            .find(']')
            .ok_or_else(|| UrlError::UnclosedIpv6 { url: mask_raw(raw) })?;
        let host = &hostport[..close + 2];
        let tail = &inner[close + 1..];
        let port = match tail.strip_prefix(':') {
            Some(p) => Some(p),
            None if tail.is_empty() => None,
            None => {
                return Err(UrlError::InvalidPort {
                    port: tail.to_string(),
                    url: mask_raw(raw),
                })
            }
        };
        (host, port)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| UrlError::InvalidPort {
            port: p.to_string(),
            url: mask_raw(raw),
        })?),
    };
    let host = Some(host.to_string()).filter(|h| !h.is_empty());
    Ok((host, port))
}

/// Query parameters whose value is a secret.
fn is_secret_param(key: &str) -> bool {
    let key = percent_decode_str(key)
        .decode_utf8_lossy()
        .to_ascii_lowercase();
    key.contains("password") || matches!(key.as_str(), "pass" | "pwd" | "passwd" | "key")
}

/// The query without its secret parameters.
fn without_secret_params(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| {
            !pair
                .split_once('=')
                .is_some_and(|(k, _)| is_secret_param(k))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_param(k) => format!("{k}={MASK}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks secret query parameters in `text` (everything after the first `?`).
fn mask_query_in(text: &str) -> String {
    match text.split_once('?') {
        Some((before, q)) => format!("{before}?{}", mask_query(q)),
        None => text.to_string(),
    }
}

/// Masks the password in a string that may not be a valid URL, for error messages.
/// Conservative: when in doubt, more is hidden.
pub(crate) fn mask_raw(raw: &str) -> String {
    let (prefix, body) = match raw.find("://") {
        Some(i) => (&raw[..i + 3], &raw[i + 3..]),
        None => ("", raw),
    };
    let (before_query, query) = match body.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (body, None),
    };
    let mut out = String::from(prefix);
    match before_query.rfind('@') {
        Some(at) => {
            let userinfo = &before_query[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..colon]);
                    out.push(':');
                    out.push_str(MASK);
                }
                None => out.push_str(userinfo),
            }
            out.push_str(&before_query[at..]);
        }
        None => out.push_str(before_query),
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(&mask_query(q));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DatabaseUrl {
        match DatabaseUrl::parse(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn postgres_forms() {
        for scheme in POSTGRES_SCHEMES {
            let u = parse(&format!("{scheme}://app:s3cret@db:5432/prod"));
            assert_eq!(u.dialect(), Dialect::Postgres, "{scheme}");
            assert_eq!(u.host(), Some("db"));
            assert_eq!(u.port(), Some(5432));
            assert_eq!(u.database(), Some("prod"));
            assert_eq!(u.username(), Some("app"));
            assert_eq!(u.connection_string(), "postgres://app:s3cret@db:5432/prod");
            assert_eq!(u.to_string(), format!("{scheme}://app:***@db:5432/prod"));
        }
    }

    #[test]
    fn mysql_forms() {
        for scheme in MYSQL_SCHEMES {
            let u = parse(&format!(
                "{scheme}://root:pw@127.0.0.1:3306/app?charset=utf8mb4"
            ));
            assert_eq!(u.dialect(), Dialect::MySql, "{scheme}");
            assert_eq!(
                u.connection_string(),
                "mysql://root:pw@127.0.0.1:3306/app?charset=utf8mb4"
            );
            assert_eq!(u.query(), Some("charset=utf8mb4"));
            assert!(!u.to_string().contains("pw@"));
        }
    }

    #[test]
    fn other_sqlalchemy_drivers_are_accepted() {
        assert_eq!(
            parse("mysql+mysqlconnector://u@h/d").dialect(),
            Dialect::MySql
        );
        assert_eq!(
            parse("sqlite+aiosqlite:///app.db").dialect(),
            Dialect::Sqlite
        );
        assert_eq!(
            parse("sqlite+pysqlite:///:memory:").sqlite_target(),
            Some(SqliteTarget::Memory)
        );
        assert_eq!(parse("PostgreSQL://h/d").dialect(), Dialect::Postgres);
        // `postgres` (not SQLAlchemy) takes no driver.
        assert!(DatabaseUrl::parse("postgres+asyncpg://h/d").is_err());
        assert!(DatabaseUrl::parse("mysql+://h/d").is_err());
    }

    #[test]
    fn sqlite_forms() {
        let file = |s: &str| parse(s).sqlite_target();
        assert_eq!(
            file("sqlite://app.db"),
            Some(SqliteTarget::File("app.db".into()))
        );
        assert_eq!(
            file("sqlite://data/app.db"),
            Some(SqliteTarget::File("data/app.db".into()))
        );
        assert_eq!(
            file("sqlite:///app.db"),
            Some(SqliteTarget::File("app.db".into()))
        );
        assert_eq!(
            file("sqlite:///sub/app.db"),
            Some(SqliteTarget::File("sub/app.db".into()))
        );
        assert_eq!(
            file("sqlite:////var/db/app.db"),
            Some(SqliteTarget::File("/var/db/app.db".into()))
        );
        assert_eq!(
            file("sqlite:app.db"),
            Some(SqliteTarget::File("app.db".into()))
        );
        assert_eq!(
            file("sqlite:/abs.db"),
            Some(SqliteTarget::File("/abs.db".into()))
        );
        for memory in [
            "sqlite::memory:",
            "sqlite://",
            "sqlite:",
            "sqlite:///",
            "sqlite:///:memory:",
            "sqlite://:memory:",
        ] {
            assert_eq!(file(memory), Some(SqliteTarget::Memory), "{memory}");
            assert_eq!(parse(memory).connection_string(), "sqlite::memory:");
        }
        let u = parse("sqlite://app.db?mode=rwc");
        assert_eq!(u.query(), Some("mode=rwc"));
        assert_eq!(u.connection_string(), "sqlite://app.db?mode=rwc");
        assert_eq!(u.to_string(), "sqlite://app.db?mode=rwc");
        assert_eq!(
            parse("sqlite::memory:?cache=shared").connection_string(),
            "sqlite::memory:?cache=shared"
        );
        assert_eq!(
            parse("sqlite:////tmp/x.db").connection_string(),
            "sqlite:///tmp/x.db"
        );
        assert_eq!(
            parse("sqlite:///rel.db").connection_string(),
            "sqlite://rel.db"
        );
        assert_eq!(
            parse("sqlite:///a b%.db").connection_string(),
            "sqlite://a%20b%25.db"
        );
        assert_eq!(parse("sqlite:///app.db").to_string(), "sqlite:///app.db");
        assert_eq!(parse("sqlite::memory:").to_string(), "sqlite::memory:");
        let u = parse("sqlite://app.db");
        assert_eq!(u.dialect(), Dialect::Sqlite);
        assert_eq!(u.database(), Some("app.db"));
        assert_eq!(u.host(), None);
        assert_eq!(u.port(), None);
        assert_eq!(u.username(), None);
        assert!(parse("postgres://h/d").sqlite_target().is_none());
    }

    #[test]
    fn percent_encoded_credentials_are_decoded_and_reencoded() {
        let u = parse("postgresql://us%40er:p%40ss%2Fw%3Ard@db/prod%20db");
        assert_eq!(u.username(), Some("us@er"));
        assert_eq!(u.database(), Some("prod db"));
        assert_eq!(
            u.connection_string(),
            "postgres://us%40er:p%40ss%2Fw%3Ard@db/prod%20db"
        );
        assert_eq!(u.to_string(), "postgresql://us%40er:***@db/prod%20db");
        // Unencoded ':' '@' '#' in a password, as SQLAlchemy users sometimes write.
        let u = parse("postgresql://app:pa:s@s#1@db/prod");
        assert_eq!(u.host(), Some("db"));
        assert_eq!(
            u.connection_string(),
            "postgres://app:pa%3As%40s%231@db/prod"
        );
        assert_eq!(u.to_string(), "postgresql://app:***@db/prod");
    }

    #[test]
    fn hosts_ports_and_queries() {
        let u = parse("postgresql://u:p@[::1]:6543/db?sslmode=require&application_name=x");
        assert_eq!(u.host(), Some("[::1]"));
        assert_eq!(u.port(), Some(6543));
        assert_eq!(
            u.connection_string(),
            "postgres://u:p@[::1]:6543/db?sslmode=require&application_name=x"
        );
        let u = parse("postgresql://localhost");
        assert_eq!(
            (u.host(), u.port(), u.database(), u.username()),
            (Some("localhost"), None, None, None)
        );
        assert_eq!(u.connection_string(), "postgres://localhost");
        let u = parse("postgresql:///mydb");
        assert_eq!(u.host(), None);
        assert_eq!(u.connection_string(), "postgres:///mydb");
        let u = parse("postgresql://u:pw@/mydb");
        assert_eq!(u.connection_string(), "postgres:///mydb?user=u&password=pw");
        assert_eq!(u.to_string(), "postgresql://u:***@/mydb");
        let u = parse("postgresql://u:pw@:5433/mydb");
        assert_eq!(
            u.connection_string(),
            "postgres:///mydb?user=u&password=pw&port=5433"
        );
        assert_eq!(u.without_password(), "postgres:///mydb?user=u&port=5433");
        assert_eq!(u.to_string(), "postgresql://u:***@:5433/mydb");
        let u = parse("mysql://u:pw@/mydb");
        assert_eq!(u.connection_string(), "mysql://u:pw@localhost/mydb");
        let u = parse("mysql://h?ssl-mode=disabled");
        assert_eq!(u.connection_string(), "mysql://h/?ssl-mode=disabled");
        assert_eq!(
            parse("mysql://:3307/d").connection_string(),
            "mysql://localhost:3307/d"
        );
        assert_eq!(
            parse("mysql:///d").connection_string(),
            "mysql://localhost/d"
        );
        assert_eq!(parse("mysql:///d").to_string(), "mysql:///d");
        assert_eq!(parse("postgresql://h:/d").port(), None);
    }

    #[test]
    fn passwords_in_query_are_masked() {
        let u = parse("postgresql://u@h/d?password=hunter2&sslmode=require");
        assert_eq!(
            u.to_string(),
            "postgresql://u@h/d?password=***&sslmode=require"
        );
        assert!(u.connection_string().contains("hunter2"));
        assert!(!format!("{u:?}").contains("hunter2"));
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        for s in [
            "postgresql://app:hunter2@db:5432/prod",
            "mysql+pymysql://app:hunter2@db/prod",
            "postgresql://app:hunter2@/prod",
            "postgres://:hunter2@db/prod",
        ] {
            let u = parse(s);
            assert!(!u.to_string().contains("hunter2"), "{s}");
            assert!(!format!("{u:?}").contains("hunter2"), "{s}");
            assert!(!u.masked().contains("hunter2"), "{s}");
            assert!(u.to_string().contains("***"), "{s}");
            assert!(u.has_password());
            assert!(u.connection_string().contains("hunter2"));
        }
        assert_eq!(
            format!("{:?}", parse("postgresql://app:hunter2@db:5432/prod")),
            "DatabaseUrl(\"postgresql://app:***@db:5432/prod\")"
        );
    }

    #[test]
    fn errors_never_show_the_password() {
        for s in [
            "oracle://scott:hunter2@db/orcl",
            "postgresql://app:hunter2@db:54x2/prod",
            "postgresql://app:hunter2@[::1/prod",
            "postgresql://app:hunter%ff2@db/prod",
            "app:hunter2@db/prod",
            "postgres:/app:hunter2@db/prod",
            "mysql:app:hunter2@db",
            "postgresql://app:hunter2@db:x/prod?password=hunter2",
        ] {
            let err = match DatabaseUrl::parse(s) {
                Ok(u) => panic!("{s} parsed as {u}"),
                Err(e) => e,
            };
            let text = err.to_string();
            assert!(!text.contains("hunter"), "{s}: {text}");
            assert!(!format!("{err:?}").contains("hunter"), "{s}");
        }
    }

    #[test]
    fn error_messages() {
        let err = DatabaseUrl::parse("oracle://scott:tiger@db/orcl").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(
                "unsupported database URL scheme 'oracle' in 'oracle://scott:***@db/orcl'"
            ),
            "{text}"
        );
        let hint = err.hint().unwrap();
        assert!(hint.contains("postgresql+psycopg2://"));
        assert!(hint.contains("mariadb://"));
        assert!(hint.contains("sqlite::memory:"));
        assert_eq!(DatabaseUrl::parse("  ").unwrap_err(), UrlError::Empty);
        assert!(matches!(
            DatabaseUrl::parse("app.db").unwrap_err(),
            UrlError::MissingScheme { .. }
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgres://h:99999/d").unwrap_err(),
            UrlError::InvalidPort { .. }
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql:h/d").unwrap_err(),
            UrlError::MissingScheme { .. }
        ));
    }

    #[test]
    fn round_trips() {
        for s in [
            "postgres://app:p%40ss@db:5432/prod?sslmode=require",
            "postgres://app@db/prod",
            "postgres://db",
            "mysql://root:pw@127.0.0.1:3306/app",
            "postgres://u:p@[::1]:5432/d",
            "sqlite://app.db?mode=rwc",
            "sqlite::memory:",
        ] {
            let u = parse(s);
            assert_eq!(u.connection_string(), s);
            let again = parse(&u.connection_string());
            assert_eq!(again.connection_string(), u.connection_string());
            assert_eq!(again.username(), u.username());
            assert_eq!(again.database(), u.database());
        }
        // Display re-parses to the same URL except for the password.
        let u = parse("postgresql+psycopg2://app:pw@db:5432/prod?x=1");
        let shown = parse(&u.to_string());
        assert_eq!(
            (
                shown.host(),
                shown.port(),
                shown.database(),
                shown.username(),
                shown.query()
            ),
            (u.host(), u.port(), u.database(), u.username(), u.query())
        );
        assert_eq!(Dialect::Postgres.to_string(), "postgresql");
        assert_eq!(Dialect::MySql.to_string(), "mysql");
        assert_eq!(Dialect::Sqlite.to_string(), "sqlite");
    }

    #[test]
    fn without_password_keeps_everything_but_secrets() {
        let cases = [
            (
                "postgresql+psycopg2://app:p%40ss@db:5432/prod?sslmode=require",
                "postgres://app@db:5432/prod?sslmode=require",
            ),
            ("postgresql://u:pw@/mydb", "postgres:///mydb?user=u"),
            (
                "postgresql://u@h/d?password=hunter2&sslmode=require",
                "postgres://u@h/d?sslmode=require",
            ),
            ("postgresql://u@h/d?password=hunter2", "postgres://u@h/d"),
            (
                "mysql://root:pw@127.0.0.1:3306/app",
                "mysql://root@127.0.0.1:3306/app",
            ),
            ("mysql://u:pw@/mydb", "mysql://u@localhost/mydb"),
            ("postgres://db", "postgres://db"),
            ("sqlite:///app.db", "sqlite://app.db"),
        ];
        for (url, expected) in cases {
            assert_eq!(parse(url).without_password(), expected, "{url}");
        }
    }

    #[test]
    fn client_password_and_secret_forms() {
        let u = parse("postgresql://app:p%40ss w@db/prod");
        assert_eq!(u.client_password().as_deref(), Some("p@ss w"));
        assert_eq!(u.secret_forms(), ["p%40ss%20w", "p@ss w"]);
        let u = parse("postgresql://u@h/d?password=a%2Fb&sslmode=require");
        assert_eq!(u.client_password().as_deref(), Some("a/b"));
        assert_eq!(u.secret_forms(), ["a%2Fb", "a/b"]);
        assert_eq!(parse("postgresql://u@h/d").client_password(), None);
        assert!(parse("postgresql://u@h/d").secret_forms().is_empty());
        let text = "cp: cannot stat 'postgres://u:p%40ss%20w@db/prod': p@ss w";
        assert_eq!(
            mask_secrets(text, &parse("postgres://u:p%40ss w@db/prod").secret_forms()),
            "cp: cannot stat 'postgres://u:***@db/prod': ***"
        );
    }

    #[test]
    fn empty_sqlite_paths_are_told_from_an_explicit_memory() {
        for empty in ["sqlite://", "sqlite:///", "sqlite:", "sqlite://?mode=rwc"] {
            assert!(parse(empty).sqlite_path_is_empty(), "{empty}");
        }
        for named in [
            "sqlite::memory:",
            "sqlite:///:memory:",
            "sqlite://:memory:",
            "sqlite:///app.db",
            "postgres:///db",
        ] {
            assert!(!parse(named).sqlite_path_is_empty(), "{named}");
        }
    }

    #[test]
    fn mask_raw_hides_userinfo_passwords() {
        assert_eq!(mask_raw("x://u:p@h/d"), "x://u:***@h/d");
        assert_eq!(mask_raw("u:p@h"), "u:***@h");
        assert_eq!(mask_raw("x://h/d?password=p"), "x://h/d?password=***");
        assert_eq!(mask_raw("x://u@h"), "x://u@h");
    }
}
