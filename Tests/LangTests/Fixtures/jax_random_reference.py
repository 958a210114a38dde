#!/usr/bin/env python3
"""Pure-numpy reimplementation of jax.random (JAX 0.10.2, CPU, default config:
jax_threefry_partitionable=True, jax_enable_x64=False), written from
jax_random_spec.md.  It exists to prove that the spec is complete: run

    ~/peers-venv/bin/python Tests/LangTests/Fixtures/jax_random_reference.py

and every case of jax_random.json is recomputed here and compared bit for bit
(normal: within 1 ulp, see the spec).  Nothing here imports jax unless
--stress is given, in which case extra randomized comparisons against the
installed jax are run as well.

All integer arithmetic is done on numpy uint32 arrays, whose +, *, << wrap
modulo 2**32 exactly like XLA's u32 ops.
"""
import json
import math
import os
import sys

import numpy as np

U32 = np.uint32
MASK32 = 0xFFFFFFFF
HERE = os.path.dirname(os.path.abspath(__file__))


class ReferenceOverflowError(Exception):
    """Stands for the OverflowError JAX raises for an out-of-range Python int."""


def u32(x):
    return np.asarray(x, dtype=np.uint32)


# --------------------------------------------------------------------------
# Threefry-2x32 (20 rounds)
# --------------------------------------------------------------------------
ROT = ((13, 15, 26, 6), (17, 29, 16, 24))


def _rotl(v, r):
    return (v << U32(r)) | (v >> U32(32 - r))


def threefry2x32(k0, k1, x0, x1):
    """Hash the counter pairs (x0, x1) (broadcast arrays) under key (k0, k1)."""
    k0, k1 = u32(k0), u32(k1)
    x0, x1 = np.broadcast_arrays(u32(x0), u32(x1))
    x0, x1 = x0.copy(), x1.copy()
    ks = [k0, k1, k0 ^ k1 ^ U32(0x1BD11BDA)]
    with np.errstate(over="ignore"):
        x0 = x0 + ks[0]
        x1 = x1 + ks[1]
        for g in range(5):
            for r in ROT[g % 2]:
                x0 = x0 + x1
                x1 = _rotl(x1, r)
                x1 = x1 ^ x0
            x0 = x0 + ks[(g + 1) % 3]
            x1 = x1 + ks[(g + 2) % 3] + U32(g + 1)
    return x0, x1


# --------------------------------------------------------------------------
# Key operations
# --------------------------------------------------------------------------
def seed_key(seed):
    """PRNGKey(seed) / key_data(key(seed)) for a Python int, x64 off."""
    if not (-2**63 <= seed < 2**63):
        raise ReferenceOverflowError("np.int64(seed) overflows")
    lo = seed & MASK32            # int64 -> int32 wrap, then & 0xFFFFFFFF
    return u32([0, lo])           # high word: logical shift of an int32 by 32 -> 0


def _iota_hi_lo(shape):
    n = math.prod(shape)
    idx = np.arange(n, dtype=np.uint64)
    hi = (idx >> np.uint64(32)).astype(np.uint32).reshape(shape)
    lo = (idx & np.uint64(MASK32)).astype(np.uint32).reshape(shape)
    return hi, lo


def split(key, shape=(2,)):
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(shape)
    hi, lo = _iota_hi_lo(shape)
    a, b = threefry2x32(key[0], key[1], hi, lo)
    return np.stack([a, b], axis=-1)


def fold_in(key, data):
    a, b = threefry2x32(key[0], key[1], u32(0), u32(data))
    return np.array([a, b], dtype=np.uint32).reshape(2)


def random_bits(key, bit_width, shape):
    shape = tuple(shape)
    hi, lo = _iota_hi_lo(shape)
    a, b = threefry2x32(key[0], key[1], hi, lo)
    r = (a ^ b).reshape(shape)
    if bit_width == 32:
        return r
    if bit_width == 16:
        return r.astype(np.uint16)   # keeps the low 16 bits
    if bit_width == 8:
        return r.astype(np.uint8)    # keeps the low 8 bits
    if bit_width == 64:              # only reachable with x64 on
        return (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)
    raise ValueError(bit_width)


