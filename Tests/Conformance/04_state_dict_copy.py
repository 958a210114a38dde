import copy

import torch
import torch.nn as nn
from torch.func import functional_call

torch.manual_seed(0)


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.norm = nn.LayerNorm(4)

    def forward(self, x):
        return self.norm(self.fc(x))


net = TinyNet()
sd = net.state_dict()
print(type(sd).__name__)
print(list(sd.keys()))
for k, v in sd.items():
    print(k, v.shape)
print(sd["fc.weight"])

clone = copy.deepcopy(net)
print(clone.fc.weight is net.fc.weight, torch.equal(clone.fc.weight, net.fc.weight), id(clone) != id(net))
other = TinyNet()
print(torch.equal(other.fc.weight, net.fc.weight))
result = clone.load_state_dict(other.state_dict())
print(result)
print(result.missing_keys, result.unexpected_keys)
print(torch.equal(clone.fc.weight, other.fc.weight), torch.equal(clone.fc.weight, net.fc.weight))

partial = {"fc.weight": torch.zeros(4, 3), "extra": torch.ones(1)}
print(other.load_state_dict(partial, strict=False))
try:
    other.load_state_dict(partial)
except RuntimeError as e:
    print(type(e).__name__)
print(other.fc.weight)

shallow = copy.copy([torch.ones(2), torch.zeros(2)])
deep = copy.deepcopy({"w": torch.arange(3)})
print(shallow, deep)

x = torch.randn(2, 3)
with torch.no_grad():
    print(net(x))
    params = {k: v * 0 for k, v in net.named_parameters()}
    print(functional_call(net, params, (x,)))
    print(functional_call(net, dict(net.named_parameters()), x))

net64 = copy.deepcopy(net).to(torch.float64)
print(net64.fc.weight.dtype, net.fc.weight.dtype)
print(net64(x.double()).dtype)
print(copy.deepcopy(net).double().norm.bias.dtype)
