"""torch.func on the same MLP workloads as jacobi-bench (same shapes; PyTorch's own random
weights, which do not change the cost). A first, informal peer: issue 8 asks for a driver that
runs Jacobi, PyTorch and JAX on identical weights and prints ratios.

    python3 -m venv .venv-peers && .venv-peers/bin/pip install torch
    .venv-peers/bin/python bench/peers/torch_func_mlp.py
"""
import time, torch
from torch.func import vmap, jacrev, jacfwd
torch.set_num_threads(2)
def mlp(widths):
    layers=[]
    for i,(a,b) in enumerate(zip(widths, widths[1:])):
        layers.append(torch.nn.Linear(a,b))
        if i < len(widths)-2: layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)
for name,B,w in [("tiny",16,[3,32,32,3]),("medium",64,[64,128,128,64]),("large",256,[256,512,512,256])]:
    net = mlp(w); x = torch.randn(B, w[0])
    for mode,T in [("jacrev",jacrev),("jacfwd",jacfwd)]:
        f = vmap(T(net))
        with torch.no_grad(): f(x)
        ts=[]
        t0=time.perf_counter()
        while len(ts)<5 or (time.perf_counter()-t0<1.0 and len(ts)<200):
            a=time.perf_counter(); f(x); ts.append(time.perf_counter()-a)
        ts.sort(); print(f"torch.func vmap({mode}) {name}: {ts[len(ts)//2]*1e3:.3f} ms")
