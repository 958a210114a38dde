"""The peer comparison of issue 8: Jacobi, PyTorch (torch.func, torch.autograd.functional) and JAX
(jit, eager) on the same workloads, weights and inputs, in one run.

    /work/peers-venv/bin/python bench/peers/run_peers.py [--jacobi PATH] [--only WORKLOAD,...]
                                                         [--data DIR] [--markdown]

Writes each workload's data as .npy files, runs every (workload, variant, implementation) in its
own process (jacobi_peer.py, torch_peer.py, jax_peer.py), checks every result against torch's,
times process start to first printed result, and prints the tables (Markdown with --markdown).
All results go to DATA_DIR/results.json (--report prints its tables again, e.g. with --markdown).
Exit status 1 if anything failed or disagreed.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import quiet_numpy  # noqa: E402,F401  (before NumPy: its OpenBLAS on one thread, see there)
import numpy as np  # noqa: E402
from common import load_result  # noqa: E402
from jacobi_peer import DEFAULT_JACOBI, definitions, loads  # noqa: E402
from workloads import (BY_NAME, IMPLS, JACOBI, JACOBI_JAX, JAX_EAGER, JAX_JIT, TORCH_AF, TORCH_FUNC,  # noqa: E402
                       WORKLOADS, load_data, write_data)

RTOL, ATOL = 1e-4, 1e-5
PINV_RTOL = 1e-3  # normwise, per matrix: the pinverse workload's matrices reach cond 9e5 in float32
PEERS = [TORCH_FUNC, TORCH_AF, JAX_JIT, JAX_EAGER]
TITLES = {JACOBI: "Jacobi", JACOBI_JAX: "Jacobi (JAX code)", TORCH_FUNC: "torch.func",
          TORCH_AF: "torch.autograd.functional", JAX_JIT: "JAX jit", JAX_EAGER: "JAX eager"}
SCRIPTS = {JACOBI: "jacobi_peer.py", JACOBI_JAX: "jacobi_peer.py", TORCH_FUNC: "torch_peer.py", TORCH_AF: "torch_peer.py",
           JAX_JIT: "jax_peer.py", JAX_EAGER: "jax_peer.py"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---- running ---------------------------------------------------------------------------------

CONTENDED = 0.1  # others' share of the machine's CPU above which a figure is marked *


def cpu_seconds():
    """(busy CPU seconds of the whole machine since boot, CPU seconds of this process and of its
    children, which include the jacobi processes jacobi_peer.py reaps)."""
    with open("/proc/stat") as f:
        v = [int(t) for t in f.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    t = os.times()
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK"), t.user + t.system + t.children_user + t.children_system


def others_share(before, after, wall):
    """The share of the machine's CPU (all cores) that other processes used between two cpu_seconds()."""
    busy, own = after[0] - before[0], after[1] - before[1]
    return max(0.0, busy - own) / (wall * os.cpu_count())


def run_one(w, variant, impl, root, jacobi):
    """Run one variant of one implementation in its own process; its JSON record (or an error)."""
    cmd = [sys.executable, os.path.join(HERE, SCRIPTS[impl]), w.name, root, "--variant", variant]
    cmd += ["--jacobi", jacobi] if impl == JACOBI else ["--jacobi", jacobi, "--jax"] if impl == JACOBI_JAX else ["--impl", impl]
    before, t0 = cpu_seconds(), time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return dict(workload=w.name, impl=impl, variant=variant, error="timed out after 1800 s")
    others = others_share(before, cpu_seconds(), time.perf_counter() - t0)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    if p.returncode != 0 or len(lines) != 1:
        return dict(workload=w.name, impl=impl, variant=variant,
                    error=f"exit {p.returncode}: {p.stderr.strip()[-1500:] or p.stdout.strip()[-1500:]}")
    return dict(lines[0], others_cpu=others)


