//! Fuzzes the statement splitter: any UTF-8 text, every dialect. It must not panic,
//! every statement must be non-empty text found in the input, and every line must be
//! a line of the input.
#![no_main]

use aludel::config::Dialect;
use aludel::sql::split_statements;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let lines = 1 + text.matches('\n').count();
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        for statement in split_statements(dialect, text) {
            assert!(!statement.sql.is_empty());
            assert!(text.contains(&statement.sql));
            assert!(statement.line >= 1 && statement.line <= lines);
        }
    }
});
