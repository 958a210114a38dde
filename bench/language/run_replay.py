#!/usr/bin/env python3
"""Replay cost through the language (issue 17's linear replay): scripts of N trivial lines, and
the overhead of a statement that calls a traced function, against what :time reports for it.

    python3 bench/language/run_replay.py [--runs 5] BINARY [BINARY...]

1. `q = 1` repeated N times (N = 2,000, 20,000, 100,000): total seconds and microseconds per
   line (a binary that needs more than 60 s for a script is stopped and reported as such).
2. On bench/peers' medium network (setup.jac), `J = f(x)` written out 200 times, the same 200
   calls in a `for` loop, and `:time f(x)`'s median: per-call milliseconds, so a line's own
   overhead is the difference.
Binaries run interleaved, `--runs` times each; medians are reported."""
import argparse, os, re, statistics, subprocess, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
SETUP = open(os.path.join(HERE, "setup.jac")).read()
CALLS = 200


def run(binary, path, timeout=60):
    start = time.perf_counter()
    try:
        p = subprocess.run([binary, path], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, ""
    elapsed = time.perf_counter() - start
    return (elapsed if p.returncode == 0 else None), p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="jacobi-replay-")
    scripts = {}
    for n in (2000, 20000, 100000):
        scripts[f"{n} x 'q = 1'"] = "q = 1\n" * n
    scripts["setup"] = SETUP
    scripts[f"{CALLS} lines 'J = f(x)'"] = SETUP + "J = f(x)\n" * CALLS
    scripts[f"{CALLS} calls in a for loop"] = SETUP + f"for _ in range({CALLS}):\n    J = f(x)\n\n"
    scripts[":time f(x)"] = SETUP + ":time f(x)\n"
    paths = {}
    for name, text in scripts.items():
        paths[name] = os.path.join(tmp, re.sub(r"\W+", "_", name) + ".jac")
        with open(paths[name], "w") as f:
            f.write(text)
    times = {(b, s): [] for b in a.binaries for s in scripts}
    timed_median = {b: [] for b in a.binaries}
    dead = set()
    for _ in range(a.runs):
        for s in scripts:
            for b in a.binaries:
                if (b, s) in dead:
                    continue
                t, out = run(b, paths[s])
                if t is None:
                    dead.add((b, s))
                    continue
                times[(b, s)].append(t)
                if s == ":time f(x)":
                    m = re.search(r"median ([\d.]+) (ms|µs|s)", out)
                    if m:
                        scale = {"s": 1e3, "ms": 1.0, "µs": 1e-3}[m.group(2)]
                        timed_median[b].append(float(m.group(1)) * scale)
    label = lambda b: os.path.basename(os.path.dirname(os.path.dirname(b))) + "/" + os.path.basename(b) if "/" in b else b
    print(f"{'script':<28}" + "".join(f"{label(b):>32}" for b in a.binaries))
    med = lambda b, s: statistics.median(times[(b, s)]) if times[(b, s)] else None
    for n in (2000, 20000, 100000):
        s = f"{n} x 'q = 1'"
        row = f"{s:<28}"
        for b in a.binaries:
            t = med(b, s)
            row += f"{'(over 60 s)':>32}" if t is None else f"{t:>12.3f} s {t / n * 1e6:>10.2f} us/line"
        print(row)
    for s in (f"{CALLS} lines 'J = f(x)'", f"{CALLS} calls in a for loop"):
        row = f"{s:<28}"
        for b in a.binaries:
            t, base = med(b, s), med(b, "setup")
            row += f"{'(failed)':>32}" if t is None or base is None else f"{(t - base) / CALLS * 1e3:>23.3f} ms/call"
        print(row)
    row = f"{':time f(x) median':<28}"
    for b in a.binaries:
        row += f"{statistics.median(timed_median[b]):>23.3f} ms/call" if timed_median[b] else f"{'(none)':>32}"
    print(row)


if __name__ == "__main__":
    main()
