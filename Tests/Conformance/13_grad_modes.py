import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Linear(3, 2)
x = torch.randn(2, 3)

print("default:", torch.is_grad_enabled())
with torch.no_grad():
    print("no_grad:", torch.is_grad_enabled())
    y = net(x)
    with torch.enable_grad():
        print("enable_grad inside no_grad:", torch.is_grad_enabled())
    print("back in no_grad:", torch.is_grad_enabled())
print(y)
print("after:", torch.is_grad_enabled())

with torch.set_grad_enabled(False):
    print("set_grad_enabled(False):", torch.is_grad_enabled())
is_train = True
with torch.set_grad_enabled(is_train):
    print("set_grad_enabled(is_train):", torch.is_grad_enabled())

torch.set_grad_enabled(False)
print("switched off:", torch.is_grad_enabled())
torch.set_grad_enabled(True)
print("switched on:", torch.is_grad_enabled())

with torch.inference_mode():
    print("inference_mode:", torch.is_grad_enabled())
    print(net(x))
with torch.inference_mode(False):
    print("inference_mode(False):", torch.is_grad_enabled())


@torch.no_grad()
def predict(model, inputs):
    print("  inside predict:", torch.is_grad_enabled())
    return model(inputs).argmax(dim=1)


@torch.inference_mode()
def evaluate(model, inputs):
    return model(inputs).sum().item() > 0


@torch.enable_grad()
def needs_grad():
    return torch.is_grad_enabled()


print(predict(net, x))
print(evaluate(net, x), torch.is_grad_enabled())
with torch.no_grad():
    print("decorated enable_grad:", needs_grad())
    print(predict.__name__)
try:
    with torch.no_grad():
        raise ValueError("boom")
except ValueError as e:
    print("restored after exception:", torch.is_grad_enabled(), e)
with torch.no_grad(), torch.enable_grad():
    print("two managers:", torch.is_grad_enabled())
net.eval()
with torch.no_grad():
    print(net(x).shape, net.training)
