import torch

torch.manual_seed(0)
x = torch.arange(20).reshape(4, 5)
print(x)
print(x[0])
print(x[1, 2])
print(x[-1])
print(x[:, 1])
print(x[1:3])
print(x[::2, ::2])
print(x[:, -2:])
print(x[1:, :3])
print(x[None].shape, x[:, None].shape, x[..., None].shape)
print(x[..., 0])

t = torch.arange(24).reshape(2, 3, 4)
print(t[..., 1])
print(t[0, ..., 2])
print(t[1, 1:, :2])

mask = x % 3 == 0
print(mask)
print(x[mask])
print(x[x > 15])
print(x[[0, 2]])
print(x[[0, 1, 3], [1, 2, 4]])
print(x[:, [4, 0]])

v = torch.randn(5)
print(v)
print(v[v > 0])
print(v[[True, False, True, False, True]])
print(v[2].item(), type(v[2].item()).__name__)
print(x[2, 3].item())

rows = [row.tolist() for row in x[:2]]
print(rows)
for i, row in enumerate(x[:2]):
    print(i, row)

try:
    x[4]
except IndexError as e:
    print(type(e).__name__, e)
try:
    x[0, 7]
except IndexError as e:
    print(type(e).__name__, e)
try:
    v[10]
except IndexError as e:
    print(type(e).__name__, e)
print(torch.where(x > 10, x, -x))
print(torch.where(v > 0, v, torch.zeros_like(v)))
