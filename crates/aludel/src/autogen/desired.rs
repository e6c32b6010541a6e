//! The desired schema from SQL files: `[autogenerate] schema` names a `.sql`
//! file or a folder of them (every `.sql` file below it, sorted by path), whose
//! statements, split by the same splitter as revision files, are run on a shadow
//! database (see [`load`]). A statement the database refuses is reported with its file,
//! line and the database's message, and nothing else happens.

use std::path::{Path, PathBuf};

use super::AutogenError;
use crate::config::Dialect;
use crate::dialect::Connection;

/// The files of a schema source, in the order they are loaded.
pub fn schema_files(source: &Path) -> Result<Vec<PathBuf>, AutogenError> {
    let meta = std::fs::metadata(source).map_err(|e| AutogenError::SchemaMissing {
        path: source.to_path_buf(),
        reason: e.to_string(),
    })?;
    if meta.is_file() {
        return Ok(vec![source.to_path_buf()]);
    }
    let mut files = Vec::new();
    collect_sql_files(source, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(AutogenError::SchemaMissing {
            path: source.to_path_buf(),
            reason: "the folder holds no .sql file".to_string(),
        });
    }
    Ok(files)
}

fn collect_sql_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AutogenError> {
    let entries = std::fs::read_dir(dir).map_err(|e| AutogenError::SchemaMissing {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    for entry in entries {
        let path = entry
            .map_err(|e| AutogenError::SchemaMissing {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            })?
            .path();
        if path.is_dir() {
            collect_sql_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs every statement of `files` on `conn` (a shadow database), in order.
/// Where DDL is transactional (PostgreSQL, SQLite) the whole schema goes in one
/// transaction, sent as one batch where the driver can (one commit, one round
/// trip); if that fails it is rolled back and the statements run one by one, so
/// the error names the statement that fails on its own (and a schema holding a
/// statement that cannot run inside a transaction still loads).
pub async fn load(
    conn: &mut dyn Connection,
    dialect: Dialect,
    files: &[PathBuf],
) -> Result<(), AutogenError> {
    let mut statements = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| AutogenError::SchemaMissing {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        statements.extend(
            crate::sql::split_statements(dialect, &text)
                .into_iter()
                .map(|statement| (file, statement)),
        );
    }
    let transactional =
        conn.sql().transactional_ddl() && !statements.iter().any(|(_, s)| s.controls_transaction());
    if transactional {
        let batch: Vec<String> = statements.iter().map(|(_, s)| s.sql.clone()).collect();
        match conn.begin_and_execute_batch(&batch).await {
            Ok(_) => {
                if conn.commit().await.is_ok() {
                    return Ok(());
                }
            }
            Err((None, _)) => {}
            Err((Some(_), _)) => {
                let _ = conn.rollback().await;
            }
        }
    }
    for (file, statement) in statements {
        if let Err(source) = conn.execute(&statement.sql).await {
            return Err(AutogenError::DesiredStatement {
                file: file.clone(),
                line: statement.line,
                statement: statement.sql,
                source: Box::new(source),
            });
        }
    }
    Ok(())
}
