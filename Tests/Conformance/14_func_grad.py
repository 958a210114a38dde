import torch
from torch.func import grad, grad_and_value, jvp, vjp, linearize

torch.manual_seed(0)


def f(x):
    return (x ** 3).sum()


x = torch.tensor([1.0, 2.0, -1.0])
print(grad(f)(x))
print(grad(grad(lambda t: torch.sin(t)))(torch.tensor(0.5)))
print(grad(lambda t: t.exp().sum())(torch.zeros(2)))


def loss(w, b, x, y):
    pred = x @ w + b
    return ((pred - y) ** 2).mean()


w = torch.randn(3)
b = torch.tensor(0.5)
X = torch.randn(4, 3)
Y = torch.randn(4)
print(grad(loss)(w, b, X, Y))
gw, gb = grad(loss, argnums=(0, 1))(w, b, X, Y)
print(gw, gb)
print(grad(loss, argnums=1)(w, b, X, Y))


def loss_with_aux(w):
    pred = X @ w
    l = ((pred - Y) ** 2).mean()
    return l, {"pred": pred, "loss": l}


g, aux = grad(loss_with_aux, has_aux=True)(w)
print(g)
print(aux["pred"], aux["loss"])
g2, value = grad_and_value(f)(x)
print(g2, value)
(g3, (l3, extra)) = grad_and_value(lambda w: (loss(w, b, X, Y), w.sum()), has_aux=True)(w)
print(g3, l3, extra)

out, tangent = jvp(torch.sin, (x,), (torch.ones(3),))
print(out, tangent)
out, tangent = jvp(lambda a, c: a * c, (x, w), (torch.ones(3), torch.zeros(3)))
print(out, tangent)

y, vjp_fn = vjp(torch.tanh, x)
print(y)
print(vjp_fn(torch.ones(3)))
(cot,) = vjp_fn(torch.tensor([1.0, 0.0, 2.0]))
print(cot)

value, jvp_fn = linearize(lambda t: t.sin() * t, x)
print(value)
print(jvp_fn(torch.ones(3)))
print(torch.allclose(jvp_fn(torch.ones(3)), jvp(lambda t: t.sin() * t, (x,), (torch.ones(3),))[1]))
print(grad(lambda t: torch.nn.functional.mse_loss(t, torch.zeros(3)))(x))
