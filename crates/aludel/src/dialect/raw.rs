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
                Err(e) => {
                    // A statement that completed cannot be the one that failed.
                    let index = failed_statement(&e, &statements[start..end])
                        .map(|j| start + j)
                        .filter(|&k| k >= counts.len())
                        .unwrap_or(counts.len());
                    return Err((index, DbError::from_sqlx(e, secret)));
                }
            }
        }
        start = end;
    }
    Ok(counts)
}

/// The statement of a multi-statement text (joined with [`SEPARATOR`]) that an error
/// points into. PostgreSQL parses the whole text before running any of it, so a
/// syntax error anywhere fails before the first statement's result: only the
/// error's position (in characters, 1-based) says which statement it was.
fn failed_statement(err: &sqlx::Error, statements: &[String]) -> Option<usize> {
    let db = err.as_database_error()?;
    let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    let sqlx::postgres::PgErrorPosition::Original(position) = pg.position()? else {
        return None;
    };
    statement_at(statements, position.checked_sub(1)?)
}

/// The statement holding character `offset` (0-based) of the statements joined with
/// [`SEPARATOR`] (a separator counts with the statement before it).
fn statement_at(statements: &[String], offset: usize) -> Option<usize> {
    let separator = SEPARATOR.chars().count();
    let mut end = 0;
    for (j, statement) in statements.iter().enumerate() {
        end += statement.chars().count() + separator;
        if offset < end {
            return Some(j);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::statement_at;

    #[test]
    fn a_character_offset_names_its_statement() {
        let statements: Vec<String> = ["BEGIN", "CREATE TABLE é (a INT)", "CREAT TABLE x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let joined = statements.join(super::SEPARATOR);
        let at = |needle: &str| {
            let bytes = joined.find(needle).unwrap();
            joined[..bytes].chars().count()
        };
        assert_eq!(statement_at(&statements, 0), Some(0));
        assert_eq!(statement_at(&statements, at("CREATE")), Some(1));
        assert_eq!(statement_at(&statements, at("(a INT)")), Some(1));
        assert_eq!(statement_at(&statements, at("CREAT ")), Some(2));
        assert_eq!(statement_at(&statements, joined.chars().count() + 10), None);
    }
}
