#!/usr/bin/env python3
"""Executable form of jax_printing_spec.md, checked against jax_printing.json.

This is an independent re-implementation of the rules written down in
jax_printing_spec.md. It uses only the Python standard library (exact
arithmetic with fractions.Fraction; no numpy, no jax), rebuilds every
fixture's `str` and `repr` from its dtype/shape/values/weak_type, and reports
any mismatch. It exists so the spec's claims are verified, and as a readable
model to port to Swift.

    python3 Tests/PrinterTests/Fixtures/check_jax_printing_spec.py

Section numbers in comments (§n) refer to jax_printing_spec.md.
"""

import json
import math
import os
import struct
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))

# §1 numpy print options JAX leaves at their defaults
PRECISION = 8
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 75

# --------------------------------------------------------------------------
# §4 Float decomposition
# --------------------------------------------------------------------------
FLOAT_INFO = {
    # name: (mantissa bits, exponent bias, struct code, finfo precision)
    "float32": (23, 127, ">f", ">I", 6),
    "float64": (52, 1023, ">d", ">Q", 15),
}


def decompose(x, dtype):
    """-> (negative, mantissa, exp2, unequal_margins) with |x| = mantissa * 2**exp2."""
    mbits, bias, fcode, icode, _ = FLOAT_INFO[dtype]
    bits = struct.unpack(icode, struct.pack(fcode, x))[0]
    neg = bool(bits >> (mbits + (11 if dtype == "float64" else 8)))
    ebits = (bits >> mbits) & ((1 << (11 if dtype == "float64" else 8)) - 1)
    frac = bits & ((1 << mbits) - 1)
    if ebits == 0:  # subnormal (or zero)
        return neg, frac, 1 - bias - mbits, False
    return neg, frac | (1 << mbits), ebits - bias - mbits, (frac == 0 and ebits > 1)


# --------------------------------------------------------------------------
# §4.1 Dragon4 digit generation (unique mode with optional cutoffs)
# --------------------------------------------------------------------------
def dragon4(mant, exp2, unequal, mode, cutoff_max, cutoff_min):
    """Digits of mant*2**exp2 (> 0).

    mode: "frac" (cutoffs count digits after the decimal point) or
          "total" (cutoffs count significant digits).
    cutoff_max / cutoff_min: -1 means "none".
    Returns (digit string, decimal exponent of the first digit).
    """
    value = Fraction(mant) * Fraction(2) ** exp2
    ulp = Fraction(2) ** exp2
    m_high = ulp / 2
    m_low = ulp / 4 if unequal else ulp / 2
    is_even = mant % 2 == 0

    # k: 10**(k-1) <= value < 10**k   (the exponent of the first digit is k-1)
    k = math.floor(math.log10(float(value))) + 1 if value.numerator else 0
    while Fraction(10) ** k <= value:
        k += 1
    while Fraction(10) ** (k - 1) > value:
        k -= 1
    first_exp = k - 1

    # exponent of the last digit allowed / of the last digit required
    stop_at = None
    if cutoff_max >= 0:
        stop_at = (k - cutoff_max) if mode == "total" else -cutoff_max
    need_until = k
    if cutoff_min >= 0:
        need_until = min(k, (k - cutoff_min) if mode == "total" else -cutoff_min)

    # r, margins expressed in units of the digit about to be produced
    scale = Fraction(10) ** (k - 1)
    r, lo, hi = value / scale, m_low / scale, m_high / scale
    digits = []
    digit_exp = k
    while True:
        digit_exp -= 1
        d = r.numerator // r.denominator
        r -= d
        low = (r <= lo) if is_even else (r < lo)
        high = (r + hi >= 1) if is_even else (r + hi > 1)
        if ((low or high) and digit_exp <= need_until) or digit_exp == stop_at:
            break
        digits.append(d)
        r, lo, hi = r * 10, lo * 10, hi * 10
        if len(digits) > 2000:
            raise RuntimeError("runaway")

    round_down = low
    if low == high:
        twice = 2 * r
        round_down = twice < 1 if twice != 1 else d % 2 == 0
    if round_down:
        digits.append(d)
    else:
        d += 1
        while d == 10:
            if not digits:
                digits, d = [], 1
                first_exp += 1
                break
            d = digits.pop() + 1
        digits.append(d)
    return "".join(map(str, digits)), first_exp


