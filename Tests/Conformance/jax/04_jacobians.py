# jacfwd and jacrev of vector-valued functions (autodiff cookbook).
import jax.numpy as jnp
from jax import jacfwd, jacrev, grad

def sigmoid(x):
    return 0.5 * (jnp.tanh(x / 2) + 1)

def predict(W, b, inputs):
    return sigmoid(jnp.dot(inputs, W) + b)

inputs = jnp.array([[0.52, 1.12, 0.77],
                    [0.88, -1.08, 0.15],
                    [0.52, 0.06, -1.30],
                    [0.74, -2.49, 1.39]])
W = jnp.array([0.1, -0.2, 0.3])
b = 0.5

f = lambda W: predict(W, b, inputs)
J = jacfwd(f)(W)
print("jacfwd result, with shape", J.shape)
print(J)
J = jacrev(f)(W)
print("jacrev result, with shape", J.shape)
print(J)
print(jnp.allclose(jacfwd(f)(W), jacrev(f)(W)))

def g(x):
    return jnp.array([x[0] * x[1], jnp.sin(x[0]), x[1] ** 2 + x[2]])

x = jnp.array([1.0, 2.0, 3.0])
print(jacfwd(g)(x))
print(jacrev(g)(x))

# non-square: R^3 -> R^2 and R^2 -> R^4
h = lambda x: jnp.stack([jnp.sum(x), jnp.prod(x)])
print(jacrev(h)(x), jacrev(h)(x).shape)
k = lambda v: jnp.outer(v, jnp.array([1.0, 2.0])).ravel()
print(jacfwd(k)(jnp.array([3.0, 4.0])).shape)

# elementwise function: jacobian is diagonal
d = jacrev(jnp.tanh)(jnp.array([0.0, 0.5, 1.0]))
print(d)
print(jnp.allclose(jnp.diag(d), grad(lambda v: jnp.sum(jnp.tanh(v)))(jnp.array([0.0, 0.5, 1.0]))))

# jacobian w.r.t. several arguments
def m(a, b):
    return a * b + jnp.sum(a)

ja, jb = jacrev(m, argnums=(0, 1))(jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0]))
print(ja)
print(jb)

# matrix input: jacobian shape is out.shape + in.shape
A = jnp.array([[1.0, 2.0], [3.0, 4.0]])
print(jacfwd(lambda A: A @ jnp.array([1.0, -1.0]))(A).shape)
print(jacrev(lambda A: jnp.sum(A ** 2, axis=0))(A))
