#!/usr/bin/env python3
"""`tally repl` driven through a pseudo-terminal, as a person types: real
keystrokes (Enter, Tab, the Up arrow, Ctrl-C, Ctrl-D) and the answers read
back from the terminal. Then the pipe mode (no terminal) and usage errors.

    test_repl.py TALLY_BINARY PROJECT_DIR

The checks named `session: ...` depend on the engine side of the REPL
(tally::Session evaluating in the context of a plan and its data); the rest
exercise the front end. Every read has a timeout, so a hang fails the test
instead of blocking CI. Expected values are worked out by hand (comments) or
computed here from the demo data with Python's Decimal as an oracle.
"""
import csv
import decimal
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish, summary  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
DEMO = os.path.join(ROOT, "plans", "demo.tally")
DEMO_DATA = os.path.join(ROOT, "plans", "data", "demo")
TIMEOUT = 20.0  # seconds for one answer; generous for the sanitizer build

UP = "\x1b[A"
TAB = "\t"
CTRL_C = "\x03"
CTRL_D = "\x04"


# Terminal control sequences libedit writes (cursor moves, clear to end of
# line, bells) are dropped so that the checks read the text a person sees.
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x07")


def plain(raw):
    return ANSI.sub("", raw).replace("\r", "")


class Terminal:
    """`tally repl ARGS` on a pseudo-terminal of 100 columns."""

    def __init__(self, args, env, cwd=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes tally, the pty its terminal
            try:
                if cwd:
                    os.chdir(cwd)
                os.execve(TALLY, [TALLY, "repl", *args], env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.raw = ""
        self.mark = 0  # expectations read the output after the last match
        self.status = None

    def _read(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.raw += chunk.decode("utf-8", "replace")
        return True

    def text(self):
        return plain(self.raw)

    def expect(self, pattern, timeout=TIMEOUT):
        """The match of regex `pattern` in the output after the mark, waiting
        for more output until the timeout; None on timeout."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.text(), self.mark)
            if match:
                self.mark = match.end()
                return match
            if not self._read(deadline):
                match = regex.search(self.text(), self.mark)
                if match:
                    self.mark = match.end()
                return match

    def editing(self, timeout=5.0):
        """Waits until the line editor reads keys (the terminal out of
        canonical mode). Keys typed before that — while the terminal is still
        cooked — are read by the kernel's line discipline (echoed, Ctrl-D an
        end of file, arrows as text), not by the editor as a person's keys are."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not termios.tcgetattr(self.fd)[3] & termios.ICANON:
                    return True
            except termios.error:
                return False
            time.sleep(0.005)
        return False

    def type(self, keys):
        self.editing()
        os.write(self.fd, keys.encode())

    def line(self, text):
        """Types a line and Enter, and moves the mark past its echo."""
        self.type(text + "\r")
        return self.expect(re.escape(text) + r".*\n")

    def ask(self, text, answer_pattern):
        """Types `text` + Enter; the answer line (after the echo) must match."""
        self.line(text)
        return self.expect(r"(?m)^" + answer_pattern + r"$")

    def prompt(self, name="tally"):
        return self.expect(re.escape(name) + r"> ")

    def since_mark(self):
        return self.text()[self.mark:]

    def wait(self, timeout=TIMEOUT):
        """The exit status, or None if tally is still running after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(min(deadline, time.monotonic() + 0.1))
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                while self._read(time.monotonic() + 0.2):
                    pass
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
        return None

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        os.close(self.fd)


def tally(*args, input_text=None, env=None):
    return subprocess.run([TALLY, *args], input=input_text, capture_output=True, text=True,
                          env=env, timeout=120)


# ---- the oracle: the demo plan's values computed from its CSV files
# (plans/demo.tally: AE commission = 8% of bookings + 2% of enterprise
# bookings, cap 25_000 USD; the Q1 new-logo SPIFF is 500 USD per direct New
# deal of at least 50_000 USD; SE commission = 4% of bookings, the SE
# credited 50% overlay; every payout rounded half-even to cents.)
def demo_q1():
    with open(os.path.join(DEMO_DATA, "payees.csv")) as f:
        roles = {row["id"]: row["role"] for row in csv.DictReader(f)}
    bookings = {p: Decimal(0) for p in roles}
    enterprise = {p: Decimal(0) for p in roles}
    new_logos = {p: 0 for p in roles}
    with open(os.path.join(DEMO_DATA, "deals.csv")) as f:
        for deal in csv.DictReader(f):
            if deal["stage"] != "Won" or not deal["close_date"].startswith(("2026-01", "2026-02",
                                                                               "2026-03")):
                continue
            amount = Decimal(deal["amount"])
            bookings[deal["owner_id"]] += amount
            if deal["segment"] == "ENT":
                enterprise[deal["owner_id"]] += amount
            if deal["type"] == "New" and amount >= 50000:
                new_logos[deal["owner_id"]] += 1
            bookings[deal["se_id"]] += amount * Decimal("0.5")
    cents = Decimal("0.01")
    pay = {}
    for p, role in roles.items():
        if role == "AE":
            commission = min(Decimal("0.08") * bookings[p] + Decimal("0.02") * enterprise[p],
                             Decimal(25000))
            pay[p] = {"commission": commission.quantize(cents, decimal.ROUND_HALF_EVEN),
                      "new_logo_spiff": Decimal(500 * new_logos[p]).quantize(cents)}
        elif role == "SE":
            pay[p] = {"se_commission": (Decimal("0.04") * bookings[p]).quantize(
                cents, decimal.ROUND_HALF_EVEN)}
    return bookings, pay


bookings, pay = demo_q1()
# By hand: ann's Q1 won deals are D-0021 (12964.63), D-0028 (71113.25) and
# D-0039 (15235.47): 99313.35 USD, none enterprise; 8% of it is 7945.068,
# half-even to cents 7945.07. bob's are D-0031 (186660.51, ENT), D-0040
# (179653.08, ENT, New) and D-0042 (19747.17): 8% * 386060.76 + 2% * 366313.59
# = 38211.13 > the cap, so 25000.00; D-0040 is one new logo: 500.00 USD SPIFF.
check("oracle: ann's Q1 bookings", bookings["ann"] == Decimal("99313.35"), bookings["ann"])
check("oracle: ann's Q1 commission", pay["ann"]["commission"] == Decimal("7945.07"), pay["ann"])
check("oracle: bob's Q1 commission is capped", pay["bob"]["commission"] == Decimal("25000.00"))
check("oracle: bob's Q1 SPIFF", pay["bob"]["new_logo_spiff"] == Decimal("500.00"))
q1_total = sum(sum(v.values()) for v in pay.values())

# ---- the binary must have the command at all
probe = tally("repl", "--help")
if probe.returncode != 0 or "history" not in probe.stdout:
    print(f"FAIL `tally repl --help` does not show the repl command's help (exit "
          f"{probe.returncode}): is add_repl_command registered in repl/main.cpp?\n{probe.stderr}")
    print("0 passed, 1 failed")
    sys.exit(1)

work = tempfile.mkdtemp(prefix="tally_repl_test_")
history = os.path.join(work, "state", "history")
env = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": work,  # no ~/.editrc of the machine's user changes the keys
    "TERM": "xterm",
    "TALLY_HISTORY": history,
    "LC_ALL": "C.UTF-8",
}
for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if name in os.environ:
        env[name] = os.environ[name]


def session_test(name, body, args=(), cwd=None, env_changes=None):
    """Runs `body(terminal)` on a fresh `tally repl ARGS`; a crash or a hang
    in the body is a failure, not an error of the test script."""
    term = Terminal(list(args), {**env, **(env_changes or {})}, cwd)
    try:
        body(term)
    except Exception as error:  # noqa: BLE001 - reported as a failed check
        check(f"{name}: no exception", False, repr(error))
    finally:
        if term.status is None and term.wait(0.1) is None:
            term.type(CTRL_D)
            term.wait(5)
        term.close()
    return term


try:
    # ---- front end: banner, prompt, answers, errors, commands, keys
    def basics(t):
        check("banner names the version", t.expect(r"tally \d+\.\d+\.\d+") is not None, t.text())
        check("banner hints :help", t.expect(r":help") is not None, t.text())
        check("prompt `tally> `", t.prompt() is not None, t.text())
        check("1 + 1 answers 2", t.ask("1 + 1", "2") is not None, t.text())
        t.prompt()
        # half-even rounding to a step of 1: 2.5 is halfway, the even neighbour is 2
        check("round(2.5, 1, half_even) answers 2",
              t.ask("round(2.5, 1, half_even)", "2") is not None, t.text())
        t.prompt()
        # a syntax error: the message, the input line, a caret under the spot
        t.line("1 + * 2")
        err = t.expect(r"error: [^\n]*\n[^\n]*1 \+ \* 2\n[ ]*\|[ ]*\^")
        check("syntax error shows the input with a caret", err is not None, t.text())
        t.prompt()
        check("the session goes on after a syntax error", t.ask("2 * 3", "6") is not None,
              t.text())
        t.prompt()
        t.line("1 / 0")
        check("run-time error is a message", t.expect(r"division by zero") is not None, t.text())
        t.prompt()
        check("the session goes on after a run-time error", t.ask("7 * 6", "42") is not None,
              t.text())
        t.prompt()
        t.line(":help")
        listing = t.expect(r"(?s):load PLAN.*:reload.*:data DIR.*:type EXPR.*:explain EXPR.*"
                           r":run.*:help.*:quit.*Examples")
        check(":help lists the commands and examples", listing is not None, t.text())
        t.prompt()
        check(":type 8% is percent", t.ask(":type 8%", "percent") is not None, t.text())
        t.prompt()
        t.line(":lod plans/demo.tally")
        check("unknown command names the nearest",
              t.expect(r"unknown command :lod; did you mean :load\?") is not None, t.text())
        t.prompt()
        t.line(":type")
        check(":type without EXPR says so", t.expect(r":type needs EXPR") is not None, t.text())
        t.prompt()
        # Tab on `:he` completes the command (front end only, no session needed)
        t.type(":he" + TAB)
        check("Tab completes :he to :help", t.expect(r":help") is not None, t.text())
        t.type("\r")
        check("... and the completed command runs", t.expect(r"Commands:") is not None, t.text())
        t.prompt()
        # Tab with several candidates lists them (`:r` is :reload or :run)
        t.type(":r" + TAB)
        check("Tab lists several candidates", t.expect(r"\n:reload +:run\n") is not None,
              t.text())
        check("... and redraws the line", t.expect(r"tally> :r") is not None, t.text())
        t.type("un\r")
        t.expect(r":run.*\n")
        t.prompt()
        # Ctrl-C abandons the half-typed input and shows a fresh prompt
        t.type("123 +")
        t.expect(r"123 \+")
        t.type(CTRL_C)
        check("Ctrl-C shows a fresh prompt on a new line",
              t.expect(r"\^C\ntally> ") is not None, t.text())
        check("Ctrl-C does not end the session", t.ask("2 + 2", "4") is not None, t.text())
        check("the abandoned input was not evaluated", "124" not in t.text(), t.text())
        t.prompt()
        # the Up arrow recalls the previous line
        t.type(UP)
        t.expect(r"2 \+ 2")
        t.type("\r")
        check("Up recalls the previous line", t.expect(r"(?m)^4$") is not None, t.text())
        t.prompt()
        t.type(CTRL_D)
        check("Ctrl-D on an empty line ends with exit 0", t.wait() == 0, f"status {t.status}")

    session_test("basics", basics)

    # History is written at exit (libedit encodes spaces as \040) and read at
    # the next start: Up shows the last line of the previous session.
    saved = open(history).read() if os.path.exists(history) else ""
    check("history file written at exit", "7\\040*\\0406" in saved or "7 * 6" in saved, saved)

    def history_next_start(t):
        t.prompt()
        t.type(UP)
        check("Up at a new start recalls the last session's line",
              t.expect(r"2 \+ 2") is not None, t.text())
        t.type("\r")
        check("... and evaluates it", t.expect(r"(?m)^4$") is not None, t.text())
        t.prompt()
        t.line(":quit")
        check(":quit ends with exit 0", t.wait() == 0, f"status {t.status}")

    session_test("history", history_next_start)

    # The history keeps the last 1000 lines: a file of 1200 is cut at the
    # next save, keeping the newest (libedit's file: a header line, then one
    # entry a line with spaces written as \040). Loading keeps 200 .. 1199;
    # `1199 + 1` recalled and entered again repeats the last line, which the
    # history does not store twice: 200 .. 1199 are saved.
    long_history = os.path.join(work, "long_history")
    with open(long_history, "w") as f:
        f.write("_HiStOrY_V2_\n" + "".join(f"{i}\\040+\\0401\n" for i in range(1200)))

    def capped_history(t):
        t.prompt()
        t.type(UP)
        check("Up recalls the newest line of a long history", t.expect(r"1199 \+ 1") is not None,
              t.text())
        t.type("\r")
        check("... which evaluates (1199 + 1)", t.expect(r"(?m)^1200$") is not None, t.text())
        t.prompt()
        t.type(CTRL_D)
        t.wait()

    session_test("capped history", capped_history, env_changes={"TALLY_HISTORY": long_history})
    entries = open(long_history).read().splitlines()[1:]
    check("history is capped at 1000 lines, the newest kept",
          len(entries) == 1000 and entries[-1] == "1199\\040+\\0401" and
          entries[0] == "200\\040+\\0401", f"{len(entries)} entries: {entries[:2]} {entries[-2:]}")

    def ctrl_d_in_continuation(t):
        t.prompt()
        t.type(CTRL_C + CTRL_C)
        t.prompt()
        check("Ctrl-C on an empty line keeps the session",
              t.ask("3 + 4", "7") is not None, t.text())
        t.prompt()
        t.type(CTRL_D)
        check("Ctrl-D ends", t.wait() == 0, f"status {t.status}")

    session_test("ctrl-c twice", ctrl_d_in_continuation)

    def loads_plan(t):
        check("a plan given on the command line names the prompt", t.prompt("demo") is not None,
              t.text())
        t.line(":data " + DEMO_DATA)
        t.prompt("demo")
        t.line(":reload")
        check(":reload keeps the plan", t.prompt("demo") is not None, t.text())
        t.type(CTRL_D)
        check("Ctrl-D ends", t.wait() == 0, f"status {t.status}")

    session_test("plan prompt", loads_plan, ["plans/demo.tally"], cwd=ROOT)

    # ---- session: what needs the engine side (tally::Session)
    def session_lets(t):
        t.prompt()
        t.line("let x = 5")
        t.prompt()
        check("session: a let is reused on the next line", t.ask("x * 2", "10") is not None,
              t.since_mark() or t.text())
        t.prompt()
        # multi-line input: a trailing operator continues on `...> `
        t.line("1 +")
        check("session: a trailing operator shows the continuation prompt",
              t.expect(r"\.\.\.> ", timeout=5) is not None, t.text())
        check("session: the lines are joined (1 + 2 = 3)", t.ask("2", "3") is not None, t.text())
        t.prompt()
        # an open brace continues too: a set literal over two lines
        t.line('"CA" in {"CA",')
        t.expect(r"\.\.\.> ", timeout=5)
        check("session: an open brace continues the input",
              t.ask('"OR"}', "true") is not None, t.text())
        t.prompt()
        # Ctrl-C inside a continuation abandons the whole input
        t.line("10 *")
        t.expect(r"\.\.\.> ", timeout=5)
        t.type(CTRL_C)
        t.prompt()
        check("session: Ctrl-C in a continuation abandons the input",
              t.ask("1 + 1", "2") is not None, t.text())
        t.prompt()
        # Ctrl-D inside a continuation submits the unfinished input: the
        # session says what is missing and goes on; the next Ctrl-D leaves
        t.line("5 *")
        t.expect(r"\.\.\.> ", timeout=5)
        t.type(CTRL_D)
        check("session: Ctrl-D in a continuation reports the unfinished input",
              t.expect(r"error", timeout=5) is not None, t.text())
        t.prompt()
        check("session: ... and the session goes on", t.ask("2 + 5", "7") is not None, t.text())
        t.prompt()
        t.line(":load " + os.path.join(work, "nowhere.tally"))
        check("session: :load of a missing file is an error",
              t.expect(r"nowhere\.tally", timeout=5) is not None, t.text())
        check("session: ... and no plan is loaded", t.prompt() is not None, t.text())
        # Tab: `rou` completes to the function `round`, `meas` to the keyword `measure`
        t.type("rou" + TAB)
        check("session: Tab completes rou to round", t.expect(r"round", timeout=5) is not None,
              t.text())
        t.type(CTRL_C)
        t.prompt()
        t.type("meas" + TAB)
        check("session: Tab completes a keyword (meas -> measure)",
              t.expect(r"measure", timeout=5) is not None, t.text())
        t.type(CTRL_C)
        t.prompt()
        t.type(CTRL_D)
        t.wait()

    session_test("session lets", session_lets)

    def session_demo(t):
        t.prompt("demo")
        ann = str(pay["ann"]["commission"])
        check("session: commission(\"ann\", 2026-Q1) = " + ann,
              t.ask('commission("ann", 2026-Q1)', re.escape(ann) + r" USD") is not None,
              t.since_mark() or t.text())
        t.prompt("demo")
        check("session: bookings(\"ann\", 2026-Q1) = 99313.35 USD",
              t.ask('bookings("ann", 2026-Q1)', r"99313\.35 USD") is not None, t.text())
        t.prompt("demo")
        check("session: bob's commission is capped at 25000.00 USD",
              t.ask('commission("bob", 2026-Q1)', r"25000\.00 USD") is not None, t.text())
        t.prompt("demo")
        t.line('let double = commission("ann", 2026-Q1) * 2')
        t.prompt("demo")
        # 2 * 7945.07 = 15890.14
        check("session: a let over plan values, reused",
              t.ask("double", r"15890\.14 USD") is not None, t.text())
        t.prompt("demo")
        t.line(':explain commission("ann", 2026-Q1)')
        check("session: :explain shows the value and bookings",
              t.expect(r"(?s)7945\.07.*99313\.35") is not None, t.text())
        t.prompt("demo")
        t.line(":type bookings(\"ann\", 2026-Q1)")
        check("session: :type of a measure call is money",
              t.expect(r"money", timeout=10) is not None, t.text())
        t.prompt("demo")
        t.type('commiss' + TAB)
        check("session: Tab completes a declaration (commiss -> commission)",
              t.expect(r"commission", timeout=5) is not None, t.text())
        t.type('("a' + TAB)
        check("session: Tab completes a payee id (\"a -> \"ann)",
              t.expect(r'\("ann', timeout=5) is not None, t.text())
        t.type(CTRL_C)
        t.prompt("demo")
        t.line(":run")
        total = f"{q1_total:.2f}"
        check(f"session: :run shows the Q1 total {total}",
              t.expect(re.escape(total), timeout=60) is not None, t.text())
        t.prompt("demo")
        t.line('bookings("zed", 2026-Q1)')
        check("session: an unknown payee is a message",
              t.expect(r"error", timeout=10) is not None, t.text())
        t.prompt("demo")
        check("session: the session goes on after it", t.ask("1 + 1", "2") is not None, t.text())
        t.prompt("demo")
        t.type(CTRL_D)
        t.wait()

    session_test("session demo", session_demo, ["plans/demo.tally", "--data", "plans/data/demo"],
                 cwd=ROOT)

    def session_load(t):
        t.prompt()
        t.line(':load "' + DEMO + '"')
        check(":load \"PLAN\" (quoted) names the prompt after the plan",
              t.prompt("demo") is not None, t.text())
        t.line(":data " + DEMO_DATA)
        t.prompt("demo")
        check("session: values after :load and :data",
              t.ask('bookings("ann", 2026-Q1)', r"99313\.35 USD") is not None, t.text())
        t.prompt("demo")
        t.type(CTRL_D)
        t.wait()

    session_test("session load", session_load)

    # ---- no terminal: lines from a pipe, no prompt or banner
    r = tally("repl", input_text="1 + 1\nround(2.5, 1, half_even)\n:type 8%\n", env=env)
    check("pipe: answers only, exit 0", r.returncode == 0 and r.stdout == "2\n2\npercent\n",
          f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
    r = tally("repl", input_text="1 / 0\n2 + 2\n", env=env)
    check("pipe: a failed line exits 1, later lines still run",
          r.returncode == 1 and r.stdout == "4\n" and "division by zero" in r.stderr,
          f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
    r = tally("repl", input_text="1 + 1\n:quit\n2 + 2\n", env=env)
    check("pipe: :quit stops reading", r.returncode == 0 and r.stdout == "2\n",
          f"exit {r.returncode}, stdout {r.stdout!r}")
    r = tally("repl", input_text=":lod x\n", env=env)
    check("pipe: an unknown command fails", r.returncode == 1 and ":load" in r.stderr,
          f"exit {r.returncode}, stderr {r.stderr!r}")
    r = tally("repl", input_text="", env=env)
    check("pipe: empty input exits 0 silently", r.returncode == 0 and r.stdout == "",
          f"exit {r.returncode}, stdout {r.stdout!r}")
    r = tally("repl", input_text="let y = 4\ny * 3\n1 +\n2\n", env=env)
    check("session: pipe: lets and a continued line", r.returncode == 0 and r.stdout.endswith(
        "12\n3\n"), f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
    r = tally("repl", DEMO, "--data", DEMO_DATA, input_text='commission("ann", 2026-Q1)\n',
              env=env)
    check("session: pipe: a plan value, nothing else on stdout",
          r.returncode == 0 and r.stdout == "7945.07 USD\n",
          f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")

    # ---- usage errors: exit 2 with a message
    r = tally("repl", os.path.join(work, "missing.tally"), input_text="")
    check("usage: a missing plan file exits 2", r.returncode == 2 and "missing.tally" in r.stderr,
          f"exit {r.returncode}, stderr {r.stderr!r}")
    r = tally("repl", "--data", os.path.join(work, "nowhere"), input_text="")
    check("usage: a missing data folder exits 2", r.returncode == 2, f"exit {r.returncode}")
    r = tally("repl", "--bind", "deals", input_text="")
    check("usage: --bind without = exits 2", r.returncode == 2 and "NAME=PATH" in r.stderr,
          f"exit {r.returncode}, stderr {r.stderr!r}")
    r = tally("repl", "--frobnicate", input_text="")
    check("usage: an unknown flag exits 2", r.returncode == 2, f"exit {r.returncode}")
    check("--help shows the flags", "--data" in probe.stdout and "--bind" in probe.stdout,
          probe.stdout)
finally:
    shutil.rmtree(work, ignore_errors=True)

finish()
