//! `command:CMD` sources: a shell command (run as `[hooks]` are, in the folder of
//! aludel.toml) whose standard output is the desired schema's DDL. `{dialect}`
//! (postgresql, mysql, mariadb, sqlite) and the database's placeholders (`{url}`
//! without its password, `{database}`, `{user}`, `{host}`, `{port}`) are available;
//! the password is only in the clients' variables (`PGPASSWORD`, `MYSQL_PWD`).

use super::{DesiredStatement, Sources, StatementOrigin};
use crate::autogen::AutogenError;
use crate::command::shell::{database_values, ShellValue};
use crate::config::SchemaSource;
use crate::python::last_lines;

/// Lines of a failed command's standard error shown.
const STDERR_LINES: usize = 10;

pub(super) fn statements(
    sources: &Sources,
    source: &SchemaSource,
    line: &str,
) -> Result<Vec<DesiredStatement>, AutogenError> {
    let source_name = sources.shell.mask(&source.to_string());
    let mut values = database_values(&sources.url);
    values.push(ShellValue::env(
        "{dialect}",
        "ALUDEL_DIALECT",
        sources.dialect_name,
    ));
    let output =
        sources
            .shell
            .run(line, &values)
            .map_err(|e| AutogenError::SchemaCommandFailed {
                source_name: source_name.clone(),
                status: format!("could not start: {e}"),
                stderr: String::new(),
            })?;
    if !output.status.success() {
        return Err(AutogenError::SchemaCommandFailed {
            source_name,
            status: output.status.to_string(),
            stderr: last_lines(&output.stderr, STDERR_LINES),
        });
    }
    let statements: Vec<DesiredStatement> =
        crate::sql::split_statements(sources.dialect, &output.stdout)
            .into_iter()
            .map(|statement| DesiredStatement {
                origin: StatementOrigin::CommandOutput {
                    source_name: source_name.clone(),
                    line: statement.line,
                },
                statement,
            })
            .collect();
    if statements.is_empty() {
        return Err(AutogenError::SchemaCommandEmpty { source_name });
    }
    Ok(statements)
}
