#!/usr/bin/env python3
"""Generates jax_printing.json: golden JAX `str(array)` / `repr(array)` outputs for Jacobi's printer.

Run with a Python that has jax + numpy installed (the Swift tests never need Python):

    ~/peers-venv/bin/python Tests/PrinterTests/Fixtures/make_jax_printing.py

The float64 / int64 cases need JAX's x64 mode, which must be chosen before JAX is
used, so the script re-runs itself in a subprocess with JAX_ENABLE_X64=1 and
merges that subprocess's cases (printed as JSON on stdout) after its own.

Each case records:
  name       unique identifier
  x64        whether the case was produced with JAX_ENABLE_X64=1
  dtype      "float32" | "float64" | "int32" | "int64" | "uint32" | "bool"
  shape      list of dimension sizes
  values     row-major elements of the device value:
               float32/float64: strings holding Python's repr() of the element widened to a
                                Python float (double). repr() round-trips, so parsing the string
                                as a Double gives the exact value bit for bit (for float32 the
                                Double is exactly representable as a Float, so Float(Double)
                                is exact too). Non-finite values are "nan", "inf", "-inf";
                                negative zero is "-0.0".
               int32/int64/uint32: JSON integers (exact)
               bool:               JSON booleans
  weak_type  the array's aval.weak_type (repr appends ", weak_type=True" when set)
  str        str(x)
  repr       repr(x)

JAX's defaults are used throughout (numpy print options untouched: precision 8,
threshold 1000, edgeitems 3, linewidth 75, floatmode 'maxprec').
"""

import json
import math
import os
import subprocess
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jax_printing.json")
X64 = os.environ.get("JAX_ENABLE_X64", "") not in ("", "0", "false", "False")

import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

assert bool(jax.config.jax_enable_x64) == X64, "x64 mode mismatch"

nan = float("nan")
inf = float("inf")

DTYPES = {"float32", "float64", "int32", "int64", "uint32", "bool"}

cases = []


def encode_values(v):
    flat = v.reshape(-1)
    kind = v.dtype.kind
    if kind == "f":
        out = []
        for e in flat.tolist():  # tolist widens float32 to the exact Python float
            if math.isnan(e):
                out.append("nan")
            elif math.isinf(e):
                out.append("inf" if e > 0 else "-inf")
            else:
                s = repr(e)
                assert float(s) == e and math.copysign(1.0, float(s)) == math.copysign(1.0, e)
                out.append(s)
        return out
    if kind in "iu":
        return [int(e) for e in flat.tolist()]
    if kind == "b":
        return [bool(e) for e in flat.tolist()]
    raise ValueError(f"unsupported dtype {v.dtype}")


def add(name, x):
    assert isinstance(x, jax.Array), (name, type(x))
    assert all(c["name"] != name for c in cases), name
    v = np.asarray(x)
    dtype = x.dtype.name
    assert dtype in DTYPES, (name, dtype)
    if v.dtype.kind == "f":
        # values must be stored in the array's own float dtype
        assert v.dtype == np.dtype(dtype), (name, v.dtype)
    cases.append({
        "name": name,
        "x64": X64,
        "dtype": dtype,
        "shape": list(x.shape),
        "values": encode_values(v),
        "weak_type": bool(x.weak_type),
        "str": str(x),
        "repr": repr(x),
    })


def f32(values):
    return jnp.array(values, dtype=jnp.float32)


def key(n):
    return jax.random.PRNGKey(n)


def normal(seed, shape, scale=1.0, dtype=None):
    dtype = dtype or jnp.float32
    return jax.random.normal(key(seed), shape, dtype=dtype) * jnp.asarray(scale, dtype=dtype)


