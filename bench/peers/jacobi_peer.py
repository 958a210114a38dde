"""Jacobi on the peer workloads. Jacobi has no Python API: this writes a Jacobi script (.jac) per
variant next to the data, runs it with the jacobi binary and reads the median of its :time line.

    python bench/peers/jacobi_peer.py WORKLOAD DATA_DIR [--variant VARIANT] [--jacobi PATH] [--jax]

With --jax the script is written in JAX's idiom, the text of jax_peer.py (`import jax.numpy as jnp`,
`jax.vmap(jax.jacrev(f))(x)`), and the records are the "jacobi-jax" implementation.

Prints the same JSON lines as torch_peer.py and jax_peer.py. Time and compile time are Jacobi's own
(:time: one compile-and-run, then at least 3 runs for 0.3 s, at most 200). Memory is measured from
outside: peak_rss_kb is the jacobi process's ru_maxrss (os.wait4), base_rss_kb that of a jacobi
process that only loads the data; program_peak_kb is the peak tensor memory :time reports.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import quiet_numpy  # noqa: E402,F401  (before NumPy: its OpenBLAS on one thread, see there)
from common import emit, out_stem
from workloads import BY_NAME, JACOBI, JACOBI_JAX, VARIANTS, weight_names

DEFAULT_JACOBI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "release", "jacobi")

EXPRESSIONS = {
    "vmap_jacrev": "vmap(jacrev(f))(x)",
    "vmap_jacfwd": "vmap(jacfwd(f))(x)",
    "jacobian_vectorized": "jacobian(f, x, vectorize=True)",
    "jacobian_loop": "jacobian(f, x)",
    "vmap_hessian": "vmap(hessian(lambda xi: f(xi)[0]))(x)",
    "param_jacobian": None,  # built from the layer count in expression()
    "pinv": "pinv(A)",
}

UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}  # -> ms
BYTES = {"B": 1e-3, "KB": 1.0, "MB": 1e3, "GB": 1e6}  # -> KB (Jacobi prints decimal units)
TIME_LINE = re.compile(r"median ([\d.]+) (ns|µs|us|ms|s) over (\d+) runs \(compile ([\d.]+) (ns|µs|us|ms|s)\), "
                       r"peak ([\d.]+) (B|KB|MB|GB)")


JAX_EXPRESSIONS = {
    "vmap_jacrev": "jax.vmap(jax.jacrev(f))(x)",
    "vmap_jacfwd": "jax.vmap(jax.jacfwd(f))(x)",
    "jacobian_vectorized": "jax.jacrev(f)(x)",
    "vmap_hessian": "jax.vmap(jax.hessian(lambda xi: f(xi)[0]))(x)",
    "param_jacobian": None,
    "pinv": "jnp.linalg.pinv(A)",
}


def expression(w, variant, jax=False):
    """The timed expression: torch.func's spelling, or JAX's (jax.vmap, in_axes=)."""
    if variant == "param_jacobian":
        names = weight_names(w)
        argnums = ", ".join(str(i + 1) for i in range(len(names)))
        axes = ", ".join(["0"] + ["None"] * len(names))
        transform = "jax.vmap(jax.jacrev" if jax else "vmap(jacrev"
        return f"{transform}(f_params, argnums=({argnums})), {'in_axes' if jax else 'in_dims'}=({axes}))(x, {', '.join(names)})"
    return (JAX_EXPRESSIONS if jax else EXPRESSIONS)[variant]


def loads(w, d):
    """Script lines loading the workload's arrays into variables of the same names."""
    names = ["A"] if w.kind == "pinverse" else ["x"] + weight_names(w)
    return [f"{n} = load({json.dumps(os.path.join(d, n + '.npy'))})" for n in names]


def definitions(w, variant):
    """def f(x), the MLP on the loaded weights, or for param_jacobian def f_params(x, W1, b1, ...),
    the MLP on its arguments (the same body: the arguments shadow the loaded weights)."""
    if w.kind == "pinverse":
        return []
    body = []
    for i in range(w.layers):
        src = "x" if i == 0 else "h"
        layer = f"{src} @ W{i + 1}.T + b{i + 1}"
        body.append(f"    h = tanh({layer})" if i < w.layers - 1 else f"    return {layer}")
    if variant == "param_jacobian":
        return [f"def f_params(x, {', '.join(weight_names(w))}):", *body]
    return ["def f(x):", *body]


