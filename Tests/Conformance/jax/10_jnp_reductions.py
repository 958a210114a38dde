# Reductions with NumPy semantics: axis=, keepdims=, ddof=, argmax, cumsum.
import jax.numpy as jnp

x = jnp.array([[1.0, 5.0, 2.0],
               [4.0, 3.0, 6.0]])
print(jnp.sum(x), x.sum(axis=0), x.sum(axis=1))
print(jnp.sum(x, axis=1, keepdims=True))
print(jnp.sum(x, axis=1, keepdims=True).shape)
print(jnp.mean(x), jnp.mean(x, axis=0), x.mean(axis=-1, keepdims=True))
print(jnp.max(x), jnp.max(x, axis=0), x.min(axis=1))
print(jnp.argmax(x), jnp.argmax(x, axis=0), jnp.argmax(x, axis=1), jnp.argmin(x, axis=1))
print(jnp.argmax(x, axis=1).dtype)
print(jnp.prod(x, axis=0), jnp.sum(x, axis=(0, 1)))

print(jnp.var(x), jnp.std(x))
print(jnp.var(x, ddof=1), jnp.std(x, ddof=1))
print(jnp.var(x, axis=0), jnp.std(x, axis=1, ddof=1))
print(jnp.std(x, axis=0, keepdims=True))

print(jnp.cumsum(jnp.arange(1, 6)))
print(jnp.cumsum(x, axis=1))
print(jnp.cumsum(x))
print(jnp.cumprod(jnp.array([1.0, 2.0, 3.0, 4.0])))

print(jnp.median(x), jnp.any(x > 5), jnp.all(x > 0))
print(jnp.count_nonzero(x > 2), jnp.sum(x > 2), (x > 2).sum(axis=0))
ints = jnp.array([3, 1, 2])
print(jnp.sum(ints), jnp.mean(ints), jnp.sum(ints).dtype, jnp.mean(ints).dtype)
print(jnp.linalg.norm(jnp.array([3.0, 4.0])), jnp.linalg.norm(x, axis=1))
print(jnp.sort(jnp.array([3.0, 1.0, 2.0])), jnp.argsort(jnp.array([3.0, 1.0, 2.0])))
print(jnp.max(x, axis=1, keepdims=True) - x)
print(jnp.amax(x), jnp.nanmean(jnp.array([1.0, jnp.nan, 3.0])))