# --------------------------------------------------------------------------
# §4.2 / §4.3 layout: positional and scientific
# --------------------------------------------------------------------------
TRIM_NONE, TRIM_ONE_ZERO, TRIM_ZEROS, TRIM_DPT_ZEROS = "k", "0", ".", "-"


def positional(x, dtype, precision=-1, min_digits=-1, trim=TRIM_ZEROS, pad_left=-1, pad_right=-1):
    neg, mant, exp2, unequal = decompose(x, dtype)
    sign = "-" if neg else ""
    if mant == 0:
        digits, e = "0", 0
    else:
        digits, e = dragon4(mant, exp2, unequal, "frac", precision, min_digits)
    if e >= 0:
        whole = digits[: e + 1].ljust(e + 1, "0")
        frac = digits[e + 1:]
    else:
        whole = "0"
        frac = "0" * (-e - 1) + digits
    if trim == TRIM_ONE_ZERO and frac == "":
        frac = "0"
    elif trim == TRIM_NONE:
        frac = frac.ljust(max(min_digits, 0), "0")
    if trim != TRIM_NONE:
        frac = frac.rstrip("0")
        if frac == "" and trim == TRIM_ONE_ZERO:
            frac = "0"
    dot = "" if (trim == TRIM_DPT_ZEROS and frac == "") else "."
    s = sign + whole + dot + frac
    if pad_right >= len(frac):
        if trim == TRIM_DPT_ZEROS and frac == "":
            s += " "
        s += " " * (pad_right - len(frac))
    if pad_left > len(whole) + len(sign):
        s = " " * (pad_left - len(whole) - len(sign)) + s
    return s


def scientific(x, dtype, precision=-1, min_digits=-1, trim=TRIM_ZEROS, pad_left=-1, exp_digits=-1):
    neg, mant, exp2, unequal = decompose(x, dtype)
    sign = "-" if neg else ""
    if mant == 0:
        digits, e = "0", 0
        if min_digits >= 0:
            digits = "0" * (min_digits + 1)
    else:
        digits, e = dragon4(mant, exp2, unequal, "total",
                            precision + 1 if precision >= 0 else -1,
                            min_digits + 1 if min_digits >= 0 else -1)
    lead, frac = digits[0], digits[1:]
    if trim == TRIM_ONE_ZERO and frac == "":
        frac = "0"
    elif trim == TRIM_NONE:
        frac = frac.ljust(max(min_digits, 0), "0")
    if trim != TRIM_NONE and frac:
        frac = frac.rstrip("0")
        if frac == "" and trim == TRIM_ONE_ZERO:
            frac = "0"
    dot = "" if (trim == TRIM_DPT_ZEROS and frac == "" and len(digits) == 1) else "."
    width = exp_digits if exp_digits >= 0 else 2
    exp_str = ("+" if e >= 0 else "-") + str(abs(e)).rjust(width, "0")
    s = sign + lead + dot + frac + "e" + exp_str
    if pad_left > 1 + len(sign):
        s = " " * (pad_left - 1 - len(sign)) + s
    return s


# --------------------------------------------------------------------------
# §3 0-d str: the numpy scalar's str
# --------------------------------------------------------------------------
MAX_POSITIONAL = {"float32": Fraction(10) ** 6, "float64": Fraction(10) ** 16}


