import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, jacfwd, jacrev, hessian, vmap


class Regressor(nn.Module):
    def __init__(self, d_in=3, hidden=4):
        super().__init__()
        self.hidden = nn.Linear(d_in, hidden)
        self.out = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.out(F.gelu(self.hidden(x)))


torch.manual_seed(0)
net = Regressor()
x = torch.randn(3, 3)
targets = torch.randn(3, 2)

with torch.no_grad():
    J = vmap(jacrev(net))(x)
    print(J.shape)
    print(J[0])
    print(torch.allclose(vmap(jacfwd(net))(x), J, atol=1e-6))
    print(torch.allclose(jacrev(net)(x[1]), J[1]))
    H = hessian(lambda v: net(v).sum())(x[0])
    print(H.shape, torch.allclose(H, H.T, atol=1e-6))

params = {k: v.detach() for k, v in net.named_parameters()}
print(list(params))


def compute_loss(params, sample, target):
    pred = functional_call(net, params, (sample.unsqueeze(0),))
    return F.mse_loss(pred, target.unsqueeze(0))


per_sample = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, x, targets)
for name, g in per_sample.items():
    print(f"{name:14s} {tuple(g.shape)}")
print(per_sample["out.bias"])

batch_loss = lambda p: F.mse_loss(functional_call(net, p, (x,)), targets)
full = grad(batch_loss)(params)
print(torch.allclose(full["out.bias"], per_sample["out.bias"].mean(0), atol=1e-6))
print(full["hidden.weight"])

jac_params = jacrev(lambda p: functional_call(net, p, (x[0],)))(params)
print({k: tuple(v.shape) for k, v in jac_params.items()})

net.eval()
with torch.no_grad():
    out = functional_call(net, params, x)
    print(torch.equal(out, net(x)))
    print(out)
zeros = {k: torch.zeros_like(v) for k, v in params.items()}
print(functional_call(net, zeros, (x,)))