# --------------------------------------------------------------------------
# float32 helpers
# --------------------------------------------------------------------------
def fma32(a, b, c):
    """Correctly rounded float32 fused multiply-add a*b+c (vectorized).

    a*b is exact in float64 (24+24 bits).  The float64 sum is made
    round-to-odd (exact error by TwoSum, then nudge to the odd neighbour),
    which makes the final float64->float32 rounding correct (53 >= 24+2).
    """
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                  np.asarray(c, np.float32))
    p = a.astype(np.float64) * b.astype(np.float64)
    cd = c.astype(np.float64)
    s = p + cd
    bp = s - cd
    err = (p - bp) + (cd - (s - bp))          # TwoSum: p + cd == s + err exactly
    odd = (s.view(np.uint64) & np.uint64(1)) == 1
    fix = (err != 0) & ~odd & np.isfinite(s)
    s = np.where(fix, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)
    return s.astype(np.float32)


def ulp_diff32(a, b):
    """Distance in float32 ulps (monotone integer mapping of the bit patterns)."""
    def key(x):
        i = np.asarray(x, np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return np.abs(key(a) - key(b))


# --------------------------------------------------------------------------
# Samplers
# --------------------------------------------------------------------------
def uniform(key, shape, minval=0.0, maxval=1.0):
    shape = tuple(shape)
    minval, maxval = np.float32(minval), np.float32(maxval)
    bits = random_bits(key, 32, shape)
    f = ((bits >> U32(9)) | U32(0x3F800000)).view(np.float32) - np.float32(1.0)
    span = np.float32(maxval - minval)
    y = fma32(f, span, minval)            # XLA CPU contracts f*span+minval into one FMA
    return np.maximum(minval, y).reshape(shape)


ERFINV_SMALL = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]
ERFINV_LARGE = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
                0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]

# Cephes single-precision log polynomial (as in Eigen's plog_float), the
# natural log XLA:CPU emits for f32.
LOG_P = [7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
         1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
         3.3333331174E-1]
LOG_Q1 = -2.12194440e-4
LOG_Q2 = 0.693359375

# Cephes log1p rational approximation XLA emits for |x| < sqrt(2)-1.
LOG1P_NUM = [4.5270000862445199635215E-5, 4.9854102823193375972212E-1,
             6.5787325942061044846969E0, 2.9911919328553073277375E1,
             6.0949667980987787057556E1, 5.7112963590585538103336E1,
             2.0039553499201281259648E1]
LOG1P_DEN = [1., 1.5062909083469192043167E1, 8.3047565967967209469434E1,
             2.2176239823732856465394E2, 3.0909872225312059774938E2,
             2.1642788614495947685003E2, 6.0118660497603843919306E1]

F32 = np.float32
MIN_NORMAL32 = np.finfo(np.float32).tiny


def _daz(x):
    """XLA:CPU runs with denormals-are-zero / flush-to-zero."""
    return np.where(np.abs(x) < MIN_NORMAL32, F32(0) * x, x).astype(F32)


def xla_log32(x):
    """float32 natural log exactly as XLA:CPU computes it (FMA machine)."""
    x = _daz(np.asarray(x, F32))
    t = np.maximum(x, MIN_NORMAL32)               # NaN-free domain for the core
    t = np.where(np.isfinite(t), t, F32(1))
    bits = t.view(np.uint32)
    e = ((bits >> U32(23)).astype(np.int32) - 126).astype(F32)   # frexp exponent
    m = ((bits & U32(0x807FFFFF)) | U32(0x3F000000)).view(F32)    # mantissa in [0.5, 1)
    small = m < F32(0.707106781186547524)
    e = np.where(small, e - F32(1), e).astype(F32)
    r = (m - F32(1) + np.where(small, m, F32(0))).astype(F32)      # (m-1) [+ m]: exact
    r2 = (r * r).astype(F32)
    r3 = (r2 * r).astype(F32)
    P = [F32(c) for c in LOG_P]
    y = fma32(r, P[0], P[1])
    y1 = fma32(r, P[3], P[4])
    y2 = fma32(r, P[6], P[7])
    y = fma32(y, r, P[2])
    y1 = fma32(y1, r, P[5])
    y2 = fma32(y2, r, P[8])
    y = fma32(y, r3, y1)
    y = fma32(y, r3, y2)
    y = fma32(y, r3, (e * F32(LOG_Q1)).astype(F32))   # contracted: y*r3 + e*q1
    out = fma32(-r2, F32(0.5), r)                      # r - r2/2 (exact product)
    out = (out + y).astype(F32)
    out = fma32(e, F32(LOG_Q2), out)                   # + e*q2 (exact product)
    out = np.where(x == 0, F32(-np.inf), out)
    out = np.where((x < 0) | np.isnan(x), F32(np.nan), out)
    out = np.where(x == np.inf, F32(np.inf), out)
    return out.astype(F32)


