//! `import-alembic`: reads and renders the Alembic project through the library,
//! then shows what it wrote (or why it wrote nothing) and what to do next.

use std::path::PathBuf;

use aludel::alembic_import::{read_alembic_project, write_import, ImportOptions, ImportPlan};
use aludel::config::{Environment, URL_ENV_VAR};
use aludel::error::Result;
use serde_json::{json, Value};

use crate::args::{Cli, ImportAlembicArgs, ImportDialect};
use crate::render::Out;

pub(crate) fn run(cli: &Cli, args: &ImportAlembicArgs, out: &Out, cwd: PathBuf) -> Result<()> {
    let url = match &cli.url {
        Some(url) => Some(url.clone()),
        None => Environment::from_process(&cwd)?
            .get(URL_ENV_VAR)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
    };
    let dialect = args.dialect.map(|d| {
        match d {
            ImportDialect::Postgresql => "postgresql",
            ImportDialect::Mysql => "mysql",
            ImportDialect::Mariadb => "mariadb",
            ImportDialect::Sqlite => "sqlite",
        }
        .to_string()
    });
    let plan = read_alembic_project(&ImportOptions {
        ini: args.ini.clone(),
        dialect,
        url,
        python: args.python.clone(),
        x_args: cli.x.clone(),
        cwd,
    })?;
    out.json(|| document(&plan));
    write_import(&plan, args.allow_unrendered)?;

    for file in &plan.files {
        out.text(&format!("Generating {} ...  done", file.path.display()));
    }
    out.text(&format!(
        "Generating {} ...  done",
        plan.config_path.display()
    ));
    for u in &plan.unrendered {
        let place = match u.line {
            Some(line) => format!("{}:{line}", u.source.display()),
            None => u.source.display().to_string(),
        };
        out.text(&format!(
            "warning: {} {}() at {place} cannot be rendered as SQL offline ({}): its section refuses to run until a person writes its SQL",
            u.revision, u.function, u.reason
        ));
    }
    for note in &plan.notes {
        out.text(&format!("note: {note}"));
    }
    out.text(&format!(
        "Imported {} from {} with SQL for {}.",
        match plan.files.len() {
            1 => "1 revision".to_string(),
            n => format!("{n} revisions"),
        },
        plan.ini.display(),
        plan.dialect
    ));
    out.text(
        "Next: 'aludel heads' shows the heads 'alembic heads' shows; 'aludel current' and \
         'aludel upgrade head' continue a database Alembic migrated (version_table = \"alembic_version\").",
    );
    out.json(|| {
        let mut doc = document(&plan);
        doc["written"] = json!(true);
        doc
    });
    Ok(())
}

/// The JSON document (docs/json-output.md); `written` is false until the files are.
fn document(plan: &ImportPlan) -> Value {
    json!({
        "written": false,
        "config": plan.config_path.display().to_string(),
        "script_location": plan.script_location.display().to_string(),
        "dialect": plan.dialect,
        "revisions": plan.files.iter().map(|f| json!({
            "revision": f.revision,
            "path": f.path.display().to_string(),
            "source": f.source.display().to_string(),
        })).collect::<Vec<_>>(),
        "unrendered": plan.unrendered.iter().map(|u| json!({
            "revision": u.revision,
            "function": u.function,
            "source": u.source.display().to_string(),
            "line": u.line,
            "reason": u.reason,
        })).collect::<Vec<_>>(),
        "notes": plan.notes,
    })
}
