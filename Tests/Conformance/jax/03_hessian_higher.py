# Hessians and higher-order derivatives: nested grad, jacfwd(jacrev), jax.hessian.
import jax
import jax.numpy as jnp
from jax import grad, jacfwd, jacrev

def hessian(f):
    return jacfwd(jacrev(f))

def f(x):
    return jnp.sum(x ** 3) + x[0] * x[1]

x = jnp.array([1.0, 2.0, 3.0])
H = hessian(f)(x)
print(H)
print(H.shape)
print(jnp.allclose(H, jax.hessian(f)(x)))
print(jnp.allclose(H, jacrev(jacrev(f))(x)))
print(jnp.allclose(H, jacfwd(jacfwd(f))(x)))

def rosenbrock(p):
    x, y = p[0], p[1]
    return (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2

p = jnp.array([1.0, 1.0])
print(rosenbrock(p), grad(rosenbrock)(p))
print(jax.hessian(rosenbrock)(p))
q = jnp.array([-1.0, 2.0])
print(grad(rosenbrock)(q))
print(jax.hessian(rosenbrock)(q))

# Scalar higher derivatives by repeated grad
g = lambda x: jnp.exp(2.0 * x)
d = g
for n in range(1, 5):
    d = grad(d)
    print(n, d(0.0))

# Hessian-vector product (forward-over-reverse)
def hvp(f, x, v):
    return jax.jvp(grad(f), (x,), (v,))[1]

v = jnp.array([1.0, 0.0, -1.0])
print(hvp(f, x, v))
print(jnp.allclose(hvp(f, x, v), H @ v))

# jvp and vjp directly
y, tangent = jax.jvp(jnp.sin, (0.0,), (1.0,))
print(y, tangent)
out, f_vjp = jax.vjp(lambda x: x ** 2, jnp.array([1.0, 2.0, 3.0]))
print(out, f_vjp(jnp.ones(3)))
