import math

import torch

torch.manual_seed(0)
x = torch.tensor([-1.5, -0.5, 0.0, 0.5, 2.0])
print(x.abs(), torch.abs(x))
print(torch.neg(x), -x)
print(x.sign())
print(torch.floor(x), torch.ceil(x))
print(torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5, 1.2345])))
print(torch.round(torch.tensor([1.2345, 2.7182]), decimals=2))
print(torch.clamp(x, min=-1.0, max=1.0))
print(x.clip(0.0, 1.0), x.clamp(min=0))

p = torch.tensor([0.25, 1.0, 4.0])
print(torch.sqrt(p), p.rsqrt())
print(torch.exp(p), torch.log(p))
print(torch.expm1(torch.tensor([1e-6, 1.0])), torch.log1p(torch.tensor([1e-6, 1.0])))
print(torch.sin(p), torch.cos(p))
print(torch.tanh(x), torch.sigmoid(x))
print(torch.relu(x), x.relu(), x.sigmoid().sum())
print(torch.erf(x))
print(torch.pow(p, 2), p ** 0.5, 2 ** p)
print(p.square())

a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.tensor([[0.5, -1.0], [2.0, 3.0]])
print(a + b, torch.add(a, b, alpha=2))
print(a - b, torch.sub(a, 1))
print(a * b, torch.mul(a, 10))
print(a / b, torch.div(a, 2))
print(torch.div(torch.tensor([7, -7]), 2, rounding_mode="floor"))
print(torch.fmod(torch.tensor([-3.0, 3.0]), 2), torch.remainder(torch.tensor([-3.0, 3.0]), 2))
print(a % 3, a % 2 == 0)
print(torch.maximum(a, b), torch.minimum(a, b))
print(a + torch.tensor([10.0, 20.0]))
print(a * torch.tensor([[2.0], [3.0]]))
print(1 / a, 1 - a)

i = torch.tensor([5, -3, 8])
print(i * 2, i % 3, i.dtype)
print(i / 2, (i / 2).dtype)
print(i + 0.5)

print(a == b, a != 1)
print(a > 2, torch.gt(a, b), torch.ge(a, 2), torch.lt(a, b), torch.le(a, 2))
print(torch.eq(a, a), torch.ne(a, b))
print(torch.equal(a, a.clone()), torch.equal(a, b))
print(torch.isclose(a, a + 1e-7), torch.allclose(a, a + 1e-3, atol=1e-2))
s = torch.tensor([1.0, math.inf, -math.inf, math.nan])
print(torch.isfinite(s), torch.isinf(s), torch.isnan(s))
print(torch.where(torch.isnan(s), torch.zeros_like(s), s))

# Powers PyTorch computes without pow (x * x, rsqrt, reciprocal), on values where a correctly
# rounded pow and the product can differ in the last bit. (0.5 is left out: torch.sqrt of float32
# on this machine is not always the correctly rounded square root Jacobi computes.)
torch.manual_seed(7)
r = torch.randn(12) * 3
for e in (2, 3, -0.5, -1, -2, 1, 2.5):
    q = r.abs() ** e if e in (-0.5, 2.5) else r ** e
    print(e, q[:12].tolist())
