//! What a command shows on stderr while it runs: its steps, what it waits for (the
//! database server under `--wait`, the migration lock held by another process), and
//! a one-line summary at the end of a run.
//!
//! - On a terminal: `[n/N 1.2s] Running upgrade a -> b, doc ...`, and while a step
//!   or a wait lasts, its elapsed seconds redrawn once a second at the end of the
//!   line (a small thread rewrites the line with `\r`); the line ends with `done in
//!   0.12s`, `acquired after 2.1s`, or `failed after 0.3s` when an error follows (so
//!   the error starts on a line of its own). A run ends with `Done: 3 upgrade steps
//!   in 1.24s; the database is at 3f2a9c1b7d4e` (or `Nothing to do: …`).
//! - Piped: plain lines only, as Alembic logs them (`Running upgrade a -> b, doc`),
//!   one line when a wait starts (again when the server's error changes) and one
//!   when it is over; no `\r`, no ticker, no summary.
//! - `-q` and `--format json` show nothing here.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use aludel::dialect::humanize;
use aludel::runtime::{Events, PreparedStep, RunReport, Wait};

/// The progress display of one command. Clones share it (the connection is made
/// on another thread than the run).
#[derive(Clone)]
pub struct Progress {
    shared: Arc<Shared>,
}

struct Shared {
    terminal: bool,
    quiet: bool,
    /// When the command started (the run's elapsed time and the summary's).
    started: Instant,
    line: Mutex<Line>,
    ticker: Mutex<Ticker>,
}

/// The thread that redraws the elapsed time.
enum Ticker {
    NotStarted,
    /// Dropping the sender stops it.
    Running {
        _stop: Sender<()>,
    },
    Stopped,
}

