"""Shows what quiet_numpy.py is for: NumPy's OpenBLAS threads, spinning after a matrix product in
a parent process, slow down the two-thread process it starts next.

    ~/peers-venv/bin/python bench/peers/numpy_spin.py [JACOBI] [SCRIPT]

Runs SCRIPT (default: the peers' vmap_hessian script, written by run_peers.py) with JACOBI three
times right after a 512 x 512 NumPy product and three times after a 0.5 s pause, first with NumPy's
own threads, then (in a child that imports quiet_numpy first) with one; prints the `:time` lines."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
jacobi = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "release", "jacobi")
script = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", ".build", "peers-data", "vmap_hessian",
                                                            "jacobi_vmap_hessian.jac")
if os.environ.get("NUMPY_SPIN_QUIET"):
    import quiet_numpy  # noqa: F401
import time  # noqa: E402

import numpy as np  # noqa: E402


def median_line():
    out = subprocess.run([jacobi, script], capture_output=True, text=True).stdout
    return next((line for line in out.splitlines() if line.startswith("median")), out.strip()[-200:])


a = np.random.rand(512, 512)
for pause in [0, 0, 0, 0.5, 0.5, 0.5]:
    b = a @ a
    time.sleep(pause)
    print(f"{'quiet' if os.environ.get('NUMPY_SPIN_QUIET') else 'default'} NumPy, {pause} s after a product: {median_line()}")
if not os.environ.get("NUMPY_SPIN_QUIET"):
    sys.stdout.flush()
    subprocess.run([sys.executable, *sys.argv], env=dict(os.environ, NUMPY_SPIN_QUIET="1"))
