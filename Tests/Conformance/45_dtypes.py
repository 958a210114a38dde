# Mixed precision and the integer types a checkpoint carries: conversions, promotion,
# printing, reductions and gradients, as a user exploring a half-precision model would.
import torch
import torch.nn as nn

torch.manual_seed(0)

x = torch.randn(2, 3)
h = x.half()
b = x.bfloat16()
print(h)
print(b)
print(h.dtype, b.dtype, h.element_size(), b.element_size())
print(x.to(torch.float16).to(torch.float32) - x)
print((h + 1) * 2)
print(h + b, (h + b).dtype)
print((h + x).dtype, (b * x.double()).dtype, (h * 2.5).dtype)

ints = torch.tensor([1, -2, 300, 70000])
for dtype in [torch.int32, torch.int16, torch.int8, torch.uint8]:
    y = ints.to(dtype)
    print(dtype, y, y.sum(), y.sum().dtype, y.max())
print(torch.tensor([120], dtype=torch.int8) + torch.tensor([10], dtype=torch.int8))
print(torch.tensor([250], dtype=torch.uint8) + torch.tensor([10], dtype=torch.uint8))
print((torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8)).dtype)
print(ints.int() / 3, ints.short() // 7, ints.char() % 5)
print(ints.byte() > 100, (ints.int() == 300).any())
print(torch.arange(6, dtype=torch.int32).reshape(2, 3).t())
print(torch.zeros(2, 2, dtype=torch.half), torch.ones(3, dtype=torch.int8))
print(torch.full((2,), 7, dtype=torch.int16), torch.eye(2, dtype=torch.bfloat16))
print(torch.tensor([1.1, 2.9, -3.7]).int(), torch.tensor([1.1, 2.9, -3.7]).byte())
print(torch.tensor([1e-8, 1e5, 65504.0, 65520.0]).half())
print(torch.tensor([1 / 3, 2 / 3, 1e38]).bfloat16())
print(h.tolist())
print(ints.int().tolist(), ints.char()[2].item())
print(torch.cat([h, h]).shape, torch.stack([ints.int(), ints.int()]).dtype)
print(torch.where(h > 0, h, torch.zeros_like(h)))
print(h.mean(), h.sum(dim=0), b.amax(dim=1))
m = torch.ones(2, 3, dtype=torch.half)
print(m @ m.t(), (m @ m.t()).dtype)

net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
net.half()
print(net[0].weight.dtype, net[2].bias)
out = net(torch.ones(5, 3, dtype=torch.half))
print(out)
print(out.sum())

w = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float16, requires_grad=True)
loss = (w * w).sin().sum()
loss.backward()
print(w.grad)
print(torch.func.grad(lambda v: (v.exp() * v).sum())(torch.tensor([0.25, 0.5], dtype=torch.bfloat16)))
print(torch.func.jacrev(lambda v: v.tanh() * 3)(torch.tensor([0.1, -0.2], dtype=torch.float16)))
