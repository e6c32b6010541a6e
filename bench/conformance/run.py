#!/usr/bin/env python3
"""Conformance run: real Alembic against aludel on the same revision graphs.

For every graph (the fixed cases of graphs.py, then seeded random DAGs) this writes
an Alembic project and an aludel project with the same revisions, runs the same
commands in both and compares what they print:

  heads, heads -v, heads --resolve-dependencies, branches (-v), history (-v),
  history -r X:Y, show X, and the order of `-- Running upgrade/downgrade` lines
  (plus the version-table statements of each step) of `upgrade T --sql` and
  `downgrade A:B --sql`.

Only what must differ is normalised: the project paths (and the `.py`/`.sql`
extension in `Path:` lines) and the error channel (Alembic prints
`FAILED: <text>` on stdout and exits 255; aludel prints `error: <text>` plus
`reason:`/`hint:` lines on stderr and exits 1; only the text is compared).

Alembic runs in this process through its own `CommandLine` (the code path of the
`alembic` program; `--verify-cli` checks that against the real program), with
PYTHONHASHSEED fixed. When a difference shows up, Alembic is run again as a real
program under other hash seeds: output that changes with the seed comes from
Python set order (ALEMBIC.md §10 #13) and is reported as such.

Each distinct difference is shrunk to a small graph and written with its
reproduction to DIFFERENCES.md.

Usage: bench/conformance/run.py [--random N] [--seed S] [--aludel PATH]
       [--only NAME] [--no-shrink] [--verify-cli] [--keep] [--out FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
VENV_PY = os.path.join(BENCH, ".venv", "bin", "python")
VENV_ALEMBIC = os.path.join(BENCH, ".venv", "bin", "alembic")


def _bootstrap() -> None:
    """Re-executes under the bench virtualenv with a fixed hash seed and no .pyc
    files (revision files are rewritten in place while shrinking)."""
    want = os.environ.get("PYTHONHASHSEED") == "0" and os.environ.get("PYTHONDONTWRITEBYTECODE")
    try:
        import alembic  # noqa: F401
        have = True
    except ImportError:
        have = False
    if have and want:
        return
    py = sys.executable if have else VENV_PY
    if not os.path.exists(py):
        sys.exit(
            f"alembic is not importable and {VENV_PY} does not exist; create it with\n"
            f"  python3 -m venv bench/.venv && bench/.venv/bin/pip install alembic sqlalchemy psycopg2-binary"
        )
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    os.execve(py, [py, os.path.abspath(__file__), *sys.argv[1:]], env)


_bootstrap()
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)

import alembic  # noqa: E402
import sqlalchemy  # noqa: E402
from alembic.config import CommandLine, Config  # noqa: E402

from graphs import Graph, describe, fixed_graphs, random_graph, write_projects  # noqa: E402

HASH_SEEDS = ["1", "2", "3", "4", "5", "6", "7", "8"]

# --------------------------------------------------------------------------
# Running the two tools


class Outcome:
    """What a command did, reduced to what is compared."""

    def __init__(self, kind: str, text: str, raw: str = ""):
        self.kind = kind  # ok | error | crash | usage
        self.text = text
        self.raw = raw

    def key(self):
        return (self.kind, self.text)

    def show(self, offline: bool = False) -> str:
        if self.kind == "ok" and offline:
            steps = offline_steps(self.text)[1]
            return "\n".join(steps) if steps else "(no steps)"
        if self.kind == "ok":
            return self.text if self.text else "(no output)"
        return f"[{self.kind}] {self.text}"


_CL = None


class Utf8Buffer(io.StringIO):
    """A captured stream that says it is UTF-8, as a pipe or terminal is here
    (Alembic encodes its output to the stream's encoding, `ascii` when unknown)."""

    encoding = "utf-8"


def run_alembic(project: str, argv: list[str]) -> tuple[int, str, str]:
    """Alembic's command line in this process: (rc, stdout, stderr)."""
    global _CL
    if _CL is None:
        _CL = CommandLine(prog="alembic")
    out, err = Utf8Buffer(), Utf8Buffer()
    cwd = os.getcwd()
    os.chdir(project)
    rc = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("always")
            try:
                options = _CL.parser.parse_args(["-c", "alembic.ini", *argv])
                toml, ini = _CL._inis_from_config(options)
                cfg = Config(file_=ini, toml_file=toml, ini_section=options.name, cmd_opts=options, stdout=out)
                _CL.run_cmd(cfg, options)
            except SystemExit as e:
                code = e.code
                rc = 0 if code is None else (code & 0xFF if isinstance(code, int) else 1)
            except BaseException:  # what the program would print as a traceback
                traceback.print_exc()
                rc = 1
    finally:
        os.chdir(cwd)
    return rc, out.getvalue(), err.getvalue()


def run_alembic_cli(project: str, argv: list[str], seed: str = "0") -> tuple[int, str, str]:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONDONTWRITEBYTECODE="1", COLUMNS="500")
    p = subprocess.run([VENV_ALEMBIC, "-c", "alembic.ini", *argv], cwd=project, env=env,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def run_aludel(aludel: str, project: str, argv: list[str]) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ALUDEL_CONFIG")}
    p = subprocess.run([aludel, *argv], cwd=project, env=env, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def normalise_paths(s: str, project: str) -> str:
    for p in {os.path.realpath(project), project}:
        s = s.replace(p, "<project>")
    return re.sub(r"<project>/migrations/versions/([^\s/]+)\.(?:py|sql)\b", r"<versions>/\1", s)


def alembic_outcome(rc: int, out: str, err: str, project: str) -> Outcome:
    out = normalise_paths(out, project)
    err = normalise_paths(err, project)
    if rc == 0:
        return Outcome("ok", out, err)
    if rc == 255:
        before, _, failed = out.rpartition("FAILED: ")
        return Outcome("error", (before + failed).strip(), out + err)
    if rc == 2:
        return Outcome("usage", "", err)
    lines = [l for l in err.strip().splitlines() if l.strip()]
    where = [m.group(1) for m in re.finditer(r'^  File ".*", line \d+, in (\S+)$', err, re.M)]
    text = (lines[-1] if lines else f"rc {rc}") + (f" (in {where[-1]})" if where else "")
    return Outcome("crash", text, out + err)


def aludel_outcome(rc: int, out: str, err: str, project: str) -> Outcome:
    out = normalise_paths(out, project)
    err = normalise_paths(err, project)
    if rc == 0:
        return Outcome("ok", out, err)
    if rc == 1 and err.startswith("error: "):
        lines = err.splitlines()
        text = [lines[0][len("error: "):]]
        for l in lines[1:]:
            if l.startswith(" ") or l.startswith("\t"):
                break  # reason: / hint: lines
            text.append(l)
        return Outcome("error", (out + "\n".join(text)).strip(), err)
    if rc == 2:
        return Outcome("usage", "", err)
    return Outcome("crash", err.strip().splitlines()[-1] if err.strip() else f"rc {rc}", out + err)


# --------------------------------------------------------------------------
# Offline output: the steps and their version-table statements

RUNNING = re.compile(r"^-- Running (upgrade|downgrade|stamp_revision) (.*)$")
VT = r'(?:"?\w+"?\.)?"?alembic_version"?'
INSERT = re.compile(rf"^INSERT INTO {VT}\s*\(\s*\"?version_num\"?\s*\)\s*VALUES\s*\('([^']*)'\)", re.I)
UPDATE = re.compile(rf"^UPDATE {VT} SET \"?version_num\"?\s*=\s*'([^']*)' WHERE .*?=\s*'([^']*)'", re.I)
DELETE = re.compile(rf"^DELETE FROM {VT} WHERE .*?=\s*'([^']*)'", re.I)


def offline_steps(text: str) -> tuple[list[str], list[str]]:
    """(the `-- Running …` lines in order, the steps each with its row changes)."""
    running, steps = [], []
    cur = "(before the first step)"
    for line in text.splitlines():
        line = line.rstrip()
        m = RUNNING.match(line)
        if m:
            running.append(line)
            cur = line
            steps.append(line)
            continue
        for pat, fmt in ((INSERT, "  INSERT {0}"), (UPDATE, "  UPDATE {1} -> {0}"), (DELETE, "  DELETE {0}")):
            mm = pat.match(line.strip())
            if mm:
                if not steps or steps[-1] != cur and not steps[-1].startswith("  "):
                    pass
                steps.append(fmt.format(*mm.groups()))
    return running, steps


def canonical_sets(text: str) -> str:
    """The text with the lists that Alembic builds from Python sets put in sorted
    order: labels (and dependencies) in parentheses, `Branch names:`,
    `Branches into:`, `Also depends on:`, and the child lines of a `branches`
    block. `Merges:` and `Revises` lists come from tuples and are left alone."""

    def sort_list(m):
        items = m.group(1).split(", ")
        return "(" + ", ".join(sorted(items)) + ")"

    out, block = [], []

    def flush():
        out.extend(sorted(block))
        block.clear()

    for line in text.split("\n"):
        if re.match(r"^ +-> ", line):
            block.append(re.sub(r"\(([^()]+, [^()]+)\)", sort_list, line))
            continue
        flush()
        m = re.match(r"^(Branch names|Branches into|Also depends on): (.*)$", line)
        if m:
            line = f"{m.group(1)}: " + ", ".join(sorted(m.group(2).split(", ")))
        else:
            line = re.sub(r"\(([^()]+, [^()]+)\)", sort_list, line)
        out.append(line)
    flush()
    return "\n".join(out)


def compare(verb: str, a: Outcome, b: Outcome) -> tuple[bool, str]:
    """(same?, what differs). For --sql, steps are compared, not the SQL text."""
    if a.kind != b.kind:
        return False, "outcome"
    if verb.endswith("--sql") and a.kind == "ok":
        ra, sa = offline_steps(a.text)
        rb, sb = offline_steps(b.text)
        if ra != rb:
            return False, "step order"
        if sa != sb:
            return False, "version rows"
        return True, ""
    if a.kind == "usage":
        return True, ""
    if a.text != b.text:
        if a.kind == "ok" and canonical_sets(a.text) == canonical_sets(b.text):
            return False, "set order"
        return False, "text"
    return True, ""


# --------------------------------------------------------------------------
# Commands for a graph


def identifier(g: Graph, rnd: random.Random) -> str:
    ids = [r.id for r in g.revs]
    labels = [l for r in g.revs for l in r.labels]
    rid = rnd.choice(ids)
    lab = rnd.choice(labels) if labels else None
    forms = [
        (6, lambda: rid),
        (2, lambda: rid[: rnd.randint(1, max(1, len(rid) - 1))]),
        (2, lambda: lab or rid),
        (1, lambda: "head"), (1, lambda: "heads"), (1, lambda: "base"),
        (1, lambda: f"{lab}@head" if lab else "head"),
        (1, lambda: f"{lab}@heads" if lab else "heads"),
        (1, lambda: f"{lab}@base" if lab else "base"),
        (1, lambda: f"{rid}@{rnd.choice(ids)}"),
        (1, lambda: f"{lab}@{rid}" if lab else rid),
        (1, lambda: f"{rid}+{rnd.randint(1, 2)}"),
        (1, lambda: f"{rid}-{rnd.randint(1, 2)}"),
        (1, lambda: f"{rnd.choice('+-')}{rnd.randint(1, 2)}"),
        (1, lambda: "head-1"),
        (1, lambda: f"{lab}@{rnd.choice('+-')}1" if lab else "+1"),
        (1, lambda: f"{lab}@head-1" if lab else "head-1"),
    ]
    total = sum(w for w, _ in forms)
    x = rnd.uniform(0, total)
    for w, f in forms:
        x -= w
        if x <= 0:
            return f()
    return rid


def positional(*items: str) -> list[str]:
    """Positionals, with `--` first when one starts with `-` (both parsers)."""
    return ["--", *items] if any(i.startswith("-") for i in items) else list(items)


def history_range(r: str) -> list[str]:
    return ["history", f"--rev-range={r}"] if r.startswith("-") else ["history", "-r", r]


def commands_for(g: Graph, seed: int) -> list[list[str]]:
    rnd = random.Random(f"{g.name}/{seed}")
    if g.only_extra:
        return [list(c) for c in g.extra]
    cmds = [["heads"], ["heads", "-v"], ["heads", "--resolve-dependencies"], ["branches"], ["branches", "-v"],
            ["history"], ["history", "-v"]]
    cmds += [history_range(r) for r in (":", "base:", ":heads", "base:head")]
    for _ in range(6):
        a = identifier(g, rnd) if rnd.random() < 0.85 else ""
        b = identifier(g, rnd) if rnd.random() < 0.85 else ""
        cmds.append(history_range(f"{a}:{b}"))
    for r in g.revs[:2]:
        cmds.append(history_range(f"{r.id}:"))
    for _ in range(6):
        cmds.append(["show", *positional(identifier(g, rnd))])
    cmds.append(["upgrade", "--sql", "heads"])
    cmds.append(["upgrade", "--sql", "head"])
    for _ in range(4):
        cmds.append(["upgrade", "--sql", *positional(identifier(g, rnd))])
    for _ in range(2):
        cmds.append(["upgrade", "--sql", *positional(f"{identifier(g, rnd)}:{identifier(g, rnd)}")])
    cmds.append(["downgrade", "--sql", "heads:base"])
    for _ in range(4):
        cmds.append(["downgrade", "--sql", *positional(f"{identifier(g, rnd)}:{identifier(g, rnd)}")])
    cmds += [list(c) for c in g.extra]
    out, seen = [], set()
    for c in cmds:
        if tuple(c) not in seen:
            seen.add(tuple(c))
            out.append(c)
    return out


def verb_of(argv: list[str]) -> str:
    v = argv[0]
    flags = [a.split("=")[0] for a in argv[1:] if a.startswith("-") and a != "--" and not re.match(r"^-\d", a)]
    if argv[0] == "history" and any(a.startswith("--rev-range") for a in argv):
        flags = ["-r" if f == "--rev-range" else f for f in flags]
    return " ".join([v, *sorted(set(flags))])


# --------------------------------------------------------------------------
# One graph


class Runner:
    def __init__(self, aludel: str, work: str, offline: bool, cli: bool = False):
        self.aludel = aludel
        self.work = work
        self.offline = offline
        self.cli = cli
        self.n = 0

    def projects(self, g: Graph) -> tuple[str, str]:
        self.n += 1
        root = os.path.join(self.work, f"{self.n:05d}_{g.name}")
        return write_projects(g, root)

    def both(self, al: str, ad: str, argv: list[str]) -> tuple[Outcome, Outcome]:
        if self.cli:
            ra = run_alembic_cli(al, argv)
        else:
            ra = run_alembic(al, argv)
        rb = run_aludel(self.aludel, ad, argv)
        return alembic_outcome(*ra, al), aludel_outcome(*rb, ad)

    def check(self, g: Graph, argv: list[str]) -> tuple[bool, str, Outcome, Outcome]:
        al, ad = self.projects(g)
        try:
            a, b = self.both(al, ad, argv)
        finally:
            shutil.rmtree(os.path.dirname(al), ignore_errors=True)
        same, what = compare(verb_of(argv), a, b)
        return same, what, a, b


def is_offline(argv: list[str]) -> bool:
    return "--sql" in argv


# --------------------------------------------------------------------------
# Differences: signature, expected classification, shrinking


def template(text: str, g: Graph) -> str:
    names = sorted({r.id for r in g.revs} | {l for r in g.revs for l in r.labels}, key=len, reverse=True)
    if not names:
        return text
    pat = re.compile(r"(?<![\w<])(" + "|".join(re.escape(n) for n in names) + r")(?![\w>])")
    return pat.sub("<R>", text)


def first_diff(a: str, b: str) -> tuple[str, str]:
    la, lb = a.splitlines(), b.splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "(end)"
        y = lb[i] if i < len(lb) else "(end)"
        if x != y:
            return x, y
    return "", ""


def signature(g: Graph, argv: list[str], what: str, a: Outcome, b: Outcome) -> tuple:
    verb = verb_of(argv)
    if a.kind == "crash":
        # One crash, whatever the command (a map that cannot be built fails them all).
        return ("alembic-crash", re.sub(r"'[^']*'", "'…'", template(a.text, g)), b.kind)
    if a.kind != b.kind:
        return ("outcome", verb, a.kind, b.kind, template(a.text, g)[:80], template(b.text, g)[:80])
    if a.kind == "error":
        return ("error-text", verb, template(a.text, g), template(b.text, g))
    if what in ("step order", "version rows"):
        return ("offline", verb, what)
    if what == "set order":
        x, _ = first_diff(a.text, b.text)
        field = ("child lines of a branch point" if re.match(r"^ +-> ", x)
                 else x.split(":")[0] if re.match(r"^(Branch names|Branches into|Also depends on):", x)
                 else "labels in parentheses")
        return ("set-order", verb, field)
    x, y = first_diff(a.text, b.text)
    return ("output", verb, re.sub(r"<R>(, <R>)+", "<R>…", template(x, g)),
            re.sub(r"<R>(, <R>)+", "<R>…", template(y, g)))


# Known causes, to group the differences in the report: (title, predicate). The
# first that matches names the cause; the rest are "other".
def _start(argv: list[str]) -> str | None:
    """The start of the command's range, None when it has no range."""
    rng = [a for a in argv if ":" in a and not a.startswith("--rev-range=")] or \
          [a.split("=", 1)[1] for a in argv if a.startswith("--rev-range=")]
    return rng[-1].split(":")[0] if rng else None


CAUSES = [
    ("Offline start that names several revisions: Alembic refuses it, aludel starts from all of them",
     lambda argv, a, b: is_offline(argv) and a.kind == "error"
     and f"given argument '{_start(argv)}'" in a.text and "Multiple head" in a.text),
    ("Offline start that is relative (`-N`, `label@-N`): Alembic cannot locate it, aludel walks",
     lambda argv, a, b: is_offline(argv) and a.kind == "error"
     and re.fullmatch(r"(\w+@)?-\d+", _start(argv) or "") is not None
     and f"identified by '{_start(argv).split('@')[-1]}'" in a.text),
    ("`history -r -N:` (range starting with `-`): argparse rejects it, aludel accepts it",
     lambda argv, a, b: argv[:2] == ["history", "-r"] and argv[2].startswith("-") and a.kind == "usage"),
    ("`upgrade --sql` with a target that walks to or past the base (`root-1`, `label@head-N`): "
     "Alembic crashes, aludel treats it as base (nothing to run)",
     lambda argv, a, b: a.kind == "crash" and is_offline(argv) and "is_revision" in a.text and b.kind == "ok"),
    ("Several errors in one command: the two tools report a different one first",
     lambda argv, a, b: a.kind == "error" and b.kind == "error"),
    ("`upgrade :REV --sql` (empty start) — §10 #5",
     lambda argv, a, b: a.kind == "crash" and is_offline(argv) and _start(argv) == ""),
    ("Relative identifier that walks past a head or the base (`rev+N`, `rev-N`, `label@head-N`, "
     "`show -- -N`) — §10 #18",
     lambda argv, a, b: a.kind == "crash" and ("is_revision" in a.text or "(in show)" in a.text)),
    ("`REV@X` where REV has no branch label, as the start of a range — §10 #18",
     lambda argv, a, b: a.kind == "crash" and "_collect_upgrade_revisions" in a.text),
    ("`label@base` as the start of an offline range",
     lambda argv, a, b: a.kind == "crash" and "'NoneType' object has no attribute 'revision'" in a.text),
    ("A `Depends On` that is not a revision id or label (a partial id): Alembic's map cannot be built "
     "(KeyError), aludel names the missing revision — §10 #14",
     lambda argv, a, b: a.kind == "crash" and a.text.startswith("KeyError") and "listcomp" in a.text),
    ("A dependency that is an ancestor of another parent or dependency: Alembic's version-table "
     "bookkeeping fails (KeyError) — §10 #18",
     lambda argv, a, b: a.kind == "crash" and ("_delete_version" in a.text or "_update_version" in a.text)),
    ("`downgrade label@-N` with zero or several current heads on the label — §10 #18",
     lambda argv, a, b: a.kind == "crash" and "_parse_downgrade_target" in a.text),
    ("`history -r REV:` where REV is only reached as a dependency (an effective head or one of its "
     "ancestors): Alembic's topological sort asserts",
     lambda argv, a, b: a.kind == "crash" and "_topological_sort" in a.text),
]


def cause_of(argv: list[str], a: Outcome, b: Outcome) -> str:
    for title, pred in CAUSES:
        try:
            if pred(argv, a, b):
                return title
        except (IndexError, ValueError):
            pass
    return "Other"


def seed_variants(g: Graph, argv: list[str], runner: Runner) -> list[Outcome]:
    """Alembic's outcome as a real program under hash seed 0 and other seeds."""
    al, _ = runner.projects(g)
    try:
        return [alembic_outcome(*run_alembic_cli(al, argv, s), al) for s in ["0", *HASH_SEEDS]]
    finally:
        shutil.rmtree(os.path.dirname(al), ignore_errors=True)


def pinned(g: Graph, argv: list[str]) -> set[str]:
    """Revisions the command names (by id, prefix or label): never removed."""
    words = set(re.split(r"[:@+\-\s=]+", " ".join(argv)))
    keep = set()
    for r in g.revs:
        if any(w and (r.id.startswith(w) or w in r.labels) for w in words if len(w) >= 1 and w not in (
                "heads", "head", "base", "history", "show", "upgrade", "downgrade", "branches", "--sql", "-r", "-v",
                "--resolve-dependencies", "--rev-range", "sql", "rev", "range", "resolve", "dependencies", "r", "v")):
            keep.add(r.id)
    return keep


def without_rev(g: Graph, rid: str) -> Graph | None:
    h = g.copy()
    gone = next(r for r in h.revs if r.id == rid)
    h.revs = [r for r in h.revs if r.id != rid]
    names = {rid, *gone.labels}
    for r in h.revs:
        if rid in r.down:
            i = r.down.index(rid)
            new = r.down[:i] + [d for d in gone.down if d not in r.down] + r.down[i + 1:]
            r.down = list(dict.fromkeys(new))
        r.depends = [d for d in r.depends if d not in names and not rid.startswith(d)]
    return h


def shrink_steps(g: Graph, argv: list[str]):
    keep = pinned(g, argv)
    for r in reversed(g.revs):
        if r.id not in keep:
            yield f"drop {r.id}", without_rev(g, r.id)
    for i, r in enumerate(g.revs):
        for d in r.depends:
            h = g.copy()
            h.revs[i].depends.remove(d)
            yield f"drop dependency {r.id}->{d}", h
        for lab in r.labels:
            if lab in " ".join(argv) or any(lab in x.depends for x in g.revs):
                continue
            h = g.copy()
            h.revs[i].labels.remove(lab)
            yield f"drop label {lab}", h
        if len(r.down) > 1:
            for d in r.down:
                h = g.copy()
                h.revs[i].down.remove(d)
                yield f"drop parent {r.id}->{d}", h
        if r.message != "m" and "\n" not in r.message:
            h = g.copy()
            h.revs[i].message = "m"
            yield "plain message", h
    if any(r.order is not None for r in g.revs):
        h = g.copy()
        for r in h.revs:
            r.order = None
        yield "creation order", h


def shrink(g: Graph, argv: list[str], sig: tuple, runner: Runner, budget: int = 400) -> Graph:
    """Greedy: apply any simplification that keeps the same signature."""
    tries = 0
    progress = True
    while progress and tries < budget:
        progress = False
        for _, h in shrink_steps(g, argv):
            if h is None or not h.revs:
                continue
            tries += 1
            same, what, a, b = runner.check(h, argv)
            if not same and signature(h, argv, what, a, b) == sig:
                g = h
                progress = True
                break
            if tries >= budget:
                break
    return g


# --------------------------------------------------------------------------
# Main


def find_aludel(arg: str | None) -> str:
    if arg:
        return os.path.abspath(arg)
    for d in (os.environ.get("CARGO_TARGET_DIR"), os.path.join(REPO, "target")):
        if d and os.path.exists(os.path.join(d, "release", "aludel")):
            return os.path.join(d, "release", "aludel")
    sys.exit("aludel binary not found: build it (cargo build --release -p aludel-cli) or pass --aludel")


def supports_sql(aludel: str) -> bool:
    for cmd in ("upgrade", "downgrade"):
        p = subprocess.run([aludel, cmd, "--help"], capture_output=True, text=True)
        if p.returncode != 0 or "--sql" not in p.stdout:
            return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--random", type=int, default=300, help="number of random graphs (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="first seed of the random graphs")
    ap.add_argument("--aludel", help="aludel binary (default: $CARGO_TARGET_DIR/release/aludel)")
    ap.add_argument("--only", help="run only the graphs whose name contains this")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--verify-cli", action="store_true",
                    help="run Alembic as a real program for every command (slow); checks the in-process runner")
    ap.add_argument("--keep", action="store_true", help="keep the generated projects")
    ap.add_argument("--out", default=os.path.join(HERE, "DIFFERENCES.md"))
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report from the last run's results (bench/work/conformance.pickle)")
    args = ap.parse_args()

    aludel = find_aludel(args.aludel)
    cache = os.path.join(BENCH, "work", "conformance.pickle")
    if args.report_only:
        with open(cache, "rb") as f:
            saved = pickle.load(f)
        write_report(args.out, saved["summary"], saved["notes"], saved["distinct"], aludel,
                     saved["seconds"], saved["args"])
        print(saved["summary"])
        return 0
    offline = supports_sql(aludel)
    graphs = fixed_graphs() + [random_graph(s) for s in range(args.seed, args.seed + args.random)]
    if args.only:
        graphs = [g for g in graphs if args.only in g.name]

    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="aludel-conformance-", dir=base)
    runner = Runner(aludel, work, offline, cli=args.verify_cli)

    started = time.time()
    n_graphs = n_cmds = n_skipped = 0
    diffs = []  # (graph, argv, what, a, b, sig)
    for g in graphs:
        n_graphs += 1
        al, ad = runner.projects(g)
        for argv in commands_for(g, args.seed):
            if is_offline(argv) and not offline:
                n_skipped += 1
                continue
            n_cmds += 1
            a, b = runner.both(al, ad, argv)
            same, what = compare(verb_of(argv), a, b)
            if not same:
                diffs.append((g, argv, what, a, b, signature(g, argv, what, a, b)))
        if not args.keep:
            shutil.rmtree(os.path.dirname(al), ignore_errors=True)
        if not args.quiet and n_graphs % 25 == 0:
            print(f"  {n_graphs} graphs, {n_cmds} commands, {len(diffs)} differences "
                  f"({time.time() - started:.0f} s)", file=sys.stderr)

    # Group by signature; classify; shrink the first instance of each.
    groups: dict[tuple, list] = {}
    for d in diffs:
        groups.setdefault(d[5], []).append(d)
    distinct = []
    for sig, items in groups.items():
        g, argv, what, a, b, _ = min(items, key=lambda d: (len(d[0].revs), len(" ".join(d[1]))))
        if what == "set order":
            distinct.append(dict(sig=sig, graph=g, argv=argv, what=what, a=a, b=b, count=len(items), shrunk=False,
                                 cls="set order: equal once Alembic's set-built lists are sorted (§10 #13)",
                                 graphs=sorted({d[0].name for d in items})))
            continue
        variants = seed_variants(g, argv, runner)
        keys = {v.key() for v in variants}
        if len(keys) > 1:
            cls = "Alembic's output varies between runs (Python set order, §10 #13)"
            if any(compare(verb_of(argv), v, b)[0] for v in variants):
                cls += "; aludel's output is one of Alembic's"
            elif any(compare(verb_of(argv), v, b)[1] == "set order" for v in variants):
                cls += "; aludel's output is one of Alembic's up to the order of set-built lists"
            else:
                cls += f"; aludel's output is none of Alembic's {len(variants)} runs"
        elif a.kind == "crash":
            cls = ("Alembic crashes (traceback); aludel "
                   + ("reports an error" if b.kind == "error" else "answers" if b.kind == "ok" else f"[{b.kind}]"))
        else:
            cls = "difference"
            if variants[0].key() != a.key():
                print(f"warning: in-process Alembic differs from the program on {g.name}: {argv}", file=sys.stderr)
        shrunk = False
        if not args.no_shrink and "varies" not in cls:
            g2 = shrink(g, argv, sig, runner)
            if len(g2.revs) < len(g.revs) or g2 != g:
                g, shrunk = g2, True
                same, what, a, b = runner.check(g, argv)
        distinct.append(dict(sig=sig, graph=g, argv=argv, what=what, a=a, b=b, cls=cls, count=len(items), shrunk=shrunk,
                             graphs=sorted({d[0].name for d in items})))

    # Run-to-run variation in Alembic is one cause per command: one entry per
    # (class, command) with the smallest graph.
    merged: dict[tuple, dict] = {}
    for d in distinct:
        if "varies" in d["cls"]:
            key = ("varies", d["cls"], verb_of(d["argv"]))
            d["sig"] = ("varies", verb_of(d["argv"]))
        else:
            key = d["sig"]
        if key in merged:
            m = merged[key]
            m["count"] += d["count"]
            m["graphs"] = sorted(set(m["graphs"]) | set(d["graphs"]))
            if len(d["graph"].revs) < len(m["graph"].revs):
                d.update(count=m["count"], graphs=m["graphs"])
                merged[key] = d
        else:
            merged[key] = d
    distinct = list(merged.values())

    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

    summary = f"{n_graphs} graphs, {n_cmds} commands, {len(diffs)} differences ({len(distinct)} distinct)"
    notes = []
    if not offline:
        notes.append(f"{n_skipped} offline comparisons (`upgrade --sql`, `downgrade --sql`) skipped: "
                     f"this aludel has no `--sql` yet (`aludel upgrade --help`).")
    seconds = time.time() - started
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "wb") as f:
        pickle.dump(dict(summary=summary, notes=notes, distinct=distinct, seconds=seconds, args=args), f)
    write_report(args.out, summary, notes, distinct, aludel, seconds, args)
    print(summary)
    for n in notes:
        print("note: " + n)
    for i, d in enumerate(distinct, 1):
        print(f"  {i}. [{d['cls']}] {' '.join(d['sig'][:2])}: {d['count']} occurrence(s)")
    print(f"report: {os.path.relpath(args.out)}")
    return 0