def log1p32(x, method="xla"):
    x = np.asarray(x, F32)
    if method == "libm":                   # numpy/libm log1pf, for comparison only
        return np.log1p(x)
    if method == "xla":                    # XLA:CPU: Cephes rational / log(1+x)
        x = _daz(x)
        large = xla_log32((x + F32(1)).astype(F32))
        x2 = (x * x).astype(F32)
        num = np.zeros_like(x)
        den = np.zeros_like(x)
        for c in LOG1P_NUM:
            num = fma32(num, x, F32(c))
        for c in LOG1P_DEN:
            den = fma32(den, x, F32(c))
        small = ((x * x2).astype(F32) * (num / den).astype(F32)).astype(F32)
        small = fma32(F32(-0.5), x2, small)
        small = (x + small).astype(F32)
        return np.where(np.abs(x) < F32(0.41421356237309504880), small, large).astype(F32)
    raise ValueError(method)


def erf_inv32(x, log1p_method="xla", use_fma=True):
    x = np.asarray(x, np.float32)
    w = -log1p32(x * (-x), log1p_method)
    lt = w < np.float32(5.0)
    with np.errstate(invalid="ignore"):
        w = np.where(lt, w - np.float32(2.5), np.sqrt(w) - np.float32(3.0)).astype(np.float32)
    p = np.where(lt, np.float32(ERFINV_SMALL[0]), np.float32(ERFINV_LARGE[0])).astype(np.float32)
    for cs, cl in zip(ERFINV_SMALL[1:], ERFINV_LARGE[1:]):
        c = np.where(lt, np.float32(cs), np.float32(cl)).astype(np.float32)
        p = fma32(p, w, c) if use_fma else (c + p * w).astype(np.float32)
    r = p * x
    return np.where(np.abs(x) == np.float32(1), x * np.float32(np.inf), r)


def normal(key, shape, **kw):
    lo = np.nextafter(np.float32(-1), np.float32(0))
    u = uniform(key, shape, lo, np.float32(1))
    return (np.float32(np.sqrt(2)) * erf_inv32(u, **kw)).astype(np.float32)


def bernoulli(key, p, shape=None):
    shape = () if shape is None else tuple(shape)
    return uniform(key, shape) < np.float32(p)


def _int32_arg(v):
    if not (-2**31 <= v < 2**31):
        raise ReferenceOverflowError("Python int does not fit int32")
    return v


def randint(key, shape, minval, maxval, dtype="int32"):
    shape = tuple(shape)
    dtype = np.dtype(dtype)
    if dtype.itemsize < 4:                   # narrow dtypes: sample as int32
        info = np.iinfo(dtype)
        minval = int(np.clip(np.int64(minval).astype(np.int32), info.min, info.max))
        maxval = int(np.clip(np.int64(maxval).astype(np.int32), info.min, info.max + 1))
        return randint(key, shape, minval, maxval, "int32").astype(dtype)
    assert dtype == np.int32, "only int32/narrow dtypes are reachable with x64 off"
    minval, maxval = _int32_arg(minval), _int32_arg(maxval)
    k = split(key, 2)
    higher = random_bits(k[0], 32, shape)
    lower = random_bits(k[1], 32, shape)
    span = U32((maxval - minval) & MASK32)   # int32 subtraction wraps, then reinterpret
    if maxval <= minval:
        span = U32(1)
    with np.errstate(over="ignore"):
        mult = U32(65536) % span
        mult = (u32(mult) * u32(mult)) % span    # wraps to 0 when span > 65536
        off = (higher % span) * mult + (lower % span)
        off = off % span
        res = (np.int64(minval) + off.astype(np.int64)) & MASK32
    return res.astype(np.uint32).view(np.int32).reshape(shape)


def _num_rounds(n):
    return int(np.ceil(3 * np.log(max(1, n)) / np.log(np.iinfo(np.uint32).max)))


def _shuffle(key, x):
    """Sort-based shuffle of x along axis 0 (x 1-D here)."""
    for _ in range(_num_rounds(x.size)):
        ks = split(key, 2)
        key, sub = ks[0], ks[1]
        sort_keys = random_bits(sub, 32, x.shape)
        x = x[np.argsort(sort_keys, kind="stable")]
    return x


def permutation(key, x):
    if isinstance(x, (int, np.integer)):
        return _shuffle(key, np.arange(int(x), dtype=np.int32))
    x = np.asarray(x)
    if x.ndim == 1:
        return _shuffle(key, x)
    ind = _shuffle(key, np.arange(x.shape[0], dtype=np.int32))
    return x[ind]


