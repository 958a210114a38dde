"""Writes the PyTorch checkpoint fixtures of TorchArchiveTests.swift into files/, and checks
that the archive Jacobi wrote (files/pt_jacobi_written.pt, committed) loads in PyTorch.

Run with the peers' venv (the tests never need it):

    ~/peers-venv/bin/python Tests/TensorTests/Fixtures/make_pt_fixtures.py

pt_expected.json records, for every tensor of every fixture, what PyTorch sees: dtype, shape,
stride, storage offset, storage identity (tensors with equal ids share a storage), the
Parameter flag and the values (as float64, NaN-free).
"""
import json
import os

import torch
import torch.nn as nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


def path(name):
    return os.path.join(HERE, name)


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
torch.save(net.state_dict(), path("pt_state_dict.pt"))

x = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4
torch.save({"x": x, "t": x.t(), "slice": x[1:, 2:], "row": x[2], "other": torch.ones(2)}, path("pt_views.pt"))

values = [1.5, -2.25, 0.0, 3.0]
dtypes = {name: torch.tensor(values).to(getattr(torch, name)) for name in
          ["float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool"]}
dtypes["uint8"] = torch.tensor([0, 255, 17, 3], dtype=torch.uint8)
torch.save(dtypes, path("pt_dtypes.pt"))

checkpoint = {
    "epoch": 3, "model": net.state_dict(), "optimizer": {"lr": 0.1, "betas": (0.9, 0.999), "steps": [10, 20]},
    "losses": [1.5, 0.5], "name": "run-1", "done": False, "note": None, "big": 2 ** 40, "negative": -70000,
    "param": nn.Parameter(torch.tensor([0.5, -0.5])), "frozen": nn.Parameter(torch.ones(2), requires_grad=False),
}
torch.save(checkpoint, path("pt_checkpoint.pt"))

# Saved "on a GPU": the location tag torch.save records, without needing one.
original = torch.serialization.location_tag
torch.serialization.location_tag = lambda storage: "cuda:0"
try:
    torch.save({"w": torch.tensor([1.0, 2.0])}, path("pt_gpu.pt"))
finally:
    torch.serialization.location_tag = original

torch.save(net, path("pt_module.pt"))                                          # a pickled module: refused
torch.save({"w": torch.ones(2)}, path("pt_legacy.pt"), _use_new_zipfile_serialization=False)
torch.jit.save(torch.jit.script(net), path("pt_script.pt"))

expected = {}
for name in ["pt_state_dict.pt", "pt_views.pt", "pt_dtypes.pt", "pt_checkpoint.pt", "pt_gpu.pt"]:
    loaded = torch.load(path(name), weights_only=True, map_location="cpu")
    tensors = {}

    def walk(prefix, v):
        if isinstance(v, torch.Tensor):
            tensors[prefix] = {
                "dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "stride": list(v.stride()),
                "offset": v.storage_offset(), "storage": v.untyped_storage().data_ptr(),
                "parameter": isinstance(v, nn.Parameter), "requires_grad": v.requires_grad,
                "values": v.detach().double().flatten().tolist(),
            }
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(prefix + "/" + str(k), x)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(prefix + "/" + str(i), x)
    walk("", loaded)
    # Storage identities as small numbers, in order of first appearance.
    ids = {}
    for t in tensors.values():
        t["storage"] = ids.setdefault(t["storage"], len(ids))
    expected[name] = tensors
with open(path("pt_expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)

# The archive Jacobi writes for TorchArchiveTests.testWriterMatchesTheCommittedArchive loads here.
written = path("pt_jacobi_written.pt")
if os.path.exists(written):
    d = torch.load(written, weights_only=True)
    assert isinstance(d["model"], dict) and list(d["model"].keys()) == ["0.weight", "0.bias"], d
    assert torch.equal(d["model"]["0.weight"], torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    assert d["half"].dtype == torch.float16 and d["half"].tolist() == [0.5, -1.0]
    assert isinstance(d["param"], nn.Parameter) and d["param"].requires_grad
    assert d["meta"] == [1, 2.5, "x", None, True, (3, 4)], d["meta"]
    assert d["int8"].dtype == torch.int8 and d["int8"].tolist() == [-128, 127]
    print("pt_jacobi_written.pt loads in torch", torch.__version__, "with weights_only=True")
else:
    print("pt_jacobi_written.pt is missing: run TorchArchiveTests with JACOBI_WRITE_FIXTURES=1 first")
print("fixtures written to", HERE)
