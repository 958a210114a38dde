# Where mlp_backward.py's training step spends its time, piece by piece: the step's phases and the
# eager operations it is made of (and the transposes users write around them), on the same network
# and batch. Runs unchanged in PyTorch and in Jacobi; prints one "name median_us" line per case.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.benchmark import Timer

torch.set_num_threads(1)
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 64))
x = torch.randn(64, 64)
target = torch.randn(64, 64)
h = torch.randn(64, 128)
Wd = net[0].weight.detach().clone()


def forward_no_grad():
    with torch.no_grad():
        return F.mse_loss(net(x), target)


def forward_graph():
    return F.mse_loss(net(x), target)


def step():
    net.zero_grad()
    loss = F.mse_loss(net(x), target)
    loss.backward()
    return loss


for name, stmt in [("step_zero_grad", "net.zero_grad()"), ("step_forward_no_grad", "forward_no_grad()"),
                   ("step_forward_graph", "forward_graph()"), ("step_whole", "step()"),
                   ("op_linear_64x64_128", "F.linear(x, Wd)"), ("op_matmul_x_WT", "x @ Wd.T"), ("op_W_t", "Wd.t()"),
                   ("op_tanh_64x128", "torch.tanh(h)"), ("op_mse_loss_64x64", "F.mse_loss(x, target)")]:
    m = Timer(stmt, globals=globals()).blocked_autorange(min_run_time=0.5)
    print(name, round(m.median * 1e6, 2))
