# backward() of an MLP loss (bench/peers' medium network, 64-128-128-64, batch 64), and the same
# loss plus a Jacobian penalty through vmap(jacrev(net)) (Jacobian-regularised training).
# Runs unchanged in PyTorch and in Jacobi; prints one "name median_us" line per case.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import jacrev, vmap
from torch.utils.benchmark import Timer

torch.set_num_threads(1)
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 64))
x = torch.randn(64, 64)
target = torch.randn(64, 64)


def mlp_step():
    net.zero_grad()
    loss = F.mse_loss(net(x), target)
    loss.backward()
    return loss


def jacobian_step():
    net.zero_grad()
    J = vmap(jacrev(net))(x[:16])
    loss = F.mse_loss(net(x), target) + 1e-3 * J.pow(2).sum()
    loss.backward()
    return loss


for name, stmt in [("mlp_loss_backward", "mlp_step()"), ("jacrev_regularised_backward", "jacobian_step()")]:
    m = Timer(stmt, globals=globals()).blocked_autorange(min_run_time=1.0)
    print(name, round(m.median * 1e6, 1))