def compare(root, w, variant, impl, ref):
    """Check impl's result against the reference (impl, variant); a dict with ok, max_abs, rel."""
    d = os.path.join(root, w.name)
    got, want = load_result(d, impl, variant), load_result(d, *ref)
    if got is None or want is None:
        return dict(ok=False, why="no result file")
    if [a.shape for a in got] != [b.shape for b in want]:
        return dict(ok=False, why=f"shapes {[a.shape for a in got]} vs {[b.shape for b in want]}")
    max_abs = max(float(np.abs(a - b).max()) for a, b in zip(got, want))
    rel = max(float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-30)) for a, b in zip(got, want))
    if w.name == "pinverse":
        # A pseudo-inverse of an ill-conditioned float32 matrix is only defined to about
        # eps * cond(A) in norm (one of these matrices has cond 9e5), so elementwise allclose
        # fails for every implementation; the check is normwise, per matrix.
        ok = all(float(np.max(np.linalg.norm(a - b, axis=(-2, -1)) / np.linalg.norm(b, axis=(-2, -1)))) <= PINV_RTOL
                 for a, b in zip(got, want))
    else:
        ok = all(np.allclose(a, b, rtol=RTOL, atol=ATOL) for a, b in zip(got, want))
    return dict(ok=ok, max_abs=max_abs, rel=rel, against=f"{ref[0]} {ref[1]}")


def pinv_float64_check(root, w):
    """pinverse only: each result's largest per-matrix relative error against NumPy's pinv in
    float64 with float32's default cut-off. Explains element-wise mismatches on ill-conditioned A."""
    A = load_data(root, w)["A"].astype(np.float64)
    exact = np.linalg.pinv(A, rcond=np.finfo(np.float32).eps * max(A.shape[-2:]))
    cond = np.linalg.cond(A)
    lines = [f"pinverse: cond(A) median {np.median(cond):.3g}, max {cond.max():.3g}; "
             "max over matrices of ||P - P64|| / ||P64|| against NumPy float64 with the same cut-off:"]
    for impl in IMPLS:
        got = load_result(os.path.join(root, w.name), impl, "pinv")
        if got:
            err = np.linalg.norm(got[0] - exact, axis=(1, 2)) / np.linalg.norm(exact, axis=(1, 2))
            lines.append(f"  {TITLES[impl]}: {err.max():.2e}")
    return lines


def startup_times(root, jacobi, repeats=5):
    """Median wall time of process start to first printed result: vmap(jacrev(f))(x) on the tiny
    workload's weights, printed, by jacobi -c, python -c with torch and python -c with JAX."""
    w = BY_NAME["tiny"]
    d = os.path.abspath(os.path.join(root, w.name))
    write_data(root, w)
    jac = "\n".join(loads(w, d) + definitions(w, "vmap_jacrev") + ["print(vmap(jacrev(f))(x))"])
    arrays = "\n".join(f"{n} = {{conv}}(np.load({os.path.join(d, n + '.npy')!r}))" for n in
                       ["x", "W1", "b1", "W2", "b2", "W3", "b3"])
    body = "def f(x):\n    h = {tanh}(x @ W1.T + b1)\n    h = {tanh}(h @ W2.T + b2)\n    return h @ W3.T + b3\n"
    torch_code = ("import numpy as np, torch\nfrom torch.func import vmap, jacrev\ntorch.set_num_threads(2)\n"
                  + arrays.format(conv="torch.from_numpy") + "\n" + body.format(tanh="torch.tanh")
                  + "print(vmap(jacrev(f))(x))\n")
    jax_code = ("import numpy as np, jax, jax.numpy as jnp\n" + arrays.format(conv="jnp.asarray") + "\n"
                + body.format(tanh="jnp.tanh") + "print(jax.jit(jax.vmap(jax.jacrev(f)))(x))\n")
    commands = {"jacobi -c": [jacobi, "-c", jac], "python -c, torch.func": [sys.executable, "-c", torch_code],
                "python -c, JAX jit": [sys.executable, "-c", jax_code]}
    result = {}
    for name, cmd in commands.items():
        times, before, t_start = [], cpu_seconds(), time.perf_counter()
        for _ in range(repeats):
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if p.returncode != 0 or "[" not in p.stdout:
                result[name] = dict(error=f"exit {p.returncode}: {p.stderr.strip()[-800:]}")
                break
        else:
            result[name] = dict(median_ms=statistics.median(times) * 1e3, runs=repeats,
                                others_cpu=others_share(before, cpu_seconds(), time.perf_counter() - t_start))
    return result


