#!/usr/bin/env python3
"""Writes ad_cases.json: reference derivatives computed by PyTorch (torch.func).

Every case is a short program written in the common subset of PyTorch and Jacobi's
language. This script runs it with PyTorch on fixed inputs and stores the inputs and the
results; TorchFixtureTests.swift runs the same program in Jacobi's interpreter (and the same
functions through the AD API) and compares. The tests never need PyTorch: run this script
again only to change or add cases.

    /work/peers-venv/bin/python Tests/ADTests/Fixtures/make_ad_fixtures.py

Inputs are drawn once from numpy's PCG64 with a fixed seed per case and stored exactly:
float64 values as the shortest decimal that reads back as the same double, float32 values
as the double equal to the float32 (so Swift reconstructs both bit for bit). Each case is
run in float32 and in float64, each with its own inputs (the float32 inputs are the
float64 ones rounded to float32).
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torch.func

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ad_cases.json")

# Prepended to every case's source, both here and in Jacobi.
PRELUDE = """import torch
import torch.nn.functional as F
from torch.func import vmap, jacrev, jacfwd, hessian, jvp, vjp, grad
"""


def normal(*shape, scale=1.0):
    """Scaled standard normal entries, as a `(shape, scale)` input spec."""
    return ("normal", shape, scale)


def uniform(*shape, low=-1.0, high=1.0):
    """Uniform entries in [low, high), as an input spec."""
    return ("uniform", shape, (low, high))


CASES = [
    dict(
        name="mlp_tanh",
        description="tanh MLP 3-8-8-2 on a batch of 4: per-sample Jacobians (vmap of jacrev and "
                    "of jacfwd) and the full batch Jacobian [B, m, B, n]",
        inputs=dict(x=normal(4, 3),
                    W1=normal(8, 3, scale=0.7), b1=normal(8, scale=0.3),
                    W2=normal(8, 8, scale=0.45), b2=normal(8, scale=0.3),
                    W3=normal(2, 8, scale=0.45), b3=normal(2, scale=0.3)),
        source="""
def f(x):
    h = torch.tanh(x @ W1.T + b1)
    h = torch.tanh(h @ W2.T + b2)
    return h @ W3.T + b3
y = f(x)
J = vmap(jacrev(f))(x)
J_fwd = vmap(jacfwd(f))(x)
J_full = jacrev(f)(x)
""",
        outputs=["y", "J", "J_fwd", "J_full"],
    ),
    dict(
        name="mlp_gelu_softplus",
        description="MLP 3-8-8-2 with exact gelu and softplus(beta=2, threshold=1.5) (some "
                    "units above the threshold): vmap(jacrev) and the full jacfwd",
        inputs=dict(x=normal(4, 3),
                    W1=normal(8, 3, scale=0.8), b1=normal(8, scale=0.3),
                    W2=normal(8, 8, scale=0.6), b2=normal(8, scale=0.3),
                    W3=normal(2, 8, scale=0.45), b3=normal(2, scale=0.3)),
        source="""
def f(x):
    h = F.gelu(F.linear(x, W1, b1))
    h = F.softplus(F.linear(h, W2, b2), beta=2.0, threshold=1.5)
    return F.linear(h, W3, b3)
y = f(x)
J = vmap(jacrev(f))(x)
J_fwd = jacfwd(f)(x)
""",
        outputs=["y", "J", "J_fwd"],
        # beta * (h @ W2.T + b2) must stay away from the threshold, so that rounding cannot
        # move an element from one branch of softplus to the other.
        check=lambda ns: min_distance(
            2.0 * F.linear(F.gelu(F.linear(ns["x"], ns["W1"], ns["b1"])), ns["W2"], ns["b2"]), 1.5),
    ),
    dict(
        name="softmax_linear",
        description="softmax over the last dim of a linear map 3 -> 5 (per-sample Jacobians), "
                    "the Jacobian of softmax itself, and vmap(jacrev) of log_softmax",
        inputs=dict(x=normal(4, 3), W=normal(5, 3), b=normal(5, scale=0.5), z=normal(6, scale=1.5)),
        source="""
