"""PyTorch on the peer workloads: torch.func transforms and torch.autograd.functional, 2 threads.

    python bench/peers/torch_peer.py WORKLOAD DATA_DIR [--impl IMPL] [--variant VARIANT]

Prints one JSON line per variant and saves each result as DATA_DIR/WORKLOAD/out_IMPL_VARIANT.npy.
"""
import torch
from torch.autograd.functional import jacobian
from torch.func import hessian, jacfwd, jacrev, vmap

from common import flat, mlp, pairs, peer_main
from workloads import TORCH_AF, TORCH_FUNC

torch.set_num_threads(2)


def make(w, d, impl, variant):
    if w.kind == "pinverse":
        A = d["A"]
        return (lambda: torch.linalg.pinv(A)), {}
    x, layers = d["x"], d["layers"]

    def f(x):
        return mlp(layers, x, torch.tanh)

    def f_params(x, *params):
        return mlp(pairs(params), x, torch.tanh)

    params = flat(layers)
    runs = {
        (TORCH_FUNC, "vmap_jacrev"): lambda: vmap(jacrev(f))(x),
        (TORCH_FUNC, "vmap_jacfwd"): lambda: vmap(jacfwd(f))(x),
        (TORCH_FUNC, "jacobian_vectorized"): lambda: jacrev(f)(x),
        (TORCH_AF, "jacobian_vectorized"): lambda: jacobian(f, x, vectorize=True),
        (TORCH_AF, "jacobian_loop"): lambda: jacobian(f, x, vectorize=False),
        (TORCH_FUNC, "vmap_hessian"): lambda: vmap(hessian(lambda xi: f(xi)[0]))(x),
        (TORCH_FUNC, "param_jacobian"): lambda: vmap(
            jacrev(f_params, argnums=tuple(range(1, len(params) + 1))),
            in_dims=(0,) + (None,) * len(params))(x, *params),
    }
    return runs[impl, variant], {}


if __name__ == "__main__":
    peer_main([TORCH_FUNC, TORCH_AF], torch.from_numpy, make)
