# exit: 3
"""Command-line entry point: parse sys.argv, run, and exit with a status code."""
import sys

import torch
import torch.nn as nn


def parse_args(argv):
    opts = {"hidden": 4, "verbose": False}
    for arg in argv:
        if arg == "--verbose":
            opts["verbose"] = True
        elif arg.startswith("--hidden="):
            opts["hidden"] = int(arg.split("=", 1)[1])
    return opts


def main():
    print("script:", sys.argv[0].split("/")[-1])
    print("extra args:", sys.argv[1:], len(sys.argv))
    print("python ok:", sys.version_info >= (3, 8), sys.version_info[0])
    opts = parse_args(sys.argv[1:] + ["--hidden=3"])
    print(opts)

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, opts["hidden"]), nn.Tanh(), nn.Linear(opts["hidden"], 1))
    with torch.no_grad():
        out = net(torch.ones(2, 2))
    print(out)

    try:
        sys.exit(5)
    except SystemExit as e:
        print("caught SystemExit, code", e.code, type(e.code).__name__)
    try:
        sys.exit("fatal: bad config")
    except SystemExit as e:
        print("message exit:", repr(e.code))
    try:
        sys.exit()
    except SystemExit as e:
        print("bare exit code:", e.code)

    try:
        try:
            sys.exit(4)
        except Exception:
            print("except Exception must not see SystemExit")
        finally:
            print("finally runs on the way out")
    except BaseException as e:
        print("outer handler:", type(e).__name__, e.code)

    if torch.isnan(out).any():
        print("NaN in output")
        sys.exit(1)
    print("exiting with status 3")
    return 3


if __name__ == "__main__":
    status = main()
    sys.exit(status)
    print("never printed")