def f(x):
    return torch.softmax(x @ W.T + b, dim=-1)
p = f(x)
J = vmap(jacrev(f))(x)
J_softmax = jacrev(lambda v: F.softmax(v, dim=-1))(z)
J_log = vmap(jacrev(lambda v: F.log_softmax(v, dim=-1)))(x @ W.T + b)
""",
        outputs=["p", "J", "J_softmax", "J_log"],
    ),
    dict(
        name="layer_norm",
        description="layer_norm with weight and bias: Jacobians w.r.t. the input over one "
                    "trailing dim (per sample and the full batch) and over two trailing dims",
        inputs=dict(x=normal(4, 6, scale=1.5), g=uniform(6, low=0.5, high=1.5), beta=normal(6, scale=0.2),
                    x2=normal(2, 4), g2=uniform(2, 4, low=0.5, high=1.5), beta2=normal(2, 4, scale=0.2)),
        source="""
def f(x):
    return F.layer_norm(x, (6,), weight=g, bias=beta, eps=1e-5)
y = f(x)
J = vmap(jacrev(f))(x)
J_full = jacrev(f)(x)
J2 = jacfwd(lambda v: F.layer_norm(v, (2, 4), weight=g2, bias=beta2))(x2)
""",
        outputs=["y", "J", "J_full", "J2"],
    ),
    dict(
        name="hessian_tanh_sq",
        description="g(x) = sum(tanh(W x)**2) with W 5x4: grad, hessian (forward over reverse), "
                    "jacrev(jacrev) and vmap(hessian) over a batch of 3",
        inputs=dict(W=normal(5, 4, scale=0.6), x0=normal(4), X=normal(3, 4)),
        source="""
def g(x):
    return (torch.tanh(W @ x) ** 2).sum()
v = g(x0)
gx = grad(g)(x0)
H = hessian(g)(x0)
H_rev = jacrev(jacrev(g))(x0)
H_batch = vmap(hessian(g))(X)
""",
        outputs=["v", "gx", "H", "H_rev", "H_batch"],
    ),
    dict(
        name="jac_weights",
        description="f(x, W) = tanh(x @ W.T), x 4x3, W 5x3: Jacobians w.r.t. the weights "
                    "(argnums=1, reverse and forward) and w.r.t. both (argnums=(0, 1))",
        inputs=dict(x=normal(4, 3), W=normal(5, 3, scale=0.7)),
        source="""
def f(x, W):
    return torch.tanh(x @ W.T)
J_W = jacrev(f, argnums=1)(x, W)
J_W_fwd = jacfwd(f, argnums=1)(x, W)
J_x, J_W2 = jacrev(f, argnums=(0, 1))(x, W)
""",
        outputs=["J_W", "J_W_fwd", "J_x", "J_W2"],
    ),
    dict(
        name="elementwise_jvp_vjp",
        description="h(x) = sin(x) exp(-x/2) + log1p(x^2) sigmoid(x) on a 3x4 tensor: jvp with a "
                    "given tangent, vjp with a given cotangent",
        inputs=dict(x=normal(3, 4, scale=1.5), t=normal(3, 4), ct=normal(3, 4)),
        source="""
def h(x):
    return torch.sin(x) * torch.exp(-0.5 * x) + torch.log1p(x * x) * torch.sigmoid(x)
y, jt = jvp(h, (x,), (t,))
y_vjp, vjp_fn = vjp(h, x)
ct_x = vjp_fn(ct)[0]
""",
        outputs=["y", "jt", "y_vjp", "ct_x"],
    ),
    dict(
        name="mse_grad",
        description="mean squared error of a tanh MLP 3-8-2: gradients w.r.t. all parameters "
                    "(argnums=(2, 3, 4, 5)) and per-sample gradients w.r.t. W1 (vmap over x and y)",
        inputs=dict(x=normal(4, 3), target=normal(4, 2),
                    W1=normal(8, 3, scale=0.7), b1=normal(8, scale=0.3),
                    W2=normal(2, 8, scale=0.45), b2=normal(2, scale=0.3)),
        source="""
