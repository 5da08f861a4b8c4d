"""The reference workload of ../shared/bench, shared by the golden test
(tests/golden/run_workload_golden.py) and the performance runner (compare.py):
generate the data, build and run the hand-written C++ reference (ref.cpp),
run Tally on the same files, and compare their payouts per payee and quarter.
"""
import decimal
import os
import re
import selectors
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "plan.tally")

# Checksums of ../shared/bench/RESULTS.md (seed 42): rows and total paid.
KNOWN_TOTALS = {100_000: "102406261.83", 1_000_000: "1010962664.71",
                10_000_000: "10046703583.31"}


def parse_count(text):
    """100k, 1m, 10m or a plain number -> int."""
    m = re.fullmatch(r"(\d+)([kKmM]?)", text)
    if not m:
        raise ValueError(f"expected a deal count such as 100k, 1m or 10000000, found {text!r}")
    return int(m.group(1)) * {"": 1, "k": 1000, "m": 1_000_000}[m.group(2).lower()]


def label(n):
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def ensure_data(bench_dir, n, folder):
    """Generates the four CSV files with gen.py (seed 42) unless they are there."""
    if os.path.exists(os.path.join(folder, "deals.csv")):
        return
    os.makedirs(folder, exist_ok=True)
    subprocess.run(["python3", os.path.join(bench_dir, "gen.py"), str(n), folder], check=True)


def build_ref(bench_dir, binary, compiler="g++"):
    """Builds ref.cpp as RUN.md says (-O2), unless the binary is newer."""
    source = os.path.join(bench_dir, "ref.cpp")
    if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(source):
        return
    os.makedirs(os.path.dirname(binary) or ".", exist_ok=True)
    subprocess.run([compiler, "-std=c++20", "-O2", "-o", binary, source], check=True)


def run_measured(command):
    """Runs command; returns (exit code, stdout, stderr, wall seconds, peak RSS
    in MB). os.wait4 gives this child's own peak RSS, which getrusage over all
    children would not."""
    started = time.monotonic()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.close(out_r)
        os.close(err_r)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    os.close(out_w)
    os.close(err_w)
    chunks = {out_r: [], err_r: []}
    selector = selectors.DefaultSelector()
    for fd in chunks:
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(chunks)
    while open_fds:
        for key, _ in selector.select():
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd].append(data)
            else:
                selector.unregister(key.fd)
                os.close(key.fd)
                open_fds.discard(key.fd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    return (code, b"".join(chunks[out_r]).decode(), b"".join(chunks[err_r]).decode(), wall,
            usage.ru_maxrss / 1024)


def run_ref(binary, data, out_csv):
    """Runs ref.cpp; returns a dict: wall, rss_mb, ingest, compute, total, rows."""
    code, stdout, stderr, wall, rss = run_measured([binary, data, out_csv])
    if code != 0:
        raise RuntimeError(f"ref failed ({code}): {stderr}")
    checksum = re.search(r"rows=(\d+) total=([\d.]+)", stdout)
    timing = re.search(r"ingest_s=([\d.]+) compute_s=([\d.]+)", stderr)
    return {"wall": wall, "rss_mb": rss, "ingest": float(timing.group(1)),
            "compute": float(timing.group(2)), "rows": int(checksum.group(1)),
            "total": checksum.group(2)}


def run_tally(tally, data, out_dir, plan=PLAN, extra=()):
    """Runs `tally run PLAN --outputs payouts --timings` (and `extra`, such as
    --stream); returns a dict like run_ref's. Ingest is the load stage (files
    to typed columns), compute every stage after it including writing
    payouts.csv, as ref.cpp splits its time. A streamed run reads the deals in
    its `stream` stage, with crediting and aggregation: counted as compute."""
    command = [tally, "run", plan, "--data", data, "--out", out_dir, "--outputs", "payouts",
               "--timings", *extra]
    code, stdout, stderr, wall, rss = run_measured(command)
    if code != 0:
        raise RuntimeError(f"tally failed ({code}): {stderr}")
    stages = dict((name.strip(), float(value)) for name, value, _peak in
                  re.findall(r"^  (\S.*?)\s+([\d.]+)\s+([\d.]+)$", stderr, re.M))
    ingest = stages["load"]
    compute = sum(v for k, v in stages.items() if k not in ("compile", "load", "total"))
    total = re.search(r"Total paid: ([\d,.]+)", stdout).group(1).replace(",", "")
    return {"wall": wall, "rss_mb": rss, "ingest": ingest, "compute": compute,
            "total": total, "stages": stages}


def compare_payouts(ref_csv, tally_csv):
    """Tally's payout components summed per payee and quarter against ref.cpp's
    `total` column. Returns (rows compared, list of differences as text)."""
    expected = {}
    with open(ref_csv) as f:
        next(f)
        for line in f:
            payee, quarter, *_, total = line.rstrip("\n").split(",")
            expected[(payee, quarter[:4] + "-" + quarter[4:])] = decimal.Decimal(total)
    actual = {}
    with open(tally_csv) as f:
        header = next(f).rstrip("\n").split(",")
        if header[:4] != ["payee", "period", "component", "amount"]:
            return 0, [f"unexpected header in {tally_csv}: {header}"]
        for line in f:
            payee, period, _component, amount = line.rstrip("\n").split(",")[:4]
            key = (payee, period)
            actual[key] = actual.get(key, decimal.Decimal(0)) + decimal.Decimal(amount)
    problems = []
    for key, want in sorted(expected.items()):
        got = actual.get(key, decimal.Decimal(0))
        if got != want:
            problems.append(f"payee {key[0]} {key[1]}: ref {want}, tally {got}")
    for key in sorted(set(actual) - set(expected)):
        if actual[key] != 0:
            problems.append(f"payee {key[0]} {key[1]}: tally pays {actual[key]}, ref has no row")
    return len(expected), problems
