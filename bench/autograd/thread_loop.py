# The forum thread's Jacobian: one torch.autograd.grad call per output row of block1 (create_graph,
# as the thread has it), for one sample [1, 4] and for a batch [64, 4] (rows of the summed batch).
# Runs unchanged in PyTorch and in Jacobi; prints one "name median_us" line per case.
import torch
import torch.nn as nn
from torch.utils.benchmark import Timer

torch.set_num_threads(1)
torch.manual_seed(0)
block1 = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4), nn.Tanh())


def rows(x):
    jac = torch.zeros(size=(x.shape[1], x.shape[1]))
    y = block1(x)
    for i in range(x.shape[1]):
        jac[i, :] = torch.autograd.grad(y[0][i], x, create_graph=True)[0]
    return torch.pinverse(jac)


def batch_rows(x):
    y = block1(x)
    return torch.stack([torch.autograd.grad(y[:, i].sum(), x, create_graph=True)[0] for i in range(y.shape[1])], dim=1)


one = torch.randn(1, 4, requires_grad=True)
batch = torch.randn(64, 4, requires_grad=True)
for name, stmt in [("thread_loop_one_sample", "rows(one)"), ("thread_loop_batch64", "batch_rows(batch)")]:
    m = Timer(stmt, globals=globals()).blocked_autorange(min_run_time=1.0)
    print(name, round(m.median * 1e6, 1))