def loss(x, y, W1, b1, W2, b2):
    h = torch.tanh(x @ W1.T + b1)
    return ((h @ W2.T + b2 - y) ** 2).mean()
L = loss(x, target, W1, b1, W2, b2)
gW1, gb1, gW2, gb2 = grad(loss, argnums=(2, 3, 4, 5))(x, target, W1, b1, W2, b2)
per_sample = vmap(grad(loss, argnums=2), in_dims=(0, 0, None, None, None, None))(x, target, W1, b1, W2, b2)
""",
        outputs=["L", "gW1", "gb1", "gW2", "gb2", "per_sample"],
    ),
    dict(
        name="linalg_pinv",
        description="pseudo-inverses (torch.pinverse, torch.linalg.pinv with atol/rtol) of a 5x3 "
                    "matrix, a batch [4, 3, 5] and a rank-2 5x4 matrix; singular values, rank, and "
                    "the derivatives of pinv (at constant rank) and svdvals",
        inputs=dict(A=normal(5, 3), Ab=normal(4, 3, 5)),
        source="""
R = torch.cat([torch.cat([A[:3, :2], torch.zeros(3, 2, dtype=A.dtype)], dim=1),
               torch.zeros(2, 4, dtype=A.dtype)], dim=0)
P = torch.pinverse(A)
P_rcond = torch.pinverse(Ab, rcond=0.45)
Pb = torch.linalg.pinv(Ab)
Pb_atol = torch.linalg.pinv(Ab, atol=1.0)
P_R = torch.linalg.pinv(R)
S = torch.linalg.svdvals(Ab)
rank_R = torch.linalg.matrix_rank(R).to(A.dtype)
ranks = torch.linalg.matrix_rank(Ab, atol=1.0).to(A.dtype)
J_P = jacrev(torch.linalg.pinv)(A)
J_Pf = jacfwd(torch.pinverse)(A)
J_S = vmap(jacrev(torch.linalg.svdvals))(Ab)
""",
        outputs=["P", "P_rcond", "Pb", "Pb_atol", "P_R", "S", "rank_R", "ranks", "J_P", "J_Pf", "J_S"],
        check=lambda ns: min(singular_gap(ns["Ab"], 0.45), singular_gap(ns["Ab"], 1.0, absolute=True)),
    ),
    dict(
        name="linalg_square",
        description="inverse, det, slogdet, solve (matrix and vector right-hand sides), cond and "
                    "matrix norms of a 4x4 matrix and a batch [3, 4, 4], and their derivatives",
        inputs=dict(M0=normal(4, 4, scale=0.5), Mb0=normal(3, 4, 4, scale=0.5), B=normal(4, 2), b=normal(4)),
        source="""
M = M0 + 2 * torch.eye(4, dtype=M0.dtype)
Mb = Mb0 - 2 * torch.eye(4, dtype=M0.dtype)
Mi = torch.linalg.inv(M)
Mbi = torch.inverse(Mb)
d = torch.linalg.det(M)
db = torch.det(Mb)
sign, logabsdet = torch.linalg.slogdet(Mb)
X = torch.linalg.solve(M, B)
xv = torch.linalg.solve(Mb, b)
c2 = torch.linalg.cond(M)
c_fro = torch.linalg.cond(Mb, 'fro')
norms = torch.stack([torch.linalg.matrix_norm(M, 'nuc'), torch.linalg.norm(M, 2), torch.linalg.norm(M, -2),
                     torch.linalg.norm(M, 1), torch.linalg.norm(M, float('inf')), torch.linalg.norm(M, 'fro')])
