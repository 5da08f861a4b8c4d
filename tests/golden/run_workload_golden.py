#!/usr/bin/env python3
"""Golden test of bench/workload/plan.tally, the reference workload of
../shared/bench: at N = 100k (seed 42) Tally's payout components, summed per
payee and quarter, must equal the `total` column of the hand-written C++
reference (ref.cpp) on every one of its 4,840 rows, and the total paid must be
the checksum of ../shared/bench/RESULTS.md, 102406261.83.

    run_workload_golden.py TALLY SHARED_BENCH_DIR CXX

Exits with 77 (ctest SKIP_RETURN_CODE) when SHARED_BENCH_DIR does not exist.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "workload"))
import workload  # noqa: E402

SKIP = 77
N = 100_000


def main():
    tally, bench_dir, compiler = sys.argv[1:]
    if not os.path.isfile(os.path.join(bench_dir, "gen.py")):
        print(f"skipped: the reference workload {bench_dir} is not here")
        return SKIP
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        workload.ensure_data(bench_dir, N, data)
        ref_binary = os.path.join(work, "ref")
        workload.build_ref(bench_dir, ref_binary, compiler)
        ref = workload.run_ref(ref_binary, data, os.path.join(work, "ref_payouts.csv"))
        ours = workload.run_tally(tally, data, os.path.join(work, "out"))
        rows, problems = workload.compare_payouts(os.path.join(work, "ref_payouts.csv"),
                                                  os.path.join(work, "out", "payouts.csv"))
        expected_total = workload.KNOWN_TOTALS[N]
        if ref["total"] != expected_total:
            problems.append(f"ref.cpp's total {ref['total']} is not RESULTS.md's {expected_total}"
                            " (was the data generated with another Python?)")
        if ours["total"] != expected_total:
            problems.append(f"tally's total {ours['total']}, expected {expected_total}")
        if rows != 4840:
            problems.append(f"ref.cpp wrote {rows} payee-quarters, expected 4840")
    for p in problems[:20]:
        print("FAIL:", p)
    if problems:
        print(f"{len(problems)} differences")
        return 1
    print(f"ok: {rows} payee-quarters equal ref.cpp's; total {expected_total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
