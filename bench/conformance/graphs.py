"""Revision graphs for the conformance run: the fixed cases and a seeded random
generator, and writers for the two projects (Alembic and aludel) of a graph.

A graph is a list of `Rev` in *creation* order (parents before children, so the
graph is acyclic by construction). Load order is a separate thing: each revision
has a file-name stem, and both tools load the files of the one version folder
sorted by name, so the stems decide load order identically for both (the
extensions `.py` and `.sql` never decide it, since every stem starts with a
unique zero-padded number).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field, replace


@dataclass
class Rev:
    id: str
    down: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    depends: list[str] = field(default_factory=list)
    message: str = ""
    # Position in load order (file names are "<order>_<id>"); None = creation order.
    order: int | None = None


@dataclass
class Graph:
    name: str
    revs: list[Rev]
    # Extra commands (argv lists, without the program name) for this graph.
    extra: list[list[str]] = field(default_factory=list)
    note: str = ""
    # Run only `extra` (for a graph that every command rejects the same way).
    only_extra: bool = False

    def by_id(self) -> dict[str, Rev]:
        return {r.id: r for r in self.revs}

    def stems(self) -> dict[str, str]:
        keyed = [
            (r.order if r.order is not None else i, i, r) for i, r in enumerate(self.revs)
        ]
        keyed.sort(key=lambda t: (t[0], t[1]))
        return {r.id: f"{n:04d}_{r.id}" for n, (_, _, r) in enumerate(keyed)}

    def copy(self) -> Graph:
        return Graph(
            self.name,
            [replace(r, down=list(r.down), labels=list(r.labels), depends=list(r.depends)) for r in self.revs],
            [list(c) for c in self.extra],
            self.note,
            self.only_extra,
        )


# --------------------------------------------------------------------------
# Writing the two projects


def header_lines(r: Rev) -> list[str]:
    """The header text both files carry: Alembic's docstring, aludel's `--` header."""
    lines = r.message.split("\n") if r.message else ["empty message"]
    lines.append("")
    lines.append(f"Revision ID: {r.id}")
    lines.append("Revises:" + (" " + ", ".join(r.down) if r.down else ""))
    lines.append("Create Date: 2026-01-01 00:00:00+00:00")
    if r.labels:
        lines.append("Branch Labels: " + ", ".join(r.labels))
    if r.depends:
        lines.append("Depends On: " + ", ".join(r.depends))
    return lines


def _py_value(items: list[str]):
    if not items:
        return "None"
    if len(items) == 1:
        return repr(items[0])
    return "(" + ", ".join(repr(i) for i in items) + ")"


def alembic_file(r: Rev) -> str:
    doc = "\n".join(header_lines(r))
    labels = "None" if not r.labels else "(" + "".join(repr(l) + ", " for l in r.labels).rstrip(" ") + ")"
    return (
        f'"""{doc}\n\n"""\n'
        "from alembic import op\n\n"
        f"revision = {r.id!r}\n"
        f"down_revision = {_py_value(r.down)}\n"
        f"branch_labels = {labels}\n"
        f"depends_on = {_py_value(r.depends)}\n\n\n"
        "def upgrade():\n    pass\n\n\n"
        "def downgrade():\n    pass\n"
    )


def aludel_file(r: Rev) -> str:
    head = "\n".join(("-- " + l) if l else "--" for l in header_lines(r))
    # A statement in each section: an empty downgrade section would make the
    # revision irreversible in aludel, and Alembic's `pass` is reversible.
    return f"{head}\n\n-- aludel:upgrade\nSELECT 1;\n\n-- aludel:downgrade\nSELECT 1;\n"


ALEMBIC_ENV = '''\
# Offline-capable environment for the conformance and benchmark projects.
from alembic import context

config = context.config


def offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def online():
    from sqlalchemy import engine_from_config, pool

    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    offline()
else:
    online()
'''


def write_projects(g: Graph, root: str) -> tuple[str, str]:
    """Writes `<root>/alembic` and `<root>/aludel`; returns their paths."""
    stems = g.stems()
    al = os.path.join(root, "alembic")
    ad = os.path.join(root, "aludel")
    os.makedirs(os.path.join(al, "migrations", "versions"))
    os.makedirs(os.path.join(ad, "migrations", "versions"))
    with open(os.path.join(al, "alembic.ini"), "w") as f:
        f.write(
            "[alembic]\nscript_location = %(here)s/migrations\n"
            "sqlalchemy.url = sqlite:///%(here)s/test.db\n"
        )
    with open(os.path.join(al, "migrations", "env.py"), "w") as f:
        f.write(ALEMBIC_ENV)
    with open(os.path.join(ad, "aludel.toml"), "w") as f:
        f.write(
            '[aludel]\nscript_location = "migrations"\n'
            'database_url = "sqlite://test.db"\nversion_table = "alembic_version"\n'
        )
    for r in g.revs:
        with open(os.path.join(al, "migrations", "versions", stems[r.id] + ".py"), "w") as f:
            f.write(alembic_file(r))
        with open(os.path.join(ad, "migrations", "versions", stems[r.id] + ".sql"), "w") as f:
            f.write(aludel_file(r))
    return al, ad


def describe(g: Graph) -> str:
    """The graph as text, one revision a line, in load order (for reports)."""
    stems = g.stems()
    out = []
    for r in sorted(g.revs, key=lambda r: stems[r.id]):
        parts = [f"{stems[r.id]}: {r.id}", "revises " + (", ".join(r.down) or "-")]
        if r.labels:
            parts.append("labels " + ", ".join(r.labels))
        if r.depends:
            parts.append("depends on " + ", ".join(r.depends))
        if r.message and "\n" in r.message:
            parts.append("message " + repr(r.message))
        out.append("; ".join(parts))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Fixed cases, written from ALEMBIC.md §2 and §8


def R(id, down=(), labels=(), depends=(), message=None, order=None) -> Rev:
    if isinstance(down, str):
        down = [down]
    if isinstance(labels, str):
        labels = [labels]
    if isinstance(depends, str):
        depends = [depends]
    return Rev(id, list(down), list(labels), list(depends), message or f"rev {id}", order)


def fixed_graphs() -> list[Graph]:
    gs: list[Graph] = []

    gs.append(Graph("linear", [R("a1b2"), R("b2c3", "a1b2"), R("c3d4", "b2c3"), R("d4e5", "c3d4")],
                    extra=[["history", "-r", "b2c3:"], ["history", "-r", "-2:"], ["show", "--", "-1"],
                           ["upgrade", "--sql", "b2c3:d4e5"], ["upgrade", "--sql", "+2"],
                           ["upgrade", "--sql", "a1b2+2"], ["downgrade", "--sql", "d4e5:-2"],
                           ["upgrade", "--sql", ":c3d4"], ["history", "-r", "base+1:"],
                           ["show", "a1b2+9"], ["show", "d4e5-9"], ["history", "--rev-range=-2:"]]))

    # The branch graph of the stamp table (§2.10): a->b, b->c1->d1 (left),
    # b->c2->d2 (right), z1 a separate root.
    branchy = [R("aaaa", message="first"), R("bbbb", "aaaa"),
               R("cc11", "bbbb", labels="left"), R("dd11", "cc11"),
               R("cc22", "bbbb", labels="right"), R("dd22", "cc22"), R("zz11")]
    gs.append(Graph("branches_labels", branchy,
                    extra=[["show", "left@head"], ["show", "right@base"], ["history", "-r", "left@base:"],
                           ["history", "-r", ":right@head"], ["upgrade", "--sql", "left@head"],
                           ["downgrade", "--sql", "dd11:left@base"], ["downgrade", "--sql", "heads:bbbb"],
                           ["upgrade", "--sql", "left@+1"], ["show", "left@dd22"], ["show", "left@-1"],
                           ["history", "-r", "left@bbbb:"], ["downgrade", "--sql", "dd11:left@-1"]]))
    # Same graph, the right branch loaded first (load order breaks ties in step order).
    gs.append(Graph("branches_right_first",
                    [replace(r, order={"aaaa": 0, "bbbb": 1, "cc22": 2, "dd22": 3, "cc11": 4, "dd11": 5, "zz11": 6}[r.id])
                     for r in branchy]))
    # §2.8: branch point b with c1->d1 (loaded first) and c2->d2; upgrade heads
    # runs a, b, c2, d2, c1, d1.
    gs.append(Graph("sort_doc_example", [R("a"), R("b", "a"), R("c1", "b"), R("d1", "c1"), R("c2", "b"), R("d2", "c2")]))

    # exp2 (§2.9): a000->b000->c000 branching to d100->e100->f200 (depends on l100)
    # and to d200; m100 merges d200 and f200; l100->l200; m200 merges l200, m100.
    gs.append(Graph("exp2", [
        R("l100", labels="lib", message="lib one"), R("a000"), R("b000", "a000"), R("c000", "b000"),
        R("d100", "c000", labels="feat1"), R("e100", "d100"), R("f200", "e100", depends="l100", message="uses lib"),
        R("d200", "c000"), R("m100", ["d200", "f200"]), R("l200", "l100"), R("m200", ["l200", "m100"])],
        extra=[["downgrade", "--sql", "m200:c000"], ["downgrade", "--sql", "m200:lib@base"],
               ["upgrade", "--sql", "f200"], ["history", "-r", "feat1@base:"], ["history", "-r", ":feat1@head"],
               ["upgrade", "--sql", "l100:m200"], ["downgrade", "--sql", "m200:l100"]]))

    # Diamond (§2.7): a -> b1, b2 -> c -> d.
    gs.append(Graph("diamond", [R("a0a0"), R("b1b1", "a0a0"), R("b2b2", "a0a0"), R("c0c0", ["b1b1", "b2b2"]), R("d0d0", "c0c0")],
                    extra=[["downgrade", "--sql", "d0d0:b1b1"], ["downgrade", "--sql", "d0d0:b2b2"],
                           ["downgrade", "--sql", "c0c0:a0a0"], ["upgrade", "--sql", "b1b1:d0d0"]]))

    # Several roots, merged.
    gs.append(Graph("multi_root", [R("r1"), R("s1"), R("r2", "r1"), R("t1"), R("s2", "s1"),
                                   R("m1", ["r2", "s2", "t1"]), R("n1", "m1")],
                    extra=[["downgrade", "--sql", "n1:base"], ["downgrade", "--sql", "m1:s1"],
                           ["upgrade", "--sql", "s2"], ["upgrade", "--sql", "r1:n1"]]))

    # Three-way merge with a branch after it.
    gs.append(Graph("three_way_merge", [R("base0"), R("x1", "base0"), R("y1", "base0"), R("z1", "base0"),
                                         R("x2", "x1"), R("mrg", ["x2", "y1", "z1"]), R("p1", "mrg"), R("q1", "mrg")],
                    extra=[["downgrade", "--sql", "heads:x1"], ["downgrade", "--sql", "heads:base0"],
                           ["upgrade", "--sql", "y1:heads"]]))

    # depends_on criss-cross between two lines.
    gs.append(Graph("criss_cross", [R("a1"), R("b1"), R("a2", "a1", depends="b1"), R("b2", "b1", depends="a2"),
                                     R("a3", "a2", depends="b2"), R("b3", "b2", depends="a3")],
                    extra=[["downgrade", "--sql", "heads:a1"], ["downgrade", "--sql", "heads:b1"],
                           ["upgrade", "--sql", "b2"], ["upgrade", "--sql", "a3"]]))

    # NormalizedDownRevTest-like: a1->a2->a3; b1->b2 (dep a3)->b3->b4 (dep a3)->b5 (dep b4).
    gs.append(Graph("normalized_deps", [R("a1"), R("a2", "a1"), R("a3", "a2"), R("b1"), R("b2", "b1", depends="a3"),
                                         R("b3", "b2"), R("b4", "b3", depends="a3"), R("b5", "b4", depends="b4")]))

    # Effective heads: lib1 is only a dependency.
    gs.append(Graph("effective_head", [R("lib1", labels="lib"), R("app1"), R("app2", "app1", depends="lib"),
                                        R("app3", "app2")],
                    extra=[["downgrade", "--sql", "app3:lib@base"], ["upgrade", "--sql", "app2"],
                           ["show", "lib@head"], ["upgrade", "--sql", "lib@head"]]))
    gs.append(Graph("effective_heads_two", [R("e1"), R("e2"), R("e3", "e2"), R("u1", depends=["e1", "e3"]), R("u2", "u1")]))

    # Dependency by label; and by partial id, which Alembic's map does not resolve
    # in files (only `revision --depends-on` expands partial ids).
    gs.append(Graph("depends_label", [R("aaaa1111", labels="core"), R("bbbb2222", "aaaa1111"),
                                       R("cccc3333"), R("dddd4444", "cccc3333", depends=["core", "bbbb2222"])]))
    gs.append(Graph("depends_partial_id", [R("aaaa1111"), R("bbbb2222", depends="aaaa")],
                    extra=[["heads"], ["history", "-r", "+1:-2"]], only_extra=True))

    # Prefixes: ids with shared prefixes, short ids (only exact matches), a label
    # that is a prefix candidate.
    gs.append(Graph("prefixes", [R("aaaa1111"), R("aaaa2222", "aaaa1111"), R("abc", "aaaa2222"),
                                  R("abcd9999", "abc", labels="abcdlabel"), R("ab12", "abc")],
                    extra=[["show", "a"], ["show", "aa"], ["show", "aaaa"], ["show", "aaaa1"], ["show", "ab"],
                           ["show", "abc"], ["show", "abcd"], ["show", "abcdl"], ["show", "zz"],
                           ["history", "-r", "aaaa2:abcd"], ["upgrade", "--sql", "aaaa2"]]))

    # Merge whose parents include an ancestor of another parent (§10 #18).
    gs.append(Graph("redundant_parent", [R("p1"), R("p2", "p1"), R("p3", "p2"), R("mm", ["p3", "p1"])],
                    extra=[["downgrade", "--sql", "mm:p2"]]))
    # Dependency that is also an ancestor.
    gs.append(Graph("dep_on_ancestor", [R("q1"), R("q2", "q1"), R("q3", "q2", depends="q1")]))

    # Branches after a merge, labels on both sides, many heads.
    gs.append(Graph("branch_after_merge", [R("r0"), R("ra", "r0", labels="alpha"), R("rb", "r0", labels="beta"),
                                            R("rm", ["ra", "rb"]), R("s1", "rm"), R("s2", "rm"), R("s3", "rm"),
                                            R("t1", "s1")],
                    extra=[["show", "alpha@head"], ["show", "alpha@heads"], ["history", "-r", "alpha@base:"],
                           ["downgrade", "--sql", "heads:rm"], ["downgrade", "--sql", "heads:alpha@base"],
                           ["upgrade", "--sql", "alpha@heads"], ["upgrade", "--sql", "rb:heads"]]))

    # Multi-line and multi-paragraph messages, and a unicode one.
    gs.append(Graph("messages", [R("m1", message="first line\nsecond line"),
                                  R("m2", "m1", message="para one\n\npara two"),
                                  R("m3", "m2", message="caf\u00e9 na\u00efve")]))

    # Long chain on two bases with cross dependencies (test_revision's multiple base
    # cross-dependency shape, re-drawn).
    gs.append(Graph("cross_dependency_bases", [
        R("base1"), R("base2"), R("base3", labels="b3lbl"), R("a1a", "base1"), R("b1b", "base2", depends="a1a"),
        R("b2b", "b1b"), R("c1c", "base3", depends="b2b"), R("a2a", "a1a", depends="c1c"), R("b3b", "b2b")],
        extra=[["history", "-r", "b3lbl@base:"], ["downgrade", "--sql", "heads:base2"],
               ["downgrade", "--sql", "heads:b3lbl@base"], ["upgrade", "--sql", "b3lbl@head"]]))
    return gs


# --------------------------------------------------------------------------
# Random graphs

WORDS = ["add", "users", "orders", "index", "drop", "column", "email", "table", "fix", "merge",
         "seed", "audit", "rename", "status", "payments", "lib"]
LABELS = ["alpha", "beta", "gamma", "lib", "feat", "core", "x1", "left", "right", "deep"]


def random_graph(seed: int) -> Graph:
    rnd = random.Random(seed)
    n = rnd.randint(2, 22)
    revs: list[Rev] = []
    ids: set[str] = set()
    labels_used: set[str] = set()
    prefix_pool = ["a1", "a1b", "c0", "ff", "d", ""]

    def new_id() -> str:
        while True:
            p = rnd.choice(prefix_pool)
            length = rnd.choice([4, 4, 5, 6, 8, 12])
            s = p + "".join(rnd.choice("0123456789abcdef") for _ in range(max(1, length - len(p))))
            if rnd.random() < 0.05:
                s = rnd.choice(["r", "x", "ab"]) + str(rnd.randint(0, 99))
            if s not in ids and s not in labels_used and s not in ("head", "heads", "base", "current"):
                ids.add(s)
                return s

    children: dict[str, int] = {}
    for i in range(n):
        rid = new_id()
        existing = [r.id for r in revs]
        heads = [x for x in existing if children.get(x, 0) == 0]
        roll = rnd.random()
        if not existing or roll < 0.08:
            down = []
        elif roll < 0.78:
            pool = heads if heads and rnd.random() < 0.7 else existing
            down = [rnd.choice(pool)]
        else:
            k = rnd.choice([2, 2, 2, 3])
            pool = heads if len(heads) >= 2 and rnd.random() < 0.8 else existing
            down = rnd.sample(pool, min(k, len(pool)))
            if len(down) > 1 and rnd.random() < 0.85:
                down = _drop_redundant(down, revs)
        for d in down:
            children[d] = children.get(d, 0) + 1
        labels = []
        if rnd.random() < 0.15:
            cand = [l for l in LABELS if l not in labels_used and l not in ids]
            if cand:
                lab = rnd.choice(cand)
                labels_used.add(lab)
                labels.append(lab)
        depends = []
        if existing and rnd.random() < 0.15:
            for d in rnd.sample(existing, min(len(existing), rnd.choice([1, 1, 2]))):
                if d in down:
                    continue
                rev = next(r for r in revs if r.id == d)
                form = rnd.random()
                if rev.labels and form < 0.3:
                    depends.append(rev.labels[0])
                else:
                    depends.append(d)
            depends = list(dict.fromkeys(depends))
        m = rnd.random()
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4)))
        if m < 0.08:
            message = words + "\nand more"
        elif m < 0.12:
            message = words + "\n\nlonger text"
        else:
            message = words
        revs.append(Rev(rid, down, labels, depends, message))
    # Load order: creation order, reversed, or shuffled.
    mode = rnd.random()
    order = list(range(n))
    if mode < 0.4:
        rnd.shuffle(order)
    elif mode < 0.55:
        order.reverse()
    for r, o in zip(revs, order):
        r.order = o
    return Graph(f"random_{seed}", revs)


def _ancestors(rid: str, revs: list[Rev]) -> set[str]:
    by = {r.id: r for r in revs}
    out, todo = set(), [rid]
    while todo:
        x = todo.pop()
        for d in by[x].down:
            if d not in out:
                out.add(d)
                todo.append(d)
    return out


def _drop_redundant(down: list[str], revs: list[Rev]) -> list[str]:
    keep = []
    for d in down:
        if not any(d in _ancestors(o, revs) for o in down if o != d):
            keep.append(d)
    return keep
