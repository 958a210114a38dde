#!/usr/bin/env python3
"""Generates print_cases.json: golden PyTorch `repr(tensor)` outputs for Jacobi's TensorFormatter.

Run with a Python that has torch installed (the tests themselves never need torch):

    /work/peers-venv/bin/python Tests/PrinterTests/Fixtures/make_print_fixtures.py

Each case records:
  name     unique identifier
  dtype    "float32" | "float64" | "int64" | "bool"
  shape    list of dimension sizes
  values   row-major elements:
             float32/float64: JSON numbers holding the float64 value (a float32 element is stored as
                              the exact float64 value of that float32, so Swift's Float(Double) gets
                              it back bit for bit), or the strings "nan", "inf", "-inf"
             int64:           JSON integers (exact, even beyond 2**53)
             bool:            JSON booleans
  options  print options passed to torch.set_printoptions (absent keys keep the defaults):
           precision, threshold, edgeitems, linewidth, sci_mode
  repr     torch's repr(t) under those options
"""

import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "print_cases.json")

DTYPES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.bool: "bool",
}

nan = float("nan")
inf = float("inf")

cases = []


def encode_values(t):
    flat = t.reshape(-1)
    if t.dtype in (torch.float32, torch.float64):
        out = []
        for v in flat.double().tolist():
            if math.isnan(v):
                out.append("nan")
            elif math.isinf(v):
                out.append("inf" if v > 0 else "-inf")
            else:
                out.append(v)
        return out
    if t.dtype == torch.int64:
        return [int(v) for v in flat.tolist()]
    if t.dtype == torch.bool:
        return [bool(v) for v in flat.tolist()]
    raise ValueError(f"unsupported dtype {t.dtype}")


def add(name, t, **options):
    assert t.dtype in DTYPES, t.dtype
    assert all(c["name"] != name for c in cases), name
    torch.set_printoptions(profile="default")
    try:
        if options:
            torch.set_printoptions(**options)
        text = repr(t)
    finally:
        # profile="default" also resets sci_mode to None.
        torch.set_printoptions(profile="default")
    case = {
        "name": name,
        "dtype": DTYPES[t.dtype],
        "shape": list(t.shape),
        "values": encode_values(t),
        "repr": text,
    }
    if options:
        case["options"] = options
    cases.append(case)


def f32(values):
    return torch.tensor(values, dtype=torch.float32)


def f64(values):
    return torch.tensor(values, dtype=torch.float64)


def i64(values):
    return torch.tensor(values, dtype=torch.int64)


