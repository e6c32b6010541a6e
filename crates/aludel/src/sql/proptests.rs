//! Property tests of the splitter: generated statements (strings, identifiers and
//! comments holding `;` and quotes, dollar-quoted and trigger bodies) joined with `;`
//! and random blanks and comments come back exactly, with their lines; arbitrary text
//! never panics and loses no statement text.

use proptest::prelude::*;

use super::split_statements;
use crate::config::Dialect;

fn atom(dialect: Dialect) -> BoxedStrategy<String> {
    let mut options: Vec<BoxedStrategy<String>> = vec![
        "[a-z][a-z0-9_]{0,6}".prop_map(|s| s).boxed(),
        "[0-9]{1,4}".prop_map(|s| s).boxed(),
        "[a-z ;'\n]{0,8}"
            .prop_map(|s| format!("'{}'", s.replace('\'', "''")))
            .boxed(),
        "[a-z ;\n]{0,8}".prop_map(|s| format!("/* {s} */")).boxed(),
        Just("(1, 2)".to_string()).boxed(),
    ];
    match dialect {
        Dialect::Postgres => {
            options.push(
                "[a-z ;'\n]{0,10}"
                    .prop_map(|s| format!("$$ {s} $$"))
                    .boxed(),
            );
            options.push("[a-z ;\n]{0,8}".prop_map(|s| format!("\"{s}\"")).boxed());
        }
        Dialect::MySql => {
            options.push("[a-z ;\n]{0,8}".prop_map(|s| format!("`{s}`")).boxed());
        }
        Dialect::Sqlite => {
            options.push("[a-z ;\n]{0,8}".prop_map(|s| format!("\"{s}\"")).boxed());
        }
    }
    prop::strategy::Union::new(options).boxed()
}

fn statement(dialect: Dialect) -> BoxedStrategy<String> {
    let body = prop::collection::vec(atom(dialect), 0..5).prop_map(|atoms| atoms.join(" "));
    prop_oneof![
        body.clone().prop_map(|b| format!("SELECT {b}")),
        body.prop_map(|b| format!("INSERT INTO t VALUES {b}")),
        "[a-z]{1,5}".prop_map(|n| format!(
            "CREATE TRIGGER {n} AFTER INSERT ON t BEGIN\n  INSERT INTO l VALUES (1);\n  DELETE FROM x;\nEND"
        )),
    ]
    .boxed()
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(";\n".to_string()),
        Just(";".to_string()),
        Just(";\n\n-- note; with 'quote\n".to_string()),
        Just("; /* c; */\n".to_string()),
    ]
}

fn check(dialect: Dialect, stmts: Vec<String>, seps: Vec<String>) -> Result<(), TestCaseError> {
    let mut text = String::new();
    let mut expected = Vec::new();
    for (i, s) in stmts.iter().enumerate() {
        let line = 1 + text.matches('\n').count();
        expected.push((s.trim().to_string(), line));
        text.push_str(s);
        text.push_str(&seps[i % seps.len()]);
    }
    let got: Vec<(String, usize)> = split_statements(dialect, &text)
        .into_iter()
        .map(|s| (s.sql, s.line))
        .collect();
    prop_assert_eq!(got, expected, "text: {:?}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_statements_come_back_postgres(
        stmts in prop::collection::vec(statement(Dialect::Postgres), 1..6),
        seps in prop::collection::vec(separator(), 1..4),
    ) {
        check(Dialect::Postgres, stmts, seps)?;
    }

    #[test]
    fn generated_statements_come_back_mysql(
        stmts in prop::collection::vec(statement(Dialect::MySql), 1..6),
        seps in prop::collection::vec(separator(), 1..4),
    ) {
        check(Dialect::MySql, stmts, seps)?;
    }

    #[test]
    fn generated_statements_come_back_sqlite(
        stmts in prop::collection::vec(statement(Dialect::Sqlite), 1..6),
        seps in prop::collection::vec(separator(), 1..4),
    ) {
        check(Dialect::Sqlite, stmts, seps)?;
    }

    #[test]
    fn arbitrary_text_never_panics_or_loses_text(text in "[a-zA-Z0-9 ;'\"`$()\n*/#-]{0,200}") {
        for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            let stmts = split_statements(dialect, &text);
            let lines = 1 + text.matches('\n').count();
            for s in &stmts {
                prop_assert!(s.line >= 1 && s.line <= lines);
                prop_assert!(!s.sql.is_empty());
                prop_assert!(text.contains(&s.sql), "{:?} not in {:?}", s.sql, text);
            }
        }
    }
}