def machine_line(jacobi):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    jv = subprocess.run([jacobi, "--version"], capture_output=True, text=True).stdout.strip().replace("\n", "; ")
    built = datetime.datetime.fromtimestamp(os.path.getmtime(jacobi)).astimezone()
    jv += f" ({jacobi}, built {built:%Y-%m-%d %H:%M})"
    return (f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {cpu}, {os.cpu_count()} cores, "
            f"{jv}; torch {metadata.version('torch')} (2 threads), "
            f"jax {metadata.version('jax')} / jaxlib {metadata.version('jaxlib')} (CPU, XLA defaults), "
            f"numpy {np.__version__}, Python {platform.python_version()}")


# ---- printing --------------------------------------------------------------------------------

def fmt_ms(ms):
    if ms is None:
        return "—"
    return f"{ms:.3f} ms" if ms < 1 else f"{ms:.2f} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 1000 \
        else f"{ms / 1e3:.3f} s"


def fmt_ratio(r):
    return f"{r:.3f}x" if r < 0.1 else f"{r:.2f}x" if r < 10 else f"{r:.0f}x"


def fmt_mib(kb):
    return f"{kb / 1024:.1f} MiB"


def render(header, rows, markdown):
    if markdown:
        return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                         + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(c.ljust(n) for c, n in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * n for n in widths])] + [line(r) for r in rows])


def star(r):
    return "*" if r.get("others_cpu", 0) > CONTENDED else ""