def scalar_str(v, dtype):
    if dtype == "bool":
        return "True" if v else "False"
    if dtype in ("int32", "int64", "uint32"):
        return str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    a = abs(Fraction(v))
    if v == 0 or (Fraction(1, 10000) <= a < MAX_POSITIONAL[dtype]):
        return positional(v, dtype, trim=TRIM_ONE_ZERO)
    return scientific(v, dtype, trim=TRIM_DPT_ZEROS)


# --------------------------------------------------------------------------
# §5-§7 element formatters built from the displayed elements
# --------------------------------------------------------------------------
def to_dtype(x, dtype):
    """Round a Python float to the array dtype (float32 arithmetic emulation)."""
    if dtype == "float32":
        try:
            return struct.unpack(">f", struct.pack(">f", x))[0]
        except OverflowError:
            return math.copysign(math.inf, x)
    return x


def float_formatter(data, dtype, is_0d):
    finite = [v for v in data if math.isfinite(v)]
    nonzero = [abs(v) for v in finite if v != 0]
    exp_format = False
    if nonzero:
        mx, mn = max(nonzero), min(nonzero)
        cutoff = 10.0 ** min(8, FLOAT_INFO[dtype][4])
        ratio = to_dtype(mx / mn, dtype) if mn else math.inf
        if mx >= cutoff or mn < to_dtype(1e-4, dtype) or ratio > 1000.0:
            exp_format = True
    prec = exp_size = 0
    if not finite:
        pad_left = pad_right = 0
    elif exp_format:
        strs = [scientific(v, dtype, precision=PRECISION, trim=TRIM_ZEROS) for v in finite]
        mant_parts = [s.partition("e")[0] for s in strs]
        exp_size = max(len(s.partition("e")[2]) for s in strs) - 1
        prec = max(len(m.split(".")[1]) for m in mant_parts)
        pad_left = max(len(m.split(".")[0]) for m in mant_parts)
        pad_right = exp_size + 2 + prec
    else:
        strs = [positional(v, dtype, precision=PRECISION, trim=TRIM_ZEROS) for v in finite]
        pad_left = max(len(s.split(".")[0]) for s in strs)
        pad_right = max(len(s.split(".")[1]) for s in strs)
    if len(finite) != len(data):
        neginf = any(math.isinf(v) and v < 0 for v in data)
        offset = pad_right + 1
        pad_left = max(pad_left, 3 - offset, 3 + neginf - offset)
    width = pad_left + pad_right + 1

    def fmt(v):
        if exp_format:
            return scientific(v, dtype, precision=prec, min_digits=prec, trim=TRIM_NONE,
                              pad_left=pad_left, exp_digits=exp_size)
        return positional(v, dtype, precision=PRECISION, min_digits=0, trim=TRIM_ZEROS,
                          pad_left=pad_left, pad_right=pad_right)

    def call(v):
        if math.isnan(v):
            return "nan".rjust(width)
        if math.isinf(v):
            return ("inf" if v > 0 else "-inf").rjust(width)
        return fmt(v)
    return call


def make_formatter(data, dtype, is_0d):
    if dtype == "bool":
        t = "True" if is_0d else " True"
        return lambda v: t if v else "False"
    if dtype in ("int32", "int64", "uint32"):
        width = max(len(str(max(data))), len(str(min(data))))
        return lambda v: str(v).rjust(width)
    return float_formatter(data, dtype, is_0d)


