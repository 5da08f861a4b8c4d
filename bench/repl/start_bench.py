#!/usr/bin/env python3
"""How fast `tally repl` starts and answers `1 + 1` (issue 6: under 100 ms).

    start_bench.py TALLY_BINARY [RUNS]

Each run launches `tally repl` on a fresh pseudo-terminal (a history file in
a temporary folder), waits for the prompt, types `1 + 1` and Enter, and stops
the clock when the answer `2` appears; then Ctrl-D. Prints the median, the
minimum and the maximum over RUNS runs (default 20) of the time to the
prompt and the time to the answer, and the same for the pipe mode
(`echo '1 + 1' | tally repl`, to the process's exit). A figure to report,
not a timed test.
"""
import os
import pty
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import termios
import time

TALLY = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 20


def read_until(fd, pattern, deadline, seen):
    while True:
        if re.search(pattern, seen[0]):
            return True
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        seen[0] += chunk.decode("utf-8", "replace")


def wait_for_editor(fd, deadline):
    """Keys typed while the terminal is still in canonical mode go to the
    kernel's line discipline, not to the editor: wait until it reads keys."""
    while time.monotonic() < deadline and termios.tcgetattr(fd)[3] & termios.ICANON:
        time.sleep(0.0005)


def one_terminal_run(env):
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(TALLY, [TALLY, "repl"], env)
        finally:
            os._exit(127)
    seen = [""]
    deadline = start + 10
    reaped = False
    try:
        if not read_until(fd, r"tally> ", deadline, seen):
            raise RuntimeError("no prompt: " + repr(seen[0]))
        prompt = time.monotonic() - start
        wait_for_editor(fd, deadline)
        os.write(fd, b"1 + 1\r")
        if not read_until(fd, r"\n2\r?\n", deadline, seen):
            raise RuntimeError("no answer: " + repr(seen[0]))
        answer = time.monotonic() - start
        # Ctrl-D once the editor reads again.
        read_until(fd, r"\n2\r?\n.*tally> ", deadline, seen)
        wait_for_editor(fd, deadline)
        os.write(fd, b"\x04")
        while time.monotonic() < deadline and not reaped:
            reaped = os.waitpid(pid, os.WNOHANG)[0] == pid
            time.sleep(0.01)
    finally:
        if not reaped:  # a hang: stop it so the next run starts clean
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    return prompt, answer


def one_pipe_run(env):
    start = time.monotonic()
    r = subprocess.run([TALLY, "repl"], input="1 + 1\n", capture_output=True, text=True, env=env,
                       timeout=10)
    if r.stdout != "2\n":
        raise RuntimeError("pipe answered " + repr(r.stdout))
    return time.monotonic() - start


def describe(name, seconds):
    ms = [s * 1000 for s in seconds]
    print(f"{name:28} median {statistics.median(ms):6.1f} ms   min {min(ms):6.1f}   "
          f"max {max(ms):6.1f}   ({len(ms)} runs)")


def main():
    work = tempfile.mkdtemp(prefix="tally_repl_bench_")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TERM": "xterm",
           "TALLY_HISTORY": os.path.join(work, "history")}
    try:
        runs = [one_terminal_run(env) for _ in range(RUNS)]
        pipes = [one_pipe_run(env) for _ in range(RUNS)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    describe("terminal: launch to prompt", [p for p, _ in runs])
    describe("terminal: launch to `2`", [a for _, a in runs])
    describe("pipe: `1 + 1` to exit", pipes)


if __name__ == "__main__":
    main()
