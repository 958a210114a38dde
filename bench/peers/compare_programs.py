#!/usr/bin/env python3
"""What XLA runs and what Jacobi runs for one of the peers' workloads: the kernels of XLA's
optimised HLO (`jax.jit(fn).lower(...).compile().as_text()`) and the steps of Jacobi's optimised
program (`:trace`), side by side, each with its dot FLOPs and the bytes it reads and writes. So a
difference in time can be told apart from a difference in program: a GEMM one side runs and the
other does not, a pass over a large intermediate one side fuses away.

    ~/peers-venv/bin/python bench/peers/compare_programs.py vmap_hessian vmap_hessian
    ~/peers-venv/bin/python bench/peers/compare_programs.py medium vmap_jacrev [--jaxpr]

Reads the workload's arrays from .build/peers-data/WORKLOAD/ (written by run_peers.py). Bytes read
are the stored sizes of a kernel's operands (a broadcast operand once); bytes written, the values a
kernel produces that something outside it reads. Jacobi's reshapes share storage and count nothing.
docs/performance.md (eighth session) has the tables this printed for the Hessian and medium."""
import argparse
import os
import re
import subprocess
import sys
from functools import reduce

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
NAMES = ["x", "W1", "b1", "W2", "b2", "W3", "b3"]
TRANSFORMS = {"vmap_hessian": "vmap(hessian(lambda xi: f(xi)[0]))(x)", "vmap_jacrev": "vmap(jacrev(f))(x)",
              "vmap_jacfwd": "vmap(jacfwd(f))(x)"}


def count(dims):
    return reduce(lambda a, b: a * b, dims, 1)


def dims(text):
    return [int(d) for d in text.split(",") if d.strip()]


