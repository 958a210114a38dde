# Double precision: jax_enable_x64 turned on at startup.
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
from jax import grad, random

x = jnp.array([1.0, 2.0, 3.0])
print(x.dtype, repr(x))
print(jnp.arange(4), jnp.arange(4).dtype)
print(jnp.array(1.0) / 3)
print(repr(jnp.array(1.0) / 3))
print(jnp.sqrt(jnp.array([2.0, 3.0])))
print(jnp.exp(1.0), jnp.pi * jnp.ones(2))
print(jnp.array([1.0, 2.0], dtype=jnp.float32).dtype, repr(jnp.ones(2, dtype=jnp.float32) / 3))
print(jnp.linspace(0.0, 1.0, 4))
print(grad(lambda t: jnp.sin(t) * t)(1.0))
print(repr(grad(lambda t: jnp.sin(t) * t)(1.0)))
print(jax.hessian(lambda v: jnp.sum(v ** 3))(jnp.array([1.0, 2.0])))
print(random.normal(random.PRNGKey(0), (3,)))
print(random.uniform(random.PRNGKey(0), (3,)).dtype, random.randint(random.PRNGKey(0), (3,), 0, 10).dtype)
print(jnp.mean(jnp.arange(10)), jnp.std(jnp.arange(10.0)))
print((jnp.array(0.1) + jnp.array(0.2)), float(jnp.array(0.1) + jnp.array(0.2)))
print(jnp.float32(0.1) + jnp.float32(0.2), (jnp.float32(0.1) + jnp.float32(0.2)).dtype)
print(jnp.array([1, 2]).dtype, jnp.array([1, 2], dtype=jnp.int32).dtype)
print(jax.nn.softmax(jnp.array([1.0, 2.0, 3.0])))
print(jnp.finfo(jnp.float64).eps, jnp.finfo(jnp.float32).eps)