def report(workloads, recs, checks, startup, notes, machine, markdown):
    out = []
    h = (lambda s: f"### {s}\n") if markdown else (lambda s: f"== {s}\n")
    ok = lambda r: r is not None and "error" not in r  # noqa: E731

    rows = []
    for w in workloads:
        for variant, impls in w.variants:
            j = recs.get((w.name, variant, JACOBI))
            row = [w.name, variant, fmt_ms(j["median_ms"]) + star(j) if ok(j) else ("FAILED" if j else "—")]
            jj, jit = recs.get((w.name, variant, JACOBI_JAX)), recs.get((w.name, variant, JAX_JIT))
            cell = fmt_ms(jj["median_ms"]) + star(jj) if ok(jj) else ("FAILED" if jj else "—")
            if ok(jj) and ok(jit):
                cell += f" ({fmt_ratio(jj['median_ms'] / jit['median_ms'])} of JAX jit)"
            row.append(cell)
            for impl in PEERS:
                r = recs.get((w.name, variant, impl))
                if not ok(r):
                    row.append("FAILED" if r else "—")
                    continue
                cell = fmt_ms(r["median_ms"]) + star(r)
                if ok(j):
                    cell += f" ({fmt_ratio(j['median_ms'] / r['median_ms'])})"
                row.append(cell)
            mine = {i: c for (wn, v, i), c in checks.items() if wn == w.name and v == variant}
            bad = [TITLES[i] for i, c in mine.items() if not c["ok"]]
            row.append("NO: " + ", ".join(bad) if bad else "yes" if mine else "unchecked")
            rows.append(row)
    out += [h("Median time per call (Jacobi / peer in parentheses: below 1x Jacobi is faster)"),
            render(["workload", "variant", "Jacobi", TITLES[JACOBI_JAX]] + [TITLES[i] for i in PEERS] + ["agree"], rows, markdown),
            "", f"agree: every result np.allclose(rtol={RTOL}, atol={ATOL}) to torch.func's (jacobian_loop: to torch.func's "
            f"jacrev(f)(x)); pinverse: per-matrix ||P - P_torch|| / ||P_torch|| <= {PINV_RTOL}. The torch.func column of pinverse is torch.linalg.pinv. *: other processes used more "
            f"than {CONTENDED:.0%} of the machine's CPU during that measurement.", ""]

    rows = []
    for w in workloads:
        for variant, impls in w.variants:
            j, x = recs.get((w.name, variant, JACOBI)), recs.get((w.name, variant, JAX_JIT))
            if ok(j) or ok(x):
                rows.append([w.name, variant, fmt_ms(j["compile_ms"]) if ok(j) else "—",
                             fmt_ms(x["compile_ms"]) if ok(x) else "—"])
    out += [h("Compile time (first call, not in the medians)"),
            render(["workload", "variant", "Jacobi", "JAX jit (trace + lower + compile)"], rows, markdown), ""]

    rows = []
    for w in workloads:
        base = {}
        for variant, impls in w.variants:
            j = recs.get((w.name, variant, JACOBI))
            row = [w.name, variant, f"{j['program_peak_kb'] * 1000 / 2**20:.2f} MiB" if ok(j) else "—"]
            for impl in [JACOBI, JACOBI_JAX] + PEERS:
                r = recs.get((w.name, variant, impl))
                row.append(f"{(r['peak_rss_kb'] - r['base_rss_kb']) / 1024:+.1f} MiB" if ok(r) else "—")
                if ok(r):
                    base.setdefault(impl, []).append(r["base_rss_kb"])
            rows.append(row)
        rows.append([w.name, "(base RSS)", ""] + [fmt_mib(statistics.median(base[i])) if i in base else "—"
                                                  for i in [JACOBI, JACOBI_JAX] + PEERS])
    out += [h("Memory: peak RSS above base RSS per process (one process per variant)"),
            render(["workload", "variant", "Jacobi program peak"] + [TITLES[i] for i in [JACOBI, JACOBI_JAX] + PEERS],
                   rows, markdown), ""]

    if startup:
        j = startup.get("jacobi -c", {})
        rows = [[name, fmt_ms(s["median_ms"]) + star(s) if "median_ms" in s else "FAILED",
                 fmt_ratio(j["median_ms"] / s["median_ms"]) if "median_ms" in s and "median_ms" in j else "—"]
                for name, s in startup.items()]
        out += [h("Process start to first printed result: vmap(jacrev(f))(x), tiny, median of 5"),
                render(["command", "wall time", "Jacobi / this"], rows, markdown), ""]

    if notes:
        out += [h("Problems and notes")] + (["```", *notes, "```"] if markdown else notes) + [""]
    out += [h("Machine"), machine]
    return "\n".join(out)


