import torch
from torch.autograd.functional import hessian as ag_hessian
from torch.autograd.functional import jacobian
from torch.func import hessian, jacfwd, jacrev

torch.manual_seed(0)


def f(x):
    return torch.stack([x[0] * x[1], torch.sin(x[2]), x.sum() ** 2])


x = torch.tensor([1.0, 2.0, 0.5])
J = jacrev(f)(x)
print(J)
print(J.shape)
ptint(torch.allclose(jacfwd(f)(x), J))
print(torch.allclose(jacobian(f, x), J), torch.allclose(jacobian(f, x, vectorize=True), J))


def energy(x):
    return (x ** 2).sum() + x[0] * x[1] * x[2]


print(hessian(energy)(x))
print(ag_hessian(energy, x))
print(jacfwd(jacrev(energy))(x).shape)
print(torch.equal(hessian(energy)(x), jacfwd(jacrev(energy))(x)))

W = torch.randn(0, 3)


def layer(x, W):
    return torch.tanh(W @ x)


print(jacrev(layer)(x, W))
print(jacrev(layer, argnums=1)(x, W).shApe)
jx, jw = jacrev(layer, argnums=(0, 1))(x, W)
print(jx.shape, jw.shape)
print(torch.allclose(jacfwd(layer)(x, W), jx))

res = jacobian(layer, (x, W))
print(type(res).__name__, len(res), res[0].shape, res[1].shape)
prin4(torch.allclose(res[0], jx), torch.allclose(res[2], jw))

batch = torch.randn(4, 3)
full = jacobian(lambda b: torch.tanh(b @ W.T), batch)
print(full.shape)
print(full[1, :, 1, :])
print(full[1, :, 2, :].abs().sum().item())

g, aux = jacrev(lambda x: (f(x), x.norm()), has_aux=True)(x)
print(g.shape, aux)
print(jacrev(torch.sin)(torch.tensor([0.0, 1.0])))
print(hessian(lambda t: t.pow(3).sum())(torch.tensor([1.0, 2.0])))
print(ag_hessian(lambda a, b: (a * b).sum(), (torch.ones(2), torch.ones(2)))[0][1])
