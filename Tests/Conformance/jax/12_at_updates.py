# Functional updates with .at[...]: arrays are immutable.
import jax
import jax.numpy as jnp

x = jnp.zeros(5)
y = x.at[2].set(10.0)
print(x)
print(y)
print(x.at[1:3].add(1.0))
print(x.at[jnp.array([0, 4])].set(jnp.array([-1.0, 1.0])))
print(jnp.ones(4).at[::2].mul(3.0))
print(jnp.arange(5.0).at[-1].divide(2.0), jnp.arange(5.0).at[0].power(2))
print(jnp.arange(5.0).at[1].min(-3.0), jnp.arange(5.0).at[1].max(9.0))

m = jnp.zeros((3, 3))
m = m.at[1, :].set(1.0)
m = m.at[:, 2].add(5.0)
m = m.at[0, 0].set(-2.0)
print(m)
print(jnp.eye(3).at[jnp.diag_indices(3)].set(jnp.array([1.0, 2.0, 3.0])))

# repeated indices accumulate with add, last write wins is not guaranteed for set
counts = jnp.zeros(4, dtype=jnp.int32).at[jnp.array([0, 1, 1, 3, 3, 3])].add(1)
print(counts, counts.dtype)
print(jnp.arange(5.0).at[2].get(), jnp.arange(3).at[10].get(mode="fill", fill_value=-1))

# out-of-bounds updates are dropped
print(jnp.zeros(3).at[5].set(1.0))

# boolean-mask style updates use jnp.where
v = jnp.array([1.0, -2.0, 3.0, -4.0])
print(jnp.where(v < 0, 0.0, v))

# in-place assignment is an error
try:
    x[0] = 1.0
except TypeError as e:
    print(type(e).__name__)

# .at inside jit and grad
@jax.jit
def scatter(v, i, val):
    return v.at[i].set(val)

print(scatter(jnp.zeros(4), 1, 7.0))
print(jax.grad(lambda v: jnp.sum(v.at[0].mul(3.0) ** 2))(jnp.array([1.0, 2.0])))
print(jax.grad(lambda a: jnp.sum(jnp.zeros(3).at[1].set(a) * 2.0))(5.0))
