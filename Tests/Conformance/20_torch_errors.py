import torch
import torch.nn as nn
import torch.func


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return torch.tanh(self.fc(x))


torch.manual_seed(0)
net = Net()
x = torch.randn(3, 4)


def show(label, fn):
    try:
        fn()
    except Exception as e:
        print(f"{label}: {type(e).__name__}")
        return e
    print(f"{label}: no error")


print(show("net(x, x)", lambda: net(x, x)))
print(show("Linear(x, x)", lambda: nn.Linear(4, 2)(x, x)))
print(show("vmap(jacrev(net))(x, x)", lambda: torch.func.vmap(torch.func.jacrev(net))(x, x)))
print(show("net()", lambda: net()))
print(show("nn.Linear(4, 2, bias_=True)", lambda: nn.Linear(4, 2, bias_=True)))
print(show("torch.tensor([1, 'a'])", lambda: torch.tensor([1, "a"])))
show("x.sum(dims=0)", lambda: x.sum(dims=0))
show("torch.zeros(2, 2).mean(dimension=1)", lambda: torch.zeros(2, 2).mean(dimension=1))
show("torch.tensor([2**64])", lambda: torch.tensor([2 ** 64]))
show("net(x[0])", lambda: net(x[0]))

shape_errors = [
    ("torch.mm", lambda: torch.mm(torch.ones(2, 3), torch.ones(2, 3))),
    ("broadcast add", lambda: torch.ones(2, 3) + torch.ones(4)),
    ("1-D matmul", lambda: torch.ones(3) @ torch.ones(4)),
    ("wrong input width", lambda: net(torch.randn(3, 5))),
    ("cat", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)])),
    ("reshape", lambda: x.reshape(5, -1)),
    ("row index", lambda: x[5]),
    ("column index", lambda: x[:, 9]),
    ("dim", lambda: x.sum(dim=2)),
    ("attribute", lambda: net.missing_layer),
]
for label, fn in shape_errors:
    err = show(label, fn)
    print("   ", err)

try:
    torch.mm(torch.ones(2, 3), torch.ones(2, 3))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.ones(2, 3) + torch.ones(4)
except Exception as e:
    print(type(e).__name__, isinstance(e, RuntimeError), str(e).startswith("The size"))
try:
    x[4]
except IndexError as e:
    print("IndexError:", e)
print("done")