def default_cases():
    # ---------------- 0-d float32 ----------------
    add("f32_0d_weak", jnp.array(2.5))                      # weak_type=True
    add("f32_0d_strong", jnp.float32(2.5))                  # not weak
    add("f32_0d_sum", jnp.arange(4.0, dtype=jnp.float32).sum())  # 6. (not weak)
    add("f32_0d_weak_times_int", jnp.array(2.5) * 2)        # stays weak
    add("f32_0d_third", jnp.float32(1 / 3))                 # 8 digits either way
    add("f32_0d_tenth_weak", jnp.array(0.1))
    add("f32_0d_negative", jnp.float32(-1234.5678))
    add("f32_0d_1e6", jnp.float32(1e6))                     # repr exp (cutoff 1e6 for f32), str 1e+06
    add("f32_0d_999999", jnp.float32(999999.0))
    add("f32_0d_123456_7", jnp.float32(123456.7))
    add("f32_0d_2pow24", jnp.float32(16777216.0))           # str 1.6777216e+07
    add("f32_0d_1e_4", jnp.float32(1e-4))                   # float32(1e-4) < 1e-4: str sci, repr positional
    add("f32_0d_1e_5", jnp.float32(1e-5))
    add("f32_0d_1_5e_5", jnp.float32(1.5e-5))
    add("f32_0d_1e20_neg", jnp.float32(-1e20))
    add("f32_0d_zero", jnp.float32(0.0))
    add("f32_0d_negzero", jnp.float32(-0.0))
    add("f32_0d_nan", jnp.float32(nan))
    add("f32_0d_neginf", jnp.float32(-inf))
    add("f32_0d_inf_weak", jnp.array(inf))
    add("f32_0d_max", jnp.float32(np.finfo(np.float32).max))
    # ---------------- 0-d int / uint / bool ----------------
    add("i32_0d_weak", jnp.array(3))
    add("i32_0d_weak_mul", jnp.array(7) * 3)
    add("i32_0d_strong_neg", jnp.int32(-7))
    add("i32_0d_min", jnp.int32(-2147483648))
    add("u32_0d_max", jnp.uint32(4294967295))
    add("bool_0d_true", jnp.array(True))
    add("bool_0d_false", jnp.array(False))

    # ---------------- 1-d float32, positional ----------------
    add("f32_1d_int_valued", f32([1.0, 2.0]))
    add("f32_1d_arange5", jnp.arange(5.0))
    add("f32_1d_mixed_sign", f32([-1.5, 2.25, 3.0]))
    add("f32_1d_linspace", jnp.linspace(0, 1, 5))
    add("f32_1d_tenths", f32([0.1, 0.2, 0.3]))
    add("f32_1d_many_digits", f32([0.012345678, 1.0]))      # 9 fractional digits cut to 8
    add("f32_1d_pi_e", f32([3.14159265, -2.71828182]))
    add("f32_1d_ties", f32([0.001953125, 0.005859375, 0.5]))  # exact ties at the 9th digit: half-even
    add("f32_1d_round_carry", f32([0.999999999, 9.99999999, 0.5]))  # float32 rounds to 1., 10.
    add("f32_1d_1e_4_edge", f32([1e-4, 1e-3]))             # no exp: comparisons are done in float32
    add("f32_1d_ratio_1000", f32([1.0, 1000.0]))            # ratio == 1000 -> positional
    add("f32_1d_near_1e6", f32([999999.0, 5000.5]))
    add("f32_1d_zeros", jnp.zeros(3))
    add("f32_1d_zero_negzero", f32([0.0, -0.0]))
    add("f32_1d_negzero_only", f32([-0.0]))
    add("f32_1d_negzero_mixed", f32([-0.0, 1.5, 2.0]))
    add("f32_1d_weak_broadcast", lax.broadcast(jnp.array(1.5), (3,)))
    add("f32_1d_weak_times_int", jnp.array(1.5) * jnp.arange(3))
    add("f32_1d_normal", normal(0, (6,)))
    add("f32_1d_normal_x100", normal(1, (5,), 100.0))
    # ---------------- 1-d float32, exponential ----------------
    add("f32_1d_tiny", f32([1e-5, 2e-5]))
    add("f32_1d_tiny_min_digits", f32([1e-5, 1.2345678e-5]))  # shorter values extended with exact digits
    add("f32_1d_tiny_one_digit", f32([1e-5, 1.5e-5]))
    add("f32_1d_tiny_and_one", f32([1e-5, 1.0, -3.0]))
    add("f32_1d_ratio_gt_1000", f32([1.0, 1000.0001]))
    add("f32_1d_ratio_big", f32([0.5, 2000.0]))
    add("f32_1d_ge_1e6", f32([1e6, 2e6]))                  # float32 cutoff is 1e6, not 1e8
    add("f32_1d_ge_1e8", f32([1e8, 1.5e8]))
    add("f32_1d_huge_mixed", f32([1e20, -3e25, 4.5e-3]))
    add("f32_1d_zero_negzero_exp", f32([0.0, -0.0, 1e-5]))
    add("f32_1d_subnormal", f32([1e-40, 1.0]))
    add("f32_1d_normal_x1e_3", normal(2, (5,), 1e-3))
    add("f32_1d_normal_x1e5", normal(3, (5,), 1e5))
    # ---------------- non-finite ----------------
    add("f32_1d_nan_inf", f32([nan, 1.0, inf]))
    add("f32_1d_neginf_nan", f32([-inf, 1.5, nan]))
    add("f32_1d_all_nan", f32([nan, nan]))
    add("f32_1d_inf_neginf", f32([inf, -inf]))
    add("f32_1d_nan_neginf_only", f32([nan, -inf]))
    add("f32_1d_nan_exp", f32([nan, 1e-5, -inf]))
    add("f32_1d_nan_large", f32([1e10, nan]))
    add("f32_1d_nan_wide", f32([nan, 0.12345, -inf, 100.5]))
    # ---------------- wrapping at linewidth 75 ----------------
    for n in (11, 12, 13, 14, 20, 38, 39):
        add(f"f32_1d_arange{n}", jnp.arange(float(n)))      # repr dtype placement edge cases
    add("f32_1d_normal30", normal(4, (30,)))
    add("f32_1d_weak_long", lax.broadcast(jnp.array(1.5), (24,)))
    add("f32_1d_weak_13", lax.broadcast(jnp.array(2.0), (13,)))
    add("f32_1d_weak_11", lax.broadcast(jnp.array(2.0), (11,)))  # single line, 6-space sep
    add("f32_1d_weak_10", lax.broadcast(jnp.array(2.0), (10,)))  # single line, 78 chars, 1 space
    add("f32_1d_exp_long", normal(5, (16,), 1e-5))
    # ---------------- 2-d / 3-d / 4-d ----------------
    add("f32_2d_arange", jnp.arange(6.0).reshape(2, 3))
    add("f32_2d_halves", (jnp.arange(14.0) * 1.5).reshape(2, 7))
    add("f32_2d_normal", normal(6, (3, 4)))
    add("f32_2d_wrap_rows", normal(7, (4, 12)))
    add("f32_2d_nan", f32([[1.0, nan], [-inf, 2.5]]))
    add("f32_2d_exp", normal(8, (2, 3), 1e6))
    add("f32_2d_col", jnp.arange(3.0).reshape(3, 1))
    add("f32_3d_arange", jnp.arange(12.0).reshape(2, 2, 3))
    add("f32_3d_normal", normal(9, (2, 3, 4)))
    add("f32_3d_wrap", normal(10, (2, 2, 11)))
    add("f32_4d", jnp.arange(16.0).reshape(2, 2, 2, 2))
    # ---------------- summarised (> 1000 elements) ----------------
    add("f32_1d_summary_1001", jnp.arange(1001.0))
    add("f32_1d_summary_normal", normal(11, (2000,)))
    add("f32_2d_summary", jnp.arange(2000.0).reshape(40, 50))
    add("f32_2d_summary_short_axis", normal(12, (3, 400)))
    add("f32_2d_summary_tall", jnp.arange(2000.0).reshape(1000, 2))
    add("f32_3d_summary", normal(13, (10, 10, 12)))
    add("f32_1d_summary_weak", lax.broadcast(jnp.array(0.5), (1500,)))
    add("f32_1d_exact_1000", jnp.arange(1000.0))            # 1000 is not > threshold
    # ---------------- empty ----------------
    add("f32_empty_0", jnp.zeros((0,)))
    add("f32_empty_weak", jnp.array([]))
    add("f32_empty_2x0", jnp.zeros((2, 0)))
    add("i32_empty_0x3", jnp.zeros((0, 3), dtype=jnp.int32))
    add("bool_empty", jnp.zeros((0,), dtype=bool))
    # ---------------- int32 ----------------
    add("i32_1d_arange", jnp.arange(5))
    add("i32_1d_negatives", jnp.array([-5, 10, -300], dtype=jnp.int32))
    add("i32_1d_extremes", jnp.array([2147483647, -2147483648, 0], dtype=jnp.int32))
    add("i32_1d_neg_widest", jnp.array([-1, 99], dtype=jnp.int32))
    add("i32_2d", (jnp.arange(12) - 6).reshape(3, 4))
    add("i32_1d_wrap", jnp.arange(60) * 37 - 1000)
    add("i32_1d_summary", jnp.arange(1500) - 700)
    add("i32_3d", jnp.arange(24).reshape(2, 3, 4))
    # ---------------- uint32 / PRNG keys ----------------
    add("u32_key0", key(0))
    add("u32_key42", key(42))
    add("u32_split2", jax.random.split(key(0)))
    add("u32_split5", jax.random.split(key(1), 5))
    add("u32_near_2pow32", jnp.array([4294967295, 0, 123, 4294967040], dtype=jnp.uint32))
    add("u32_bits_wrap", jax.random.bits(key(3), (20,), dtype=jnp.uint32))
    # ---------------- bool ----------------
    add("bool_1d", jnp.array([True, False]))
    add("bool_1d_compare", jnp.arange(10) > 4)
    add("bool_2d", jnp.array([[True, False, True], [False, False, True]]))
    add("bool_1d_wrap", jnp.arange(20) % 3 == 0)
    add("bool_1d_summary", jnp.arange(1001) % 2 == 0)


