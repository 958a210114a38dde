"""Imported before NumPy by the scripts that start the measured processes (run_peers.py,
jacobi_peer.py): loads NumPy with its OpenBLAS on one thread, then restores the environment, so
that the processes they start get it as it was.

OpenBLAS's idle threads spin for a while after the library loads and after each call, and took
the second core from a process started in that time: Jacobi's vmap_hessian measured 288 us
instead of 208 when the driver had just multiplied two matrices, and about one run in eight
through jacobi_peer.py, which had just imported NumPy. OpenBLAS reads the variable once, when it
loads."""
import os

_saved = os.environ.get("OPENBLAS_NUM_THREADS")
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import numpy  # noqa: E402,F401

if _saved is None:
    del os.environ["OPENBLAS_NUM_THREADS"]
else:
    os.environ["OPENBLAS_NUM_THREADS"] = _saved