def jax_definitions(w, variant):
    """definitions() in JAX's idiom: jnp.tanh, the arrays made JAX arrays with jnp.asarray."""
    names = ["A"] if w.kind == "pinverse" else ["x"] + weight_names(w)
    lines = ["import jax", "import jax.numpy as jnp"] + [f"{n} = jnp.asarray({n})" for n in names]
    return lines + [line.replace("tanh(", "jnp.tanh(") for line in definitions(w, variant)]


def script(w, d, variant, jax=False):
    """The Jacobi script of one variant: load, define, :time, then compute once more and save."""
    expr = expression(w, variant, jax=jax)
    defs = jax_definitions(w, variant) if jax else definitions(w, variant)
    lines = [f"# {w.name} / {variant}: written by bench/peers/jacobi_peer.py", *loads(w, d), *defs,
             f":time {expr}", f"R = {expr}"]
    stem = os.path.join(d, out_stem(JACOBI_JAX if jax else JACOBI, variant))
    if variant == "param_jacobian":  # a tuple: one file per parameter, like common.save_result
        lines += [f"save(R[{i}], {json.dumps(f'{stem}_{i}.npy')})" for i in range(len(weight_names(w)))]
    else:
        lines.append(f"save(R, {json.dumps(stem + '.npy')})")
    return "\n".join(lines) + "\n"


def run_jacobi(jacobi, args):
    """Run jacobi with args; (return code, stdout, stderr, ru_maxrss in KB of that process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen([jacobi, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode(), err.read().decode(), usage.ru_maxrss


def run_variant(jacobi, w, d, variant, base_kb, jax=False):
    impl = JACOBI_JAX if jax else JACOBI
    path = os.path.join(d, f"{impl}_{variant}.jac")
    with open(path, "w") as f:
        f.write(script(w, d, variant, jax=jax))
    rc, out, err, peak_kb = run_jacobi(jacobi, [path])
    m = TIME_LINE.search(out)
    if rc != 0 or not m:
        return dict(workload=w.name, impl=impl, variant=variant, script=path,
                    error=f"jacobi exited with {rc}: {(err or out).strip()[-2000:]}")
    median, unit, runs, compile_, cunit, peak, punit = m.groups()
    n_out = len(weight_names(w)) if variant == "param_jacobian" else 0
    stem = out_stem(impl, variant)
    return dict(workload=w.name, impl=impl, variant=variant, median_ms=float(median) * UNITS[unit],
                runs=int(runs), peak_rss_kb=peak_kb, base_rss_kb=base_kb,
                compile_ms=float(compile_) * UNITS[cunit], program_peak_kb=float(peak) * BYTES[punit],
                outputs=[f"{stem}_{i}.npy" for i in range(n_out)] or [f"{stem}.npy"], script=path,
                jacobi_output=out.strip())


def main():
    variants = sorted({v for vs in VARIANTS.values() for v, _ in vs})
    ap = argparse.ArgumentParser()
    ap.add_argument("workload", choices=sorted(BY_NAME))
    ap.add_argument("data_dir", help="the root data directory (the workload's data is in DATA_DIR/WORKLOAD)")
    ap.add_argument("--variant", choices=variants, help="run only this variant")
    ap.add_argument("--jacobi", default=os.environ.get("JACOBI", DEFAULT_JACOBI), help="the jacobi binary")
    ap.add_argument("--jax", action="store_true", help="run the JAX-idiom scripts (implementation jacobi-jax)")
    a = ap.parse_args()
    impl = JACOBI_JAX if a.jax else JACOBI
    w = BY_NAME[a.workload]
    d = os.path.abspath(os.path.join(a.data_dir, w.name))
    base_path = os.path.join(d, "jacobi_base.jac")
    with open(base_path, "w") as f:
        f.write("\n".join(loads(w, d)) + "\n")
    rc, out, err, base_kb = run_jacobi(a.jacobi, [base_path])
    if rc != 0:
        sys.exit(f"{a.jacobi} {base_path} failed ({rc}): {err or out}")
    for variant, impls in w.variants:
        if impl in impls and a.variant in (None, variant):
            emit(run_variant(a.jacobi, w, d, variant, base_kb, jax=a.jax))


if __name__ == "__main__":
    main()
