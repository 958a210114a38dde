"""The workloads of the peer comparison (issue 8), shared by every script, and their data.

Every workload's data is written as float32 .npy files to DATA_DIR/<name>/ with a fixed seed, so
Jacobi, PyTorch and JAX compute on identical weights and inputs:

    x.npy            inputs [B, in], standard normal
    W1.npy, b1.npy   layer 1 like nn.Linear: W [out, in], b [out], uniform(-1/sqrt(in), 1/sqrt(in))
    W2.npy, ...      the other layers
    A.npy            (pinverse only) matrices [64, 64, 64], standard normal

    python bench/peers/workloads.py [DATA_DIR]     # writes every workload's data
"""
import os
import sys
from dataclasses import dataclass

import numpy as np

SEED = 8  # issue 8

# Implementations, in table order: Jacobi and the peer columns. JACOBI_JAX is Jacobi running the
# JAX peer's text (jax.vmap(jax.jacrev(f)) with jnp), so the JAX columns compare the same code.
JACOBI, JACOBI_JAX, TORCH_FUNC, TORCH_AF, JAX_JIT, JAX_EAGER = \
    "jacobi", "jacobi-jax", "torch.func", "torch.autograd.functional", "jax.jit", "jax.eager"
IMPLS = [JACOBI, JACOBI_JAX, TORCH_FUNC, TORCH_AF, JAX_JIT, JAX_EAGER]
ALL_BUT_AF = [JACOBI, JACOBI_JAX, TORCH_FUNC, JAX_JIT, JAX_EAGER]

# The variants (table rows) of each kind of workload, and the implementations that run each.
# For pinverse the torch.func column is plain torch.linalg.pinv: there is no transform to apply.
VARIANTS = {
    "mlp": [("vmap_jacrev", ALL_BUT_AF), ("vmap_jacfwd", ALL_BUT_AF)],
    "full_jacobian": [("jacobian_vectorized", IMPLS), ("jacobian_loop", [JACOBI, TORCH_AF])],
    "vmap_hessian": [("vmap_hessian", ALL_BUT_AF)],
    "param_jacobian": [("param_jacobian", ALL_BUT_AF)],
    "pinverse": [("pinv", ALL_BUT_AF)],
}


@dataclass(frozen=True)
class Workload:
    name: str
    kind: str  # a key of VARIANTS
    batch: int
    widths: tuple  # MLP layer widths, input first; for pinverse (n, n): matrices B x n x n
    what: str

    @property
    def variants(self):
        """[(variant, [impl, ...]), ...]"""
        return VARIANTS[self.kind]

    @property
    def layers(self):
        return len(self.widths) - 1


WORKLOADS = [
    Workload("tiny", "mlp", 16, (3, 32, 32, 3), "per-sample Jacobians [B, out, in] of a tanh MLP"),
    Workload("medium", "mlp", 64, (64, 128, 128, 64), "per-sample Jacobians [B, out, in] of a tanh MLP"),
    Workload("large", "mlp", 256, (256, 512, 512, 256), "per-sample Jacobians [B, out, in] of a tanh MLP"),
    Workload("full_jacobian", "full_jacobian", 16, (8, 32, 32, 8),
             "the Jacobian of the whole batch [B, out, B, in] (torch.autograd.functional.jacobian)"),
    Workload("vmap_hessian", "vmap_hessian", 64, (16, 64, 64, 1),
             "per-sample Hessians [B, in, in] of the MLP's single output"),
    Workload("param_jacobian", "param_jacobian", 32, (8, 32, 32, 4),
             "per-sample Jacobians of the output with respect to every W_i and b_i"),
    Workload("pinverse", "pinverse", 64, (64, 64), "batched pseudo-inverse of A [B, n, n]"),
]
BY_NAME = {w.name: w for w in WORKLOADS}


def weight_names(w):
    """['W1', 'b1', 'W2', 'b2', ...]"""
    return [f"{p}{i + 1}" for i in range(w.layers) for p in ("W", "b")]


def write_data(root, w):
    """Write workload w's data to root/<name>/ and return that directory."""
    d = os.path.join(root, w.name)
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(SEED)
    if w.kind == "pinverse":
        np.save(os.path.join(d, "A.npy"), rng.standard_normal((w.batch, *w.widths)).astype(np.float32))
        return d
    for i, (n_in, n_out) in enumerate(zip(w.widths, w.widths[1:])):
        bound = 1 / np.sqrt(n_in)
        np.save(os.path.join(d, f"W{i + 1}.npy"), rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32))
        np.save(os.path.join(d, f"b{i + 1}.npy"), rng.uniform(-bound, bound, (n_out,)).astype(np.float32))
    np.save(os.path.join(d, "x.npy"), rng.standard_normal((w.batch, w.widths[0])).astype(np.float32))
    return d


def load_data(root, w):
    """The workload's arrays: {'A': A} for pinverse, else {'x': x, 'layers': [(W1, b1), ...]}."""
    d = os.path.join(root, w.name)
    if w.kind == "pinverse":
        return {"A": np.load(os.path.join(d, "A.npy"))}
    layers = [(np.load(os.path.join(d, f"W{i + 1}.npy")), np.load(os.path.join(d, f"b{i + 1}.npy")))
              for i in range(w.layers)]
    return {"x": np.load(os.path.join(d, "x.npy")), "layers": layers}


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else ".build/peers-data"
    for w in WORKLOADS:
        print(write_data(root, w))