# --------------------------------------------------------------------------
# nested-list helpers
# --------------------------------------------------------------------------
def nest(flat, shape):
    if not shape:
        return flat[0]
    step = len(flat) // shape[0] if shape[0] else 0
    return [nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def displayed(a, shape, summarise):
    """§8: the elements actually shown (corners of every long axis)."""
    if not shape:
        return [a]
    n = shape[0]
    idx = list(range(n))
    if summarise and n > 2 * EDGEITEMS:
        idx = idx[:EDGEITEMS] + idx[-EDGEITEMS:]
    out = []
    for i in idx:
        out += displayed(a[i], shape[1:], summarise)
    return out


# --------------------------------------------------------------------------
# §9 layout: brackets, separators, wrapping
# --------------------------------------------------------------------------
def format_array(a, shape, fmt, separator, prefix_len, linewidth, summarise):
    def recurse(a, shape, hanging, width):
        if not shape:
            return fmt(a)
        n = shape[0]
        show_summary = summarise and n > 2 * EDGEITEMS
        lead, trail = (EDGEITEMS, EDGEITEMS) if show_summary else (0, n)
        next_hanging, next_width = hanging + " ", width - 1
        s = ""
        if len(shape) == 1:
            elem_width = width - max(len(separator.rstrip()), 1)
            line = hanging

            def extend(s, line, word):
                if len(line) + len(word) > elem_width and len(line) > len(hanging):
                    s += line.rstrip() + "\n"
                    line = hanging
                return s, line + word
            for i in range(lead):
                s, line = extend(s, line, recurse(a[i], shape[1:], next_hanging, next_width))
                line += separator
            if show_summary:
                s, line = extend(s, line, "...")
                line += separator
            for i in range(n - trail, n - 1):
                s, line = extend(s, line, recurse(a[i], shape[1:], next_hanging, next_width))
                line += separator
            s, line = extend(s, line, recurse(a[n - 1], shape[1:], next_hanging, next_width))
            s += line
        else:
            line_sep = separator.rstrip() + "\n" * (len(shape) - 1)
            for i in range(lead):
                s += hanging + recurse(a[i], shape[1:], next_hanging, next_width) + line_sep
            if show_summary:
                s += hanging + "..." + line_sep
            for i in range(n - trail, n - 1):
                s += hanging + recurse(a[i], shape[1:], next_hanging, next_width) + line_sep
            s += hanging + recurse(a[n - 1], shape[1:], next_hanging, next_width)
        return "[" + s[len(hanging):] + "]"

    return recurse(a, shape, " " + " " * prefix_len, linewidth)


def array2string(flat, shape, dtype, separator, prefix_len, suffix_len):
    size = 1
    for d in shape:
        size *= d
    if size == 0:
        return "[]"
    summarise = size > THRESHOLD
    a = nest(flat, shape)
    shown = displayed(a, shape, summarise)
    fmt = make_formatter(shown, dtype, not shape)
    return format_array(a, shape, fmt, separator, prefix_len, LINEWIDTH - suffix_len, summarise)


def py_tuple(shape):
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(map(str, shape)) + ")"


def jax_str(flat, shape, dtype):
    if not shape:
        return scalar_str(flat[0], dtype)
    return array2string(flat, shape, dtype, " ", 0, 0)


def jax_repr(flat, shape, dtype, weak):
    dtype_str = f"dtype={dtype}" + (", weak_type=True" if weak else "")
    if 0 in shape:
        s = f"[], shape={py_tuple(shape)}"
    else:
        s = array2string(flat, shape, dtype, ", ", len("Array("), len(","))
    last = s[s.rfind("\n") + 1:]
    sep = " "
    if len(last) + 2 + len(dtype_str) + 2 > LINEWIDTH:
        sep = " " * len("Array(")
    return f"Array({s},{sep}{dtype_str})"


def decode(case):
    if case["dtype"] in ("float32", "float64"):
        return [float(v) for v in case["values"]]
    return case["values"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "jax_printing.json")
    with open(path) as f:
        cases = json.load(f)
    bad = 0
    for c in cases:
        flat = decode(c)
        got_s = jax_str(flat, c["shape"], c["dtype"])
        got_r = jax_repr(flat, c["shape"], c["dtype"], c["weak_type"])
        for what, got, want in (("str", got_s, c["str"]), ("repr", got_r, c["repr"])):
            if got != want:
                bad += 1
                print(f"MISMATCH {c['name']} {what}\n--- want\n{want}\n--- got\n{got}\n")
    print(f"{len(cases)} cases, {bad} mismatches")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
