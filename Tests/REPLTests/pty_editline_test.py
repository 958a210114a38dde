#!/usr/bin/env python3
"""End-to-end test of LineEditor (libedit) through a pseudo-terminal.

Spawns the `editline-demo` executable with pexpect, types keys as a person would, and
checks what the demo prints. Usage:

    python3 Tests/REPLTests/pty_editline_test.py .build/debug/editline-demo

Exits 0 when every check passed, 1 when one failed (printing the screen output seen so
far), and 77 when pexpect is missing (PTYTests.swift then skips).
"""

import os
import re
import shutil
import sys
import tempfile

try:
    import pexpect
except ImportError:
    print("pexpect is not installed", file=sys.stderr)
    sys.exit(77)

PROMPT = "demo> "
TIMEOUT = 10  # seconds for any single expected output

# Keys, as a terminal sends them.
CTRL_A, CTRL_C, CTRL_D, CTRL_E, CTRL_F, CTRL_K = "\x01", "\x03", "\x04", "\x05", "\x06", "\x0b"
UP = "\x1b[A"
TAB = "\t"
ENTER = "\r"
BELL = "\x07"


class Session:
    """One run of the demo on a fresh pseudo-terminal."""

    def __init__(self, demo, state_home, home, cwd):
        env = dict(os.environ)
        env.update({
            "XDG_STATE_HOME": state_home,
            "HOME": home,        # no ~/.editrc from the person running the tests
            "TERM": "xterm",
            "LANG": "C.UTF-8",
        })
        env.pop("EDITRC", None)
        env.pop("LC_ALL", None)
        self.child = pexpect.spawn(demo, env=env, cwd=cwd, dimensions=(24, 80),
                                   encoding="utf-8", timeout=TIMEOUT)
        self.child.expect_exact(PROMPT)

    def type(self, keys):
        self.child.send(keys)

    def expect(self, pattern):
        """Waits for a regular expression and returns its match."""
        self.child.expect(pattern)
        return self.child.match

    def expect_exact(self, text):
        self.child.expect_exact(text)

    def got(self):
        """The text of the next `got: ...` line."""
        return self.expect(r"got: ([^\r\n]*)\r\n").group(1)

    def enter_line(self, keys):
        """Types keys, presses Enter, and returns what the demo says it got."""
        self.type(keys + ENTER)
        text = self.got()
        self.expect_exact(PROMPT)
        return text

    def end(self):
        """Presses Ctrl-D on an empty line and returns the exit status."""
        self.type(CTRL_D)
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def seen(self):
        return (self.child.before or "")[-2000:]


