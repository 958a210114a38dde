import math

import torch

torch.manual_seed(0)
loss = 0.123456789
epoch, total = 7, 50
lr = 3e-4
acc = 0.91234
name = "resnet"
count = 1234567

print(f"epoch {epoch}/{total} loss={loss:.4f}")
print(f"[{name:>8}] [{name:<8}] [{name:^10}] [{name:*^12}]")
print(f"{count:,} {count:_} {count:>12,}")
print(f"{lr:e} {lr:.2e} {1234.5:E} {loss:g} {1e-10:g} {123456789.0:g}")
print(f"{loss:+.3f} {-loss:+.3f} {loss: .2f} {loss:08.3f} {-3.5:08.3f}")
print(f"{255:x} {255:X} {255:#x} {10:b} {10:#b} {8:o} {10:08b}")
print(f"{acc:%} {acc:.1%} {0.5:.0%}")
print(f"{42:5d}|{42:<5d}|{42:^5d}|{42:05d}|{-42:+d}")
print(f"{math.pi:.10f} {math.pi:10.3f}| {math.pi:<10.3f}|")
print(f"{name!r} {name!s} {[1, 'a']!r}")
print(f"{epoch=} {loss=:.3f} {name=}")
print(f"{epoch * 2 + 1} {'yes' if loss < 1 else 'no'} {len(name)}")
print(f"{', '.join(str(i) for i in range(4))}")
width, prec = 12, 3
print(f"[{math.e:{width}.{prec}f}] [{name:>{width}}]")
print(f"{{literal braces}} {epoch}%")
d = {"a": 1, "b": 2}
print(f"{d['a']} {d} {d.get('c', 0)}")
print(f"{True} {None} {3 / 4} {1 / 3} {2 ** 0.5} {10 / 2}")

x = torch.randn(3)
print(f"{x}")
print(f"x = {x!r}")
print(f"shape={x.shape} dtype={x.dtype} device={x.device}")
print(f"mean {x.mean().item():.4f}, max {x.max():.4f}, norm {x.norm():.2e}")
print(f"{x.sum()}")
print(f"{x.tolist()}")
print(f"{float(x[0]):>10.3f}|{int(x.argmax()):<3}|")
rows = [("fc1", 12, 0.5), ("fc2.bias", 3, -1.25)]
for label, n, v in rows:
    print(f"{label:<10}{n:>6}{v:>10.2f}")
print(f"{'total':<10}{sum(r[1] for r in rows):>6}")
print(f"{x[0]:.3f}")
multi = (f"a={1}"
         f" b={2}")
print(multi)
print(f"{3.0} {1e16} {1e-5} {0.1 + 0.2} {-0.0} {float('inf')} {float('nan')}")
