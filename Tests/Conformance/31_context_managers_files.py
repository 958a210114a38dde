import torch

PATH = "_conformance_tmp.txt"

class Section:
    depth = 0

    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow

    def __enter__(self):
        Section.depth += 1
        print("  " * (Section.depth - 1) + f"enter {self.name}")
        return self

    def __exit__(self, exc_type, exc, tb):
        Section.depth -= 1
        status = "ok" if exc_type is None else f"{exc_type.__name__}: {exc}"
        print("  " * Section.depth + f"exit {self.name} ({status})")
        return self.swallow

class frozen:
    """Turn gradients off, like torch.no_grad, and restore the previous mode."""
    def __enter__(self):
        self.prev = torch.is_grad_enabled()
        torch.set_grad_enabled(False)

    def __exit__(self, *exc):
        torch.set_grad_enabled(self.prev)
        return False

with Section("outer") as s:
    print("name is", s.name)
    with Section("inner", swallow=True):
        raise KeyError("lost")
    print("after inner")
with Section("a"), Section("b") as b:
    print("inside both, b =", b.name)
try:
    with Section("failing"):
        1 / 0
except ZeroDivisionError:
    print("propagated")
with frozen() as nothing:
    print(nothing, torch.is_grad_enabled())
print(torch.is_grad_enabled())

torch.manual_seed(0)
weights = torch.randn(3)
with open(PATH, "w") as f:
    f.write("epoch,loss\n")
    for epoch, loss in enumerate([0.9, 0.45, 0.3], start=1):
        f.write(f"{epoch},{loss}\n")
    print(f.closed, f.name)
print(f.closed, f.mode)
with open(PATH, "a") as f:
    print(f"weights,{' '.join(f'{w:.4f}' for w in weights.tolist())}", file=f)
with open(PATH) as f:
    print(repr(f.read()))
with open(PATH, "r") as f:
    header = f.readline().strip()
    rows = [line.strip().split(",") for line in f]
print(header, rows)
losses = torch.tensor([float(r[1]) for r in rows[:-1]])
restored = torch.tensor([float(v) for v in rows[-1][1].split()])
print(losses, losses.mean())
print(restored, torch.allclose(restored, weights, atol=1e-4))
with open(PATH) as src, open(PATH + ".copy", "w") as dst:
    n = dst.write(src.read().upper())
print(n, open(PATH + ".copy").readlines()[:2])