def main():
    assert torch.get_default_dtype() == torch.float32
    g = torch.Generator().manual_seed(20240611)

    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=g, dtype=dtype)

    # MARK: 0-d tensors
    add("scalar_int_valued", f32(3.0))
    add("scalar_fractional", f32(3.5))
    add("scalar_negative", f32(-2.25))
    add("scalar_zero", f32(0.0))
    add("scalar_negative_zero", f32(-0.0))
    add("scalar_nan", f32(nan))
    add("scalar_neg_inf", f32(-inf))
    add("scalar_tiny_sci", f32(1e-5))
    add("scalar_float64", f64(0.1))
    add("scalar_int64", i64(-42))
    add("scalar_bool", torch.tensor(True))

    # MARK: 1-d
    add("vector_simple", f32([1.5, 2.25, -3.125]))
    add("vector_float32_tenth", f32([0.1, 0.2, 0.3]))
    add("vector_arange_int_valued", torch.arange(10, dtype=torch.float32))
    add("vector_randn", randn(5))
    add("vector_neg_zero_int_mode", f32([1.0, -0.0, 2.0]))
    add("vector_neg_zero_fractional", f32([-0.0, 1.5]))
    add("vector_all_zeros", torch.zeros(4))
    add("vector_zero_and_neg_zero", f32([0.0, -0.0]))
    add("vector_large_non_sci", f32([99999.5, 100.0]))
    add("vector_rounding_ties", f32([0.125, 0.375, 2.5, -0.625]), precision=2)
    add("vector_rounding_ties_int_mode", f32([0.5, 1.5, 2.5]), precision=0)
    add("vector_float64", randn(4, dtype=torch.float64))
    add("vector_float64_int_valued", f64([1.0, 2.0, -3.0]))

    # MARK: 2-d, 3-d, 4-d
    add("matrix_randn", randn(3, 4))
    add("matrix_int_valued", torch.arange(-6, 6, dtype=torch.float32).reshape(3, 4))
    add("matrix_float64", randn(2, 3, dtype=torch.float64))
    add("rank3_randn", randn(2, 3, 4))
    add("rank4_randn", randn(2, 2, 2, 3))
    add("jacobian_2x3x2x4", randn(2, 3, 2, 4))
    add("rank3_singleton_dims", randn(1, 1, 3))

    def dyadic(t):
        # Multiples of 2**-10 are exact in float32 and have short decimal expansions, which keeps
        # the big summarised cases small in the JSON while still printing 4 nonzero decimals.
        return (t * 1024).round() / 1024

    # MARK: summarised (more than threshold elements)
    add("summarised_2000", dyadic(randn(2000)))
    add("summarised_1001_arange", torch.arange(1001, dtype=torch.float32))
    add("summarised_40x40", dyadic(randn(40, 40)))
    add("summarised_3x400x5", dyadic(randn(3, 400, 5)))
    big_hidden = torch.ones(1001)
    big_hidden[500] = 1e9  # hidden by summarisation, so it must not affect sci mode or widths
    big_hidden[1] = 0.5
    add("summarised_hidden_outlier", big_hidden)
    add("summarised_int64_2000", torch.arange(2000, dtype=torch.int64))
    add("summarised_bool_1001", torch.rand(1001, generator=g) > 0.5)
    add("summarised_float64_35x30", dyadic(randn(35, 30, dtype=torch.float64)))
    add("summarised_small_threshold", torch.arange(10, dtype=torch.float32), threshold=5, edgeitems=2)
    add("summarised_rank3_threshold", randn(4, 5, 6), threshold=20, edgeitems=1)
    add("summarised_edgeitems_zero_vector", torch.arange(10, dtype=torch.float32), threshold=5, edgeitems=0)
    add("summarised_edgeitems_zero_matrix", randn(4, 5), threshold=5, edgeitems=0)
    add("edgeitems_zero_not_summarised", f32([1.5, 2.0]), edgeitems=0)

    # MARK: scientific notation
    add("sci_tiny", f32([1e-5, 1.0]))
    add("sci_all_tiny", f32([1e-5, 2.5e-6]))
    add("sci_huge", f32([1e9, 1.0]))
    add("sci_ratio", f32([0.5, 2000.0]))
    add("sci_int_valued_huge", f32([1e9, 2e9, -3e9]))
    add("sci_float64_extreme", f64([1e-300, 1e300, -2.5]))
    add("sci_with_nan_inf", f32([1e-8, nan, inf, -1.0]))
    add("sci_forced_on", f32([1.0, 2.5, 3.0]), sci_mode=True)
    add("sci_forced_off", f32([1e-5, 1.0, 123456.0]), sci_mode=False)
    add("sci_float64_big_fixed", f64([1e20, 3.0]), sci_mode=False)
    add("sci_matrix", randn(3, 3) * 1e-6)
    add("sci_float32_extremes", f32([3.0e38, -1.0e-40, 1.0]))
    add("sci_mixed_magnitudes", randn(2, 4) * torch.exp(randn(2, 4) * 5))

    # MARK: option corner cases
    add("threshold_zero_scalar", f32(2.5), threshold=0)
    add("threshold_zero_matrix_int64", torch.arange(12, dtype=torch.int64).reshape(3, 4), threshold=0, edgeitems=1)
    add("summarised_inner_dimension_only", dyadic(randn(2, 2, 260)))

    # MARK: int64
    add("int64_mixed", i64([1, -20, 300]))
    add("int64_big", i64([2**62, -(2**63), 5]))
    add("int64_matrix", torch.arange(-5, 7, dtype=torch.int64).reshape(3, 4))
    add("int64_wide", torch.arange(100, dtype=torch.int64) * 37)

    # MARK: bool
    add("bool_vector", torch.tensor([True, False]))
    add("bool_all_true", torch.tensor([True, True, True]))
    add("bool_matrix", torch.tensor([[True, False, True], [False, False, True]]))

    # MARK: NaN and inf
    add("nan_inf_mixed", f32([1.5, nan, inf, -inf]))
    add("nan_int_mode", f32([1.0, nan]))
    add("inf_int_mode_wide", f32([-inf, 100.0, inf]))
    add("all_nan", f32([nan, nan]))
    add("all_inf", f32([inf, -inf]))
    add("nan_matrix_float64", f64([[nan, 0.25], [-1.0, inf]]))

    # MARK: empty
    add("empty_1d", torch.zeros(0))
    add("empty_0x3", torch.zeros(0, 3))
    add("empty_2x0x3", torch.zeros(2, 0, 3))
    add("empty_int64", torch.zeros(0, dtype=torch.int64))
    add("empty_bool_0x2", torch.zeros(0, 2, dtype=torch.bool))
    add("empty_float64", torch.zeros(0, dtype=torch.float64))

    # MARK: line wrapping
    add("wrap_randn_30", randn(30))
    add("wrap_int_valued_50", torch.arange(50, dtype=torch.float32) * 1000)
    add("wrap_matrix_3x20", randn(3, 20))
    add("wrap_rank3_2x2x15", randn(2, 2, 15))
    add("wrap_float64_suffix_newline", randn(8, dtype=torch.float64))
    add("wrap_float64_matrix_suffix", randn(2, 8, dtype=torch.float64))
    add("wrap_linewidth_40", randn(12), linewidth=40)
    add("wrap_linewidth_tiny", f32([1.5, 2.5, 3.5]), linewidth=5)

    # MARK: precision
    add("precision_2", randn(5), precision=2)
    add("precision_8_float64", randn(4, dtype=torch.float64), precision=8)
    add("precision_0", f32([1.4, 2.6, -0.4]), precision=0)
    add("precision_2_sci", f32([1e-5, 3.14159]), precision=2)
    add("precision_6_matrix", randn(2, 3), precision=6)

    # One compact case per line keeps the file small and its diffs readable.
    with open(OUT, "w") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases))
        f.write("\n]\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
