#!/usr/bin/env python3
"""Time the transforms through the language: 300 iterations of a Python loop calling
vmap(jacrev(net))(x), vmap(jacfwd(net))(x) and net(x) on bench/peers' medium network, as a
Sequential and as module classes, with one or more jacobi binaries in the same run.

    python3 bench/language/run_language.py [--runs 7] BINARY [BINARY...]

Each script runs `--runs` times per binary, interleaved; the per-iteration cost is
(median script time - median setup time) / 300. Scripts a binary cannot run are reported as such."""
import argparse, os, statistics, subprocess, time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["sequential.jac", "module-class.jac", "layer-by-layer.jac"]
ITERATIONS = 300


def timed(binary, script):
    start = time.perf_counter()
    p = subprocess.run([binary, os.path.join(HERE, script)], capture_output=True, text=True)
    return time.perf_counter() - start, p.returncode, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    times = {(b, s): [] for b in a.binaries for s in ["setup.jac"] + SCRIPTS}
    failed = set()
    for _ in range(a.runs):
        for s in ["setup.jac"] + SCRIPTS:
            for b in a.binaries:
                if (b, s) in failed:
                    continue
                t, status, err = timed(b, s)
                if status != 0:
                    failed.add((b, s))
                else:
                    times[(b, s)].append(t)
    print(f"{'script':<20}" + "".join(f"{os.path.basename(os.path.dirname(os.path.dirname(b))) + '/' + os.path.basename(b):>28}" for b in a.binaries))
    for s in SCRIPTS:
        row = f"{s:<20}"
        for b in a.binaries:
            if (b, s) in failed or not times[(b, s)]:
                row += f"{'(cannot run)':>28}"
                continue
            per = (statistics.median(times[(b, s)]) - statistics.median(times[(b, "setup.jac")])) / ITERATIONS
            row += f"{per * 1e6:>22.0f} us/it"
        print(row)


if __name__ == "__main__":
    main()
