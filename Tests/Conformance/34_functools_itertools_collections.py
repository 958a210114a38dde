import functools
import itertools
from collections import Counter, OrderedDict, defaultdict, namedtuple

import torch
import torch.nn as nn

torch.manual_seed(0)
linear = functools.partial(nn.Linear, bias=False)
print(linear(3, 2))
print(functools.partial(max, key=abs))
clamp01 = functools.partial(torch.clamp, min=0.0, max=1.0)
print(clamp01(torch.tensor([-0.5, 0.5, 1.5])), clamp01.keywords)
print(functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]), functools.reduce(lambda a, b: a + b, [[1], [2, 3]], []))
print(functools.reduce(torch.matmul, [torch.eye(2) * 2, torch.eye(2) * 3, torch.ones(2, 2)]))

print(list(itertools.product([0, 1], repeat=2)), list(itertools.product("ab", [1, 2])))
print(list(itertools.chain([1, 2], (3,), "xy")), list(itertools.chain.from_iterable([[1], [2, 3]])))
print(list(itertools.islice(itertools.count(10, 5), 4)), list(itertools.islice("abcdefg", 1, 6, 2)))
print(list(itertools.combinations(range(4), 2)), len(list(itertools.permutations("abc"))))
print(list(itertools.permutations([1, 2, 3], 2))[:4])
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.accumulate([3, 1, 4, 1], max)))
print(list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")))
grid = {"lr": [0.1, 0.01], "depth": [2, 3]}
for values in itertools.product(*grid.values()):
    print(dict(zip(grid.keys(), values)))

od = OrderedDict()
od["fc1"] = 3
od["fc2"] = 1
od["act"] = 0
od["fc1"] += 1
print(od)
print(list(od), od.pop("fc2"), od, dict(od))
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), dict(a=1, b=2) == dict(b=2, a=1))

Batch = namedtuple("Batch", ["inputs", "targets"])
batch = Batch(torch.ones(2), torch.zeros(2))
print(batch)
print(batch.inputs, batch[1], len(batch), Batch._fields)
x, y = batch
print(batch._asdict())
print(batch._replace(targets=torch.tensor([1.0, 2.0])))
Point = namedtuple("Point", "x y")
p = Point(1, y=2)
print(p, p.x + p.y, p == (1, 2), isinstance(p, tuple), Point(*[5, 6]))

groups = defaultdict(list)
for name in ["fc1.weight", "fc1.bias", "fc2.weight", "norm.weight"]:
    groups[name.split(".")[0]].append(name.split(".")[1])
print(groups)
print(dict(groups), groups["missing"], len(groups))
counts = defaultdict(int)
for ch in "hessian":
    counts[ch] += 1
print(dict(counts))

c = Counter("mississippi")
print(c)
print(c.most_common(2), c["s"], c["z"], sum(c.values()))
labels = torch.tensor([2, 0, 2, 1, 2, 0])
print(Counter(labels.tolist()), Counter(labels.tolist()).most_common(1)[0][0])
words = "the jacobian of the jacobian is the hessian".split()
print(Counter(words).most_common(2), sorted(Counter(words)))
