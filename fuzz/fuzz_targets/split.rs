//! Splits arbitrary UTF-8 for every dialect: no panic, and every statement is
//! non-empty, trimmed, part of the input, and starts on a line the input has.

#![no_main]

use aludel::config::Dialect;
use aludel::sql::split_statements;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.matches('\n').count() + 1;
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let mut previous = 0;
        for statement in split_statements(dialect, text) {
            assert!(
                (1..=lines).contains(&statement.line),
                "{dialect}: line {} of {lines}",
                statement.line
            );
            assert!(statement.line >= previous, "{dialect}: lines go back");
            previous = statement.line;
            assert!(!statement.sql.is_empty(), "{dialect}: empty statement");
            assert_eq!(statement.sql, statement.sql.trim(), "{dialect}: untrimmed");
            assert!(
                text.contains(&statement.sql),
                "{dialect}: text not in input"
            );
        }
    }
});
