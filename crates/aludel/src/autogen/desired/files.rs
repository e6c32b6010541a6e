//! SQL file sources of the desired schema: a `.sql` file or a folder of them
//! (every `.sql` file below it, sorted by path), read into statements that carry
//! their file and line.

use std::path::{Path, PathBuf};

use super::{DesiredStatement, StatementOrigin};
use crate::autogen::AutogenError;
use crate::config::Dialect;

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

/// The statements of `files`, in order, split by the same splitter as revision
/// files.
pub fn sql_file_statements(
    files: &[PathBuf],
    dialect: Dialect,
) -> Result<Vec<DesiredStatement>, AutogenError> {
    let mut statements = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| AutogenError::SchemaMissing {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        statements.extend(
            crate::sql::split_statements(dialect, &text)
                .into_iter()
                .map(|statement| DesiredStatement {
                    origin: StatementOrigin::File {
                        path: file.clone(),
                        line: statement.line,
                    },
                    statement,
                }),
        );
    }
    Ok(statements)
}