/// What stderr shows now.
#[derive(Default)]
struct Line {
    /// The unfinished line on a terminal.
    open: Option<OpenLine>,
    /// The wait under way, and its last text shown (piped output repeats a wait
    /// only when the text changes).
    waiting: Option<(WaitKind, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WaitKind {
    Server,
    Lock,
}

struct OpenLine {
    text: String,
    since: Instant,
    /// The whole seconds last drawn after the text.
    shown_secs: u64,
    step: bool,
}

impl OpenLine {
    fn new(text: String, step: bool) -> Self {
        OpenLine {
            text,
            since: Instant::now(),
            shown_secs: 0,
            step,
        }
    }

    /// Redraws the line with `suffix` after its text.
    fn draw(&self, err: &mut impl Write, suffix: &str) {
        let _ = write!(err, "\r{} ...{suffix}\x1b[K", self.text);
        let _ = err.flush();
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

fn describe(step: &PreparedStep) -> String {
    if step.doc.is_empty() {
        format!("Running {}", step.short_log)
    } else {
        format!("Running {}, {}", step.short_log, step.doc)
    }
}

/// The words of a wait: on a terminal (one line, redrawn) and piped.
fn wait_text(wait: &Wait) -> (WaitKind, String) {
    match wait {
        Wait::Server {
            target,
            last_error,
            limit,
        } => (
            WaitKind::Server,
            format!(
                "Waiting for the database at {target} to answer (up to {}): {last_error}",
                humanize(*limit)
            ),
        ),
        Wait::Lock { holder, limit } => (
            WaitKind::Lock,
            format!(
                "Waiting for the migration lock, held by {} (up to {}, lock_timeout)",
                holder
                    .as_deref()
                    .unwrap_or("a connection the database does not name"),
                humanize(*limit)
            ),
        ),
    }
}

impl Progress {
    /// `terminal`: stderr is one; `quiet`: show nothing.
    pub fn new(terminal: bool, quiet: bool) -> Progress {
        Progress {
            shared: Arc::new(Shared {
                terminal,
                quiet,
                started: Instant::now(),
                line: Mutex::new(Line::default()),
                ticker: Mutex::new(Ticker::NotStarted),
            }),
        }
    }

    /// Starts the thread that redraws the elapsed time (once: with the first line
    /// that can last, so commands that show none start no thread).
    fn start_ticker(&self) {
        let mut ticker = self.shared.ticker.lock().unwrap_or_else(|e| e.into_inner());
        if !matches!(*ticker, Ticker::NotStarted) {
            return;
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let ticking = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(Duration::from_millis(200))
                {
                    ticking.tick();
                }
            });
        *ticker = match spawned {
            Ok(_) => Ticker::Running { _stop: stop },
            Err(_) => Ticker::Stopped,
        };
    }

    fn shows(&self) -> bool {
        !self.shared.quiet
    }

    fn line(&self) -> MutexGuard<'_, Line> {
        self.shared.line()
    }

    /// Ends the unfinished line, if any, before an error is printed, and stops the
    /// ticker.
    pub fn finish(&self) {
        *self.shared.ticker.lock().unwrap_or_else(|e| e.into_inner()) = Ticker::Stopped;
        let mut line = self.line();
        if let Some(open) = line.open.take() {
            let verb = if open.step { "failed" } else { "stopped" };
            let mut err = std::io::stderr().lock();
            open.draw(
                &mut err,
                &format!(" {verb} after {}", secs(open.since.elapsed())),
            );
            let _ = writeln!(err);
        }
    }

    /// The one-line summary of a run, on a terminal.
    pub fn summary(&self, report: &RunReport) {
        if !self.shows() || !self.shared.terminal {
            return;
        }
        let at = if report.final_rows.is_empty() {
            "base (no revision applied)".to_string()
        } else {
            report.final_rows.join(", ")
        };
        let line = if report.steps.is_empty() {
            format!("Nothing to do: the database is at {at}")
        } else {
            let n = report.steps.len();
            let kind = report.steps[0].kind;
            let kind = if report.steps.iter().all(|s| s.kind == kind) {
                format!("{} ", kind.name())
            } else {
                String::new()
            };
            let plural = if n == 1 { "" } else { "s" };
            format!(
                "Done: {n} {kind}step{plural} in {}; the database is at {at}",
                secs(self.shared.started.elapsed())
            )
        };
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

impl Shared {
    fn line(&self) -> MutexGuard<'_, Line> {
        self.line.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Redraws the open line with its elapsed seconds when they changed.
    fn tick(&self) {
        let mut line = self.line();
        let Some(open) = line.open.as_mut() else {
            return;
        };
        let elapsed = open.since.elapsed().as_secs();
        if elapsed >= 1 && elapsed != open.shown_secs {
            open.shown_secs = elapsed;
            open.draw(&mut std::io::stderr().lock(), &format!(" {elapsed}s"));
        }
    }
}

impl Events for Progress {
    fn step_started(&mut self, n: usize, total: usize, step: &PreparedStep) {
        if !self.shows() {
            return;
        }
        let mut err = std::io::stderr().lock();
        if self.shared.terminal {
            let text = format!(
                "[{n}/{total} {:.1}s] {}",
                self.shared.started.elapsed().as_secs_f64(),
                describe(step)
            );
            let _ = write!(err, "{text} ...");
            let _ = err.flush();
            self.line().open = Some(OpenLine::new(text, true));
            self.start_ticker();
        } else {
            let _ = writeln!(err, "{}", describe(step));
        }
    }

    fn step_finished(&mut self, _n: usize, _total: usize, _step: &PreparedStep, took: Duration) {
        if !self.shows() {
            return;
        }
        if let Some(open) = self.line().open.take() {
            let mut err = std::io::stderr().lock();
            open.draw(&mut err, &format!(" done in {}", secs(took)));
            let _ = writeln!(err);
        }
    }

    fn step_resumed(&mut self, step: &PreparedStep, skipped: usize) {
        if !self.shows() {
            return;
        }
        let mut line = self.line();
        let mut err = std::io::stderr().lock();
        if line.open.is_some() {
            let _ = writeln!(err);
        }
        let _ = writeln!(
            err,
            "Resuming {} after statement {skipped} of {} (they ran in an earlier run that stopped)",
            step.short_log,
            step.statements.len()
        );
        // The step goes on: its line again, below.
        if let Some(open) = line.open.as_mut() {
            let _ = write!(err, "{} ...", open.text);
            let _ = err.flush();
            open.shown_secs = 0;
        }
    }

    fn waiting(&mut self, wait: &Wait) {
        if !self.shows() {
            return;
        }
        let (kind, text) = wait_text(wait);
        let mut line = self.line();
        if line
            .waiting
            .as_ref()
            .is_some_and(|(k, shown)| *k == kind && *shown == text)
        {
            return;
        }
        let mut err = std::io::stderr().lock();
        if self.shared.terminal {
            match line.open.as_mut().filter(|open| !open.step) {
                // The same wait with news: the same line, redrawn.
                Some(open) => {
                    open.text = text.clone();
                    open.draw(&mut err, "");
                }
                None => {
                    let _ = write!(err, "{text} ...");
                    let _ = err.flush();
                    line.open = Some(OpenLine::new(text.clone(), false));
                    self.start_ticker();
                }
            }
        } else {
            let _ = writeln!(err, "{text}");
        }
        line.waiting = Some((kind, text));
    }

    fn wait_over(&mut self, waited: Duration) {
        if !self.shows() {
            return;
        }
        let mut line = self.line();
        let Some((kind, _)) = line.waiting.take() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        let took = secs(waited);
        match line.open.take() {
            Some(open) => {
                let verb = match kind {
                    WaitKind::Server => "answered",
                    WaitKind::Lock => "acquired",
                };
                open.draw(&mut err, &format!(" {verb} after {took}"));
                let _ = writeln!(err);
            }
            None => {
                let _ = match kind {
                    WaitKind::Server => writeln!(err, "The database answered after {took}"),
                    WaitKind::Lock => writeln!(err, "Acquired the migration lock after {took}"),
                };
            }
        }
    }
}
