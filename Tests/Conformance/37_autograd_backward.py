import torch
import torch.nn as nn

torch.manual_seed(0)

# Leaves that require grad, and the graph that operations record.
x = torch.randn(3, requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
print(x)
print(x.requires_grad, x.is_leaf, x.grad, x.grad_fn)

y = (x * w).sum()
print(y)
print(y.requires_grad, y.is_leaf, y.grad_fn.name())
y.backward()
print("x.grad:", x.grad)
print("w.grad:", w.grad)

# Gradients accumulate until they are zeroed.
z = (x ** 2).sum()
z.backward()
print("accumulated:", x.grad)
x.grad.zero_()
print("zeroed:", x.grad)

# Non-scalar outputs need a gradient argument.
v = torch.tanh(x) * 3
v.backward(torch.ones_like(v))
print("vector backward:", x.grad)

# retain_grad keeps the gradient of an intermediate tensor.
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.retain_grad()
c = (b ** 2).mean()
c.backward()
print("b.grad:", b.grad)
print("a.grad:", a.grad)

# The printed history of common operations.
m = torch.randn(2, 3, requires_grad=True)
for name, t in [("add", m + 1), ("rsub", 1 - m), ("mul", m * m), ("div", m / 2), ("pow", m ** 2),
                ("neg", -m), ("exp", m.exp()), ("tanh", torch.tanh(m)), ("sigmoid", torch.sigmoid(m)),
                ("relu", torch.relu(m)), ("sum", m.sum()), ("sum dim", m.sum(dim=0)), ("mean", m.mean()),
                ("mean dim", m.mean(1)), ("select", m[0]), ("slice", m[:, 1:]), ("index", m[:, [0, 2]]),
                ("view", m.view(6)), ("reshape", m.reshape(3, 2)), ("t", m.t()), ("T", m.T),
                ("transpose", m.transpose(0, 1)), ("unsqueeze", m.unsqueeze(0)), ("mm", m @ m.t()),
                ("mv", m @ torch.ones(3)), ("cat", torch.cat([m, m])), ("stack", torch.stack([m, m])),
                ("clone", m.clone()), ("abs", m.abs()), ("max", m.max()), ("amax", m.amax(dim=1)),
                ("softmax", torch.softmax(m, dim=1)), ("clamp", m.clamp(min=0)), ("where", torch.where(m > 0, m, 0.0))]:
    print(f"{name:>10}: {type(t.grad_fn).__name__}")

# A module's parameters are leaves; backward fills their .grad.
lin = nn.Linear(3, 2)
out = lin(torch.randn(4, 3))
print(out.grad_fn)
loss = out.pow(2).mean()
loss.backward()
for n, p in lin.named_parameters():
    print(n, p.grad.shape, p.grad.dtype)
lin.zero_grad()
print([p.grad for p in lin.parameters()])

# detach and data share the values but not the history.
d = m.detach()
print(d.requires_grad, d.grad_fn, (m * 2).detach().requires_grad)
print(m.data.requires_grad)
