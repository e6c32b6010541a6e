//! The README's guides and the files it points to, run or compared exactly as
//! written: the seed-data guide's commands (read from README.md), the example
//! project `examples/shop` with the commands of `scripts/example.sh`, and the
//! container recipe (`Dockerfile`, `compose.yaml`) against CI's build command and the
//! Docker Compose guide.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The lines of the first fenced block of language `lang` after `marker` in `text`.
fn block_after(text: &str, marker: &str, lang: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"));
    let rest = &text[start..];
    let open = format!("```{lang}\n");
    let begin = rest.find(&open).expect("opening fence") + open.len();
    let end = rest[begin..].find("```").expect("closing fence");
    rest[begin..begin + end].to_string()
}

/// A shell whose `aludel` is the binary under test, in `dir`, with no
/// `DATABASE_URL` from the environment running the tests.
fn shell(dir: &Path, line: &str) -> Output {
    shell_with(dir, line, &[])
}

/// [`shell`] with variables set (`DATABASE_URL` among them, if given).
fn shell_with(dir: &Path, line: &str, env: &[(&str, &str)]) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_aludel"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("DATABASE_URL")
        .env_remove("ALUDEL_CONFIG")
        .envs(env.iter().copied())
        .output()
        .expect("run sh")
}

fn shell_ok(dir: &Path, line: &str) -> String {
    let out = shell(dir, line);
    assert!(
        out.status.success(),
        "`{line}` failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn files(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// The revision id in a revision file's header.
fn revision_id(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("-- Revision ID: "))
        .expect("Revision ID line")
        .trim()
        .to_string()
}

/// A header line's value, or "" when the file has none.
fn header(path: &Path, key: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let prefix = format!("-- {key}:");
    text.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Fills a new revision file's sections the way a user editing it would.
fn fill(path: &Path, upgrade: &str, downgrade: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .replace(
            "-- aludel:upgrade\n",
            &format!("-- aludel:upgrade\n{upgrade}\n"),
        )
        .replace(
            "-- aludel:downgrade\n",
            &format!("-- aludel:downgrade\n{downgrade}\n"),
        );
    std::fs::write(path, text).unwrap();
}

/// The first column of every row of a query on a SQLite file, sorted.
fn column(db: &Path, sql: &str) -> Vec<String> {
    let mut v: Vec<String> = support::sqlite_query(db, sql)
        .into_iter()
        .map(|r| r[0].clone().unwrap_or_default())
        .collect();
    v.sort();
    v
}

fn versions(db: &Path) -> Vec<String> {
    column(db, "SELECT version_num FROM aludel_version")
}

fn tables(db: &Path) -> Vec<String> {
    column(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'aludel_%'",
    )
}

fn sorted(v: &[&str]) -> Vec<String> {
    support::strings(v)
}

/// README "Seed data on its own branch": every line of its block, run in a new
/// project as written (the test fills each new file as the user would), must keep
/// the seed data off the schema line: `upgrade schema@head` applies no seed data,
/// `upgrade heads` applies it, the next schema revision does not stack on the seed,
/// and `upgrade head` stops with a hint that names both lines instead of a merge.
#[test]
fn seed_data_guide_runs_as_written() {
    let readme = read("README.md");
    let block = block_after(&readme, "**Seed data on its own branch.**", "bash");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    shell_ok(dir, "aludel init");
    let versions_dir = dir.join("migrations/versions");
    let db = dir.join("app.db");

    let mut ids: Vec<(String, PathBuf)> = Vec::new();
    let id_of = |ids: &[(String, PathBuf)], slug: &str| -> String {
        ids.iter()
            .find(|(s, _)| s == slug)
            .map(|(_, p)| revision_id(p))
            .unwrap_or_else(|| panic!("the guide wrote no '{slug}' revision"))
    };
    let mut ran = Vec::new();
    for line in block.lines() {
        let command = line.split('#').next().unwrap().trim();
        if command.is_empty() {
            continue;
        }
        let before = files(&versions_dir);
        shell_ok(dir, line);
        ran.push(command.to_string());
        for path in files(&versions_dir).difference(&before) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let slug = ["create_customers", "seed_demo_data", "add_orders"]
                .into_iter()
                .find(|s| name.ends_with(&format!("_{s}.sql")))
                .unwrap_or_else(|| panic!("unexpected new file {name}"));
            let (up, down) = match slug {
                "create_customers" => (
                    "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
                    "DROP TABLE customers;",
                ),
                "seed_demo_data" => (
                    "INSERT INTO customers (id, email) VALUES (1, 'ada@example.com');",
                    "DELETE FROM customers WHERE id = 1;",
                ),
                _ => (
                    "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL);",
                    "DROP TABLE orders;",
                ),
            };
            fill(path, up, down);
            ids.push((slug.to_string(), path.clone()));
        }

        match command {
            c if c.starts_with("aludel revision -m \"seed demo data\"") => {
                let (_, seed) = ids.iter().find(|(s, _)| s == "seed_demo_data").unwrap();
                assert_eq!(header(seed, "Revises"), "", "the seed is a root");
                assert_eq!(header(seed, "Branch Labels"), "seed");
                assert_eq!(
                    header(seed, "Depends On"),
                    id_of(&ids, "create_customers"),
                    "the seed depends on the schema head of its day"
                );
            }
            c if c.starts_with("aludel revision -m \"add orders\"") => {
                let (_, orders) = ids.iter().find(|(s, _)| s == "add_orders").unwrap();
                assert_eq!(
                    header(orders, "Revises"),
                    id_of(&ids, "create_customers"),
                    "schema work stays on the schema line"
                );
            }
            "aludel upgrade schema@head" => {
                assert_eq!(versions(&db), [id_of(&ids, "add_orders")]);
                assert_eq!(tables(&db), sorted(&["customers", "orders"]));
                assert!(
                    column(&db, "SELECT email FROM customers").is_empty(),
                    "no seed data"
                );
            }
            "aludel upgrade heads" => {
                let mut expected = vec![id_of(&ids, "add_orders"), id_of(&ids, "seed_demo_data")];
                expected.sort();
                assert_eq!(versions(&db), expected);
                assert_eq!(
                    column(&db, "SELECT email FROM customers"),
                    ["ada@example.com"]
                );
            }
            "aludel downgrade seed@base" => {
                assert_eq!(versions(&db), [id_of(&ids, "add_orders")]);
                assert_eq!(tables(&db), sorted(&["customers", "orders"]));
                assert!(column(&db, "SELECT email FROM customers").is_empty());
            }
            _ => {}
        }
    }
    assert_eq!(
        ran.iter()
            .filter(|c| c.starts_with("aludel upgrade") || c.starts_with("aludel downgrade"))
            .count(),
        3,
        "the guide's block changed: {ran:?}"
    );

    // Two heads on purpose: `upgrade head` and a plain `revision` name the labelled
    // lines rather than suggesting a merge.
    // Heads are listed in load order: by file name.
    let mut heads: Vec<(&PathBuf, &str)> = ids
        .iter()
        .filter(|(slug, _)| slug != "create_customers")
        .map(|(slug, path)| {
            (
                path,
                if slug == "add_orders" {
                    "schema"
                } else {
                    "seed"
                },
            )
        })
        .collect();
    heads.sort();
    let reason = heads
        .iter()
        .map(|(path, _)| revision_id(path))
        .collect::<Vec<_>>()
        .join(", ");
    let branches = heads
        .iter()
        .map(|(path, label)| format!("{label} ({})", revision_id(path)))
        .collect::<Vec<_>>()
        .join(", ");
    let (first, second) = (heads[0].1, heads[1].1);
    let out = shell(dir, "aludel upgrade head");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads\n  \
             reason: heads: {reason}\n  \
             hint: the heads are on separate labelled branches, {branches}: name all of them with 'heads', or one with '{first}@head' or '{second}@head'\n"
        )
    );
    let before = files(&versions_dir);
    let out = shell(dir, "aludel revision -m \"add status\"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.\n  \
             reason: heads: {reason}\n  \
             hint: the heads are on separate labelled branches, {branches}: choose one with --head {first}@head or --head {second}@head\n"
        )
    );
    assert_eq!(files(&versions_dir), before, "nothing written");
}

