# Sampling from jax.random: normal, uniform, bernoulli, randint, permutation, choice.
import jax.numpy as jnp
from jax import random

key = random.PRNGKey(0)
print(random.normal(key))
print(random.normal(key, (3,)))
print(random.normal(key, (2, 3)))
print(random.normal(key, (2,), dtype=jnp.float32).dtype)
print(random.uniform(key, (4,)))
print(random.uniform(key, (4,), minval=-1.0, maxval=1.0))
print(random.uniform(key, shape=(2, 2), minval=5, maxval=10))

print(random.bernoulli(key, 0.5, (6,)))
print(random.bernoulli(key, p=jnp.array([0.1, 0.9, 0.5])))
r = random.randint(key, (8,), 0, 10)
print(r, r.dtype)
print(random.randint(key, (2, 3), minval=-5, maxval=5))

print(random.permutation(key, 8))
print(random.permutation(key, jnp.arange(10.0, 15.0)))
print(random.permutation(random.PRNGKey(3), jnp.arange(6).reshape(3, 2)))

print(random.choice(key, 10, (4,)))
print(random.choice(key, 10, (4,), replace=False))
print(random.choice(key, jnp.array([1.5, 2.5, 3.5]), (5,)))
p = jnp.array([0.1, 0.0, 0.6, 0.3])
print(random.choice(key, 4, (8,), p=p))
print(random.choice(key, jnp.arange(4), (3,), replace=False, p=p))

print(random.categorical(key, jnp.log(jnp.array([0.2, 0.3, 0.5])), shape=(6,)))
print(random.truncated_normal(key, -1.0, 1.0, (3,)))
print(random.normal(key, (3,)) * 2.0 + 5.0)

k1, k2 = random.split(key)
big = random.normal(k1, (1000,))
print(big.shape, jnp.abs(big.mean()) < 0.1, jnp.abs(big.std() - 1.0) < 0.1)
u = random.uniform(k2, (1000,), minval=2.0, maxval=3.0)
print(bool(u.min() >= 2.0), bool(u.max() < 3.0))
