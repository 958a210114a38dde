# Cookbook: differentiating w.r.t. several arguments, has_aux, value_and_grad.
import jax.numpy as jnp
from jax import grad, value_and_grad

def sigmoid(x):
    return 0.5 * (jnp.tanh(x / 2) + 1)

def predict(W, b, inputs):
    return sigmoid(jnp.dot(inputs, W) + b)

inputs = jnp.array([[0.52, 1.12, 0.77],
                    [0.88, -1.08, 0.15],
                    [0.52, 0.06, -1.30],
                    [0.74, -2.49, 1.39]])
targets = jnp.array([True, True, False, True])

def loss(W, b):
    preds = predict(W, b, inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -jnp.sum(jnp.log(label_probs))

W = jnp.array([0.1, -0.2, 0.3])
b = 0.5

print(loss(W, b))
W_grad = grad(loss, argnums=0)(W, b)
print('W_grad', W_grad)
W_grad = grad(loss, 0)(W, b)
print('W_grad', W_grad)
b_grad = grad(loss, 1)(W, b)
print('b_grad', b_grad)
W_grad, b_grad = grad(loss, (0, 1))(W, b)
print('W_grad', W_grad)
print('b_grad', b_grad)

loss_value, Wb_grad = value_and_grad(loss, (0, 1))(W, b)
print('loss value', loss_value)
print('loss value', loss(W, b))
print(type(Wb_grad).__name__, len(Wb_grad))

def loss_with_aux(W, b):
    preds = predict(W, b, inputs)
    label_probs = preds * targets + (1 - preds) * (1 - targets)
    return -jnp.sum(jnp.log(label_probs)), preds

g, preds = grad(loss_with_aux, has_aux=True)(W, b)
print(g)
print(preds)
(val, aux), (gW, gb) = value_and_grad(loss_with_aux, argnums=(0, 1), has_aux=True)(W, b)
print(val, aux.shape, gW.shape, gb.shape)
print(jnp.allclose(gW, g))

def f(x, y, z):
    return x * y ** 2 + jnp.sin(z)

print(grad(f, argnums=(0, 2))(1.0, 2.0, 0.0))
print(grad(f, argnums=1)(1.0, 2.0, 0.0))
