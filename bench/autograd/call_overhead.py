# The cost of one recorded operation on a tiny tensor that requires grad: what every step of the
# thread's loops pays besides arithmetic (call, argument binding, the autograd node, the result).
# Runs unchanged in PyTorch and in Jacobi; prints one "name median_us" line per case.
import torch
import torch.nn.functional as F
from torch.utils.benchmark import Timer

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(1, 4, requires_grad=True)
W = torch.randn(8, 4, requires_grad=True)

for name, stmt in [("recorded_tanh", "torch.tanh(x)"), ("recorded_linear_sum", "F.linear(x, W).sum()"),
                   ("recorded_index", "x[:, 1]")]:
    m = Timer(stmt, globals=globals()).blocked_autorange(min_run_time=0.5)
    print(name, round(m.median * 1e6, 2))