def xla_kernels(workload, variant, show_jaxpr):
    """The kernels of the ENTRY computation of XLA's optimised HLO, weights passed as arguments
    (as bench/peers/jax_peer.py times it)."""
    import jax
    import jax.numpy as jnp
    import numpy as np
    data = os.path.join(ROOT, ".build", "peers-data", workload)
    a = {n: jnp.asarray(np.load(os.path.join(data, n + ".npy"))) for n in NAMES}

    def fn(x, W1, b1, W2, b2, W3, b3):
        def f(x):
            h = jnp.tanh(x @ W1.T + b1)
            h = jnp.tanh(h @ W2.T + b2)
            return h @ W3.T + b3
        return {"vmap_hessian": lambda: jax.vmap(jax.hessian(lambda xi: f(xi)[0]))(x),
                "vmap_jacrev": lambda: jax.vmap(jax.jacrev(f))(x),
                "vmap_jacfwd": lambda: jax.vmap(jax.jacfwd(f))(x)}[variant]()
    args = [a[n] for n in NAMES]
    if show_jaxpr:
        print(jax.make_jaxpr(fn)(*args))
    text = re.sub(r", metadata=\{[^}]*\}", "", jax.jit(fn).lower(*args).compile().as_text())
    bodies, current, entry = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^(ENTRY )?%(\S+) \(.*\) -> .* \{$", line)
        if m:
            current = m.group(2)
            bodies[current] = []
            entry = current if m.group(1) else entry
        elif line.startswith("}"):
            current = None
        elif current and line.strip():
            bodies[current].append(line.strip())
    pattern = re.compile(r"^(?:ROOT )?%(\S+) = \w+\[([\d,]*)\]\{[\d,]*\} (\w[\w-]*)\((.*?)\)(.*)$")
    shapes, rows = {}, []
    for line in bodies[entry]:
        m = pattern.match(line)
        if not m:
            continue
        name, shape, op, operands, rest = m.groups()
        shapes[name] = dims(shape)
        if op in ("parameter", "constant", "bitcast", "tuple", "get-tuple-element"):
            continue
        called = re.search(r"calls=%([\w.\-]+)", rest)
        inner, flops, ops = {}, 0, []
        for b in bodies.get(called.group(1), []) if called else []:
            bm = pattern.match(b)
            if not bm:
                continue
            inner[bm.group(1)] = dims(bm.group(2))
            if bm.group(3) == "dot":
                lhs = re.findall(r"%([\w.\-]+)", bm.group(4))[0]
                contracted = dims(re.search(r"lhs_contracting_dims=\{([\d,]*)\}", bm.group(5)).group(1))
                k = count([inner[lhs][c] for c in contracted])
                flops += 2 * count(dims(bm.group(2))) * k
                ops.append(f"dot k={k}")
            elif bm.group(3) not in ("parameter", "bitcast", "broadcast", "constant"):
                ops.append(bm.group(3))
        read = sum(4 * count(shapes.get(o, [])) for o in set(re.findall(r"%([\w.\-]+)", operands)))
        rows.append((name, shapes[name], ops or [op], flops, read, 4 * count(shapes[name])))
    return rows


def jacobi_kernels(workload, variant, jacobi):
    """The steps of Jacobi's optimised program: `:trace` of the peers' script, fused equations
    grouped into their loops."""
    data = os.path.join(ROOT, ".build", "peers-data", workload)
    script = [f'{n} = load("{os.path.join(data, n + ".npy")}")' for n in NAMES]
    script += ["def f(x):", "    h = tanh(x @ W1.T + b1)", "    h = tanh(h @ W2.T + b2)", "    return h @ W3.T + b3",
               ":trace " + TRANSFORMS[variant]]
    out = subprocess.run([jacobi, "-c", "\n".join(script)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    shapes, alias, steps = {}, {}, []
    for n, d in re.findall(r"(\w+):f32\[([\d,]*)\]", next(l for l in lines if l.startswith("{ lambda"))):
        shapes[n] = dims(d)
    outputs = re.search(r"in \((.*)\)", out).group(1).replace(",", " ").split()
    equation = re.compile(r"^\s+(\w+):f32\[([\d,]*)\] = (\w+)(\[[^\]]*\])? (.*?)\s*(#.*)?$")
    for line in lines:
        m = equation.match(line)
        if not m:
            continue
        result, shape, op, params, operands, comment = m.groups()
        shapes[result] = dims(shape)
        operands = [alias.get(o, o) for o in operands.split() if o in shapes or o in alias]
        if op == "reshape":
            alias[result] = operands[0]
            continue
        flops = 0
        if op == "dot_general":
            contracted = dims(re.search(r"contract=\(\(([\d,]*)\)", params).group(1))
            flops = 2 * count(shapes[result]) * count([shapes[operands[0]][c] for c in contracted])
        loop = re.search(r"\[fused (\d+)\]", comment or "")
        steps.append(dict(out=result, op=op, operands=operands, group=f"fused {loop.group(1)}" if loop else result, flops=flops))
    readers = {}
    for s in steps:
        for o in s["operands"]:
            readers.setdefault(o, set()).add(s["group"])
    outputs = {alias.get(o, o) for o in outputs}
    rows, seen = [], set()
    for s in steps:
        g = s["group"]
        if g in seen:
            continue
        seen.add(g)
        members = [t for t in steps if t["group"] == g]
        made = {t["out"] for t in members}
        read = {o for t in members for o in t["operands"] if o not in made}
        written = [t["out"] for t in members if readers.get(t["out"], set()) - {g} or t["out"] in outputs]
        rows.append((g, " and ".join(str(shapes[w]) for w in written), [t["op"] for t in members], sum(t["flops"] for t in members),
                     sum(4 * count(shapes[r]) for r in read), sum(4 * count(shapes[w]) for w in written)))
    return rows


def table(title, rows):
    print(f"\n{title}\n")
    print("| # | kernel | output | operations | dot FLOPs | bytes read | bytes written |")
    print("|---|---|---|---|---|---|---|")
    total = [0, 0, 0]
    for i, (name, shape, ops, flops, read, written) in enumerate(rows, 1):
        print(f"| {i} | {name} | {shape} | {', '.join(ops)} | {flops:,} | {read:,} | {written:,} |")
        total = [total[0] + flops, total[1] + read, total[2] + written]
    print(f"| | total | | | {total[0]:,} | {total[1]:,} | {total[2]:,} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workload", help="a directory of .build/peers-data: tiny, medium, large, vmap_hessian")
    ap.add_argument("variant", choices=sorted(TRANSFORMS))
    ap.add_argument("--jacobi", default=os.path.join(ROOT, ".build", "release", "jacobi"))
    ap.add_argument("--jaxpr", action="store_true", help="also print jax.make_jaxpr of the function")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(ROOT, ".build", "peers-data", a.workload)):
        sys.exit(f"no .build/peers-data/{a.workload}: run bench/peers/run_peers.py --only {a.workload} first")
    table(f"XLA ({a.workload} {a.variant}, optimised HLO)", xla_kernels(a.workload, a.variant, a.jaxpr))
    table(f"Jacobi ({a.workload} {a.variant}, :trace)", jacobi_kernels(a.workload, a.variant, a.jacobi))


if __name__ == "__main__":
    main()
