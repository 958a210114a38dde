import torch

torch.manual_seed(0)
x = torch.randn(3, 4)
print(x)
print(x.sum(), x.mean())
print(x.sum(dim=0))
print(x.sum(axis=1))
print(torch.sum(x, dim=1, keepdim=True))
print(x.mean(dim=(0, 1)), x.mean(axis=0))
print(x.std(), x.var())
print(x.std(dim=1), torch.var(x, dim=0, unbiased=False))
print(x.amax(dim=0), torch.amin(x, dim=1))
print(x.max(), x.min())

result = x.max(dim=1)
print(result)
print(type(result).__name__)
print(result.values)
print(result.indices)
values, indices = torch.min(x, dim=0)
print(values, indices)
v, i = x.max(1, keepdim=True)
print(v.shape, i.shape)
print(result[0] is result.values, len(result))

print(x.argmax(), x.argmax(dim=1), torch.argmin(x, dim=0))
print(torch.max(x, torch.zeros_like(x)))

flags = x > 0
print(flags.any(), flags.all(), flags.any(dim=1), torch.all(flags, dim=0))
print(flags.sum(), flags.sum().item(), flags.float().mean())

i = torch.arange(1, 7).reshape(2, 3)
print(i.sum(), i.sum(dim=0), i.sum().dtype)
print(i.float().mean(), i.max(), i.argmax())

p = torch.softmax(x, dim=1)
print(p)
print(p.argmax(dim=1).tolist())
print(torch.log_softmax(x, dim=1)[0])

y = torch.tensor([[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]])
print(y.max(dim=1))
print(y.argmax(dim=1), y.argmin(dim=1))
print(y.norm(), y.norm(dim=1))
