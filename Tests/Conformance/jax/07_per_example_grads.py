# Per-example gradients: vmap(grad(loss), in_axes=(None, 0, 0)).
import jax
import jax.numpy as jnp
from jax import grad, jit, vmap, random

def predict(params, x):
    w, b = params
    return jnp.dot(x, w) + b

def loss(params, x, y):
    return (predict(params, x) - y) ** 2

key = random.PRNGKey(42)
kx, ky, kw = random.split(key, 3)
xs = random.normal(kx, (5, 3))
ys = random.normal(ky, (5,))
params = (random.normal(kw, (3,)), 0.0)

per_example = vmap(grad(loss), in_axes=(None, 0, 0))(params, xs, ys)
gw, gb = per_example
print(gw.shape, gb.shape)
print(gw)
print(gb)

mean_loss = lambda p, x, y: jnp.mean(vmap(loss, in_axes=(None, 0, 0))(p, x, y))
gw_mean, gb_mean = grad(mean_loss)(params, xs, ys)
print(jnp.allclose(gw.mean(axis=0), gw_mean, atol=1e-6), jnp.allclose(gb.mean(), gb_mean))

fast = jit(vmap(grad(loss), in_axes=(None, 0, 0)))
gw2, gb2 = fast(params, xs, ys)
print(jnp.allclose(gw2, gw), jnp.allclose(gb2, gb))

# manual loop gives the same result
for i in range(2):
    gi = grad(loss)(params, xs[i], ys[i])
    print(i, gi[0], gi[1])

# per-example gradient norms (as in DP-SGD) and clipping
norms = jnp.sqrt(jnp.sum(gw ** 2, axis=1) + gb ** 2)
print(norms)
clip = 1.0
factors = jnp.minimum(1.0, clip / norms)
clipped = gw * factors[:, None]
print(jnp.sqrt(jnp.sum(clipped ** 2, axis=1)) <= clip + 1e-6)

# per-example losses and values with value_and_grad
vals, grads = vmap(jax.value_and_grad(loss), in_axes=(None, 0, 0))(params, xs, ys)
print(vals)
print(jax.tree_util.tree_map(jnp.shape, grads))
