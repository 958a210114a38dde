"""JAX on the peer workloads, jitted and eager (CPU, XLA's default threading).

    python bench/peers/jax_peer.py WORKLOAD DATA_DIR [--impl IMPL] [--variant VARIANT]

jax.jit: the function is traced, lowered and compiled ahead of the timed runs (compile_ms in the
JSON line, excluded from the median); the weights are arguments, not constants XLA could fold.
jax.eager: the same function without jit (op by op dispatch). Every run ends in
block_until_ready. Prints one JSON line per variant and saves each result as
DATA_DIR/WORKLOAD/out_IMPL_VARIANT.npy.
"""
import time

import jax
import jax.numpy as jnp

from common import flat, mlp, pairs, peer_main
from workloads import JAX_EAGER, JAX_JIT


def computation(w, d, variant):
    """(fn, args): the variant as a function of all its arrays."""
    if w.kind == "pinverse":
        A = d["A"]
        rtol = jnp.finfo(A.dtype).eps * max(A.shape[-2:])  # torch.linalg.pinv's default
        return (lambda A: jnp.linalg.pinv(A, rtol=rtol)), (A,)
    params = flat(d["layers"])
    n = len(params)

    def f(params, x):
        return mlp(pairs(params), x, jnp.tanh)

    fns = {
        "vmap_jacrev": lambda x, *p: jax.vmap(jax.jacrev(lambda xi: f(p, xi)))(x),
        "vmap_jacfwd": lambda x, *p: jax.vmap(jax.jacfwd(lambda xi: f(p, xi)))(x),
        "jacobian_vectorized": lambda x, *p: jax.jacrev(lambda x: f(p, x))(x),
        "vmap_hessian": lambda x, *p: jax.vmap(jax.hessian(lambda xi: f(p, xi)[0]))(x),
        "param_jacobian": lambda x, *p: jax.vmap(
            jax.jacrev(lambda xi, *p: f(p, xi), argnums=tuple(range(1, n + 1))),
            in_axes=(0,) + (None,) * n)(x, *p),
    }
    return fns[variant], (d["x"], *params)


def make(w, d, impl, variant):
    fn, args = computation(w, d, variant)
    if impl == JAX_EAGER:
        return (lambda: fn(*args)), {}
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(*args).compile()
    compile_ms = (time.perf_counter() - t0) * 1e3
    return (lambda: compiled(*args)), {"compile_ms": compile_ms}


if __name__ == "__main__":
    peer_main([JAX_JIT, JAX_EAGER], jnp.asarray, make, sync=jax.block_until_ready)