def check_equal(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def run(demo):
    workspace = tempfile.mkdtemp(prefix="jacobi-pty-")
    state_home = os.path.join(workspace, "state")
    home = os.path.join(workspace, "home")
    cwd = os.path.join(workspace, "cwd")
    for directory in (home, os.path.join(cwd, "sessions", "old")):
        os.makedirs(directory)
    for name in ("day1.jac", "day2.jac"):
        open(os.path.join(cwd, "sessions", name), "w").close()
    history_file = os.path.join(state_home, "jacobi", "history")

    passed = []
    session = None

    def check(name, body):
        body()
        passed.append(name)

    try:
        # ---- first run -------------------------------------------------------------
        session = Session(demo, state_home, home, cwd)
        s = session

        check("typing a line echoes it",
              lambda: check_equal(s.enter_line("hello there"), "hello there", "echo"))

        check("Ctrl-A moves to the start",
              lambda: check_equal(s.enter_line("world" + CTRL_A + "hello "), "hello world",
                                  "Ctrl-A"))

        check("Ctrl-E moves to the end",
              lambda: check_equal(s.enter_line("abc" + CTRL_A + CTRL_E + "d"), "abcd", "Ctrl-E"))

        check("Ctrl-K kills to the end",
              lambda: check_equal(s.enter_line("keep this" + CTRL_A + CTRL_F * 4 + CTRL_K),
                                  "keep", "Ctrl-K"))

        check("up arrow recalls the previous line",
              lambda: check_equal(s.enter_line(UP), "keep", "up arrow"))

        check("up arrow twice recalls the line before",
              lambda: check_equal(s.enter_line(UP + UP), "abcd", "up arrow twice"))

        check("TAB completes a unique prefix",
              lambda: check_equal(s.enter_line("jacr" + TAB), "jacrev", "TAB on jacr"))

        check("TAB completes inside an expression",
              lambda: check_equal(s.enter_line("vmap(jacf" + TAB + ")(x)"), "vmap(jacfwd)(x)",
                                  "TAB after vmap("))

        def tab_tab_lists():
            s.type("jac" + TAB)
            s.expect_exact(BELL)  # ambiguous and nothing to add: beep, no list yet
            s.type(TAB)
            s.expect(r"jacfwd +jacobian +jacrev\r\n")
            s.expect_exact(PROMPT + "jac")  # the line is drawn again below the list
            check_equal(s.enter_line("o" + TAB), "jacobian", "completing after the list")
        check("TAB TAB lists the candidates", tab_tab_lists)

        check("TAB completes a path in a string literal",
              lambda: check_equal(s.enter_line('load("sessions/o' + TAB + 'x")'),
                                  'load("sessions/old/x")', "path TAB"))

        def path_list():
            s.type('load("sessions/da' + TAB)   # extends to the common prefix "day"
            s.type(TAB)
            s.expect(r"day1\.jac +day2\.jac\r\n")
            s.expect_exact(PROMPT)
            check_equal(s.enter_line('2' + TAB + '")'), 'load("sessions/day2.jac")',
                        "path after list")
        check("TAB TAB lists file names", path_list)

        def ctrl_c_at_prompt():
            s.type("partial line")
            s.type(CTRL_C)
            s.expect_exact("^C")
            s.expect_exact(PROMPT)
            check_equal(s.enter_line("x"), "x", "line after Ctrl-C")
        check("Ctrl-C drops the partial line", ctrl_c_at_prompt)

        def ctrl_c_during_work():
            s.type(":spin" + ENTER)
            s.expect_exact("spinning")
            s.type(CTRL_C)
            s.expect_exact("spin interrupted")
            s.expect_exact(PROMPT)
            check_equal(s.enter_line("still here"), "still here", "line after :spin")
        check("Ctrl-C stops a computation polling Interrupt.pending", ctrl_c_during_work)

        def persist_line():
            check_equal(s.enter_line("persisted line"), "persisted line", "echo")
            check_equal(s.end(), 0, "exit status after Ctrl-D")
            with open(history_file, encoding="utf-8") as f:
                first = f.readline().rstrip("\n")
            check_equal(first, "_HiStOrY_V2_", "history file header")
        check("Ctrl-D exits with status 0 and saves history", persist_line)
        session = None

        # ---- second run: history came back --------------------------------------------
        session = Session(demo, state_home, home, cwd)
        s = session

        check("history persists across runs",
              lambda: check_equal(s.enter_line(UP), "persisted line", "up arrow in run 2"))

        def history_listing():
            s.type(":history" + ENTER)
            s.expect(r"1 hello there\r\n")
            s.expect(r"\d+ persisted line\r\n")
            s.expect_exact(PROMPT)
        check(":history lists entries oldest first", history_listing)

        check("second run exits with status 0", lambda: check_equal(s.end(), 0, "exit status"))
        session = None
    except (AssertionError, pexpect.TIMEOUT, pexpect.EOF) as error:
        print(f"FAILED after {len(passed)} passing checks: {type(error).__name__}: {error}")
        if session is not None:
            print("---- output seen (last 2000 characters) ----")
            print(repr(session.seen()))
            session.child.close(force=True)
        return 1
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    for name in passed:
        print(f"ok - {name}")
    print(f"pty_editline_test: all {len(passed)} checks passed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(run(os.path.abspath(sys.argv[1])))
