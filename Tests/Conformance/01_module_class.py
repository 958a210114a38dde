import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    """A small two-layer perceptron."""

    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Wide(nn.Module):
    def __init__(self):
        super(Wide, self).__init__()
        self.body = MLP(3, 5, 2)
        self.scale = nn.Parameter(torch.ones(2))

    def forward(self, x):
        return F.relu(self.body(x)) * self.scale


torch.manual_seed(0)
net = MLP(3, 4, 2)
print(net)
x = torch.randn(2, 3)
with torch.no_grad():
    out = net(x)
print(out)
print(out.shape)
for name, p in net.named_parameters():
    print(name, tuple(p.shape), p.dtype)
print("parameters:", sum(p.numel() for p in net.parameters()))
print([name for name, _ in net.named_children()])
print(list(net.children())[1])
print(len(list(net.modules())))
print(net.fc1.weight)
print(net.fc2.bias)

wide = Wide()
print(wide)
with torch.no_grad():
    print(wide(x))
print(wide.training, wide.body.training)
wide.eval()
print(wide.training, wide.body.fc1.training)
wide.train()
print(wide.training)
print(type(wide.scale).__name__, isinstance(wide.scale, torch.Tensor))
print(wide.scale)
print(MLP.__doc__)
total = sum(p.numel() for p in wide.parameters() if p.ndim == 2)
print(f"weights only: {total}")
for m in wide.modules():
    print(type(m).__name__)
print(net.fc1)
print(net.fc1.in_features, net.fc1.out_features)