def x64_cases():
    f64 = lambda v: jnp.array(v, dtype=jnp.float64)  # noqa: E731
    # 0-d
    add("f64_0d_third_weak", jnp.array(1 / 3))
    add("f64_0d_strong", jnp.float64(2.5))
    add("f64_0d_pi", jnp.float64(math.pi))
    add("f64_0d_1e15", jnp.float64(1e15))                  # str positional, repr exp (>= 1e8)
    add("f64_0d_1e16", jnp.float64(1e16))                  # str switches to sci at 1e16
    add("f64_0d_1e7", jnp.float64(1e7))
    add("f64_0d_1e8", jnp.float64(1e8))
    add("f64_0d_1e_4", jnp.float64(1e-4))
    add("f64_0d_sum", jnp.arange(5.0).sum())
    add("f64_0d_nan", jnp.float64(nan))
    add("i64_0d_weak", jnp.array(3))
    add("i64_0d_big", jnp.int64(-9223372036854775808))
    # 1-d
    add("f64_1d_pi_e", f64([math.pi, math.e]))
    add("f64_1d_1e7", f64([1e7, 2e7]))                     # positional for float64 (cutoff 1e8)
    add("f64_1d_1e8", f64([1e8, 2e8]))
    add("f64_1d_tie_sci", f64([1234567885.0, 1234567895.0]))  # half-even at the 8th fraction digit
    add("f64_1d_exp3", f64([1e-300, 1e300]))               # 3-digit exponents
    add("f64_1d_exp3_nan", f64([1e-300, nan, -inf]))
    add("f64_1d_tenths", f64([0.1, 0.2, 0.30000000000000004]))
    add("f64_1d_nan_inf", f64([nan, -inf, 1.25]))
    add("f64_1d_normal", normal(20, (6,), dtype=jnp.float64))
    add("f64_1d_wrap", normal(21, (20,), dtype=jnp.float64))
    add("f64_1d_weak", lax.broadcast(jnp.array(0.25), (4,)))
    add("f64_2d_normal", normal(22, (3, 3), 1e4, dtype=jnp.float64))
    add("f64_3d", jnp.arange(8.0).reshape(2, 2, 2))
    add("f64_summary", jnp.arange(1001.0))
    add("f64_empty", jnp.zeros((0,), dtype=jnp.float64))
    add("i64_1d", jnp.array([2**40, -5, 7]))
    add("i64_1d_extremes", jnp.array([9223372036854775807, -9223372036854775808], dtype=jnp.int64))
    add("i64_2d", jnp.arange(6).reshape(2, 3))
    add("u32_key0_x64", key(0))


def main():
    if X64:
        x64_cases()
        json.dump(cases, sys.stdout)
        return
    default_cases()
    env = dict(os.environ, JAX_ENABLE_X64="1")
    out = subprocess.run([sys.executable, os.path.abspath(__file__)], env=env,
                         check=True, stdout=subprocess.PIPE).stdout
    x64 = json.loads(out)
    names = {c["name"] for c in cases}
    for c in x64:
        assert c["name"] not in names, c["name"]
        assert c["x64"] is True
    cases.extend(x64)
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
