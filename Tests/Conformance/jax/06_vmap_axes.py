# vmap with in_axes (ints, None, tuples, pytrees) and out_axes.
import jax
import jax.numpy as jnp
from jax import vmap

x = jnp.arange(6.0).reshape(2, 3)
w = jnp.array([1.0, 0.0, -1.0])

def dot(a, b):
    return jnp.dot(a, b)

print(vmap(dot, in_axes=(0, None))(x, w))
print(x @ w)
print(vmap(dot, in_axes=(1, None))(x.T, w))
print(vmap(jnp.sum)(x))
print(vmap(jnp.sum, in_axes=1)(x))
print(vmap(lambda r: r * 2, out_axes=1)(x))
print(vmap(lambda r: r * 2, out_axes=1)(x).shape)

a = jnp.arange(3.0)
b = jnp.arange(4.0)
outer = vmap(vmap(lambda u, v: u * v, in_axes=(None, 0)), in_axes=(0, None))
print(outer(a, b))
print(jnp.allclose(outer(a, b), jnp.outer(a, b)))

# matrix-vector product batched over matrices, vectors or both
M = jnp.arange(12.0).reshape(3, 2, 2)
v = jnp.array([1.0, 2.0])
print(vmap(jnp.matmul, in_axes=(0, None))(M, v))
vs = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
print(vmap(jnp.matmul)(M, vs))

# scalar arguments broadcast with None; several outputs
def affine(x, scale, shift):
    return x * scale + shift, jnp.sum(x)

out, s = vmap(affine, in_axes=(0, None, 0))(x, 10.0, jnp.array([100.0, 200.0]))
print(out)
print(s)

# pytree inputs: in_axes as a dict
def f(p):
    return p["a"] * p["b"]

print(vmap(f, in_axes=({"a": 0, "b": None},))({"a": jnp.arange(3.0), "b": 5.0}))
res = vmap(lambda r: {"max": jnp.max(r), "min": jnp.min(r)})(x)
print(res)

# out_axes=None for an output that does not depend on the batch
rows, c2 = vmap(lambda r, c: (r + c, c * 2), in_axes=(0, None), out_axes=(0, None))(x, jnp.array(3.0))
print(rows)
print(c2, c2.shape)

# in_axes=-1 and batching an int array
ints = jnp.arange(6).reshape(3, 2)
print(vmap(lambda c: c.sum(), in_axes=-1)(ints))
print(jax.vmap(jnp.argmax)(x), jax.vmap(jnp.argmax)(x).dtype)
