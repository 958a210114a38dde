"""Writes promote_types.txt: torch.promote_types for every pair of Jacobi's dtypes.

    ~/peers-venv/bin/python Tests/TensorTests/Fixtures/make_promote_types.py
"""
import os

import torch

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
lines = ["# torch.promote_types(a, b) for Jacobi's dtypes, from torch " + torch.__version__
         + " (regenerate: Tests/TensorTests/Fixtures/make_promote_types.py)"]
for a in NAMES:
    for b in NAMES:
        result = torch.promote_types(getattr(torch, a), getattr(torch, b))
        lines.append(f"{a} {b} {str(result).replace('torch.', '')}")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "promote_types.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
