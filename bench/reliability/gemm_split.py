#!/usr/bin/env python3
"""What running large GEMMs on a worker thread (so Ctrl-C stops them at once) costs.

Runs the same matmul script with one jacobi binary in alternating rounds, on the calling
thread (JACOBI_DETACH_FLOPS=0) and on the worker (the default), and prints median times (the
machine is shared and noisy: compare the medians of the per-round ratio):

    python3 bench/reliability/gemm_split.py [BINARY] [--rounds 7]

The script times `a @ b` with torch.utils.benchmark.Timer inside the binary.
"""
import argparse
import os
import statistics
import subprocess
import sys

SCRIPT = """
import torch
from torch.utils.benchmark import Timer
torch.manual_seed(0)
for n in (1024, 2048, 4000):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    m = Timer("a @ b", globals={"a": a, "b": b}).blocked_autorange(min_run_time=1.0)
    print(n, m.median)
x = torch.randn(64, 512, 512)
y = torch.randn(64, 512, 512)
m = Timer("x @ y", globals={"x": x, "y": y}).blocked_autorange(min_run_time=1.0)
print("64x512", m.median)
"""


def run(binary, split):
    env = dict(os.environ)
    if not split:
        env["JACOBI_DETACH_FLOPS"] = "0"
    out = subprocess.run([binary, "-c", SCRIPT], capture_output=True, text=True, check=True, env=env).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.strip().splitlines()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary", nargs="?", default=".build/release/jacobi")
    p.add_argument("--rounds", type=int, default=7)
    args = p.parse_args()
    times = {"old": [], "new": []}
    for _ in range(args.rounds):
        times["old"].append(run(args.binary, split=False))
        times["new"].append(run(args.binary, split=True))
    print(f"{'matmul':>10} {'caller ms':>9} {'worker ms':>9} {'ratio':>8}   (medians of {args.rounds} alternating rounds)")
    for key in times["old"][0]:
        old = statistics.median(r[key] for r in times["old"])
        new = statistics.median(r[key] for r in times["new"])
        ratio = statistics.median(n[key] / o[key] for o, n in zip(times["old"], times["new"]))
        print(f"{key:>10} {old * 1e3:9.2f} {new * 1e3:9.2f} {ratio:8.3f}")


if __name__ == "__main__":
    sys.exit(main())
