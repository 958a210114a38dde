#!/usr/bin/env python3
"""The imperative-autograd workloads, in PyTorch and in Jacobi, in one run: each script here runs
unchanged in both (torch.utils.benchmark.Timer, one thread) and prints "name median_us" lines.

    python3 bench/autograd/run_autograd.py [--python ~/peers-venv/bin/python] [--jacobi .build/release/jacobi] [--rounds 3]

The scripts run alternately, --rounds times each; the table shows each side's median over the
rounds and the ratio Jacobi / PyTorch (below 1: Jacobi is faster)."""
import argparse
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["thread_loop.py", "mlp_backward.py"]


def run(cmd, script):
    out = subprocess.run(cmd + [os.path.join(HERE, script)], capture_output=True, text=True, check=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if len(line.split()) == 2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=os.path.expanduser("~/peers-venv/bin/python"))
    ap.add_argument("--jacobi", default=os.path.join(HERE, "..", "..", ".build", "release", "jacobi"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    times = {}
    for _ in range(a.rounds):
        for script in SCRIPTS:
            for side, cmd in [("torch", [a.python]), ("jacobi", [a.jacobi])]:
                for name, us in run(cmd, script).items():
                    times.setdefault(name, {}).setdefault(side, []).append(us)
    print(f"{'workload':<30}{'PyTorch (us)':>14}{'Jacobi (us)':>14}{'Jacobi/PyTorch':>16}")
    for name, sides in times.items():
        t, j = statistics.median(sides["torch"]), statistics.median(sides["jacobi"])
        print(f"{name:<30}{t:>14.1f}{j:>14.1f}{j / t:>16.2f}")


if __name__ == "__main__":
    main()
