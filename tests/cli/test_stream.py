#!/usr/bin/env python3
"""End-to-end tests of streaming (`tally run --stream`, `tally explain
--stream`; docs/performance.md, "Streaming"): the payouts and measures files
are byte-identical to those of the run that loads everything (the oracle,
itself checked against hand-computed figures in test_run.py); a bad value
in the last chunk is reported at its file row and column and nothing is
written; a run that cannot stream says why.

    test_stream.py TALLY_BINARY PROJECT_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
DEMO = os.path.join(ROOT, "plans", "demo.tally")
DEMO_DATA = os.path.join(ROOT, "plans", "data", "demo")
RENEWAL = os.path.join(ROOT, "plans", "csm_renewal.tally")
RENEWAL_DATA = os.path.join(ROOT, "plans", "data", "csm_renewal")


def tally(*args):
    return subprocess.run([TALLY, *args], capture_output=True, text=True)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    work = tempfile.mkdtemp(prefix="tally_stream_")
    try:
        whole = os.path.join(work, "whole")
        streamed = os.path.join(work, "streamed")
        for mode, out in (("--no-stream", whole), ("--stream", streamed)):
            result = tally("run", DEMO, "--data", DEMO_DATA, "--out", out, "--outputs",
                           "payouts,measures", mode, "--stream-chunk-rows", "7", "-q")
            check(f"run {mode} succeeds", result.returncode == 0, result.stderr)
        for name in ("payouts.csv", "measures.csv"):
            check(f"{name} is identical streamed", read(os.path.join(whole, name)) ==
                  read(os.path.join(streamed, name)))

        # A bad amount on the last row of a copy of the demo's deals: the
        # streamed run names that row and the amount's column, and writes nothing.
        data = os.path.join(work, "bad")
        shutil.copytree(DEMO_DATA, data)
        deals = os.path.join(data, "deals.csv")
        with open(deals) as f:
            lines = f.read().splitlines()
        header = lines[0].split(",")
        amount = header.index("amount")
        last = lines[-1].split(",")
        last[amount] = "12x.50"
        lines[-1] = ",".join(last)
        with open(deals, "w") as f:
            f.write("\n".join(lines) + "\n")
        out = os.path.join(work, "bad_out")
        result = tally("run", DEMO, "--data", data, "--out", out, "--outputs", "payouts",
                       "--stream", "--stream-chunk-rows", "7", "-q")
        where = f"deals.csv:{len(lines)}:{amount + 1}:"
        check("a bad value in the last chunk fails the run", result.returncode != 0,
              result.stderr)
        check("it is located at its file row and column", where in result.stderr,
              f"expected {where!r} in:\n{result.stderr}")
        check("and nothing is written", not os.path.exists(os.path.join(out, "payouts.csv")),
              str(os.listdir(out)) if os.path.isdir(out) else "")

        # What cannot stream, asked to: an error naming it, a failing status.
        result = tally("run", RENEWAL, "--data", RENEWAL_DATA, "--out",
                       os.path.join(work, "renewal"), "--outputs", "payouts", "--stream", "-q")
        check("a clawback cannot stream", result.returncode != 0 and
              "cannot stream this run: the plan has a clawback" in result.stderr and
              "csm_renewal.tally:" in result.stderr, result.stderr)
        result = tally("run", DEMO, "--data", DEMO_DATA, "--out", os.path.join(work, "credits"),
                       "--stream", "-q")
        check("the credits table cannot stream", result.returncode != 0 and
              "the credits table is asked for" in result.stderr, result.stderr)
        result = tally("run", DEMO, "--data", DEMO_DATA, "--stream", "--no-stream")
        check("--stream with --no-stream is a usage error", result.returncode != 0 and
              "either --stream or --no-stream" in result.stderr, result.stderr)

        # Explain reads the payee's credits again, chunk by chunk.
        for payee in ("sue", "bob"):
            runs = [tally("explain", DEMO, "--data", DEMO_DATA, "--payee", payee, "--period",
                          "2026-Q1", "--all-credits", mode, "--stream-chunk-rows", "5")
                    for mode in ("--no-stream", "--stream")]
            check(f"explain {payee} streamed succeeds",
                  all(r.returncode == 0 for r in runs), runs[1].stderr)
            check(f"explain {payee} is the same streamed", runs[0].stdout == runs[1].stdout,
                  runs[0].stdout + "\n---\n" + runs[1].stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
