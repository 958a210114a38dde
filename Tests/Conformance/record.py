#!/usr/bin/env python3
"""Record what real PyTorch prints for every conformance script.

Runs each NN_topic.py in this folder with the peers venv's python, from this
folder as the working directory, in a clean environment (only
PYTHONHASHSEED=0), and writes its exact stdout beside it as NN_topic.out.

    python3 Tests/Conformance/record.py                 # record every script
    python3 Tests/Conformance/record.py 05 18_forum     # only scripts whose name starts so
    python3 Tests/Conformance/record.py --check         # compare with the .out files, write nothing
    python3 Tests/Conformance/record.py --venv ~/other-venv
    python3 Tests/Conformance/record.py --check --interpreter "/path/to/jacobi"
                                                        # check another interpreter's stdout
    python3 Tests/Conformance/record.py --jax           # record the JAX suite (jax/) from JAX

A script must exit with status 0, unless its first line is `# exit: N`, in
which case it must exit with status N. Any other status fails the run loudly
(its stderr is shown) and that script's .out file is left untouched.

--check compares under the suite's comparison rule (see mask_line and
README.md): on a line that holds a time or a 0x address, every number is
replaced by a placeholder before the comparison; all other lines must match
byte for byte.
"""

import argparse
import difflib
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT_RE = re.compile(r"^\d\d_[A-Za-z0-9_]+\.py$")
EXIT_RE = re.compile(r"^#\s*exit:\s*(-?\d+)\s*$")
TIMEOUT_SECONDS = 600

# The comparison rule. A line "holds a time" when a number is followed by a
# time unit (as in torch.utils.benchmark's Measurement: "9.44 ms",
# "Median: 1.57 us"); a line "holds an address" when it has "at 0x..." (as in
# "<... Measurement object at 0x7f44931abe90>"). On such lines every number,
# and every hexadecimal address, becomes "<N>".
TIME_RE = re.compile(r"\d(?:\.\d+)?\s*(?:ns|us|\u00b5s|ms|s)\b")
ADDRESS_RE = re.compile(r"\bat 0x[0-9a-fA-F]+")
NUMBER_RE = re.compile(r"0x[0-9a-fA-F]+|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def mask_line(line):
    """Apply the comparison rule to one line of output."""
    if TIME_RE.search(line) or ADDRESS_RE.search(line):
        return NUMBER_RE.sub("<N>", line)
    return line


def masked(text):
    return [mask_line(line) for line in text.splitlines()]


def expected_status(script):
    with open(script, encoding="utf-8") as f:
        first = f.readline()
    m = EXIT_RE.match(first.strip())
    return int(m.group(1)) if m else 0


def find_scripts(prefixes, folder=HERE):
    scripts = sorted(p for p in folder.iterdir() if SCRIPT_RE.match(p.name))
    if prefixes:
        scripts = [s for s in scripts if any(s.name.startswith(p) for p in prefixes)]
    return scripts


def run(command, script):
    env = {"PYTHONHASHSEED": "0"}
    return subprocess.run(
        command + [script.name],
        cwd=script.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default="~/peers-venv",
                        help="virtual environment with torch (default: ~/peers-venv)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the recorded .out files instead of writing them")
    parser.add_argument("--interpreter", metavar="CMD",
                        help="with --check: run the scripts with CMD (split like a shell "
                             "command) instead of the venv's python")
    parser.add_argument("--jax", action="store_true",
                        help="the JAX suite in jax/ (recorded from the venv's JAX; Jacobi's output is "
                             "checked by the Swift tests, which allow XLA's float32 rounding)")
    parser.add_argument("scripts", nargs="*",
                        help="only the scripts whose file name starts with one of these")
    args = parser.parse_args()

    if args.interpreter:
        if not args.check:
            sys.exit("record.py: --interpreter only goes with --check: "
                     "the .out files are recorded from real PyTorch")
        command = shlex.split(args.interpreter)
    else:
        venv = Path(args.venv).expanduser()
        python = venv / "bin" / "python"
        if not python.exists():
            sys.exit(f"record.py: no python at {python}: the venv {venv} is missing "
                     f"(create it with torch installed, or pass --venv PATH)")
        command = [str(python)]

    if args.jax and args.check:
        sys.exit("record.py: --check compares byte for byte; the JAX suite is checked by "
                 "swift test --filter ConformanceTests (floats to 1e-6)")
    scripts = find_scripts(args.scripts, HERE / "jax" if args.jax else HERE)
    if not scripts:
        sys.exit("record.py: no script matches " + " ".join(args.scripts))

    failures = []
    for script in scripts:
        want = expected_status(script)
        try:
            proc = run(command, script)
        except subprocess.TimeoutExpired:
            failures.append(script.name)
            print(f"FAIL {script.name}: still running after {TIMEOUT_SECONDS} s", file=sys.stderr)
            continue
        if proc.returncode != want:
            failures.append(script.name)
            print(f"FAIL {script.name}: exit status {proc.returncode}, expected {want}",
                  file=sys.stderr)
            sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
            continue
        out_path = script.with_suffix(".out")
        if args.check:
            if not out_path.exists():
                failures.append(script.name)
                print(f"FAIL {script.name}: {out_path.name} has not been recorded", file=sys.stderr)
                continue
            old = masked(out_path.read_bytes().decode("utf-8"))
            new = masked(proc.stdout.decode("utf-8"))
            if old != new:
                failures.append(script.name)
                print(f"FAIL {script.name}: output differs from {out_path.name}", file=sys.stderr)
                for line in difflib.unified_diff(old, new, out_path.name, "now", lineterm=""):
                    print("  " + line, file=sys.stderr)
                continue
            print(f"ok   {script.name}")
        else:
            out_path.write_bytes(proc.stdout)
            lines = proc.stdout.count(b"\n")
            print(f"ok   {script.name} -> {out_path.name} ({lines} lines, exit {want})")

    if failures:
        print(f"\n{len(failures)} of {len(scripts)} scripts FAILED: {', '.join(failures)}",
              file=sys.stderr)
        sys.exit(1)
    print(f"\nall {len(scripts)} scripts {'match' if args.check else 'recorded'}")


if __name__ == "__main__":
    main()
