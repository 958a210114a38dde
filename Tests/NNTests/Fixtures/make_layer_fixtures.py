#!/usr/bin/env python3
"""Writes layer_cases.json: every torch.nn layer Jacobi offers, built the same way in PyTorch and
Jacobi (PyTorch's default initialisation after torch.manual_seed, or weights loaded with
load_state_dict), with the forward pass on a batch and the per-sample Jacobians
vmap(jacrev(layer))(x) and vmap(jacfwd(layer))(x), plus parameter Jacobians of a named
Sequential through functional_call. Each program is text that runs unchanged in PyTorch and in
Jacobi; LayerFixtureTests.swift runs it in Jacobi and compares. Tests never need PyTorch.

    /work/peers-venv/bin/python Tests/NNTests/Fixtures/make_layer_fixtures.py
"""
import json, os
import numpy as np
import torch
from torch import nn
from torch.func import vmap, jacrev, jacfwd, functional_call

HERE = os.path.dirname(os.path.abspath(__file__))
PRELUDE = "import torch\nfrom torch import nn\nfrom torch.func import vmap, jacrev, jacfwd, functional_call\n"

LAYERS = [
    ("linear", "torch.manual_seed(0)\nlayer = nn.Linear(4, 3)"),
    ("linear_nobias", "torch.manual_seed(1)\nlayer = nn.Linear(4, 3, bias=False)"),
    ("tanh", "layer = nn.Tanh()"),
    ("relu", "layer = nn.ReLU()"),
    ("sigmoid", "layer = nn.Sigmoid()"),
    ("gelu", "layer = nn.GELU()"),
    ("gelu_tanh", "layer = nn.GELU(approximate='tanh')"),
    ("silu", "layer = nn.SiLU()"),
    ("softplus", "layer = nn.Softplus(beta=2.0, threshold=1.0)"),
    ("elu", "layer = nn.ELU(alpha=0.7)"),
    ("leaky_relu", "layer = nn.LeakyReLU(0.2)"),
    ("softmax", "layer = nn.Softmax(dim=-1)"),
    ("log_softmax", "layer = nn.LogSoftmax(dim=0)"),
    ("layer_norm", "layer = nn.LayerNorm(4)\nlayer.load_state_dict({'weight': torch.tensor([0.5, -1.0, 2.0, 1.5]), 'bias': torch.tensor([0.1, 0.0, -0.3, 0.2])})"),
    ("identity", "layer = nn.Identity()"),
    ("flatten", "layer = nn.Flatten(0)"),
    ("dropout", "layer = nn.Dropout(0.3)\nlayer.eval()"),
    ("sequential", "torch.manual_seed(2)\nlayer = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 2))"),
]

def run(source, env):
    exec(PRELUDE + source, env)

cases = []
x = torch.tensor(np.random.default_rng(7).uniform(-2, 2, size=(5, 4)), dtype=torch.float32)
for name, build in LAYERS:
    source = build + "\ny = layer(x)\nJ = vmap(jacrev(layer))(x)\nJ_fwd = vmap(jacfwd(layer))(x)\n"
    env = {"x": x}
    run(source, env)
    cases.append(dict(name=name, source=source, inputs={"x": x.tolist()}, input_shapes={"x": list(x.shape)},
                      outputs={k: env[k].detach().reshape(-1).tolist() for k in ["y", "J", "J_fwd"]},
                      output_shapes={k: list(env[k].shape) for k in ["y", "J", "J_fwd"]},
                      repr=repr(env["layer"])))

# Parameter Jacobians of the forum thread's network shape, through functional_call.
# nn.Sequential with keyword children is Jacobi's spelling; PyTorch uses an OrderedDict. Build it
# with PyTorch's add_module and load the same weights in Jacobi through load_state_dict instead.
torch.manual_seed(3)
net = nn.Sequential()
net.add_module("block1", nn.Sequential(nn.Linear(4, 8), nn.Tanh()))
net.add_module("head", nn.Linear(8, 2))
state = {k: v.detach() for k, v in net.state_dict().items()}
params = dict(net.named_parameters())
J0 = jacrev(lambda p: functional_call(net, p, (x[0],)))(params)
per = vmap(lambda xi: jacrev(lambda p: functional_call(net, p, (xi,)))(params))(x)
cases.append(dict(
    name="parameter_jacobians",
    state={k: v.reshape(-1).tolist() for k, v in state.items()},
    state_shapes={k: list(v.shape) for k, v in state.items()},
    inputs={"x": x.tolist()}, input_shapes={"x": list(x.shape)},
    outputs={**{"J0." + k: v.detach().reshape(-1).tolist() for k, v in J0.items()},
             **{"per." + k: v.detach().reshape(-1).tolist() for k, v in per.items()}},
    output_shapes={**{"J0." + k: list(v.shape) for k, v in J0.items()},
                   **{"per." + k: list(v.shape) for k, v in per.items()}},
    repr=repr(net)))

with open(os.path.join(HERE, "layer_cases.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases")
