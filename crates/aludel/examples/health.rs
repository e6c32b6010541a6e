//! What an application does with aludel: at start-up, upgrade its database to its
//! heads; then answer a health check that reads the database on every request (where
//! it stands against the revisions the application ships), not a snapshot taken at
//! start-up.
//!
//! ```text
//! cargo run -p aludel --example health                    # examples/shop: upgrade, print health
//! cargo run -p aludel --example health -- PROJECT_DIR --serve 127.0.0.1:8080
//! curl -i http://127.0.0.1:8080/health                    # 200 when at its heads, else 503
//! ```
//!
//! The project folder holds `aludel.toml` (default: this repository's `examples/shop`,
//! found from the crate's folder, whatever the working directory). The example works
//! in that folder, as an application works in its own, so a relative SQLite path such
//! as `examples/shop`'s `shop.db` is created next to `aludel.toml`. The URL comes from
//! `aludel.toml`, or from `DATABASE_URL`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use aludel::command::{self, MigrateOptions};
use aludel::dialect::Access;
use aludel::project::Project;
use aludel::runtime::{Events, NoEvents, PreparedStep};
use tokio::runtime::Runtime;

/// Logs each step as the application starts (an app would use `tracing`).
struct StartupLog;

impl Events for StartupLog {
    fn step_started(&mut self, n: usize, total: usize, step: &PreparedStep) {
        eprintln!("migrating [{n}/{total}] {}", step.short_log);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map_or_else(default_project, PathBuf::from);
    let serve = match (args.next().as_deref(), args.next()) {
        (Some("--serve"), Some(addr)) => Some(addr),
        _ => None,
    };

    std::env::set_current_dir(&dir)
        .map_err(|e| format!("cannot work in the project folder {}: {e}", dir.display()))?;
    let project = Project::from_dir(".")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    // 1. At start-up: bring the database to its heads (takes the migration lock, so
    //    several replicas starting together apply each migration once).
    let applied = runtime.block_on(upgrade_at_startup(&project))?;
    eprintln!("applied {applied} migration(s)");

    // 2. Health: current vs expected revisions, read from the database each time.
    match serve {
        None => println!("{}", runtime.block_on(health(&project)).1),
        Some(addr) => {
            let listener = TcpListener::bind(&addr)?;
            eprintln!("serving GET /health on http://{addr}");
            serve_health(&listener, &project, &runtime)?;
        }
    }
    Ok(())
}

/// `examples/shop` of this repository, wherever the example is run from.
fn default_project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop")
}

/// Upgrades to `heads`; returns how many steps ran.
async fn upgrade_at_startup(project: &Project) -> aludel::Result<usize> {
    let mut conn = command::connect(project, None).await?;
    let report = command::upgrade(
        conn.as_mut(),
        project,
        "heads",
        &MigrateOptions::default(),
        &mut StartupLog,
    )
    .await;
    conn.close().await;
    Ok(report?.steps.len())
}

/// Reads where the database stands now: 200 and the status when it is at the
/// project's heads, 503 when it is behind (the status says what is pending) or
/// cannot be read (the body says why). An application would take a connection from
/// its pool (`aludel::dialect::from_pool`) instead of connecting each time.
async fn health(project: &Project) -> (u16, String) {
    let status = async {
        let mut conn =
            command::connect_with_config(&project.config, None, Access::Read, &mut NoEvents)
                .await?;
        let status = command::status(conn.as_mut(), project).await;
        conn.close().await;
        status
    }
    .await;
    match status {
        Ok(status) => (
            if status.up_to_date { 200 } else { 503 },
            serde_json::to_string_pretty(&status).unwrap_or_default(),
        ),
        Err(e) => (
            503,
            serde_json::json!({ "error": e.to_string() }).to_string(),
        ),
    }
}

/// Answers `GET /health` on every connection, reading the database for each one.
fn serve_health(
    listener: &TcpListener,
    project: &Project,
    runtime: &Runtime,
) -> std::io::Result<()> {
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut request = [0u8; 1024];
        let n = stream.read(&mut request)?;
        let (code, body) = if request[..n].starts_with(b"GET /health") {
            runtime.block_on(health(project))
        } else {
            (404, String::new())
        };
        let reason = match code {
            200 => "OK",
            404 => "Not Found",
            _ => "Service Unavailable",
        };
        write!(
            stream,
            "HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aludel::runtime::NoEvents;
    use std::net::{SocketAddr, TcpStream};

    /// `GET /health`: the status code and the body.
    fn get(addr: SocketAddr) -> (u16, serde_json::Value) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nhost: test\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let code = response[9..12].parse().unwrap();
        let body = response.split("\r\n\r\n").nth(1).unwrap();
        (code, serde_json::from_str(body).unwrap())
    }

    #[test]
    fn the_default_project_is_found_from_the_crate_not_the_working_directory() {
        let dir = default_project();
        assert!(dir.is_absolute(), "{}", dir.display());
        assert!(dir.join("aludel.toml").is_file(), "{}", dir.display());
    }

    /// The served status follows the database: a downgrade made after start-up by
    /// someone else shows in the next answer, and so does the upgrade that fixes it.
    #[test]
    fn health_reads_the_database_on_every_request() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("app.db");
        std::fs::write(
            tmp.path().join("aludel.toml"),
            format!(
                "[aludel]\nscript_location = \"migrations\"\ndatabase_url = \"sqlite:///{}\"\n",
                db.display()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(tmp.path().join("migrations/versions")).unwrap();
        std::fs::write(
            tmp.path().join("migrations/versions/a1.sql"),
            "-- a1\n--\n-- Revision ID: a1\n-- Revises:\n\n-- aludel:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- aludel:downgrade\nDROP TABLE t;\n",
        )
        .unwrap();
        let project = Project::from_dir(tmp.path()).unwrap();
        let server_runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert_eq!(
            server_runtime
                .block_on(upgrade_at_startup(&project))
                .unwrap(),
            1
        );

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let served = Project::from_dir(tmp.path()).unwrap();
        std::thread::spawn(move || serve_health(&listener, &served, &server_runtime));

        let (code, body) = get(addr);
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["up_to_date"], true);
        assert_eq!(body["current"], serde_json::json!(["a1"]));

        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut conn = command::connect(&project, None).await.unwrap();
            command::downgrade(
                conn.as_mut(),
                &project,
                "base",
                &MigrateOptions::default(),
                &mut NoEvents,
            )
            .await
            .unwrap();
            conn.close().await;
        });
        let (code, body) = get(addr);
        assert_eq!(code, 503, "{body}");
        assert_eq!(body["up_to_date"], false);
        assert_eq!(body["current"], serde_json::json!([]));
        assert_eq!(body["pending"], serde_json::json!(["a1"]));

        assert_eq!(runtime.block_on(upgrade_at_startup(&project)).unwrap(), 1);
        let (code, body) = get(addr);
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["current"], serde_json::json!(["a1"]));
    }
}
