# jax.nn activations and helpers; logsumexp.
import jax
import jax.numpy as jnp
from jax.scipy.special import logsumexp

x = jnp.array([-2.0, -0.5, 0.0, 1.0, 3.0])
print(jax.nn.relu(x))
print(jax.nn.sigmoid(x))
print(jax.nn.softplus(x))
print(jax.nn.gelu(x))
print(jax.nn.gelu(x, approximate=False))
print(jax.nn.silu(x))
print(jax.nn.leaky_relu(x, negative_slope=0.1))
print(jax.nn.elu(x))
print(jax.nn.log_sigmoid(x))

logits = jnp.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
sm = jax.nn.softmax(logits)
print(sm)
print(sm.sum(axis=-1))
print(jax.nn.softmax(logits, axis=0))
print(jax.nn.log_softmax(logits))
print(jnp.allclose(jnp.exp(jax.nn.log_softmax(logits)), sm))
print(logsumexp(logits), logsumexp(logits, axis=1))
print(jax.nn.logsumexp(logits, axis=1, keepdims=True))
print(logsumexp(jnp.array([1000.0, 1000.0])))

labels = jnp.array([0, 2, 1])
print(jax.nn.one_hot(labels, 3))
print(jax.nn.one_hot(labels, 4).dtype, jax.nn.one_hot(jnp.array([1, 5]), 3))

def cross_entropy(logits, labels):
    one_hot = jax.nn.one_hot(labels, logits.shape[-1])
    return -jnp.mean(jnp.sum(one_hot * jax.nn.log_softmax(logits), axis=-1))

batch_logits = jnp.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-1.0, 3.0, 0.0]])
print(cross_entropy(batch_logits, labels))
print(jax.grad(cross_entropy)(batch_logits, labels))

print(jax.grad(jax.nn.relu)(0.0), jax.grad(jax.nn.relu)(1.0))
print(jax.vmap(jax.grad(jax.nn.sigmoid))(x))
print(jax.nn.standardize(jnp.array([1.0, 2.0, 3.0])))
print(jax.nn.relu6(jnp.array([-1.0, 3.0, 8.0])), jax.nn.hard_tanh(jnp.array([-2.0, 0.5, 2.0])))