# ---- main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jacobi", default=os.environ.get("JACOBI", DEFAULT_JACOBI),
                    help="the jacobi binary (default: $JACOBI or .build/release/jacobi)")
    ap.add_argument("--only", help="comma-separated workloads: " + ",".join(w.name for w in WORKLOADS))
    ap.add_argument("--data", default=".build/peers-data", help="data and results directory")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--no-startup", action="store_true", help="skip the process start timings")
    ap.add_argument("--report", metavar="RESULTS_JSON", help="print the tables of an earlier run and exit")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as f:
            finish(json.load(f), a.markdown)
    jacobi, root = os.path.abspath(a.jacobi), os.path.abspath(a.data)
    names = a.only.split(",") if a.only else [w.name for w in WORKLOADS]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        ap.error(f"unknown workloads {unknown}; choose from {[w.name for w in WORKLOADS]}")
    if not os.access(jacobi, os.X_OK):
        ap.error(f"no jacobi binary at {jacobi} (use --jacobi or JACOBI=)")
    workloads = [BY_NAME[n] for n in names]
    machine = machine_line(jacobi)
    run_before, run_t0 = cpu_seconds(), time.perf_counter()

    recs, checks, notes = {}, {}, []
    jobs = [(w, v, i) for w in workloads for v, impls in w.variants for i in impls]
    for k, (w, variant, impl) in enumerate(jobs, 1):
        if k == 1 or jobs[k - 2][0] is not w:  # a new workload: fresh data, no results of earlier runs
            d = write_data(root, w)
            for name in os.listdir(d):
                if name.startswith("out_"):
                    os.remove(os.path.join(d, name))
        r = run_one(w, variant, impl, root, jacobi)
        recs[w.name, variant, impl] = r
        log(f"[{k}/{len(jobs)}] {w.name} {variant} {impl}: "
            + (f"{fmt_ms(r['median_ms'])} over {r['runs']} runs" if "error" not in r else "FAILED")
            + f", others used {r.get('others_cpu', 0):.0%} of the CPU")

    problems = []
    for w in workloads:
        first = w.variants[0][0]
        for variant, impls in w.variants:
            ref = (TORCH_FUNC, variant) if TORCH_FUNC in impls else (TORCH_FUNC, first)
            for impl in impls:
                if (impl, variant) == ref or "error" in recs[w.name, variant, impl] \
                        or "error" in recs.get((w.name, ref[1], ref[0]), {"error": 1}):
                    continue
                c = checks[w.name, variant, impl] = compare(root, w, variant, impl, ref)
                if not c["ok"]:
                    problems.append(f"MISMATCH {w.name} {variant} {TITLES[impl]} against {ref[0]} {ref[1]}: "
                                    + (c.get("why") or f"max |diff| {c['max_abs']:.3g}, "
                                       f"||diff|| / ||ref|| {c['rel']:.3g} (rtol {RTOL}, atol {ATOL})"))
        if w.kind == "pinverse" and any(not checks.get((w.name, "pinv", i), {"ok": True})["ok"] for i in IMPLS):
            notes += pinv_float64_check(root, w)
    for (wn, v, i), r in recs.items():
        if "error" in r:
            problems.append(f"FAILED {wn} {v} {TITLES[i]}: {r['error']}"
                            + (f" (script {r['script']})" if "script" in r else ""))

    startup = None if a.no_startup else startup_times(root, jacobi)
    others = others_share(run_before, cpu_seconds(), time.perf_counter() - run_t0)
    machine += f"; other processes used {others:.1%} of the CPU during the run"
    contended = [f"{k[0]} {k[1]} {TITLES[k[2]]}" for k, r in recs.items() if star(r)]
    if contended:
        notes.append(f"BUSY MACHINE: other processes used more than {CONTENDED:.0%} of the CPU while measuring "
                     + ", ".join(contended) + ". Multi-threaded peers (torch with 2 threads, XLA) slow down "
                     "most. Rerun on an idle machine before quoting those figures.")
    for name, s in (startup or {}).items():
        if "error" in s:
            problems.append(f"FAILED startup {name}: {s['error']}")

    results = dict(machine=machine, workloads=names, records=list(recs.values()), startup=startup,
                   checks=[dict(workload=k[0], variant=k[1], impl=k[2], **c) for k, c in checks.items()],
                   problems=problems, notes=notes)
    with open(os.path.join(root, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    finish(results, a.markdown)


def finish(results, markdown):
    """Print the tables of a run's results (as saved in results.json); exit 1 if it had problems."""
    recs = {(r["workload"], r["variant"], r["impl"]): r for r in results["records"]}
    checks = {(c["workload"], c["variant"], c["impl"]): c for c in results["checks"]}
    workloads = [BY_NAME[n] for n in results["workloads"]]
    print(report(workloads, recs, checks, results["startup"], results["problems"] + results["notes"],
                 results["machine"], markdown))
    for p in results["problems"]:
        log("!! " + p)
    sys.exit(1 if results["problems"] else 0)


if __name__ == "__main__":
    main()
