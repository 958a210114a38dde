"""Writes the file-format fixtures of FileFormatTests.swift into this directory.

Run with a Python that has numpy, torch and safetensors (the tests never need them):

    /work/peers-venv/bin/python Tests/TensorTests/Fixtures/make_file_fixtures.py

Every value is chosen by hand or from arange, so the tests can check them exactly.
"""
import io
import json
import os
import struct
import zipfile

import numpy as np
import torch
from safetensors.torch import save_file

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
os.makedirs(HERE, exist_ok=True)
for name in os.listdir(HERE):
    os.remove(os.path.join(HERE, name))


def path(name):
    return os.path.join(HERE, name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


# --- .npy: every dtype --------------------------------------------------------------------

np.save(path("f4.npy"), np.array([[0.5, -1.25, 3.0], [1e-7, 65504.0, -0.0]], dtype="<f4"))
np.save(path("f8.npy"), np.array([0.1, -2.5, 1e300], dtype="<f8"))
np.save(path("i8.npy"), np.array([[-(2**63), 2**63 - 1], [0, -1]], dtype="<i8"))
np.save(path("b1.npy"), np.array([True, False, False, True]))
np.save(path("i4.npy"), np.array([-(2**31), 2**31 - 1, 7], dtype="<i4"))
np.save(path("i2.npy"), np.array([-(2**15), 2**15 - 1, -3], dtype="<i2"))
np.save(path("i1.npy"), np.array([-128, 127, 0], dtype="|i1"))
np.save(path("u1.npy"), np.array([0, 255, 17], dtype="|u1"))
np.save(path("u2.npy"), np.array([0, 65535, 300], dtype="<u2"))
np.save(path("u4.npy"), np.array([0, 2**32 - 1, 70000], dtype="<u4"))
# float16: one, a negative, the largest, the smallest subnormal, infinity.
np.save(path("f2.npy"), np.array([1.0, -2.5, 65504.0, 2.0**-24, np.inf], dtype="<f2"))
np.save(path("f4_big.npy"), np.array([1.5, -2.0, 1e30], dtype=">f4"))
np.save(path("f8_big.npy"), np.array([[0.1, -0.2]], dtype=">f8"))
np.save(path("i4_big.npy"), np.array([-5, 100000], dtype=">i4"))
# Fortran order: 2x3x4 arange, stored column-major (fortran_order True in the header).
np.save(path("fortran.npy"), np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4)))
for version in [(2, 0), (3, 0)]:
    with open(path("v%d.npy" % version[0]), "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype="<f8").reshape(3, 2), version=version)
np.save(path("scalar.npy"), np.float64(3.5))
np.save(path("empty.npy"), np.zeros((0, 3), dtype="<f4"))

# --- .npz ---------------------------------------------------------------------------------

weight = np.arange(12, dtype="<f4").reshape(3, 4) / 4
bias = np.array([-1.0, 0.0, 1.0], dtype="<f8")
step = np.array(7, dtype="<i8")
mask = np.array([True, False])
np.savez(path("stored.npz"), weight=weight, bias=bias, step=step, mask=mask)
np.savez_compressed(path("compressed.npz"), weight=weight, bias=bias, step=step, mask=mask)
# ZIP64 records in the central directory and at the end, as NumPy writes for archives over
# 4 GiB: forced here by lowering zipfile's limit.
saved_limit = zipfile.ZIP64_LIMIT
zipfile.ZIP64_LIMIT = 64
try:
    np.savez(path("zip64.npz"), weight=weight, bias=bias)
finally:
    zipfile.ZIP64_LIMIT = saved_limit

# --- .safetensors -------------------------------------------------------------------------

save_file({
    "f32": torch.tensor([[1.5, -2.0], [0.25, 1e-3]], dtype=torch.float32),
    "f64": torch.tensor([0.1, -1e200], dtype=torch.float64),
    "i64": torch.tensor([-(2**63), 2**63 - 1, 5], dtype=torch.int64),
    "bool": torch.tensor([True, False, True]),
    "f16": torch.tensor([1.0, -0.5, 65504.0], dtype=torch.float16),
    "bf16": torch.tensor([1.0, -3.0, 2.0**100], dtype=torch.bfloat16),
    "i32": torch.tensor([-(2**31), 2**31 - 1], dtype=torch.int32),
    "i16": torch.tensor([-(2**15), 123], dtype=torch.int16),
    "i8": torch.tensor([-128, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "scalar": torch.tensor(2.5, dtype=torch.float32),
}, path("dtypes.safetensors"))

# A state_dict: Linear(3, 2) then a block holding Linear(2, 2).
state = {
    "0.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 8,
    "0.bias": torch.tensor([0.5, -0.5]),
    "block1.0.weight": torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
    "block1.0.bias": torch.tensor([-1.0, 1.0]),
}
save_file(state, path("state_dict.safetensors"), metadata={"format": "pt"})

# Only the dtypes Jacobi writes, with names out of order: the tests compare their own output
# with these bytes.
save_file({
    "b": torch.tensor([1.0, 2.0]),
    "a": torch.tensor([0.5], dtype=torch.float64),
    "c": torch.tensor([True, False, True]),
    "d": torch.tensor([[3, -4]], dtype=torch.int64),
    "aa": torch.tensor(7.0),
}, path("golden.safetensors"))

# --- .csv / .txt --------------------------------------------------------------------------

np.savetxt(path("plain.csv"), np.array([[1.0, 2.5, -3.0], [4.0, 1e-3, 6.0]]), delimiter=",")
write_bytes("header.csv", b"x,y,label\r\n1,2,0\r\n3.5,-4e-2,1\r\n")
write_bytes("column.txt", b"# one value per line\n0.5\n-1\n\n2.25\n")
write_bytes("row.txt", b"1\t2  3   4\n")
write_bytes("pandas.csv", b",a,b\n0,0.1,0.2\n1,0.3,0.4\n")

# --- bad files: each must raise its own error ---------------------------------------------

good_npy = open(path("f4.npy"), "rb").read()
write_bytes("bad_truncated.npy", good_npy[:-5])
write_bytes("bad_magic.npy", b"NOTNUMPY" + good_npy[8:])
write_bytes("bad_size.npy", good_npy + b"\0\0\0\0")
np.save(path("bad_dtype.npy"), np.array([1 + 2j, 3 - 4j], dtype="<c8"))


def npy_with_header(header):
    text = header.encode("latin1")
    pad = 64 - (10 + len(text) + 1) % 64
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text) + pad + 1) + text + b" " * pad + b"\n"


write_bytes("bad_header.npy", npy_with_header("{'descr': '<f4', 'shape': (2, 3), }") + b"\0" * 24)
write_bytes("bad_version.npy", b"\x93NUMPY\x07\x00" + good_npy[8:])

good_npz = open(path("stored.npz"), "rb").read()
write_bytes("bad_truncated.npz", good_npz[: len(good_npz) // 2])
with zipfile.ZipFile(path("bad_entry.npz"), "w") as z:
    z.writestr("weight.npy", open(path("f4.npy"), "rb").read())
    z.writestr("notes.txt", "not an array")
with zipfile.ZipFile(path("bad_method.npz"), "w", compression=zipfile.ZIP_BZIP2) as z:
    z.writestr("weight.npy", open(path("f4.npy"), "rb").read())
# One data byte changed: the CRC-32 no longer matches.
with zipfile.ZipFile(path("bad_crc.npz"), "w") as z:
    z.writestr("weight.npy", open(path("f4.npy"), "rb").read())
crc_bytes = bytearray(open(path("bad_crc.npz"), "rb").read())
crc_bytes[crc_bytes.index(b"\x93NUMPY") + 130] ^= 0xFF
write_bytes("bad_crc.npz", bytes(crc_bytes))


def safetensors_bytes(header, data):
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


good_st = open(path("state_dict.safetensors"), "rb").read()
write_bytes("bad_truncated.safetensors", good_st[:-6])
write_bytes("bad_magic.safetensors", b"this is a text file, not safetensors\n")
write_bytes("bad_dtype.safetensors",
            safetensors_bytes({"x": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8))
write_bytes("bad_offsets.safetensors", safetensors_bytes({
    "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
    "b": {"dtype": "F32", "shape": [2], "data_offsets": [400, 408]},
}, b"\0" * 16))
write_bytes("bad_overlap.safetensors", safetensors_bytes({
    "a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
    "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]},
}, b"\0" * 16))
write_bytes("bad_size.safetensors", safetensors_bytes({
    "a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]},
}, b"\0" * 16))
bad_json = b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},}'
write_bytes("bad_header.safetensors", struct.pack("<Q", len(bad_json)) + bad_json + b"\0" * 4)

write_bytes("bad_ragged.csv", b"1,2,3\n4,5\n")
write_bytes("bad_value.csv", b"a,b\n1,2\n3,oops\n")

total = sum(os.path.getsize(path(n)) for n in os.listdir(HERE))
print("wrote %d files, %d bytes, to %s" % (len(os.listdir(HERE)), total, HERE))
