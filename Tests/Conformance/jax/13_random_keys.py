# jax.random keys: PRNGKey / key, split, fold_in, bits, key_data.
import jax
from jax import random

key = random.PRNGKey(0)
print(key)
print(repr(key))
print(key.shape, key.dtype)
print(random.PRNGKey(42))

key, subkey = random.split(key)
print(key)
print(subkey)
keys = random.split(random.PRNGKey(0), num=3)
print(keys)
print(keys.shape)
k1, k2, k3 = random.split(random.PRNGKey(1), 3)
print(k1, k2, k3)
print(random.split(random.PRNGKey(0), 1))

print(random.fold_in(random.PRNGKey(0), 1))
print(random.fold_in(random.PRNGKey(0), 2))
for step in range(3):
    print(step, random.fold_in(random.PRNGKey(7), step))

print(random.bits(random.PRNGKey(0)))
print(random.bits(random.PRNGKey(0), (4,)))
print(random.bits(random.PRNGKey(0), (4,)).dtype)

# same key, same numbers; different keys, different numbers
a = random.normal(random.PRNGKey(0), (3,))
b = random.normal(random.PRNGKey(0), (3,))
c = random.normal(random.PRNGKey(1), (3,))
print(a, b, c)
print(bool((a == b).all()), bool((a == c).all()))

# new-style typed keys
k = random.key(0)
print(k)
print(repr(k))
print(k.shape, k.dtype)
print(random.split(k, 3))
print(random.key_data(k))
print(random.key_data(random.split(k)))
print(random.normal(k, (3,)))
print(random.key_data(random.fold_in(k, 3)))

# the typical loop
key = random.PRNGKey(2024)
for i in range(3):
    key, subkey = random.split(key)
    print(i, random.uniform(subkey))
