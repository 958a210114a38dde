import torch
from torch.func import vmap, grad, jacrev

torch.manual_seed(0)
batch = torch.randn(4, 3)
weights = torch.randn(3)


def dot(a, b):
    return (a * b).sum()


print(vmap(dot, in_dims=(0, None))(batch, weights))
print(batch @ weights)
print(vmap(torch.outer)(batch[:2], batch[2:]).shape)
print(vmap(lambda row: row.max())(batch))
print(vmap(torch.dot)(batch, batch), vmap(torch.mv)(torch.randn(2, 2, 3), batch[:2]).shape)

cols = vmap(lambda c: c.norm(), in_dims=1)(batch)
print(cols, torch.allclose(cols, batch.norm(dim=0)))
moved = vmap(lambda r: r * 2, out_dims=1)(batch)
print(moved.shape)
print(torch.equal(moved, (batch * 2).T))

pairs = vmap(vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))
print(pairs(torch.arange(3.0), torch.arange(2.0)))


def model(x, w, scale):
    return torch.tanh(x @ w) * scale


print(vmap(model, in_dims=(0, None, None))(batch, weights, 2.0))
print(vmap(model, in_dims=(0, None, 0))(batch, weights, torch.arange(4.0)))

chunked = vmap(lambda r: r.exp().sum(), chunk_size=2)(batch)
print(chunked, torch.allclose(chunked, batch.exp().sum(1)))

per_sample = vmap(grad(lambda x: torch.sin(x).sum()))(batch)
print(torch.allclose(per_sample, torch.cos(batch)))
print(vmap(jacrev(torch.tanh))(batch[:2]))

out_a, out_b = vmap(lambda r: (r.sum(), r * 0))(batch)
print(out_a, out_b.shape)
d = vmap(lambda r: {"min": r.min(), "mean": r.mean()})(batch)
print(d)

try:
    vmap(dot)(batch, torch.randn(5, 3))
except ValueError as e:
    print(type(e).__name__)
try:
    vmap(torch.sin, in_dims=1)(torch.randn(3))
except ValueError as e:
    print(type(e).__name__)
