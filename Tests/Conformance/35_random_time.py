import random
import time

import torch

random.seed(0)
torch.manual_seed(0)

print(random.random(), random.random())
print([random.randint(1, 6) for _ in range(10)])
print(random.choice(["relu", "tanh", "gelu", "silu"]), random.choice(range(100)))
print(round(random.uniform(-1, 1), 6), random.uniform(0.001, 0.1))
deck = list(range(10))
random.shuffle(deck)
print(deck)
print(random.randint(0, 2 ** 40), random.randint(-5, 5))

random.seed(0)
again = random.random()
random.seed(0)
print(again == random.random())
random.seed(42)
print(random.random(), random.randint(0, 100), random.choice("abcdef"))
random.seed(2024)
print(random.randint(0, 1000), random.random())

lrs = [10 ** random.uniform(-4, -1) for _ in range(3)]
print([f"{lr:.2e}" for lr in lrs])
indices = list(range(8))
random.shuffle(indices)
batches = [indices[i:i + 3] for i in range(0, len(indices), 3)]
print(batches)

data = torch.randn(8, 2)
for batch in batches[:2]:
    print(data[batch].shape, data[batch].sum(dim=0))

torch.manual_seed(1)
a = torch.rand(3)
torch.manual_seed(1)
b = torch.rand(3)
print(a, torch.equal(a, b))
print(torch.randn(2, 2), torch.randn(3, dtype=torch.float64))

t0 = time.time()
p0 = time.perf_counter()
s = sum(i * i for i in range(20000))
elapsed = time.perf_counter() - p0
wall = time.time() - t0
print(s, elapsed >= 0, wall >= 0, type(elapsed).__name__)
print(time.time() > 1.6e9, time.perf_counter() >= p0)
start = time.perf_counter()
_ = torch.randn(50, 50) @ torch.randn(50, 50)
print(f"matmul took less than a minute: {time.perf_counter() - start < 60}")
