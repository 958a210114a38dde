# Pytrees: params as dicts and lists of tuples, tree_map, tree_leaves, grad w.r.t. a dict.
import jax
import jax.numpy as jnp
from jax import grad, random

def init_mlp(sizes, key):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        key, subkey = random.split(key)
        W = random.normal(subkey, (n_in, n_out)) * jnp.sqrt(2.0 / n_in)
        params.append((W, jnp.zeros(n_out)))
    return params

params = init_mlp([2, 3, 1], random.PRNGKey(0))
print(jax.tree_util.tree_map(lambda p: p.shape, params))
print(params[0][0])
leaves = jax.tree_util.tree_leaves(params)
print(len(leaves), [l.shape for l in leaves])
print(sum(l.size for l in leaves))

example_trees = [
    [1, "a", None],
    (1, (2, 3), ()),
    [1, {"k1": 2, "k2": (3, 4)}, 5],
    {"a": 2, "b": (2, 3)},
    jnp.array([1, 2, 3]),
]
for pytree in example_trees:
    leaves = jax.tree_util.tree_leaves(pytree)
    print(f"{repr(pytree):<45} has {len(leaves)} leaves: {leaves}")

list_of_lists = [[1, 2, 3], [1, 2], [1, 2, 3, 4]]
print(jax.tree_util.tree_map(lambda x: x * 2, list_of_lists))
another = list_of_lists
print(jax.tree_util.tree_map(lambda x, y: x + y, list_of_lists, another))
print(jax.tree_util.tree_map(lambda x: x + 1, {"b": 1, "a": (2, None)}))

# grad of a loss w.r.t. a params dict
p = {"w": jnp.array([1.0, -1.0]), "b": jnp.array(0.5)}
x = jnp.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]])
y = jnp.array([0.0, 1.0, 2.0])

def loss(p, x, y):
    pred = x @ p["w"] + p["b"]
    return jnp.mean((pred - y) ** 2)

print(loss(p, x, y))
g = grad(loss)(p, x, y)
print(g)
print(sorted(g.keys()), g["w"].shape, g["b"].shape)
new_p = jax.tree_util.tree_map(lambda a, da: a - 0.05 * da, p, g)
print(new_p)
print(loss(new_p, x, y) < loss(p, x, y))

# nested dicts and jax.tree.map
nested = {"layer1": {"W": jnp.ones((2, 2)), "b": jnp.zeros(2)}, "scale": 3.0}
print(jax.tree.map(lambda a: a * 2, nested))
print(jax.tree.leaves(nested))
gn = grad(lambda t: jnp.sum(t["layer1"]["W"] * t["scale"]) + t["scale"] ** 2)(nested)
print(gn)