def fence(text: str) -> str:
    return "```\n" + text.rstrip("\n") + "\n```"


def write_report(path, summary, notes, distinct, aludel, seconds, args) -> None:
    ver = subprocess.run([aludel, "--version"], capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    lines = [
        "# Conformance: aludel against real Alembic",
        "",
        "Written by `bench/conformance/run.py` (do not edit by hand; re-run it).",
        "",
        f"- **{summary}**",
        f"- Alembic {alembic.__version__}, SQLAlchemy {sqlalchemy.__version__}, Python "
        f"{sys.version.split()[0]}; {ver} at commit {head}",
        f"- Run: `bench/conformance/run.py --random {args.random} --seed {args.seed}` "
        f"({seconds:.0f} s). Graphs: the fixed cases in `graphs.py` and random DAGs "
        f"(seeds {args.seed}..{args.seed + args.random - 1}).",
        "- Compared: stdout of successful commands; for errors, Alembic's `FAILED:` text against "
        "aludel's `error:` text (the `reason:` line is aludel's addition); for `--sql`, the order "
        "of `-- Running …` lines and each step's version-table INSERT/UPDATE/DELETE. "
        "Normalised: project paths and the file extension in `Path:` lines.",
    ]
    for n in notes:
        lines.append(f"- {n}")
    lines += [""]
    for d in distinct:
        if d["cls"] == "difference" or d["cls"].startswith("Alembic crashes"):
            d["cause"] = cause_of(d["argv"], d["a"], d["b"])
        elif d["cls"].startswith("set order"):
            d["cause"] = ("Only the order of set-built lists differs (labels, children of a branch point) "
                          "— §10 #13")
        else:
            d["cause"] = "Alembic's own output varies from run to run (Python set order) — §10 #13"
    kinds = [
        ("Differences", lambda d: d["cls"] == "difference",
         "Alembic answers one way, every run; aludel answers another."),
        ("Alembic crashes where aludel does not", lambda d: d["cls"].startswith("Alembic crashes"),
         "Alembic ends with a Python traceback (exit 1); aludel reports a clean error or answers. "
         "ALEMBIC.md §10 #5, #14 and #18 ask aludel to fix such crashes; one not in that list is "
         "listed all the same, to be checked."),
        ("Expected: Alembic is not deterministic", lambda d: d["cls"].startswith("set order") or "varies" in d["cls"],
         "Alembic iterates Python sets (children of a revision, branch labels, label propagation to "
         "ancestors, normalised dependencies, merge/unmerge rows; some are sets of objects hashed by "
         "address), so its output changes from run to run, even under one PYTHONHASHSEED; aludel "
         "uses load order (§10 #13, docs/alembic-differences.md #5). 'Set order' entries are equal "
         "once the set-built lists are sorted; for the others Alembic was run 9 times and the "
         "class says whether aludel's answer was among Alembic's. Only the first differing line "
         "is shown."),
    ]
    # Overview.
    lines += ["## Overview", "", "| # | cause | distinct | occurrences |", "|---|---|---:|---:|"]
    order = []
    for _, pred, _ in kinds:
        for d in distinct:
            if pred(d) and d["cause"] not in order:
                order.append(d["cause"])
    for n, cause in enumerate(order, 1):
        ds = [d for d in distinct if d["cause"] == cause]
        lines.append(f"| {n} | {cause} | {len(ds)} | {sum(d['count'] for d in ds)} |")
    lines.append("")
    if not distinct:
        lines.append("No differences.")
    i = 0
    for title, pred, blurb in kinds:
        chosen = [d for d in distinct if pred(d)]
        lines += [f"## {title} ({len(chosen)} distinct)", "", blurb, ""]
        for cause in order:
            group = [d for d in chosen if d["cause"] == cause]
            if not group:
                continue
            lines += [f"### Cause {order.index(cause) + 1}: {cause}", ""]
            # Full reproductions for the smallest case of each kind (at most 3), the
            # rest as one line each.
            group.sort(key=lambda d: (len(d["graph"].revs), len(" ".join(d["argv"]))))
            full, seen_kinds = [], set()
            for d in group:
                k = (d["what"], d["a"].kind, d["b"].kind)
                if k not in seen_kinds and len(full) < 3:
                    seen_kinds.add(k)
                    full.append(d)
            for d in full:
                i += 1
                argv = d["argv"]
                off = is_offline(argv)
                lines += [
                    f"#### {i}. `{' '.join(argv)}` — {d['what'] or d['a'].kind}",
                    "",
                    f"{d['cls']}. Seen {d['count']} time(s) in: {', '.join(d['graphs'][:8])}"
                    + (" …" if len(d["graphs"]) > 8 else "") + ".",
                    "",
                    "Graph (file stem: revision; revises; labels; depends on)"
                    + (", shrunk" if d.get("shrunk") else "") + ":",
                    "",
                    fence(describe(d["graph"])),
                    "",
                ]
                if "varies" in d["cls"] or d["cls"].startswith("set order"):
                    x, y = first_diff(d["a"].show(off), d["b"].show(off))
                    lines += ["First differing line, Alembic then aludel:", "", fence(f"{x}\n{y}"), ""]
                else:
                    what = " (steps and version-table rows of the script)" if off else ""
                    lines += [f"Alembic{what}:", "", fence(d["a"].show(off)), "",
                              f"aludel{what}:", "", fence(d["b"].show(off)), ""]
            rest = [d for d in group if d not in full]
            if rest:
                lines += [f"{len(rest)} more of this cause (command — graph — Alembic / aludel):", ""]
                for d in rest:
                    lines.append(f"- `{' '.join(d['argv'])}` — {d['graphs'][0]} — "
                                 f"{d['a'].show()[:90]!r} / {d['b'].show(is_offline(d['argv']))[:90]!r}"
                                 .replace("|", "\\|"))
                lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
