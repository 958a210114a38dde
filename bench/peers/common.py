"""Helpers shared by the peer scripts: timing, memory, result files and JSON output."""
import json
import os
import resource
import statistics
import time

import numpy as np

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
    parts = result if isinstance(result, (tuple, list)) else [result]
    stem = out_stem(impl, variant)
    names = [f"{stem}.npy"] if len(parts) == 1 and not isinstance(result, (tuple, list)) \
        else [f"{stem}_{i}.npy" for i in range(len(parts))]
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
