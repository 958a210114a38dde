#!/usr/bin/env python3
"""How long Ctrl-C takes to give the prompt back inside one long kernel.

Starts jacobi on a pseudo-terminal, makes a [12000, 12000] tensor, then three times starts a
chain of elementwise passes over it (each pass is one kernel loop of 144M elements), presses
Ctrl-C 0.4 s in and measures the time until the interrupt is reported:

    python3 bench/reliability/ctrlc_latency.py [BINARY]

Needs pexpect and about 3 GB of memory.
"""
import os
import sys
import tempfile
import time

import pexpect

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/jacobi"
state = tempfile.mkdtemp(prefix="jacobi-ctrlc-")
child = pexpect.spawn(binary, [], encoding="utf-8", timeout=120,
                      env={"TERM": "xterm", "HOME": state, "XDG_STATE_HOME": state, "PATH": os.environ.get("PATH", "")})
child.expect(">>> ")
child.sendline("x = randn(12000, 12000)")
child.expect(">>> ")
latencies = []
for _ in range(3):
    child.sendline("y = ((x * 2).tanh() + x).exp().sum(0)")
    time.sleep(0.4)
    started = time.monotonic()
    child.send("\x03")
    child.expect("KeyboardInterrupt|interrupted")
    latencies.append(time.monotonic() - started)
    child.expect(">>> ")
child.sendeof()
child.expect(pexpect.EOF)
print("Ctrl-C inside an elementwise kernel: prompt back after", ", ".join(f"{t:.3f} s" for t in latencies))
