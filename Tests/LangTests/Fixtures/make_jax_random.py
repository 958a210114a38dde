#!/usr/bin/env python3
"""Generate jax_random.json: exact outputs of jax.random (JAX 0.10.2, CPU,
default config: jax_threefry_partitionable=True, jax_enable_x64=False).

Run with:  ~/peers-venv/bin/python Tests/LangTests/Fixtures/make_jax_random.py

Every output is stored as a flat, row-major list of integers together with
its dtype and shape:
  * uint/int outputs  -> the integer values;
  * bool outputs      -> 0/1;
  * float32 outputs   -> the uint32 bit patterns (compare exactly), plus a
                         human-readable "approx" list that is NOT compared.
PRNG keys (legacy uint32[..., 2] arrays) are uint32 lists of shape (..., 2).
The companion jax_random_reference.py re-derives every case in pure numpy.
"""
import json
import os
import sys
import warnings

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import random as jr  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jax_random.json")

assert jax.__version__ == "0.10.2", jax.__version__
assert jax.default_backend() == "cpu"
assert not jax.config.jax_enable_x64
assert jax.config.jax_threefry_partitionable  # default True in 0.10.2
assert jax.config.jax_default_prng_impl == "threefry2x32"

cases = []


def enc(x):
    """Encode an array as {dtype, shape, out[, approx]}."""
    a = np.asarray(x)
    d = {"dtype": str(a.dtype), "shape": list(a.shape)}
    if a.dtype == np.float32:
        d["out"] = [int(v) for v in a.reshape(-1).view(np.uint32)]
        d["approx"] = [float(v) for v in a.reshape(-1)]
    elif a.dtype == np.bool_:
        d["out"] = [int(v) for v in a.reshape(-1)]
    elif np.issubdtype(a.dtype, np.integer):
        d["out"] = [int(v) for v in a.reshape(-1)]
    else:
        raise TypeError(a.dtype)
    return d


def key_list(k):
    k = np.asarray(k)
    assert k.dtype == np.uint32 and k.shape == (2,)
    return [int(k[0]), int(k[1])]


