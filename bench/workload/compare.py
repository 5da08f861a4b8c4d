#!/usr/bin/env python3
"""Times Tally against the hand-written C++ reference on the reference
workload of ../shared/bench, on the same data, and prints the medians and the
ratios Tally/ref.

    compare.py TALLY N [--runs R] [--data DIR] [--bench DIR] [--ref BINARY]
               [--mode auto|stream|whole]

N is a deal count (100k, 1m, 10m or a number). The data is generated with
gen.py (seed 42) into DIR (default /tmp/benchdata/<N>) unless it is there.
Tally and ref.cpp run alternately R times (default 5) after one warm-up run of
each (which also puts the files in the page cache); every run's checksum is
checked, and the first runs' payouts are compared per payee and quarter.
--mode passes --stream (stream) or --no-stream (whole) to Tally; auto (the
default) lets Tally choose (docs/performance.md, "Streaming"): a streamed
run's ingest and compute overlap in its `stream` stage, so they are shown
together, against ref.cpp's ingest + compute.
"""
import argparse
import os
import statistics
import sys
import tempfile

import workload


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tally")
    parser.add_argument("n")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data")
    parser.add_argument("--bench", default=os.path.join(workload.HERE, "..", "..", "..",
                                                        "shared", "bench"))
    parser.add_argument("--ref", default=os.path.join(tempfile.gettempdir(), "benchbin", "ref"))
    parser.add_argument("--mode", choices=("auto", "stream", "whole"), default="auto")
    args = parser.parse_args()
    n = workload.parse_count(args.n)
    data = args.data or os.path.join(tempfile.gettempdir(), "benchdata", workload.label(n))
    bench = os.path.abspath(args.bench)
    if not os.path.isfile(os.path.join(bench, "ref.cpp")):
        sys.exit(f"compare.py: no reference workload in {bench} (give --bench DIR)")
    workload.ensure_data(bench, n, data)
    workload.build_ref(bench, args.ref)

    with tempfile.TemporaryDirectory() as work:
        ref_csv = os.path.join(work, "ref_payouts.csv")
        out = os.path.join(work, "tally")
        ref_runs, tally_runs = [], []
        for i in range(args.runs + 1):  # run 0 warms the page cache and is not counted
            r = workload.run_ref(args.ref, data, ref_csv)
            extra = {"auto": (), "stream": ("--stream",), "whole": ("--no-stream",)}[args.mode]
            t = workload.run_tally(args.tally, data, out, extra=extra)
            if r["total"] != t["total"]:
                sys.exit(f"checksums differ: ref {r['total']}, tally {t['total']}")
            if i == 0:
                rows, problems = workload.compare_payouts(ref_csv, os.path.join(out, "payouts.csv"))
                if problems:
                    sys.exit("payouts differ from ref.cpp's:\n  " + "\n  ".join(problems[:10]))
                known = workload.KNOWN_TOTALS.get(n)
                note = "" if known is None else (" (= RESULTS.md)" if known == r["total"]
                                                 else f" (RESULTS.md says {known}!)")
                print(f"N = {n:,}: rows={rows} total={r['total']}{note}, "
                      f"both implementations agree per payee and quarter")
                continue
            ref_runs.append(r)
            tally_runs.append(t)

    def median(runs, key):
        return statistics.median(run[key] for run in runs)

    print(f"medians of {args.runs} alternating runs each (data {data})\n")
    print("| measure | Tally | ref.cpp | Tally/ref |")
    print("| --- | --- | --- | --- |")
    # A streamed run parses, credits and aggregates chunk by chunk, the next
    # chunk parsed while this one is credited: its ingest and compute overlap,
    # so they are compared together with ref.cpp's.
    streamed = "stream" in tally_runs[0]["stages"]
    for run in tally_runs + ref_runs:
        run["ingest_compute"] = run["ingest"] + run["compute"]
    rows = [("wall", "end to end", "s")]
    rows += ([("ingest_compute", "ingest + compute (overlapped: streamed)", "s")] if streamed else
             [("ingest", "ingest", "s"), ("compute", "compute", "s")])
    rows += [("rss_mb", "peak RSS", "MB")]
    for key, name, unit in rows:
        t, r = median(tally_runs, key), median(ref_runs, key)
        fmt = "{:.0f}" if unit == "MB" else "{:.3f}"
        print(f"| {name} | {fmt.format(t)} {unit} | {fmt.format(r)} {unit} | "
              f"{t / r if r else float('inf'):.2f}× |")
    stages = tally_runs[0]["stages"].keys()
    print("\nTally's stages (medians, s): " + ", ".join(
        f"{s} {statistics.median(run['stages'][s] for run in tally_runs):.3f}"
        for s in stages if s != "total"))


if __name__ == "__main__":
    main()
