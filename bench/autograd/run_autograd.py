#!/usr/bin/env python3
"""The imperative-autograd workloads, in PyTorch and in Jacobi, in one run: each script here runs
unchanged in both (torch.utils.benchmark.Timer, one thread) and prints "name median_us" lines.

    python3 bench/autograd/run_autograd.py [--python ~/peers-venv/bin/python] [--jacobi .build/release/jacobi] [--rounds 3]
    python3 bench/autograd/run_autograd.py --jacobi OLD_BUILD NEW_BUILD --no-torch --rounds 5

The scripts run alternately, --rounds times each; the table shows each side's median over the
rounds and the ratio Jacobi / PyTorch (below 1: Jacobi is faster). With several --jacobi builds
(a build before and after a change) each gets a column, with its minimum in parentheses, and the
ratio is the last build's."""
import argparse
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["thread_loop.py", "mlp_backward.py", "call_overhead.py", "eager_ops.py"]


def run(cmd, script):
    out = subprocess.run(cmd + [os.path.join(HERE, script)], capture_output=True, text=True, check=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if len(line.split()) == 2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=os.path.expanduser("~/peers-venv/bin/python"))
    ap.add_argument("--jacobi", nargs="+", default=[os.path.join(HERE, "..", "..", ".build", "release", "jacobi")])
    ap.add_argument("--no-torch", action="store_true", help="time only the Jacobi builds")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    sides = ([] if a.no_torch else [("torch", [a.python])]) + [(j, [j]) for j in a.jacobi]
    times = {}
    for _ in range(a.rounds):
        for script in SCRIPTS:
            for side, cmd in sides:
                for name, us in run(cmd, script).items():
                    times.setdefault(name, {}).setdefault(side, []).append(us)
    if len(a.jacobi) == 1 and not a.no_torch:
        print(f"{'workload':<30}{'PyTorch (us)':>14}{'Jacobi (us)':>14}{'Jacobi/PyTorch':>16}")
        for name, by in times.items():
            t, j = statistics.median(by["torch"]), statistics.median(by[a.jacobi[0]])
            print(f"{name:<30}{t:>14.1f}{j:>14.1f}{j / t:>16.2f}")
        return
    names = [s for s, _ in sides]
    print(f"{'workload':<30}" + "".join(f"{os.path.basename(n)[:22]:>26}" for n in names))
    for name, by in times.items():
        cells = [f"{statistics.median(by[n]):.1f} ({min(by[n]):.1f})" for n in names]
        print(f"{name:<30}" + "".join(f"{c:>26}" for c in cells))


if __name__ == "__main__":
    main()
