# The batch-Jacobian trick: vmap(jacrev(f)) for a 2-layer tanh MLP, compared with
# the block diagonal of the full Jacobian.
import jax
import jax.numpy as jnp
from jax import jacfwd, jacrev, vmap, random

def init_params(key, sizes):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        key, wkey, bkey = random.split(key, 3)
        params.append((random.normal(wkey, (n_in, n_out)) / jnp.sqrt(n_in),
                       0.1 * random.normal(bkey, (n_out,))))
    return params

def mlp(params, x):
    (W1, b1), (W2, b2) = params
    h = jnp.tanh(x @ W1 + b1)
    return jnp.tanh(h @ W2 + b2)

key = random.PRNGKey(0)
params = init_params(key, [3, 5, 2])
print([(W.shape, b.shape) for W, b in params])

x = random.normal(random.PRNGKey(1), (4, 3))
print(mlp(params, x).shape)

f = lambda x: mlp(params, x)
batch_jac = vmap(jacrev(f))(x)
print(batch_jac.shape)
print(batch_jac[0])

full = jacrev(f)(x)
print(full.shape)
blocks = jnp.stack([full[i, :, i, :] for i in range(x.shape[0])])
print(jnp.allclose(blocks, batch_jac))
print(jnp.abs(full[0, :, 1, :]).max())

# einsum over the diagonal gives the same thing
diag = jnp.einsum("bibj->bij", full)
print(jnp.allclose(diag, batch_jac))

fwd = vmap(jacfwd(f))(x)
print(jnp.allclose(fwd, batch_jac, atol=1e-6))

# params passed explicitly with in_axes
batch_jac2 = vmap(jacrev(mlp, argnums=1), in_axes=(None, 0))(params, x)
print(jnp.allclose(batch_jac2, batch_jac))

# sum trick: jacobian of the sum over the batch
summed = jnp.transpose(jacrev(lambda x: f(x).sum(axis=0))(x), (1, 0, 2))
print(summed.shape, jnp.allclose(summed, batch_jac))

loop = jnp.stack([jacrev(f)(x[i]) for i in range(x.shape[0])])
print(jnp.allclose(loop, batch_jac))

# Jacobian w.r.t. the parameters for each example (a pytree of arrays)
pj = vmap(jacrev(mlp), in_axes=(None, 0))(params, x)
print(jax.tree_util.tree_map(lambda a: a.shape, pj))