/// `examples/shop` with the aludel commands of `scripts/example.sh`, in order, on a
/// copy of the project: the schema first without the demo data, then the demo
/// data; `upgrade head` there names both labelled lines.
#[test]
fn shop_example_runs_the_commands_of_example_sh() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let shop = repo().join("examples/shop");
    std::fs::copy(shop.join("aludel.toml"), dir.join("aludel.toml")).unwrap();
    std::fs::create_dir_all(dir.join("migrations/versions")).unwrap();
    for file in files(&shop.join("migrations/versions")) {
        std::fs::copy(
            &file,
            dir.join("migrations/versions")
                .join(file.file_name().unwrap()),
        )
        .unwrap();
    }
    let db = dir.join("shop.db");

    let script = read("scripts/example.sh");
    let commands: Vec<&str> = script
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"$bin\" "))
        .collect();
    assert_eq!(
        commands,
        [
            "upgrade schema@head",
            "upgrade heads",
            "current",
            "history --indicate-current"
        ]
    );
    let mut outputs = Vec::new();
    for args in &commands {
        outputs.push(shell_ok(dir, &format!("aludel {args}")));
        match *args {
            "upgrade schema@head" => {
                assert_eq!(versions(&db), ["3c4d5e6f7081"]);
                assert_eq!(tables(&db), sorted(&["customers", "orders"]));
                assert!(column(&db, "SELECT email FROM customers").is_empty());
            }
            "upgrade heads" => {
                // The seed depends on the schema head: its row replaces that one.
                assert_eq!(versions(&db), ["4d5e6f708192"]);
                assert_eq!(
                    column(&db, "SELECT email FROM customers"),
                    ["ada@example.com", "grace@example.com"]
                );
                assert_eq!(column(&db, "SELECT status FROM orders"), ["paid"]);
            }
            _ => {}
        }
    }
    assert_eq!(
        outputs[2],
        "3c4d5e6f7081 (effective head)\n4d5e6f708192 (head)\n"
    );

    let out = shell(dir, "aludel upgrade head");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads\n  \
         reason: heads: 3c4d5e6f7081, 4d5e6f708192\n  \
         hint: the heads are on separate labelled branches, schema (3c4d5e6f7081), seed (4d5e6f708192): name all of them with 'heads', or one with 'schema@head' or 'seed@head'\n"
    );
}

