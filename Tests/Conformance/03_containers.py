from collections import OrderedDict

import torch
import torch.nn as nn

torch.manual_seed(0)

model = nn.Sequential(
    nn.Linear(4, 3),
    nn.ReLU(),
    nn.Linear(3, 2),
)
print(model)
print(len(model))
print(model[0])
print(model[-1].weight.shape)
print(model[1:])

named = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(4, 3)),
    ("act", nn.Tanh()),
    ("fc2", nn.Linear(3, 1)),
]))
print(named)
print(named.fc1)
print([n for n, _ in named.named_children()])

blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)])
blocks.append(nn.Tanh())
print(blocks)
print(len(blocks), type(blocks[0]).__name__)

heads = nn.ModuleDict({"mean": nn.Linear(3, 2), "logvar": nn.Linear(3, 2)})
heads["extra"] = nn.Identity()
print(heads)
print(list(heads.keys()))
print("mean" in heads, "std" in heads)


class Stack(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(3, 3) for _ in range(depth))
        self.heads = nn.ModuleDict({"a": nn.Linear(3, 1), "b": nn.Linear(3, 2)})

    def forward(self, x):
        for layer in self.layers:
            x = torch.tanh(layer(x))
        return {k: head(x) for k, head in self.heads.items()}


net = Stack(2)
print(net)
x = torch.randn(2, 3)
with torch.no_grad():
    outs = net(x)
    print(outs)
    print(model(torch.ones(1, 4)))
    print(named(torch.ones(2, 4)))
for name, p in net.named_parameters():
    print(f"{name:<18} {str(p.shape):<22} {p.numel()}")
print(sum(p.numel() for p in net.parameters()))
