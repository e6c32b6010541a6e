#!/usr/bin/env python3
"""Times whole commands as bench/autogenerate.sh needs (standard library only).

  time_pairs.py OUT.json --runs N A_CMD [B_CMD] [--after-a CMD] [--after-b CMD]

Runs A and B in turn (A B A B …, one untimed warm-up pair first) through `bash -c`,
so a drift of the machine's speed during the measurement touches both alike. Each
command's exit status is ignored (`check` exits 1 when it finds differences); its
output goes to /dev/null. `--after-a`/`--after-b` run after each run of A/B, untimed
(to remove the revision file `revision --autogenerate` wrote). OUT.json holds each
command's wall times, their median, and the median of the per-pair ratios A/B.
"""

import json
import statistics
import subprocess
import sys
import time


def run(cmd: str) -> float:
    start = time.perf_counter()
    subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    args = sys.argv[1:]
    opts = {}
    for key in ("--after-a", "--after-b", "--runs"):
        if key in args:
            i = args.index(key)
            opts[key] = args[i + 1]
            del args[i:i + 2]
    if len(args) not in (2, 3) or not opts.get("--runs", "").isdigit():
        sys.exit(__doc__)
    out, cmds = args[0], args[1:]
    afters = [opts.get("--after-a"), opts.get("--after-b")]
    times: list[list[float]] = [[] for _ in cmds]
    for n in range(int(opts["--runs"]) + 1):
        for k, cmd in enumerate(cmds):
            t = run(cmd)
            if n > 0:
                times[k].append(t)
            if afters[k]:
                subprocess.run(["bash", "-c", afters[k]], check=True)
    doc = {"commands": [{"command": c, "times": t, "median": statistics.median(t)}
                        for c, t in zip(cmds, times)]}
    if len(cmds) == 2:
        doc["ratio_median"] = statistics.median(a / b for a, b in zip(*times))
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    for c in doc["commands"]:
        print(f"  {c['median']:8.3f} s  median of {len(c['times'])}: {c['command']}", file=sys.stderr)
    if "ratio_median" in doc:
        print(f"  ratio A/B (median of pairs): {doc['ratio_median']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
