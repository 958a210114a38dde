import torch

torch.manual_seed(0)

# Item assignment and in-place methods change the tensor every name refers to.
x = torch.zeros(3, 4)
alias = x
x[0, :] = torch.arange(4.0)
x[1] = 7
x[2, 1:3] = torch.tensor([5.0, 6.0])
x[:, 0] += 10
print(alias)
mask = x > 6
x[mask] = -1.0
print(x)
x[[0, 2], 3] = torch.tensor([100.0, 200.0])
print(x)
x.add_(1).mul_(2)
x.clamp_(min=0)
print(x)
x.zero_()
x.fill_(3)
x.copy_(torch.ones(4))
print(alias, x.sum())
idx = torch.tensor([0, 2])
x.index_add_(0, idx, torch.ones(2, 4))
x.masked_fill_(x > 1.5, 9.0)
print(x)
i = torch.zeros(2, dtype=torch.long)
i += 3
print(i, i.dtype)

# Views share storage with their base.
base = torch.arange(12.0).reshape(3, 4)
row = base[1]
col = base[:, 2]
tr = base.t()
flat = base.view(12)
row[0] = -5
tr[3, 2] = -7
flat[0] = 99
print(base)
print(row, col)
base.mul_(10)
print(row, tr[3], col)
for piece in base.split(2, dim=1):
    piece[0, 0] = 0
print(base)
first, second = base.chunk(2, dim=0)
second.fill_(1)
print(base)
print(base.unbind(1)[3], base.narrow(1, 1, 2).shape, base.select(0, 2))
base.diagonal().fill_(-1)
print(base)
d = base.unsqueeze(0)
d[0, 0, 0] = 42
print(base[0, 0])

# Contiguity: transposes are views that view() cannot reinterpret; reshape copies them.
t = base.t()
print(base.is_contiguous(), t.is_contiguous(), t.contiguous().is_contiguous())
try:
    t.view(12)
except RuntimeError as e:
    print("RuntimeError:", e)
copy = t.reshape(12)
copy[0] = 1000
print(base[0, 0], copy[0])
same = base.reshape(2, 6)
same[0, 0] = 500
print(base[0, 0])
c = base.contiguous()
c[0, 1] = -9
print(base[0, 1], c is base)

# clone and detach: clone copies, detach shares.
orig = torch.ones(3)
cl = orig.clone()
de = orig.detach()
cl[0] = 5
de[1] = 6
print(orig, cl, de)

# Expanded views cannot be written.
e = torch.zeros(1, 3).expand(2, 3)
try:
    e.add_(1)
except RuntimeError as err:
    print("RuntimeError:", err)

# Writing values that require grad into a tensor makes it part of the graph.
w = torch.tensor([1.0, 2.0], requires_grad=True)
buf = torch.zeros(3)
buf[0] = w[0] * 3
buf[1:] = w ** 2
print(buf, buf.requires_grad, buf.is_leaf)
buf.sum().backward()
print(w.grad)

v = torch.ones(2, 2, requires_grad=True)
u = v * 2
u[0, 0] = 0
u.t()[1, 0] += 5
print(u)
u.sum().backward()
print(v.grad)
print(u._version)