def add(op, key=None, **args):
    """Run the operation described by op/args and append a case."""
    case = {"op": op}
    if key is not None:
        case["key"] = key_list(key)
    case["args"] = {k: v for k, v in args.items() if not k.startswith("_")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = RUN[op](None if key is None else jnp.asarray(key, jnp.uint32), **args)
        case.update(enc(result))
    except Exception as e:  # record documented error behaviour
        case["error"] = type(e).__name__
        case["message"] = str(e).splitlines()[0]
    cases.append(case)


def _dt(name):
    return None if name is None else jnp.dtype(name)


def _arr(spec):
    """Arrays in args are given as {"values": [...], "dtype": ..., "shape": ...}."""
    return jnp.asarray(np.asarray(spec["values"], dtype=spec["dtype"]).reshape(spec["shape"]))


RUN = {
    "PRNGKey": lambda _, seed: jr.PRNGKey(seed),
    "key_data_key": lambda _, seed: jr.key_data(jr.key(seed)),
    "split": lambda k, num=None: jr.split(k) if num is None else jr.split(k, tuple(num) if isinstance(num, list) else num),
    "fold_in": lambda k, data, data_type="pyint": jr.fold_in(
        k, data if data_type == "pyint" else np.dtype(data_type).type(data)),
    "bits": lambda k, shape, dtype="uint32": jr.bits(k, tuple(shape), _dt(dtype)),
    "uniform": lambda k, shape, minval=0.0, maxval=1.0: jr.uniform(k, tuple(shape), jnp.float32, minval, maxval),
    "normal": lambda k, shape: jr.normal(k, tuple(shape), jnp.float32),
    "bernoulli": lambda k, p, shape=None: jr.bernoulli(k, p, None if shape is None else tuple(shape)),
    "randint": lambda k, shape, minval, maxval, dtype="int32": jr.randint(k, tuple(shape), minval, maxval, _dt(dtype)),
    "permutation_int": lambda k, n: jr.permutation(k, n),
    "permutation_array": lambda k, x, axis=0: jr.permutation(k, _arr(x), axis=axis),
    "choice": lambda k, a, shape, replace=True, p=None: jr.choice(
        k, a if isinstance(a, int) else _arr(a), tuple(shape), replace,
        None if p is None else _arr(p)),
}

# ---------------------------------------------------------------- seeding
SEEDS = [0, 1, 42, -1, 2**31 - 1, 123456789,
         # beyond int32: x64 is off, so the seed is wrapped to its low 32 bits
         2**31, -2**31, 2**32 + 5, 2**40 + 3, 2**63 - 1, -2**63,
         # beyond int64: np.int64(seed) raises OverflowError
         2**64]
for s in SEEDS:
    add("PRNGKey", seed=s)
    add("key_data_key", seed=s)

# ---------------------------------------------------------------- keys
K0 = np.asarray(jr.PRNGKey(0))
K42 = np.asarray(jr.PRNGKey(42))
KS = np.asarray(jr.split(jr.PRNGKey(0)))[1]          # a split result
KM = np.asarray(jr.PRNGKey(-1))                       # (0, 0xFFFFFFFF)
KF = np.asarray(jr.fold_in(jr.PRNGKey(123456789), 7))  # both words "random"
KEYS = [K0, K42, KS, KM, KF]

# ---------------------------------------------------------------- split
for k in KEYS:
    add("split", k)                # num defaults to 2
    add("split", k, num=3)
    add("split", k, num=[2, 3])
    add("split", k, num=1)
for k in [K0, KF]:
    add("split", k, num=7)
    add("split", k, num=[2, 1, 3])

# ---------------------------------------------------------------- fold_in
for k in KEYS:
    for d in [0, 1, 7, 2**31 - 1, 2**31, 2**32 - 1, 123456789]:
        add("fold_in", k, data=d)
    add("fold_in", k, data=-3, data_type="int32")  # np.int32(-3) wraps to 2**32-3
add("fold_in", K0, data=-3)        # Python int -3 -> OverflowError
add("fold_in", K0, data=2**32)     # Python int 2**32 -> OverflowError

# ---------------------------------------------------------------- bits
SHAPES = [[], [1], [3], [2, 3], [5], [2, 2, 2]]
for k in KEYS:
    for sh in SHAPES:
        add("bits", k, shape=sh)
    for dt in ["uint8", "uint16"]:
        for sh in [[], [3], [2, 3], [5]]:
            add("bits", k, shape=sh, dtype=dt)
# uint64 with x64 off: dtype is canonicalized to uint32 (with a warning)
add("bits", K0, shape=[3], dtype="uint64")
add("bits", K0, shape=[40])

# ---------------------------------------------------------------- uniform
for k in KEYS:
    for sh in [[], [1], [3], [2, 3], [5]]:
        add("uniform", k, shape=sh)
        add("uniform", k, shape=sh, minval=-2.0, maxval=3.0)
for k in [K0, K42]:
    # large enough to expose the fused multiply-add in floats*(max-min)+min
    add("uniform", k, shape=[64], minval=-2.0, maxval=3.0)
    add("uniform", k, shape=[32], minval=0.5, maxval=7.3)
    add("uniform", k, shape=[32], minval=-1000.0, maxval=0.001)
    add("uniform", k, shape=[16], minval=3.0, maxval=-2.0)   # maxval < minval: lax.max clamp
    add("uniform", k, shape=[8], minval=1.0, maxval=1.0)

# ---------------------------------------------------------------- normal
for k in KEYS:
    for sh in [[], [3], [4, 5], [7]]:
        add("normal", k, shape=sh)
add("normal", K0, shape=[512])
add("normal", KF, shape=[512])

# ---------------------------------------------------------------- bernoulli
for k in KEYS:
    for p in [0.3, 0.5]:
        add("bernoulli", k, p=p, shape=[10])
        add("bernoulli", k, p=p, shape=[3, 4])
    add("bernoulli", k, p=0.5)          # shape None -> p.shape == ()
add("bernoulli", K0, p=0.0, shape=[8])
add("bernoulli", K0, p=1.0, shape=[8])

# ---------------------------------------------------------------- randint
RANGES = [(0, 10), (-5, 5), (0, 2**31 - 1), (-2**31, 2**31 - 1), (0, 65536),
          (0, 65537), (-100, 1000), (3, 4), (5, 5), (7, 3)]
for k in KEYS:
    for lo, hi in RANGES:
        add("randint", k, shape=[4], minval=lo, maxval=hi)
    add("randint", k, shape=[2, 3], minval=0, maxval=10)
    add("randint", k, shape=[], minval=0, maxval=10)
    add("randint", k, shape=[10], minval=-5, maxval=5)
# narrow dtypes: sampled as int32 after clipping min/max to the dtype range
add("randint", K0, shape=[6], minval=0, maxval=256, dtype="uint8")
add("randint", K0, shape=[6], minval=-10, maxval=10, dtype="int8")
add("randint", K0, shape=[6], minval=-300, maxval=300, dtype="int8")
add("randint", K0, shape=[6], minval=0, maxval=1000, dtype="int16")
add("randint", K0, shape=[6], minval=0, maxval=70000, dtype="uint16")
add("randint", K0, shape=[4], minval=0, maxval=2**31)   # OverflowError (int32 maxval)

# ---------------------------------------------------------------- permutation
for k in KEYS:
    add("permutation_int", k, n=10)
    add("permutation_int", k, n=5)
    add("permutation_int", k, n=1)      # 0 rounds
    add("permutation_array", k, x={"values": [float(i) * 1.5 for i in range(8)],
                                   "dtype": "float32", "shape": [8]})
    add("permutation_array", k, x={"values": list(range(12)), "dtype": "int32", "shape": [4, 3]})
add("permutation_int", K0, n=0)
add("permutation_int", K0, n=100)
add("permutation_int", K0, n=1625)      # last n with 1 round
add("permutation_int", K0, n=1626)      # first n with 2 rounds
add("permutation_int", K42, n=2000)

# ---------------------------------------------------------------- choice
A5 = {"values": [0.0, 2.0, 4.0, 6.0, 8.0], "dtype": "float32", "shape": [5]}   # jnp.arange(5.)*2
P5 = {"values": [0.1, 0.2, 0.3, 0.25, 0.15], "dtype": "float32", "shape": [5]}
P40 = {"values": [float(v) for v in (np.arange(1, 41, dtype=np.float32) / np.float32(820))],
       "dtype": "float32", "shape": [40]}
for k in KEYS:
    add("choice", k, a=10, shape=[4])
    add("choice", k, a=10, shape=[4], replace=False)
    add("choice", k, a=A5, shape=[3], p=P5)
    add("choice", k, a=A5, shape=[3], replace=False, p=P5)
    add("choice", k, a=10, shape=[])
    add("choice", k, a=5, shape=[2, 2], replace=False)
    add("choice", k, a=A5, shape=[6])
    add("choice", k, a=A5, shape=[3], replace=False)
    add("choice", k, a=5, shape=[8], p=P5)
    add("choice", k, a=40, shape=[10], p=P40)              # cumsum longer than 16
    add("choice", k, a=40, shape=[10], replace=False, p=P40)

meta = {
    "jax_version": jax.__version__,
    "jaxlib_version": jax.lib.__version__ if hasattr(jax.lib, "__version__") else None,
    "backend": jax.default_backend(),
    "jax_enable_x64": bool(jax.config.jax_enable_x64),
    "jax_threefry_partitionable": bool(jax.config.jax_threefry_partitionable),
    "jax_default_prng_impl": jax.config.jax_default_prng_impl,
    "float_encoding": "float32 outputs are uint32 bit patterns in 'out'; 'approx' is informational",
    "normal_tolerance_ulp": 1,
    "case_count": len(cases),
}
# One case per line keeps the file diffable; allow_nan=False guards the format.
with open(OUT, "w") as f:
    f.write('{"meta":' + json.dumps(meta, sort_keys=True, allow_nan=False) + ',\n"cases":[\n')
    f.write(",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases))
    f.write("\n]}\n")
print(f"wrote {len(cases)} cases to {OUT}", file=sys.stderr)
