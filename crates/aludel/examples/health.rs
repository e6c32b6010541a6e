//! What an application does with aludel at start-up: upgrade its database to head,
//! then expose where the database stands the way a health endpoint would.
//!
//! ```text
//! cargo run -p aludel --example health -- examples/shop            # upgrade, print health
//! cargo run -p aludel --example health -- examples/shop --serve 127.0.0.1:8080
//! curl http://127.0.0.1:8080/health
//! ```
//!
//! The project folder holds `aludel.toml`; the database URL comes from it, or from
//! `DATABASE_URL`.

use std::io::{Read, Write};
use std::net::TcpListener;

use aludel::command::{self, MigrateOptions};
use aludel::project::Project;
use aludel::runtime::{Events, PreparedStep};

/// Logs each step as the application starts (an app would use `tracing`).
struct StartupLog;

impl Events for StartupLog {
    fn step_started(&mut self, n: usize, total: usize, step: &PreparedStep) {
        eprintln!("migrating [{n}/{total}] {}", step.short_log);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| ".".to_string());
    let serve = match (args.next().as_deref(), args.next()) {
        (Some("--serve"), Some(addr)) => Some(addr),
        _ => None,
    };

    let project = Project::from_dir(&dir)?;
    let mut conn = command::connect(&project, None).await?;

    // 1. At start-up: bring the database to head (takes the migration lock, so several
    //    replicas starting together apply each migration once).
    let report = command::upgrade(
        conn.as_mut(),
        &project,
        "heads",
        &MigrateOptions::default(),
        &mut StartupLog,
    )
    .await?;
    eprintln!("applied {} migration(s)", report.steps.len());

    // 2. Health: current vs expected revisions.
    let status = command::status(conn.as_mut(), &project).await?;
    let body = serde_json::to_string_pretty(&status)?;
    conn.close().await;

    match serve {
        None => println!("{body}"),
        Some(addr) => {
            let listener = TcpListener::bind(&addr)?;
            eprintln!("serving GET /health on http://{addr}");
            for stream in listener.incoming() {
                let mut stream = stream?;
                let mut request = [0u8; 1024];
                let n = stream.read(&mut request)?;
                let ok = String::from_utf8_lossy(&request[..n]).starts_with("GET /health");
                let (code, text) = if ok {
                    ("200 OK", body.as_str())
                } else {
                    ("404 Not Found", "")
                };
                write!(
                    stream,
                    "HTTP/1.1 {code}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
                    text.len()
                )?;
            }
        }
    }
    Ok(())
}
