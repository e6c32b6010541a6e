//! The project's Python: which interpreter runs the scripts aludel ships (the
//! SQLAlchemy model loader, the Alembic importer), and running one of them.
//!
//! The interpreter is, first found: the one configured (`[autogenerate] python`,
//! or a command-line option), `.venv/bin/python` or `venv/bin/python` in the
//! project folder, `python3` on the `PATH`. A shipped script is passed with `-c`
//! (nothing is written to disk), runs in the project folder, and sees the folder
//! and the extra `sys.path` entries through `PYTHONPATH` (before any the user set).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the interpreter came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonOrigin {
    /// Named by configuration or an option.
    Configured,
    /// A virtualenv in the project folder.
    ProjectVenv,
    /// `python3` on the `PATH`.
    Path,
}

/// An interpreter to run shipped scripts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Python {
    pub program: PathBuf,
    pub origin: PythonOrigin,
}

/// Why a script could not give its output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PythonError {
    /// No interpreter: `tried` lists what was looked for, in order.
    #[error("no Python found (looked for {})", .tried.join(", "))]
    NotFound { tried: Vec<String> },
    /// The interpreter could not be started.
    #[error("cannot start {}: {reason}", .program.display())]
    Start { program: PathBuf, reason: String },
    /// The script exited non-zero; `stderr` is what it printed there.
    #[error("{} exited with {status}", .program.display())]
    Failed {
        program: PathBuf,
        status: String,
        stdout: String,
        stderr: String,
    },
}

/// What a script printed, when it exited with status 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptOutput {
    pub stdout: String,
    pub stderr: String,
}

impl Python {
    /// The interpreter for a project in `project_dir`; `configured` (relative to
    /// `project_dir` unless absolute, or a bare command name looked up on the
    /// `PATH`) wins when given.
    pub fn find(project_dir: &Path, configured: Option<&str>) -> Result<Python, PythonError> {
        if let Some(name) = configured {
            let candidate = if name.contains('/') {
                Some(project_dir.join(name))
            } else {
                on_path(name)
            };
            return match candidate {
                Some(program) if program.is_file() => Ok(Python {
                    program,
                    origin: PythonOrigin::Configured,
                }),
                _ => Err(PythonError::NotFound {
                    tried: vec![name.to_string()],
                }),
            };
        }
        let mut tried = Vec::new();
        for venv in [".venv", "venv"] {
            let program = project_dir.join(venv).join("bin").join("python");
            if program.is_file() {
                return Ok(Python {
                    program,
                    origin: PythonOrigin::ProjectVenv,
                });
            }
            tried.push(program.display().to_string());
        }
        tried.push("python3 on the PATH".to_string());
        match on_path("python3") {
            Some(program) => Ok(Python {
                program,
                origin: PythonOrigin::Path,
            }),
            None => Err(PythonError::NotFound { tried }),
        }
    }

    /// Runs `source` (a whole script) with `args` as `sys.argv[1:]`, in `cwd`, with
    /// `cwd` and then `sys_path` (relative to `cwd` unless absolute) importable.
    /// `env` is added to the environment.
    pub fn run_script(
        &self,
        source: &str,
        args: &[String],
        cwd: &Path,
        sys_path: &[PathBuf],
        env: &[(String, String)],
    ) -> Result<ScriptOutput, PythonError> {
        let mut entries: Vec<PathBuf> = vec![cwd.to_path_buf()];
        entries.extend(sys_path.iter().map(|p| cwd.join(p)));
        if let Some(existing) = std::env::var_os("PYTHONPATH") {
            entries.extend(std::env::split_paths(&existing));
        }
        let pythonpath: OsString =
            std::env::join_paths(entries).map_err(|e| PythonError::Start {
                program: self.program.clone(),
                reason: format!("a sys.path entry cannot be passed on: {e}"),
            })?;
        let mut command = Command::new(&self.program);
        command
            .arg("-c")
            .arg(source)
            .args(args)
            .current_dir(cwd)
            .env("PYTHONPATH", pythonpath)
            // Output in UTF-8 whatever the locale; no .pyc files in the user's project.
            .env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.output().map_err(|e| PythonError::Start {
            program: self.program.clone(),
            reason: e.to_string(),
        })?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            return Err(PythonError::Failed {
                program: self.program.clone(),
                status: output.status.to_string(),
                stdout,
                stderr,
            });
        }
        Ok(ScriptOutput { stdout, stderr })
    }
}

/// The last `n` non-empty lines of `text` (a Python traceback's useful end).
pub fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_venv_comes_before_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("venv/bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("python"), "").unwrap();
        let found = Python::find(dir.path(), None).unwrap();
        assert_eq!(found.program, bin.join("python"));
        assert_eq!(found.origin, PythonOrigin::ProjectVenv);
        // `.venv` is looked at first.
        let dot = dir.path().join(".venv/bin");
        std::fs::create_dir_all(&dot).unwrap();
        std::fs::write(dot.join("python"), "").unwrap();
        assert_eq!(
            Python::find(dir.path(), None).unwrap().program,
            dot.join("python")
        );
    }

    #[test]
    fn a_configured_python_that_does_not_exist_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = Python::find(dir.path(), Some("env/bin/python")).unwrap_err();
        assert_eq!(e.to_string(), "no Python found (looked for env/bin/python)");
    }

    #[test]
    fn a_script_sees_its_arguments_the_project_folder_and_its_sys_path() {
        let Ok(python) = Python::find(Path::new("/nonexistent"), None) else {
            return; // no python3 on this machine: nothing to run
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/pkg")).unwrap();
        std::fs::write(dir.path().join("src/pkg/__init__.py"), "NAME = 'in src'\n").unwrap();
        std::fs::write(dir.path().join("top.py"), "NAME = 'at the top'\n").unwrap();
        let out = python
            .run_script(
                "import sys, top, pkg; print(sys.argv[1:], top.NAME, pkg.NAME)",
                &["a b".to_string(), "ü".to_string()],
                dir.path(),
                &[PathBuf::from("src")],
                &[],
            )
            .unwrap();
        assert_eq!(out.stdout, "['a b', 'ü'] at the top in src\n");
        let e = python
            .run_script("raise SystemExit('no')", &[], dir.path(), &[], &[])
            .unwrap_err();
        let PythonError::Failed { stderr, .. } = e else {
            panic!("a failing script is Failed: {e:?}");
        };
        assert_eq!(last_lines(&stderr, 1), "no");
    }
}
