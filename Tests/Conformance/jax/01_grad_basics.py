# Autodiff cookbook: gradients of scalar functions, derivatives of tanh.
import jax
import jax.numpy as jnp
from jax import grad

grad_tanh = grad(jnp.tanh)
print(grad_tanh(2.0))
print(grad(grad(jnp.tanh))(2.0))
print(grad(grad(grad(jnp.tanh)))(2.0))

x = 0.5
print(grad(jnp.sin)(x), jnp.cos(x))

def f(x):
    return x ** 3 + 2.0 * x ** 2 - 5.0 * x + 1.0

df = grad(f)
d2f = grad(df)
d3f = grad(d2f)
for v in [0.0, 1.0, 2.5]:
    print(v, df(v), d2f(v), d3f(v))

def sum_of_squares(x):
    return jnp.sum(x ** 2)

xs = jnp.arange(4.0)
print(sum_of_squares(xs))
print(grad(sum_of_squares)(xs))

def sigmoid(x):
    return 0.5 * (jnp.tanh(x / 2) + 1)

print(grad(sigmoid)(0.0))
print(grad(lambda x: jnp.exp(x) * jnp.log(x))(1.0))
print(grad(lambda x: jnp.sqrt(x))(4.0))
print(grad(lambda x: jnp.abs(x))(-3.0))
print(grad(lambda x: jnp.maximum(x, 0.0))(2.0), grad(jax.nn.relu)(-1.0))

# gradient of a function of a vector with a closed-over constant
W = jnp.array([[1.0, 2.0], [3.0, 4.0]])
def quad(v):
    return v @ W @ v

v = jnp.array([1.0, -1.0])
print(quad(v), grad(quad)(v), (W + W.T) @ v)
print(jnp.allclose(grad(quad)(v), (W + W.T) @ v))
