"""Helpers shared by the peer scripts: timing, memory, result files and JSON output."""
import argparse
import json
import os
import resource
import statistics
import time

import numpy as np

from workloads import BY_NAME, load_data

# Like Jacobi's :time, but with the budget issue 8 asks of the peers: at least MIN_RUNS runs,
# more while the budget lasts, at most MAX_RUNS.
MIN_RUNS, BUDGET_S, MAX_RUNS = 5, 1.0, 200


def time_median(run, sync=lambda r: r):
    """Median seconds of run() (one untimed warm-up call first), the number of runs and the
    last result. sync(result) must wait until the result exists (JAX dispatches asynchronously)."""
    result = sync(run())
    times = []
    start = time.perf_counter()
    while len(times) < MIN_RUNS or (time.perf_counter() - start < BUDGET_S and len(times) < MAX_RUNS):
        t0 = time.perf_counter()
        result = sync(run())
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times), result


def vmrss_kb():
    """The resident set size of this process now (VmRSS in /proc/self/status), in KB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_rss_kb():
    """The highest resident set size this process has had, in KB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def mlp(layers, x, tanh):
    """The benchmark MLP: x @ W.T + b per layer, tanh after every layer but the last. layers is
    [(W1, b1), (W2, b2), ...] with W shaped [out, in] like nn.Linear; tanh is the framework's."""
    for i, (W, b) in enumerate(layers):
        x = x @ W.T + b
        if i < len(layers) - 1:
            x = tanh(x)
    return x


def out_stem(impl, variant):
    """The file name stem of a variant's result, e.g. out_torch.func_vmap_jacrev."""
    return f"out_{impl}_{variant}"


def save_result(directory, impl, variant, result):
    """Save a result (an array or a tuple of arrays) as out_IMPL_VARIANT.npy, or as
    out_IMPL_VARIANT_0.npy, _1.npy, ... for a tuple. Returns the file names."""
    stem = out_stem(impl, variant)
    if isinstance(result, (tuple, list)):
        parts, names = result, [f"{stem}_{i}.npy" for i in range(len(result))]
    else:
        parts, names = [result], [f"{stem}.npy"]
    for name, part in zip(names, parts):
        np.save(os.path.join(directory, name), np.asarray(part, dtype=np.float32))
    return names


def load_result(directory, impl, variant):
    """The arrays of a saved result, in order (the inverse of save_result), or None."""
    stem = os.path.join(directory, out_stem(impl, variant))
    if os.path.exists(stem + ".npy"):
        return [np.load(stem + ".npy")]
    parts = []
    while os.path.exists(f"{stem}_{len(parts)}.npy"):
        parts.append(np.load(f"{stem}_{len(parts)}.npy"))
    return parts or None


def emit(record):
    """Print one result as a JSON line (the driver reads these from stdout)."""
    print(json.dumps(record), flush=True)


def record(workload, impl, variant, median_s, runs, base_rss_kb, **extra):
    """The JSON record of one timed variant, measured in this process."""
    return dict(workload=workload, impl=impl, variant=variant, median_ms=median_s * 1e3, runs=runs,
                peak_rss_kb=peak_rss_kb(), base_rss_kb=base_rss_kb, **extra)


def flat(layers):
    """[(W1, b1), (W2, b2)] -> [W1, b1, W2, b2]"""
    return [t for layer in layers for t in layer]


def pairs(params):
    """[W1, b1, W2, b2] -> [(W1, b1), (W2, b2)]"""
    return list(zip(params[0::2], params[1::2]))


def peer_main(impls, convert, make, sync=lambda r: r):
    """The command line of a peer script: PEER.py WORKLOAD DATA_DIR [--impl I] [--variant V].

    Loads the workload's data, converts it with convert(array) (to torch or JAX arrays), records
    the base RSS, then for each selected variant of the workload that one of impls runs:
    make(workload, data, impl, variant) -> (run, extra) prepares it (extra: more JSON fields, e.g.
    compile_ms), run() is timed, its result saved next to the data and a JSON line printed.
    One variant per process gives clean memory figures: peak RSS is per process."""
    ap = argparse.ArgumentParser()
    ap.add_argument("workload", choices=sorted(BY_NAME))
    ap.add_argument("data_dir", help="the root data directory (the workload's data is in DATA_DIR/WORKLOAD)")
    ap.add_argument("--impl", choices=impls, help="run only this implementation")
    ap.add_argument("--variant", help="run only this variant")
    a = ap.parse_args()
    w = BY_NAME[a.workload]
    raw = load_data(a.data_dir, w)
    data = {k: [tuple(convert(t) for t in layer) for layer in v] if k == "layers" else convert(v)
            for k, v in raw.items()}
    base = vmrss_kb()
    for variant, runners in w.variants:
        for impl in runners:
            if impl not in impls or a.impl not in (None, impl) or a.variant not in (None, variant):
                continue
            run, extra = make(w, data, impl, variant)
            median, runs, result = time_median(run, sync)
            rec = record(w.name, impl, variant, median, runs, base, **extra)  # peak before saving
            rec["outputs"] = save_result(os.path.join(a.data_dir, w.name), impl, variant, result)
            emit(rec)
