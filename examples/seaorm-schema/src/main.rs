//! Prints the application's schema as DDL for one database:
//!
//! ```text
//! seaorm-schema postgresql|mysql|mariadb|sqlite
//! ```
//!
//! aludel runs it as the desired schema (`schema = "command:cargo run -q -- {dialect}"`
//! in aludel.toml) and writes the migrations that bring a database to it. The tables
//! are sea-query statements, the same DDL builder a SeaORM migration uses.

use sea_query::{
    ColumnDef, ForeignKey, ForeignKeyAction, Iden, Index, MysqlQueryBuilder, PostgresQueryBuilder,
    SchemaBuilder, SqliteQueryBuilder, Table,
};

#[derive(Iden)]
enum Author {
    Table,
    Id,
    Name,
    Email,
}

#[derive(Iden)]
enum Book {
    Table,
    Id,
    AuthorId,
    Title,
    Pages,
}

fn statements(builder: &dyn SchemaBuilder) -> Vec<String> {
    let author = Table::create()
        .table(Author::Table)
        .col(
            ColumnDef::new(Author::Id)
                .integer()
                .not_null()
                .primary_key(),
        )
        .col(ColumnDef::new(Author::Name).string_len(100).not_null())
        .col(
            ColumnDef::new(Author::Email)
                .string_len(255)
                .not_null()
                .unique_key(),
        )
        .build_any(builder);
    let book = Table::create()
        .table(Book::Table)
        .col(ColumnDef::new(Book::Id).integer().not_null().primary_key())
        .col(ColumnDef::new(Book::AuthorId).integer().not_null())
        .col(ColumnDef::new(Book::Title).string_len(200).not_null())
        .col(ColumnDef::new(Book::Pages).integer().not_null().default(0))
        .foreign_key(
            ForeignKey::create()
                .name("fk_book_author")
                .from(Book::Table, Book::AuthorId)
                .to(Author::Table, Author::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .build_any(builder);
    let by_author = Index::create()
        .name("ix_book_author_id")
        .table(Book::Table)
        .col(Book::AuthorId)
        .build_any(builder);
    vec![author, book, by_author]
}

fn main() {
    let dialect = std::env::args().nth(1).unwrap_or_default();
    let builder: &dyn SchemaBuilder = match dialect.as_str() {
        "postgresql" => &PostgresQueryBuilder,
        "mysql" | "mariadb" => &MysqlQueryBuilder,
        "sqlite" => &SqliteQueryBuilder,
        other => {
            eprintln!(
                "seaorm-schema: unknown dialect {other:?} (postgresql, mysql, mariadb, sqlite)"
            );
            std::process::exit(2);
        }
    };
    for statement in statements(builder) {
        println!("{statement};");
    }
}
