import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))

print(sum(p.numel() for p in net.parameters()))
print(sum(p.numel() for p in net.parameters() if p.ndim > 1))
print([n for n, _ in net.named_parameters()])
print({n: tuple(p.shape) for n, p in net.named_parameters()})
print({type(m).__name__ for m in net.modules()} == {"Sequential", "Linear", "ReLU"})
print(sorted({type(m).__name__ for m in net.modules()}))
print(any(isinstance(m, nn.ReLU) for m in net), all(p.dtype == torch.float32 for p in net.parameters()))

squares = [i * i for i in range(6)]
evens = [i for i in squares if i % 2 == 0]
grid = [(i, j) for i in range(3) for j in range(i)]
print(squares, evens, grid)
print([[i * j for j in range(3)] for i in range(3)])
flat = [x for row in [[1, 2], [3], [4, 5, 6]] for x in row]
print(flat)
print({c: ord(c) for c in "abc"}, {x % 3 for x in range(10)})
seen, wanted = {"fc1", "fc2", "act"}, set(["fc2", "norm"])
print(sorted(seen | wanted), seen & wanted, sorted(seen - wanted), sorted(seen ^ wanted), "act" in seen, len(set("hessian")))
print([("even" if i % 2 == 0 else "odd") for i in range(4)])
words = ["jacobian", "hessian", "grad", "vmap"]
print({w: len(w) for w in words if len(w) > 4})
print(max(words, key=len), min(words, key=lambda w: w[-1]), max([], default="none"))
print(sorted(words, key=lambda w: (len(w), w)))
print(list(map(str.upper, words)), list(filter(lambda w: "a" in w, words)))
print(list(zip(words, range(10))), list(enumerate(words, start=1))[:2])
lengths = (len(w) for w in words)
print(type(lengths).__name__, sum(lengths), sum(lengths))
print(list(reversed(words)), tuple(w[0] for w in words))

first, *rest = words
*init, last = squares
a, (b, c), d = 1, (2, 3), 4
print(first, rest, init, last, a + b + c + d)
for i, (name, param) in enumerate(net.named_parameters()):
    print(i, name, list(param.shape))
x = torch.randn(3, 4)
col_means = [x[:, j].mean().item() for j in range(x.shape[1])]
print([round(v, 3) for v in col_means])
print(torch.stack([x[i] * i for i in range(3)]))
print(torch.tensor([len(w) for w in words]))
print(torch.cat([torch.full((1,), float(k)) for k in range(4)]))
print(dict(sorted({"b": 2, "a": 1, "c": 0}.items(), key=lambda kv: kv[1])))


class ToyDataset:
    def __init__(self, n):
        self.data = torch.arange(n * 2.0).reshape(n, 2)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        return self.data[idx], int(idx) % 2


ds = ToyDataset(5)
print(len(ds), ds[1], ds[-1][0])
print([label for _, label in ds], sum(x.sum().item() for x, _ in ds))
print(torch.stack([ds[i][0] for i in range(len(ds)) if ds[i][1] == 0]))