def cumsum32(v):
    """XLA CPU float32 cumsum (reduce-window rewritten into 16-wide blocks)."""
    v = np.asarray(v, np.float32)
    n = v.size
    if n <= 16:
        return np.cumsum(v, dtype=np.float32)
    m = -(-n // 16)
    rows = np.zeros(m * 16, np.float32)
    rows[:n] = v
    rows = np.cumsum(rows.reshape(m, 16), axis=1, dtype=np.float32)
    totals = cumsum32(rows[:, -1].copy())
    excl = np.concatenate([np.zeros(1, np.float32), totals[:-1]])
    return (rows + excl[:, None]).astype(np.float32).reshape(-1)[:n]


def gumbel_low(key, shape):
    tiny = np.finfo(np.float32).tiny
    u = uniform(key, shape, tiny, np.float32(1))
    return -xla_log32(-xla_log32(u))


def choice(key, a, shape, replace=True, p=None):
    shape = tuple(shape)
    arr = None if isinstance(a, (int, np.integer)) else np.asarray(a)
    n_inputs = int(a) if arr is None else arr.shape[0]
    n_draws = math.prod(shape)
    if n_draws == 0:
        return np.zeros(shape, np.int32 if arr is None else arr.dtype)
    if p is None:
        if replace:
            ind = randint(key, shape, 0, n_inputs)
            res = ind if arr is None else arr[ind]
        else:
            res = permutation(key, n_inputs if arr is None else arr)[:n_draws]
    else:
        p = np.asarray(p, np.float32)
        if replace:
            cum = cumsum32(p)
            r = cum[-1] * (np.float32(1) - uniform(key, shape))
            ind = np.searchsorted(cum, r, side="left").astype(np.int32)
        else:
            g = (gumbel_low(key, (n_inputs,)) + xla_log32(p)).astype(np.float32)
            ind = np.argsort(-g, kind="stable")[:n_draws].astype(np.int32)
        res = ind if arr is None else arr[ind]
    return np.asarray(res).reshape(shape)


# --------------------------------------------------------------------------
# Fixture replay
# --------------------------------------------------------------------------
def _arr(spec):
    return np.asarray(spec["values"], dtype=spec["dtype"]).reshape(spec["shape"])


def run_case(c):
    op, a = c["op"], c["args"]
    key = u32(c["key"]) if "key" in c else None
    if op in ("PRNGKey", "key_data_key"):
        return seed_key(a["seed"])
    if op == "split":
        return split(key, a.get("num", 2))
    if op == "fold_in":
        d = a["data"]
        if a.get("data_type", "pyint") == "pyint":
            if not (0 <= d < 2**32):
                raise ReferenceOverflowError("Python int out of bounds for uint32")
            return fold_in(key, d)
        return fold_in(key, np.array(d, dtype=a["data_type"]).astype(np.uint32))
    if op == "bits":
        dt = np.dtype(a.get("dtype", "uint32"))
        width = 32 if dt.itemsize == 8 else dt.itemsize * 8   # uint64 -> uint32 with x64 off
        return random_bits(key, width, a["shape"])
    if op == "uniform":
        return uniform(key, a["shape"], a.get("minval", 0.0), a.get("maxval", 1.0))
    if op == "normal":
        return normal(key, a["shape"])
    if op == "bernoulli":
        return bernoulli(key, a["p"], a.get("shape"))
    if op == "randint":
        return randint(key, a["shape"], a["minval"], a["maxval"], a.get("dtype", "int32"))
    if op == "permutation_int":
        return permutation(key, a["n"])
    if op == "permutation_array":
        return permutation(key, _arr(a["x"]))
    if op == "choice":
        aa = a["a"] if isinstance(a["a"], int) else _arr(a["a"])
        p = None if a.get("p") is None else _arr(a["p"])
        return choice(key, aa, a["shape"], a.get("replace", True), p)
    raise ValueError(op)


def encode(x):
    x = np.asarray(x)
    if x.dtype == np.float32:
        return str(x.dtype), list(x.shape), [int(v) for v in x.reshape(-1).view(np.uint32)]
    return str(x.dtype), list(x.shape), [int(v) for v in x.reshape(-1)]


def replay(path):
    with open(path) as f:
        data = json.load(f)
    cases = data["cases"]
    ok = fail = 0
    normal_exact = normal_total = normal_max_ulp = 0
    by_op = {}
    for i, c in enumerate(cases):
        good = False
        try:
            got = run_case(c)
            if "error" in c:
                why = f"expected {c['error']}, got a result"
            else:
                dt, sh, out = encode(got)
                if dt != c["dtype"] or sh != c["shape"]:
                    why = f"dtype/shape {dt}{sh} != {c['dtype']}{c['shape']}"
                elif c["op"] == "normal":
                    exp = np.array(c["out"], np.uint32).view(np.float32)
                    d = ulp_diff32(np.array(out, np.uint32).view(np.float32), exp)
                    normal_total += d.size
                    normal_exact += int(np.sum(d == 0))
                    normal_max_ulp = max(normal_max_ulp, int(d.max(initial=0)))
                    good = bool(np.all(d <= 1))
                    why = f"max ulp {int(d.max(initial=0))}"
                else:
                    good = out == c["out"]
                    why = "values differ"
        except ReferenceOverflowError:
            good = c.get("error") == "OverflowError"
            why = "unexpected OverflowError"
        if good:
            ok += 1
        else:
            fail += 1
            print(f"FAIL case {i}: {c['op']} {c.get('key')} {c['args']}: {why}")
        t = by_op.setdefault(c["op"], [0, 0])
        t[0 if good else 1] += 1
    print(f"fixture: {len(cases)} cases, {ok} match, {fail} fail")
    for op, (g, b) in sorted(by_op.items()):
        print(f"  {op:18s} {g:4d} ok {b:3d} fail")
    print(f"  normal: {normal_exact}/{normal_total} values bit-exact, max {normal_max_ulp} ulp")
    return fail == 0


def stress():
    """Randomized comparison against the installed jax (optional)."""
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import warnings
    import jax
    import jax.numpy as jnp
    from jax import random as jr
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(1234)
    bad = 0
    keys = [u32(rng.integers(0, 2**32, size=2, dtype=np.uint64)) for _ in range(6)]
    for key in keys:
        jk = jnp.asarray(key)
        xs = rng.random(3000).astype(np.float32)
        checks = [
            ("split(9)", split(key, 9), jr.split(jk, 9)),
            ("bits(4096)", random_bits(key, 32, (4096,)), jr.bits(jk, (4096,))),
            ("bits u8", random_bits(key, 8, (33,)), jr.bits(jk, (33,), jnp.uint8)),
            ("uniform(-2,3)", uniform(key, (20000,), -2., 3.), jr.uniform(jk, (20000,), minval=-2., maxval=3.)),
            ("uniform(-7.5,1e-3)", uniform(key, (20000,), -7.5, 1e-3), jr.uniform(jk, (20000,), minval=-7.5, maxval=1e-3)),
            ("randint(0,1000)", randint(key, (5000,), 0, 1000), jr.randint(jk, (5000,), 0, 1000)),
            ("randint(-9,70001)", randint(key, (5000,), -9, 70001), jr.randint(jk, (5000,), -9, 70001)),
            ("randint(full)", randint(key, (5000,), -2**31, 2**31 - 1), jr.randint(jk, (5000,), -2**31, 2**31 - 1)),
            ("permutation(3000)", permutation(key, 3000), jr.permutation(jk, 3000)),
            ("choice p(40)", choice(key, 40, (500,), True, np.arange(1, 41, dtype=np.float32)),
             jr.choice(jk, 40, (500,), True, jnp.arange(1, 41, dtype=jnp.float32))),
            ("choice p no-replace", choice(key, 40, (30,), False, np.arange(1, 41, dtype=np.float32)),
             jr.choice(jk, 40, (30,), False, jnp.arange(1, 41, dtype=jnp.float32))),
            ("cumsum(3000)", cumsum32(xs), jnp.cumsum(jnp.asarray(xs))),
            ("cumsum(37)", cumsum32(xs[:37]), jnp.cumsum(jnp.asarray(xs[:37]))),
        ]
        for name, mine, theirs in checks:
            mine, theirs = np.asarray(mine), np.asarray(theirs)
            same = mine.shape == theirs.shape and mine.tobytes() == theirs.astype(mine.dtype).tobytes()
            if not same:
                bad += 1
                print(f"STRESS FAIL {name} key={key.tolist()}")
        ours = {m: normal(key, (100000,), log1p_method=m) for m in ("xla", "libm")}
        theirs = np.asarray(jr.normal(jk, (100000,)))
        for m, v in ours.items():
            d = ulp_diff32(v, theirs)
            print(f"  normal key={key.tolist()} log1p={m:6s}: exact {np.mean(d == 0):.4%}, max {d.max()} ulp")
            if m == "xla" and d.max() > 0:
                bad += 1
    print("stress:", "all match" if bad == 0 else f"{bad} failures")
    return bad == 0


if __name__ == "__main__":
    ok = replay(os.path.join(HERE, "jax_random.json"))
    if "--stress" in sys.argv:
        ok = stress() and ok
    sys.exit(0 if ok else 1)
