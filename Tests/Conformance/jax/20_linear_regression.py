# A small training loop: linear regression with grad and SGD updates via tree_map.
import jax
import jax.numpy as jnp
from jax import grad, jit, random

key = random.PRNGKey(0)
key, xkey, nkey = random.split(key, 3)
true_w = jnp.array([2.0, -3.0, 0.5])
true_b = 1.0
X = random.normal(xkey, (20, 3))
y = X @ true_w + true_b + 0.1 * random.normal(nkey, (20,))

def init_params(key):
    wkey, bkey = random.split(key)
    return {"w": 0.01 * random.normal(wkey, (3,)), "b": jnp.zeros(())}

def predict(params, X):
    return X @ params["w"] + params["b"]

def loss_fn(params, X, y):
    return jnp.mean((predict(params, X) - y) ** 2)

@jit
def update(params, X, y, lr=0.1):
    grads = grad(loss_fn)(params, X, y)
    return jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)

params = init_params(key)
print(jax.tree_util.tree_map(jnp.shape, params))
print(f"initial loss {loss_fn(params, X, y):.4f}")
for step in range(41):
    if step % 10 == 0:
        print(f"step {step:3d} loss {loss_fn(params, X, y):.6f}")
    params = update(params, X, y)

print("w", params["w"])
print("b", params["b"])
print(jnp.allclose(params["w"], true_w, atol=0.1), bool(jnp.abs(params["b"] - true_b) < 0.1))

# the same with value_and_grad, returning the loss from the step
@jit
def train_step(params, X, y):
    loss, grads = jax.value_and_grad(loss_fn)(params, X, y)
    params = jax.tree_util.tree_map(lambda p, g: p - 0.05 * g, params, grads)
    return params, loss

params = init_params(random.PRNGKey(1))
losses = []
for epoch in range(6):
    for i in range(0, 20, 5):
        params, loss = train_step(params, X[i:i + 5], y[i:i + 5])
    losses.append(float(loss))
    print(epoch, round(float(loss), 4))
print(losses[-1] < losses[0])
print(loss_fn(params, X, y))