J_inv = jacrev(torch.linalg.inv)(M)
J_inv_fwd = jacfwd(torch.linalg.inv)(M)
g_det = grad(torch.linalg.det)(M)
g_logdet = vmap(grad(lambda m: torch.linalg.slogdet(m)[1]))(Mb)
J_solve_A, J_solve_B = jacrev(torch.linalg.solve, argnums=(0, 1))(M, B)
J_solve_fwd = jacfwd(torch.linalg.solve, argnums=0)(M, B)
J_det_b = vmap(jacrev(torch.linalg.det))(Mb)
H_logdet = hessian(lambda m: torch.linalg.slogdet(m)[1])(M)
""",
        outputs=["Mi", "Mbi", "d", "db", "sign", "logabsdet", "X", "xv", "c2", "c_fro", "norms",
                 "J_inv", "J_inv_fwd", "g_det", "g_logdet", "J_solve_A", "J_solve_B", "J_solve_fwd",
                 "J_det_b", "H_logdet"],
    ),
]


def singular_gap(batch, tol, absolute=False):
    """How far (relatively) every singular value of a batch is from a pseudo-inverse cut-off,
    so that Jacobi and PyTorch keep the same ones."""
    s = torch.linalg.svdvals(batch.double())
    cutoff = tol if absolute else tol * s[..., :1]
    return float(((s - cutoff).abs() / s[..., :1]).min())


def min_distance(values, point):
    """The smallest |v - point| over a tensor's elements."""
    return float((values - point).abs().min())


def draw(spec, rng):
    """Float64 values for one input spec."""
    kind, shape, params = spec
    if kind == "normal":
        return rng.standard_normal(shape) * params
    low, high = params
    return rng.uniform(low, high, shape)


def stored(array):
    """A tensor as JSON: its shape and its elements in row-major order, as Python floats
    (exact: float32 elements become the double of equal value)."""
    a = np.asarray(array, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()]}


def run_case(case, dtype, seed):
    """Runs one case in one dtype; returns its JSON record."""
    rng = np.random.default_rng(seed)
    values = {name: draw(spec, rng) for name, spec in case["inputs"].items()}
    torch_dtype = {"float32": torch.float32, "float64": torch.float64}[dtype]
    np_dtype = {"float32": np.float32, "float64": np.float64}[dtype]
    ns = {name: torch.tensor(v.astype(np_dtype), dtype=torch_dtype) for name, v in values.items()}
    if "check" in case:
        margin = case["check"](ns)
        if margin < 1e-3:
            sys.exit(f"{case['name']} ({dtype}): an element is {margin} from a branch point; change the seed")
    inputs = [dict(name=name, **stored(ns[name].numpy())) for name in case["inputs"]]
    exec(PRELUDE + case["source"], ns)
    outputs = []
    for name in case["outputs"]:
        t = ns[name]
        if not isinstance(t, torch.Tensor) or t.dtype != torch_dtype:
            sys.exit(f"{case['name']} ({dtype}): output {name} is {type(t).__name__} {getattr(t, 'dtype', '')}")
        a = t.detach().numpy()
        if not np.all(np.isfinite(a)):
            sys.exit(f"{case['name']} ({dtype}): output {name} is not finite")
        outputs.append(dict(name=name, **stored(a)))
    return dict(name=case["name"], dtype=dtype, description=case["description"],
                source=case["source"].strip("\n") + "\n", inputs=inputs, outputs=outputs)


def main():
    torch.set_num_threads(1)
    records = []
    for index, case in enumerate(CASES):
        for dtype in ("float32", "float64"):
            records.append(run_case(case, dtype, seed=1000 + index))
    document = {
        "generator": "Tests/ADTests/Fixtures/make_ad_fixtures.py",
        "torch": torch.__version__.split("+")[0],
        "numpy": np.__version__,
        "prelude": PRELUDE,
        "cases": records,
    }
    # Compact JSON with one case per line, so that diffs stay readable.
    compact = dict(separators=(",", ":"))
    header = json.dumps({k: v for k, v in document.items() if k != "cases"}, **compact)
    lines = [json.dumps(r, **compact) for r in records]
    text = header[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}"
    with open(OUT, "w") as f:
        f.write(text + "\n")
    count = sum(len(o["data"]) for r in records for o in r["outputs"])
    print(f"wrote {OUT}: {len(records)} cases, {count} expected values, {len(text) // 1024} KB")


if __name__ == "__main__":
    main()
