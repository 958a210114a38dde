# Errors JAX users run into, caught and reported by type name.
import jax
import jax.numpy as jnp
from jax import grad, jit, vmap

def f(x):
    return x * 2.0

try:
    grad(f)(jnp.array([1.0, 2.0]))
except TypeError as e:
    print("grad of non-scalar:", type(e).__name__)

try:
    grad(lambda x: x ** 2)(3)
except TypeError as e:
    print("grad of int input:", type(e).__name__)

try:
    vmap(lambda a, b: a + b)(jnp.ones(3), jnp.ones(4))
except ValueError as e:
    print("vmap size mismatch:", type(e).__name__)

try:
    vmap(jnp.sum, in_axes=1)(jnp.ones(3))
except ValueError as e:
    print("vmap bad axis:", type(e).__name__)

@jit
def relu_if(x):
    if x > 0:
        return x
    return 0.0

try:
    relu_if(1.0)
except jax.errors.TracerBoolConversionError as e:
    print("python if under jit:", type(e).__name__)
print(issubclass(jax.errors.TracerBoolConversionError, TypeError))

@jit
def to_float(x):
    return float(x)

try:
    to_float(jnp.array(1.0))
except jax.errors.ConcretizationTypeError as e:
    print("float() under jit:", type(e).__name__)

def zeros_of(n):
    return jnp.zeros(n)

try:
    jit(zeros_of)(3)
except TypeError as e:
    print("traced shape:", type(e).__name__)

x = jnp.arange(3.0)
try:
    x[0] = 5.0
except TypeError as e:
    print("item assignment:", type(e).__name__)

try:
    jnp.ones((2, 3)) @ jnp.ones((2, 3))
except TypeError as e:
    print("matmul shapes:", type(e).__name__)

try:
    jnp.ones(3) + jnp.ones(4)
except (TypeError, ValueError) as e:
    print("broadcast:", type(e).__name__)

try:
    jnp.reshape(jnp.arange(6), (4, 2))
except TypeError as e:
    print("reshape:", type(e).__name__)

# works once the value is static or handled with jnp.where
print(jit(lambda x: jnp.where(x > 0, x, 0.0))(-1.0))
print(jit(zeros_of, static_argnums=0)(3))
print(grad(lambda x: jnp.sum(f(x)))(jnp.array([1.0, 2.0])))
print(grad(lambda x: x ** 2)(3.0))
print(jnp.arange(3.0)[5], jnp.arange(3.0)[-5])
