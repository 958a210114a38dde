import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.linspace(-2.0, 2.0, 5)
print(x)

layers = [nn.Tanh(), nn.ReLU(), nn.Sigmoid(), nn.GELU(), nn.SiLU(), nn.Softplus(),
          nn.ELU(), nn.LeakyReLU(0.1), nn.Identity()]
for layer in layers:
    print(f"{str(layer):<30} {layer(x)}")

pairs = {
    "tanh": (nn.Tanh(), F.tanh),
    "relu": (nn.ReLU(), F.relu),
    "sigmoid": (nn.Sigmoid(), F.sigmoid),
    "gelu": (nn.GELU(), F.gelu),
    "silu": (nn.SiLU(), F.silu),
    "softplus": (nn.Softplus(), F.softplus),
    "elu": (nn.ELU(), F.elu),
}
for name, (module, fn) in pairs.items():
    print(name, torch.equal(module(x), fn(x)))
print(F.leaky_relu(x, negative_slope=0.2))
print(nn.ELU(alpha=0.5)(x))
print(nn.Softplus(beta=2.0)(x))
print(nn.GELU(approximate="tanh"))

z = torch.randn(2, 4)
print(nn.Softmax(dim=1)(z))
print(nn.LogSoftmax(dim=-1)(z))
print(torch.allclose(F.softmax(z, dim=0).sum(dim=0), torch.ones(4)))
print(torch.allclose(F.log_softmax(z, dim=1).exp().sum(dim=1), torch.ones(2)))

img = torch.randn(2, 2, 3)
print(nn.Flatten()(img).shape, nn.Flatten(0)(img).shape)

drop = nn.Dropout(p=0.5)
print(drop)
drop.eval()
print(torch.equal(drop(z), z))
print(torch.equal(F.dropout(z, p=0.3, training=False), z))
print(nn.Dropout(p=0.0)(z))

ln = nn.LayerNorm(4)
print(ln)
with torch.no_grad():
    print(ln(z))
print(F.layer_norm(z, (4,)))
print(ln.weight.shape, ln.bias.shape, ln.eps)
print(torch.allclose(ln(z), F.layer_norm(z, (4,))))
W, b = torch.randn(3, 4), torch.zeros(3)
print(F.linear(z, W, b), torch.allclose(F.linear(z, W), z @ W.T))
print(F.mse_loss(z, torch.zeros(2, 4)))
print(F.mse_loss(z, torch.ones(2, 4), reduction="sum"))
