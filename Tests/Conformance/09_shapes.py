import torch

torch.manual_seed(0)
x = torch.arange(12)
m = x.reshape(3, 4)
print(m)
print(x.view(2, 6))
print(x.view(-1, 3).shape, m.reshape(-1).shape)
print(m.t())
print(m.T.shape, m.transpose(0, 1).shape)
print(m.flatten(), torch.flatten(m).shape)

t = torch.arange(24).reshape(2, 3, 4)
print(t.permute(2, 0, 1).shape)
print(t.transpose(1, 2).shape)
print(t.flatten(1).shape, t.flatten(0, 1).shape)
print(torch.movedim(t, 0, -1).shape, t.movedim(2, 0).shape)
print(t.permute(1, 0, 2)[0])

col = torch.tensor([1.0, 2.0, 3.0])
print(col.unsqueeze(0), col.unsqueeze(1))
print(col.unsqueeze(-1).shape, col[None, :, None].shape)
s = torch.zeros(1, 3, 1, 2)
print(s.squeeze().shape, s.squeeze(0).shape, s.squeeze(2).shape, s.squeeze(1).shape)
print(col.unsqueeze(1).expand(3, 4))
print(col.expand(2, -1))

a = torch.ones(2, 3)
b = torch.zeros(2, 3)
print(torch.cat([a, b]))
print(torch.cat((a, b), dim=1))
print(torch.cat([a, b], dim=-1).shape)
print(torch.stack([a, b]).shape, torch.stack([a, b], dim=1).shape, torch.stack([a, b], dim=2).shape)
print(torch.stack([col, col * 2, col * 3]))
parts = [torch.full((1, 2), float(k)) for k in range(3)]
print(torch.cat(parts, dim=0))

print(m.size(), m.size(0), m.size(-1), m.shape[1])
print(m.numel(), m.ndim, t.dim())
print(len(m), len(t))

r = torch.randn(2, 3)
print(r)
print(r.reshape(3, 2))
print(r.t().reshape(-1))
print(r.unsqueeze(0).expand(2, 2, 3))
try:
    r.view(4, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
