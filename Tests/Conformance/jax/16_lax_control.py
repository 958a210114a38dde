# jax.lax control flow: scan, fori_loop, cond, switch, map, while_loop; stop_gradient.
import jax
import jax.numpy as jnp
from jax import lax

def cumsum_step(carry, x):
    carry = carry + x
    return carry, carry

final, sums = lax.scan(cumsum_step, 0.0, jnp.arange(1.0, 6.0))
print(final, sums)
print(jnp.allclose(sums, jnp.cumsum(jnp.arange(1.0, 6.0))))

# RNN-style scan
W_h = jnp.array([[0.5, -0.3], [0.2, 0.4]])
W_x = jnp.array([[1.0, 0.0], [0.0, 1.0]])
xs = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, -0.5]])

def rnn_cell(h, x):
    h = jnp.tanh(h @ W_h + x @ W_x)
    return h, h

h_last, hs = lax.scan(rnn_cell, jnp.zeros(2), xs)
print(h_last)
print(hs.shape)
print(hs)
_, ys = lax.scan(lambda c, x: (c, x * 2), None, jnp.arange(3))
print(ys)
print(lax.scan(lambda c, _: (c * 2, c), 1, None, length=4))

print(lax.fori_loop(0, 10, lambda i, acc: acc + i, 0))
print(lax.fori_loop(0, 3, lambda i, v: v * 2.0 + i, jnp.array([1.0, -1.0])))

def fact(n):
    def body(state):
        i, acc = state
        return i + 1, acc * i
    return lax.while_loop(lambda s: s[0] <= n, body, (1, 1))[1]

print(fact(5))

print(lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 3.0))
print(lax.cond(jnp.array(-2.0) > 0, lambda x: x * 10, lambda x: -x, jnp.array([1.0, 2.0])))

@jax.jit
def safe_log(x):
    return lax.cond(x > 0, jnp.log, lambda x: jnp.array(0.0), x)

print(safe_log(jnp.e), safe_log(-1.0))
branches = [lambda x: x + 1, lambda x: x * 2, lambda x: -x]
print([int(lax.switch(i, branches, 5)) for i in range(3)])

print(lax.map(lambda r: jnp.sum(r ** 2), jnp.arange(6.0).reshape(3, 2)))

def f(x):
    return x ** 2 + lax.stop_gradient(x ** 3)

print(f(2.0), jax.grad(f)(2.0))
def td_loss(theta, s, s_next, r):
    target = r + 0.9 * lax.stop_gradient(theta @ s_next)
    return (target - theta @ s) ** 2

theta = jnp.array([0.1, 0.2])
print(jax.grad(td_loss)(theta, jnp.array([1.0, 0.0]), jnp.array([0.0, 1.0]), 1.0))
print(jax.grad(lambda x: lax.scan(lambda c, x: (c * x, None), 1.0, x)[0])(jnp.array([1.0, 2.0, 3.0])))
print(jax.grad(lambda x: lax.fori_loop(0, 3, lambda i, v: v * x, 1.0))(2.0))
