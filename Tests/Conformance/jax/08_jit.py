# jit as a decorator and as a function, static_argnums, jit of grad, block_until_ready.
from functools import partial

import jax
import jax.numpy as jnp
from jax import grad, jit, random

def selu(x, alpha=1.67, lmbda=1.05):
    return lmbda * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

x = jnp.arange(-2.0, 3.0)
selu_jit = jit(selu)
print(selu(x))
print(selu_jit(x))
print(selu_jit(x).block_until_ready())
print(jnp.allclose(selu(x), selu_jit(x)))

@jit
def update(w, x, y, lr):
    def loss(w):
        return jnp.mean((x @ w - y) ** 2)
    return w - lr * grad(loss)(w)

X = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
Y = jnp.array([1.0, 2.0, 3.0])
w = jnp.zeros(2)
for i in range(3):
    w = update(w, X, Y, 0.01)
    print(i, w)

@partial(jit, static_argnums=(1,))
def power_sum(x, n):
    total = jnp.zeros_like(x)
    for i in range(n):
        total = total + x ** i
    return total

print(power_sum(jnp.array([1.0, 2.0]), 3))
print(power_sum(jnp.array([1.0, 2.0]), 4))

def g(x, n):
    if n > 0:
        return x * n
    return -x

g_jit = jit(g, static_argnums=1)
print(g_jit(jnp.ones(2), 3), g_jit(jnp.ones(2), 0))

@partial(jit, static_argnames=["mode"])
def act(x, mode="relu"):
    if mode == "relu":
        return jnp.maximum(x, 0.0)
    return jnp.tanh(x)

print(act(x), act(x, mode="tanh"))

grad_jit = jit(grad(lambda x: jnp.sum(jnp.sin(x) ** 2)))
print(grad_jit(jnp.array([0.0, 1.0, 2.0])))
print(jit(jax.value_and_grad(lambda a, b: a * b ** 2, argnums=1))(3.0, 2.0))

key = random.PRNGKey(0)
m = random.normal(key, (3, 3))
mm = jit(lambda a: a @ a.T)(m).block_until_ready()
print(mm.shape, jnp.allclose(mm, mm.T))
print(jnp.allclose(jit(jnp.tanh)(m), jnp.tanh(m)))

# a jitted function returning several values and a dict
@jit
def stats(v):
    return {"mean": v.mean(), "max": v.max()}, v.min()

print(stats(jnp.array([3.0, 1.0, 2.0])))