/// The one release build command: the Dockerfile, CI (`scripts/test.sh`) and
/// `scripts/example.sh` run the same text, so CI compiles what the image ships;
/// example.sh shows cargo's progress (no `-q`) and says that it builds first; the
/// README installs with the lock file too.
#[test]
fn the_dockerfile_ci_and_example_build_with_one_command() {
    const BUILD: &str = "cargo build --release --locked -p aludel-cli";
    let builds = |path: &str| -> Vec<String> {
        read(path)
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && l.contains("cargo build"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(builds("Dockerfile"), [format!("RUN {BUILD}")]);
    assert_eq!(builds("scripts/test.sh"), [BUILD]);
    assert_eq!(builds("scripts/example.sh"), [BUILD]);
    let example = read("scripts/example.sh");
    let announce = example
        .find("echo \"Building aludel (release; the first build takes a few minutes")
        .expect("example.sh says that it builds first");
    assert!(announce < example.find(BUILD).unwrap());
    assert!(read("README.md").contains("\ncargo install --locked --path crates/aludel-cli "));

    // What the final image copies exists in the build context, and the context
    // keeps the sources and the lock file.
    let dockerfile = read("Dockerfile");
    let project = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("ARG PROJECT="))
        .expect("ARG PROJECT=<default>");
    for line in dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY ${PROJECT}/"))
    {
        let source = line.split_whitespace().nth(1).unwrap();
        let path = source.replace("${PROJECT}", project);
        assert!(repo().join(&path).exists(), "{line}: {path} is missing");
    }
    let ignored = read(".dockerignore");
    for kept in ["Cargo.lock", "crates", "Cargo.toml", "examples"] {
        assert!(
            !ignored.lines().any(|l| l.trim_end_matches('/') == kept),
            "{kept} must reach the build"
        );
    }
    assert!(ignored.lines().any(|l| l == "target/"));
}

/// README "Docker Compose" shows `compose.yaml` as it is, and that file builds the
/// image it names from the repository's Dockerfile.
#[test]
fn the_compose_guide_is_the_compose_file() {
    let readme = read("README.md");
    let compose = read("compose.yaml");
    assert_eq!(block_after(&readme, "**Docker Compose.**", "yaml"), compose);
    assert!(compose.contains("\n    build: .  "), "{compose}");
    assert!(compose.contains("\n    image: aludel-shop-migrations\n"));
    assert!(repo().join("Dockerfile").is_file());
}

/// Copies `from` (a folder of the repository) to `to`, without what running it
/// leaves behind (databases, revision files, virtualenvs, bytecode).
fn copy_example(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if matches!(name.as_str(), ".venv" | "__pycache__" | "app.db")
            || name.ends_with(".sql") && path.parent().unwrap().ends_with("versions")
        {
            continue;
        }
        let target = to.join(&name);
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_example(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// examples/fastapi: the README's daily loop, line by line as written, on SQLite
/// (the example's own URL) and on PostgreSQL and MariaDB (`DATABASE_URL`), with
/// the project's `.venv/bin/python` standing for the tests' Python. A user row
/// put in after the first upgrade keeps its name through the rename; at the end
/// `check` is clean, the database equals `create_all()` of the edited models, and
/// Alembic's own comparison finds nothing left.
#[test]
fn fastapi_example_daily_loop_runs_as_written() {
    use support::models;
    let Some(python) = models::python() else {
        return;
    };
    let readme = read("examples/fastapi/README.md");
    let block = block_after(&readme, "## The daily loop", "sh");
    let mut databases = vec![None];
    for server in [
        aludel_testdb::Server::Postgres,
        aludel_testdb::Server::MySql,
    ] {
        databases.extend(support::Db::server(server).map(Some));
    }
    for db in databases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        copy_example(&repo().join("examples/fastapi"), path);
        std::fs::create_dir_all(path.join(".venv/bin")).unwrap();
        std::fs::write(
            path.join(".venv/bin/python"),
            format!(
                "#!/bin/sh\nexec {:?} \"$@\"\n",
                python.display().to_string()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            path.join(".venv/bin/python"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        let sqlite = support::Db::Sqlite {
            _dir: tempfile::tempdir().unwrap(),
            path: path.join("app.db"),
        };
        let db = db.unwrap_or(sqlite);
        let url = db.url();
        let env = [("DATABASE_URL", url.as_str())];
        let mut last = String::new();
        for (n, line) in block.lines().filter(|l| !l.trim().is_empty()).enumerate() {
            let out = shell_with(path, line, &env);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "[{}] `{line}`:\n{text}", db.dialect());
            if n == 1 {
                // After the first upgrade: a user whose name must survive the rename.
                db.execute(
                    "INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada')",
                );
            }
            last = text;
        }
        assert_eq!(last.trim(), "No new upgrade operations detected.");
        let written: Vec<PathBuf> = files(&path.join("migrations/versions"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        assert_eq!(written.len(), 2, "two revisions: {written:?}");
        assert_eq!(
            db.query("SELECT full_name, role FROM users"),
            [[Some("Ada".to_string()), Some("member".to_string())]]
        );
        let fresh = match &db {
            support::Db::Sqlite { .. } => support::Db::sqlite(),
            support::Db::Server(t) => support::Db::server(t.server()).unwrap(),
        };
        models::create_all(&python, path, "app.models:Base", &fresh);
        assert_eq!(
            models::in_comparable_order(&db, support::roundtrip::schema_of(&db)),
            models::in_comparable_order(&db, support::roundtrip::schema_of(&fresh)),
            "[{}] equals create_all()",
            db.dialect()
        );
        assert_eq!(
            models::alembic_differences(&python, path, "app.models:Base", &db),
            Vec::<String>::new()
        );
    }
}
