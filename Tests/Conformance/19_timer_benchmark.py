import torch
import torch.nn as nn
from torch.func import jacrev, vmap
from torch.utils.benchmark import Timer

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4))
x = torch.randn(16, 4)


def loop_jacobians(net, x):
    return torch.stack([jacrev(net)(row) for row in x])


def batched_jacobians(net, x):
    return vmap(jacrev(net))(x)


print(torch.allclose(loop_jacobians(net, x), batched_jacobians(net, x), atol=1e-6))

t_loop = Timer(
    stmt="loop_jacobians(net, x)",
    globals={"loop_jacobians": loop_jacobians, "net": net, "x": x},
)
t_vmap = Timer(
    stmt="batched_jacobians(net, x)",
    setup="from torch.func import vmap, jacrev",
    globals={"batched_jacobians": batched_jacobians, "net": net, "x": x},
    label="jacobians",
    description="vmap(jacrev)",
)

m_loop = t_loop.timeit(5)
print(m_loop)
print(type(m_loop).__name__, m_loop.number_per_run, len(m_loop.times))
print(m_loop.stmt)

print(t_vmap.timeit(3))
m_vmap = t_vmap.blocked_autorange(min_run_time=0.2)
print(str(m_vmap).splitlines()[1:3])
print(m_vmap.number_per_run > 0, len(m_vmap.times) >= 1)
print(m_vmap.median > 0, m_vmap.mean > 0, isinstance(m_vmap.median, float))
print(m_vmap.label, m_vmap.description, m_vmap.num_threads)
ratio = m_loop.median / m_vmap.median
print(f"vmap faster than loop: {ratio > 1.0}")
print(m_loop.median > 0)

m_small = Timer("torch.mm(a, a)", globals={"torch": torch, "a": torch.randn(4, 4)}).timeit(100)
print(m_small)
print(m_small.number_per_run, m_small.times == [m_small.median])

# The Timer's threads (num_threads, 1 by default) and the session's (set_num_threads).
inside = []
Timer("inside.append(torch.get_num_threads())", globals={"torch": torch, "inside": inside}).timeit(1)
Timer("inside.append(torch.get_num_threads())", globals={"torch": torch, "inside": inside}, num_threads=2).timeit(1)
print(inside[0], inside[-1])
torch.set_num_threads(1)
print(torch.get_num_threads())
for bad in [0, -2]:
    try:
        torch.set_num_threads(bad)
    except RuntimeError as e:
        print("RuntimeError:", e)
