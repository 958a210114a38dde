# The "simple neural network" tutorial, shrunk: random init, vmap'd predict,
# one_hot targets, logsumexp, jitted SGD update over a list of (W, b) tuples.
import jax.numpy as jnp
from jax import grad, jit, vmap, random
from jax.scipy.special import logsumexp

def random_layer_params(m, n, key, scale=1e-1):
    w_key, b_key = random.split(key)
    return scale * random.normal(w_key, (n, m)), scale * random.normal(b_key, (n,))

def init_network_params(sizes, key):
    keys = random.split(key, len(sizes))
    return [random_layer_params(m, n, k) for m, n, k in zip(sizes[:-1], sizes[1:], keys)]

layer_sizes = [4, 8, 3]
step_size = 0.5
params = init_network_params(layer_sizes, random.key(0))
print([(w.shape, b.shape) for w, b in params])

def relu(x):
    return jnp.maximum(0, x)

def predict(params, image):
    activations = image
    for w, b in params[:-1]:
        outputs = jnp.dot(w, activations) + b
        activations = relu(outputs)
    final_w, final_b = params[-1]
    logits = jnp.dot(final_w, activations) + final_b
    return logits - logsumexp(logits)

random_flattened_image = random.normal(random.key(1), (4,))
preds = predict(params, random_flattened_image)
print(preds.shape)

random_flattened_images = random.normal(random.key(1), (10, 4))
try:
    preds = predict(params, random_flattened_images)
except TypeError:
    print('Invalid shapes!')

batched_predict = vmap(predict, in_axes=(None, 0))
batched_preds = batched_predict(params, random_flattened_images)
print(batched_preds.shape)

def one_hot(x, k, dtype=jnp.float32):
    return jnp.array(x[:, None] == jnp.arange(k), dtype)

def accuracy(params, images, targets):
    target_class = jnp.argmax(targets, axis=1)
    predicted_class = jnp.argmax(batched_predict(params, images), axis=1)
    return jnp.mean(predicted_class == target_class)

def loss(params, images, targets):
    preds = batched_predict(params, images)
    return -jnp.mean(preds * targets)

@jit
def update(params, x, y):
    grads = grad(loss)(params, x, y)
    return [(w - step_size * dw, b - step_size * db)
            for (w, b), (dw, db) in zip(params, grads)]

# three well-separated blobs
centers = jnp.array([[2.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 2.0, 2.0]])
labels = jnp.tile(jnp.arange(3), 10)
images = centers[labels] + 0.5 * random.normal(random.key(2), (30, 4))
targets = one_hot(labels, 3)
print(targets[:4])

print(f"initial accuracy {accuracy(params, images, targets):.3f} loss {loss(params, images, targets):.4f}")
for epoch in range(5):
    for i in range(0, 30, 10):
        params = update(params, images[i:i + 10], targets[i:i + 10])
    print(f"epoch {epoch} accuracy {accuracy(params, images, targets):.3f} loss {loss(params, images, targets):.4f}")
print(jnp.argmax(batched_predict(params, images[:6]), axis=1), labels[:6])
