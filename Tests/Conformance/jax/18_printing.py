# How JAX arrays print: str, repr, f-strings, 0-d, int32, bool, weak types, .item().
import jax
import jax.numpy as jnp

x = jnp.array([1.0, 2.5, -3.0])
print(x)
print(repr(x))
print([x])
print(f"x = {x}")
print(f"x = {x!r}")
print("x:", x, "sum:", x.sum())

s = jnp.array(3.5)
print(s, repr(s), s.shape, s.ndim)
print(repr(jnp.float32(3.5)), repr(jnp.sum(x)), repr(jnp.mean(x)))
print(f"{s:.3f}", f"{float(s):8.2f}|", f"{x.sum():.2e}")
print(float(s), s.item(), type(s.item()).__name__, int(jnp.array(7)), type(float(s)).__name__)

i = jnp.arange(5)
print(i, repr(i), i.dtype)
print(repr(jnp.array(7)), repr(jnp.int32(7)), jnp.array(7).item())
print(repr(i * 2), repr(i / 2), repr(i // 2))

b = i > 2
print(b, repr(b), b.dtype)
print(repr(jnp.array(True)), bool(jnp.array(True)), jnp.array(True).item())

m = jnp.array([[1.0, 2.0], [3.0, 4.0]])
print(m)
print(repr(m))
print(repr(jnp.zeros((2, 2, 2))))
print(jnp.array([1e-5, 1.0]), jnp.array([1e10, 1.0]), jnp.array([0.1, 0.123456789]))
print(repr(jnp.array([1e-5, 1000.0])))
print(jnp.array([jnp.nan, jnp.inf, -jnp.inf, 0.0]))
print(repr(jnp.array([], dtype=jnp.float32)), jnp.zeros((0, 3)).shape)
print(repr(jnp.array([1, 2], dtype=jnp.uint8)), repr(jnp.array([1.5], dtype=jnp.bfloat16)), repr(jnp.array([1.5], dtype=jnp.float16)))

print(x.shape, type(x.shape).__name__, m.shape[0], len(m))
print(x.dtype, repr(x.dtype), str(x.dtype), x.dtype == jnp.float32)
print(x.tolist(), m.tolist(), i.tolist())
print(type(x).__name__, isinstance(x, jax.Array))
for row in m:
    print(row)
print(list(x), [float(v) for v in x])

print(repr(jnp.float32(2) * 3), repr(jnp.ones(2) + 1), repr(2.0 * jnp.array(1)))
print(repr(jax.grad(lambda a: a * 3.0)(2.0)), repr(jax.jit(lambda a: a + 1)(1)))
print(repr(jnp.linspace(0, 1, 3)), repr(jnp.arange(3.0)))
print(jnp.arange(30.0).reshape(3, 10) / 7)
