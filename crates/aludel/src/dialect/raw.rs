//! Plain-text statements through sqlx, the same way for every driver: statements go
//! through each protocol's simple/text path (no prepared statements, which some DDL
//! refuses) and every value comes back as text. Shared by the dialect modules.

use sqlx::{AssertSqlSafe, ColumnIndex, Database, Decode, Executor, Row};

use super::{BeginError, DbError};

/// The number of rows a statement changed, for every driver's result type.
pub(crate) trait RowsAffected {
    fn rows(&self) -> u64;
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}
impl RowsAffected for sqlx::mysql::MySqlQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}
impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// Runs `sql` as written; returns the rows it changed.
pub(crate) async fn execute<DB>(
    conn: &mut DB::Connection,
    sql: &str,
    secret: Option<&str>,
) -> Result<u64, DbError>
where
    DB: Database,
    DB::QueryResult: RowsAffected,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut *conn)
        .await
        .map(|r| r.rows())
        .map_err(|e| DbError::from_sqlx(e, secret))
}

/// How many statements go into one multi-statement text: at most `statements` of
/// them and about `bytes` of SQL (a longer single statement goes alone). A step
/// within both bounds is one round trip; a larger one is sent in pieces, so its cost
/// grows with its size and not with the square of it (each driver re-handles the
/// unsent rest of a text per statement, or holds every statement of it at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BatchLimits {
    pub statements: usize,
    pub bytes: usize,
}

/// The end (exclusive) of the piece of `statements` that starts at `start`: at
/// least one statement, then more while both limits hold.
fn piece_end(statements: &[String], start: usize, limits: BatchLimits) -> usize {
    let mut end = start;
    let mut bytes = 0;
    while end < statements.len() && end - start < limits.statements.max(1) {
        bytes += statements[end].len() + SEPARATOR.len();
        if end > start && bytes > limits.bytes {
            break;
        }
        end += 1;
    }
    end
}

/// A line break before each `;`, so a trailing `--` comment cannot swallow it.
const SEPARATOR: &str = "\n;\n";

/// Runs statements as multi-statement texts of at most `limits` each (one round
/// trip for a step within the limits), returning each one's changed-row count. On
/// failure, the index of the statement that failed is the number of statements that
/// completed before it, counted across the pieces.
pub(crate) async fn execute_batch<DB>(
    conn: &mut DB::Connection,
    statements: &[String],
    limits: BatchLimits,
    secret: Option<&str>,
) -> Result<Vec<u64>, (usize, DbError)>
where
    DB: Database,
    DB::QueryResult: RowsAffected,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    use futures_util::StreamExt;
    let mut counts = Vec::with_capacity(statements.len());
    let mut start = 0;
    while start < statements.len() {
        let end = piece_end(statements, start, limits);
        let joined = statements[start..end].join(SEPARATOR);
        let mut results = sqlx::raw_sql(AssertSqlSafe(joined)).execute_many(&mut *conn);
        while let Some(result) = results.next().await {
            match result {
                Ok(r) => counts.push(r.rows()),
                Err(e) => return Err((counts.len(), DbError::from_sqlx(e, secret))),
            }
        }
        start = end;
    }
    Ok(counts)
}

/// Runs `begin` and `query` as one multi-statement text; returns the first column
/// of the query's rows. An error before `begin`'s result arrived is
/// [`BeginError::Begin`] (no transaction opened); a later one is
/// [`BeginError::Query`] (the transaction is open: the caller rolls back).
pub(crate) async fn begin_and_query_column<DB>(
    conn: &mut DB::Connection,
    begin: &str,
    query: &str,
) -> Result<Vec<Option<String>>, BeginError>
where
    DB: Database,
    usize: ColumnIndex<DB::Row>,
    for<'r> Option<String>: Decode<'r, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    use futures_util::StreamExt;
    let joined = format!("{begin};\n{query}");
    let mut begun = false;
    let mut column = Vec::new();
    let mut items = sqlx::raw_sql(AssertSqlSafe(joined)).fetch_many(&mut *conn);
    while let Some(item) = items.next().await {
        match item {
            Ok(sqlx::Either::Left(_)) => begun = true,
            Ok(sqlx::Either::Right(row)) => column.push(
                row.try_get_unchecked::<Option<String>, usize>(0)
                    .map_err(|e| BeginError::Query(DbError::from_sqlx(e, None)))?,
            ),
            Err(e) if begun => return Err(BeginError::Query(DbError::from_sqlx(e, None))),
            Err(e) => return Err(BeginError::Begin(DbError::from_sqlx(e, None))),
        }
    }
    Ok(column)
}

/// Runs a query and returns every value as text (NULL as `None`).
pub(crate) async fn query_rows<DB>(
    conn: &mut DB::Connection,
    sql: &str,
    secret: Option<&str>,
) -> Result<Vec<Vec<Option<String>>>, DbError>
where
    DB: Database,
    usize: ColumnIndex<DB::Row>,
    for<'r> Option<String>: Decode<'r, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    let rows = sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| DbError::from_sqlx(e, secret))?;
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get_unchecked::<Option<String>, usize>(i)
                        .map_err(|e| DbError::from_sqlx(e, secret))
                })
                .collect()
        })
        .collect()
}
