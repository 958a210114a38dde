# -*- coding: utf-8 -*-
"""Loops, else clauses and small statements, as in a training script."""
import torch

torch.manual_seed(0)
losses = [1.0, 0.8, 0.61, 0.6, 0.59, 0.7]
best, patience, bad = float("inf"), 2, 0
epoch = 0
while epoch < len(losses):
    loss = losses[epoch]
    epoch += 1
    if loss < best - 0.05:
        best, bad = loss, 0
        continue
    bad += 1
    if bad >= patience:
        print(f"early stop at epoch {epoch}, best {best}")
        break
else:
    print("ran all epochs")
for n in range(2, 12):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, "is prime")

count = 0
while count < 3:
    count += 1
else:
    print("while finished normally with", count)

x = torch.tensor([5.0, 3.0]); y = x * 2; print(y)
total = 1 + 2 + \
    3 + 4
print(total)

stats = {"seen": 0, "pos": 0}
items = [3, -1, 4, -1, 5]
for v in items:
    stats["seen"] += 1
    if v > 0:
        stats["pos"] += v
print(stats)
class Meter:
    def __init__(self):
        self.sum, self.n = 0.0, 0
m = Meter()
for v in items:
    m.sum += v
    m.n += 1
print(m.sum / m.n)
grid = [[0] * 3 for _ in range(2)]
grid[1][2] += 7; grid[0][0] -= 1
s = "a"; s += "b"; s *= 2
n = 100; n //= 7; n **= 2; n %= 10
f = 1.5; f /= 2; f -= 0.25
lst = [1]; lst += [2, 3]
print(grid, s, n, f, lst)
for _ in range(0):
    print("never")
else:
    print("empty loop else")
w = torch.randn(2, 2)
steps = 0
while w.abs().max() > 0.1:
    w = w / 2
    steps += 1
print(steps, w)
