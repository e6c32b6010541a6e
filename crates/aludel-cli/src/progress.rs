//! Progress of a migration run on stderr: on a terminal, `[n/N elapsed] Running upgrade
//! a -> b, doc` with the step's time when it ends; piped, one plain line per step, as
//! Alembic logs it (`Running upgrade a -> b, doc`). Quiet prints nothing.

use std::io::Write;
use std::time::Duration;

use aludel::runtime::{Events, PreparedStep};

pub struct Progress {
    pub terminal: bool,
    pub quiet: bool,
    /// When the first step started (for the elapsed time on a terminal).
    pub started: Option<std::time::Instant>,
}

fn describe(step: &PreparedStep) -> String {
    if step.doc.is_empty() {
        format!("Running {}", step.short_log)
    } else {
        format!("Running {}, {}", step.short_log, step.doc)
    }
}

impl Events for Progress {
    fn step_started(&mut self, n: usize, total: usize, step: &PreparedStep) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let elapsed = self
                .started
                .get_or_insert_with(std::time::Instant::now)
                .elapsed();
            let _ = write!(
                err,
                "[{n}/{total} {:.1}s] {} ...",
                elapsed.as_secs_f64(),
                describe(step)
            );
            let _ = err.flush();
        } else {
            let _ = writeln!(err, "{}", describe(step));
        }
    }

    fn step_finished(&mut self, _n: usize, _total: usize, _step: &PreparedStep, took: Duration) {
        if self.quiet || !self.terminal {
            return;
        }
        let _ = writeln!(std::io::stderr(), " done in {:.2}s", took.as_secs_f64());
    }

    fn step_resumed(&mut self, step: &PreparedStep, skipped: usize) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = writeln!(err);
        }
        let _ = writeln!(
            err,
            "Resuming {} after statement {skipped} of {} (they ran in an earlier run that stopped)",
            step.short_log,
            step.statements.len()
        );
    }
}
