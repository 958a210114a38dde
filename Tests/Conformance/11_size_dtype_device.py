import torch

torch.manual_seed(0)
x = torch.randn(2, 3)
print(type(x))
print(type(x).__name__, isinstance(x, torch.Tensor))
print(x.shape, x.size(), x.shape == x.size())
print(x.dtype, x.device, x.ndim)
print(x.device.type, str(x.device), x.device == torch.device("cpu"))

size = torch.Size([2, 3])
print(size, type(size).__name__)
print(size == (2, 3), size == [2, 3], x.shape == (3, 2))
rows, cols = x.shape
print(rows, cols, size[0], size[-1], len(size), size.numel())
print(list(size), tuple(size), size[1:])
print(torch.Size([]), torch.Size([]).numel(), torch.tensor(1.0).shape)
print(isinstance(size, tuple), sum(size))
print(torch.zeros(size).shape, torch.ones(*size).shape, x.view(size).shape)

print(x.to("cpu").device, x.cpu().device, x.to(torch.float64).dtype)
print(x.to(dtype=torch.float64).dtype, x.double().dtype, x.long().dtype, (x > 0).dtype)
print(torch.float32, torch.float64, torch.int64, torch.bool)
print(torch.float32 == torch.float, torch.float64 == torch.double, torch.int64 == torch.long)
print(x.dtype is torch.float32, x.dtype.is_floating_point, torch.int64.is_floating_point)

print(x.tolist())
print(x[0, 0].item(), round(x[0, 0].item(), 2))
print(x.numpy().shape, x.numpy().tolist() == x.tolist())

one = torch.tensor([2.75])
print(float(one), int(one), bool(one > 0), bool(torch.tensor(0.0)))
print(float(torch.tensor(3)), int(torch.tensor(-3.9)), one.item())
s = torch.tensor(0.1)
print(s.item(), float(s), f"{s.item():.3f}")
print(torch.tensor(7).item(), type(torch.tensor(7).item()).__name__)
print(torch.tensor(True).item(), type((x > 0).any().item()).__name__)
if (x > 0).any():
    print("some positive")
total = x.sum()
print(f"total={total.item():.4f}", f"{float(total):+.2f}")
print(torch.tensor([1, 2, 3]).tolist(), torch.tensor(5.5).tolist())
print(torch.tensor([[True, False]]).tolist())
try:
    float(x)
except (ValueError, RuntimeError) as e:
    print(type(e).__name__, e)
try:
    bool(x > 0)
except RuntimeError as e:
    print(type(e).__name__, e)
