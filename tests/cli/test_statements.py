#!/usr/bin/env python3
"""End-to-end tests of `tally statements`: the files it writes, that they are
self-contained and escape what comes from the data, that a failed run writes
nothing, and, rendered in headless Chromium, that the pages show the figures
of `tally run` over the same data and figures worked out by hand.

    test_statements.py TALLY_BINARY PROJECT_DIR

Exits 77 (skipped) when chromium is not installed (scripts/install-deps.sh
installs it).
"""
import csv
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from decimal import Decimal

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import check, finish, summary  # noqa: E402

TALLY = sys.argv[1]
ROOT = sys.argv[2]
PLANS = os.path.join(ROOT, "plans")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# 2026-01-01T00:00:00Z: every page says "Generated 2026-01-01", and two runs
# write the same bytes.
EPOCH = "1767225600"


def tally(*args, env_extra=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    env.update(env_extra or {})
    return subprocess.run([TALLY, *args], capture_output=True, text=True, env=env, timeout=600)


def read(path):
    """The file's text, or "" when it is missing (the checks then fail)."""
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def money(text):
    """An amount as the pages print it: thousands separators, two decimals at least."""
    value = Decimal(text)
    decimals = max(2, -value.as_tuple().exponent)
    return f"{value:,.{decimals}f}"


def html_files(folder):
    for base, _, files in os.walk(folder):
        for name in files:
            yield os.path.join(base, name)


# ---- PNG decoding (zlib + struct, no PIL), enough to tell a blank page

def png_colours(path, enough=3):
    """Distinct pixel colours of a PNG, stopping once `enough` are found."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return set()
    pos, idat, width, height, depth, ctype = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or ctype not in (0, 2, 4, 6):
        return set()
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 255
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 255
        for x in range(0, stride, channels):
            colours.add(bytes(line[x:x + channels]))
        if len(colours) >= enough:
            return colours
        previous = line
    return colours


def render(page, work):
    """Screenshot and rendered DOM of `page` in headless Chromium."""
    png = os.path.join(work, os.path.basename(os.path.dirname(page)) + "_" +
                       os.path.basename(page) + ".png")
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=" + os.path.join(work, "chrome-profile"),
            "--window-size=1000,1400"]
    url = "file://" + os.path.abspath(page)
    try:
        subprocess.run(base + ["--screenshot=" + png, url], capture_output=True, timeout=120)
        dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True,
                             timeout=120).stdout
    except subprocess.TimeoutExpired:
        return None, ""
    return (png if os.path.exists(png) else None), dom


def check_rendered(name, page, work, figures, absent=()):
    png, dom = render(page, work)
    check(f"{name}: chromium wrote a screenshot", png is not None, f"  page {page}")
    if png:
        colours = png_colours(png)
        check(f"{name}: the screenshot is not blank", len(colours) >= 3,
              f"  {len(colours)} colours in {png}")
    check(f"{name}: chromium rendered the page", "</html>" in dom, f"  dom: {dom[:300]!r}")
    for figure in figures:
        check(f"{name}: the rendered page shows {figure!r}", figure in dom)
    for text in absent:
        check(f"{name}: the rendered page has no {text!r}", text not in dom)
    return dom


def main():
    if not CHROMIUM:
        print("chromium is not installed: skipped (scripts/install-deps.sh installs it)")
        return 77
    usage = tally("statements", "--help")
    if usage.returncode != 0 or "statements" not in usage.stdout.split("\n", 2)[1]:
        print("FAIL tally has no `statements` command: repl/main.cpp must list "
              f"add_statements_command(app)\n  {usage.stderr.strip()}")
        return 1
    work = tempfile.mkdtemp(prefix="tally_statements_")
    try:
        run_tests(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


def statements_of(plan, data, work, name):
    out = os.path.join(work, name)
    r = tally("statements", os.path.join(PLANS, plan + ".tally"), "--data", data, "--out", out)
    check(f"{name}: exit 0", r.returncode == 0, f"  exit {r.returncode}: {r.stderr}")
    ran = os.path.join(work, name + "_run")
    r = tally("run", os.path.join(PLANS, plan + ".tally"), "--data", data, "--out", ran, "--quiet")
    check(f"{name}: tally run exit 0", r.returncode == 0, f"  exit {r.returncode}: {r.stderr}")
    return out, rows(os.path.join(ran, "payouts.csv"))


def check_files(name, out, data, payouts):
    """Every payee × period has its page; every page is self-contained and
    shows its payout lines and total; the index shows every total."""
    payees = [row["id"] for row in rows(os.path.join(data, "payees.csv"))]
    periods = sorted({row["period"] for row in payouts})
    index = read(os.path.join(out, "index.html")) if os.path.exists(
        os.path.join(out, "index.html")) else ""
    check(f"{name}: index.html", index != "")
    for payee in payees:
        for period in periods:
            check(f"{name}: {payee}/{period}.html",
                  os.path.exists(os.path.join(out, payee, period + ".html")))
    for path in html_files(out):
        text = read(path)
        for banned in ("http://", "https://", "<script", "src=", "<link", "@import", "url("):
            check(f"{name}: {os.path.relpath(path, out)} has no {banned!r}", banned not in text)
        check(f"{name}: {os.path.relpath(path, out)} is a whole page",
              text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"))
    totals = {}
    for row in payouts:
        key = (row["payee"], row["period"])
        totals[key] = totals.get(key, Decimal(0)) + Decimal(row["amount"])
        page = os.path.join(out, row["payee"], row["period"] + ".html")
        if os.path.exists(page):
            check(f"{name}: {row['payee']} {row['period']} shows {row['component']}",
                  row["component"] in read(page) and money(row["amount"]) in read(page),
                  f"  expected {money(row['amount'])}")
    for (payee, period), total in totals.items():
        page = os.path.join(out, payee, period + ".html")
        if os.path.exists(page):
            check(f"{name}: {payee} {period} total {money(str(total))}",
                  f'id="total">{money(str(total))} USD<' in read(page))
        check(f"{name}: index shows {payee} {period}",
              f'href="{payee}/{period}.html">{money(str(total))}<' in index)
    grand = sum(totals.values(), Decimal(0))
    check(f"{name}: index grand total", f'id="total">{money(str(grand))} USD<' in index,
          f"  expected {money(str(grand))}")
    return totals


def run_tests(work):
    demo_data = os.path.join(PLANS, "data", "demo")
    ae_data = os.path.join(PLANS, "data", "ae_quota")

    # ---- the demo: files, self-containment, figures from `tally run`
    demo, demo_payouts = statements_of("demo", demo_data, work, "demo")
    demo_totals = check_files("demo", demo, demo_data, demo_payouts)
    page = read(os.path.join(demo, "ann", "2026-Q1.html"))
    check("demo: generated date from SOURCE_DATE_EPOCH", "<dd>2026-01-01</dd>" in page)
    check("demo: plan name, payee name and role in the header",
          "Demo AE &amp; SE Plan 2026" in page and "Ann Lee" in page and "<dd>AE</dd>" in page)
    again = os.path.join(work, "demo_again")
    tally("statements", os.path.join(PLANS, "demo.tally"), "--data", demo_data, "--out", again)
    same = all(read(p) == read(os.path.join(again, os.path.relpath(p, demo)))
               for p in html_files(demo))
    check("demo: two runs write the same bytes", same)
    check("demo: no temporary folder is left",
          not any(n.startswith(".tally-statements") for n in os.listdir(demo)))

    # ann, 2026-Q1 (plans/data/demo/deals.csv): D-0028 71_113.25, D-0039
    # 15_235.47, D-0021 12_964.63, all SMB or MM and won: bookings
    # 99_313.35, no enterprise bookings; commission 8% × 99_313.35 =
    # 7_945.068 → 7_945.07; no new logo of 50_000 USD or more (D-0021 is
    # New but 12_964.63): SPIFF 0. Credits listed the largest first.
    dom = check_rendered("demo ann 2026-Q1", os.path.join(demo, "ann", "2026-Q1.html"), work,
                         ["7,945.07 USD", "99,313.35 USD", "71,113.25", "15,235.47", "12,964.63",
                          "D-0028", "new_logo_spiff", "The plan sets no quota"])
    check("demo ann: credits sorted by amount",
          0 <= dom.find("71,113.25") < dom.find("15,235.47") < dom.find("12,964.63"))
    # bob, 2026-Q1: D-0031 186_660.51 (ENT), D-0040 179_653.08 (ENT, New),
    # D-0042 19_747.17: bookings 386_060.76, enterprise 366_313.59;
    # 8% × 386_060.76 + 2% × 366_313.59 = 30_884.8608 + 7_326.2718 =
    # 38_211.1326, capped at 25_000; one new logo (D-0040): SPIFF 500.
    check_rendered("demo bob 2026-Q1", os.path.join(demo, "bob", "2026-Q1.html"), work,
                   ["25,500.00 USD", "25,000.00", "500.00", "386,060.76 USD",
                    "38,211.1326", "Capped at 25,000.00 USD"])
    index_figures = [money(str(t)) for t in demo_totals.values()]
    index_figures.append(money(str(sum(demo_totals.values(), Decimal(0)))) + " USD")
    check_rendered("demo index", os.path.join(demo, "index.html"), work, index_figures)

    # ---- ae_quota: tiers and quotas
    ae, ae_payouts = statements_of("ae_quota", ae_data, work, "ae_quota")
    check_files("ae_quota", ae, ae_data, ae_payouts)
    # ben, 2026-Q1 (plans/data/ae_quota): AE-0012 24_335.98, AE-0011
    # 24_815.62, AE-0013 17_065.13, AE-0014 20_441.18, and the return AE-0094
    # -6_083.99: bookings 80_573.92 against the quota 120_000: 67.14...%, shown
    # 67.1%. Marginal tiers of the quota: 0..60_000 at 4% = 2_400, then
    # 20_573.92 at 8% = 1_645.9136; 4_045.9136 rounds to 4_045.91, under the
    # 30_000 cap. The 8% tier is where ben stands.
    dom = check_rendered("ae_quota ben 2026-Q1", os.path.join(ae, "ben", "2026-Q1.html"), work,
                         ["4,045.91 USD", "80,573.92 USD", "120,000.00 USD", "67.1%",
                          "60,000.00 USD", "2,400.00 USD", "20,573.92 USD", "1,645.9136 USD",
                          "-6,083.99", "AE-0094", "your tier", "<svg", "Quota 100%"],
                         absent=["The plan sets no quota"])
    check("ae_quota ben: the 8% tier is marked",
          '<tr class="current"><td>50%</td><td>100% <span class="tag here">' in dom)
    check("ae_quota ben: the return is shown negative",
          '<td class="num neg">-6,083.99</td>' in dom)

    # ---- filters: one payee, a range of periods
    some = os.path.join(work, "some")
    r = tally("statements", os.path.join(PLANS, "ae_quota.tally"), "--data", ae_data, "--out",
              some, "--payee", "ben", "--period", "2026-Q2..2026-Q3")
    check("filters: exit 0", r.returncode == 0, r.stderr)
    check("filters: only ben, Q2 and Q3",
          sorted(os.listdir(os.path.join(some, "ben"))) == ["2026-Q2.html", "2026-Q3.html"] and
          sorted(os.listdir(some)) == ["ben", "index.html"], str(os.listdir(some)))

    # ---- draws and recoveries are lines of their own, negative in red
    ramp = os.path.join(work, "ramp")
    r = tally("statements", os.path.join(PLANS, "ramp_draw.tally"), "--data",
              os.path.join(PLANS, "data", "ramp_draw"), "--out", ramp)
    check("ramp_draw: exit 0", r.returncode == 0, r.stderr)
    ramp_payouts = os.path.join(work, "ramp_run")
    tally("run", os.path.join(PLANS, "ramp_draw.tally"), "--data",
          os.path.join(PLANS, "data", "ramp_draw"), "--out", ramp_payouts, "--quiet")
    recoveries = [row for row in rows(os.path.join(ramp_payouts, "payouts.csv"))
                  if row["component"].endswith("_recovery") and Decimal(row["amount"]) < 0]
    check("ramp_draw: the data has recoveries", len(recoveries) > 0)
    for row in recoveries[:3]:
        text = read(os.path.join(ramp, row["payee"], row["period"] + ".html"))
        check(f"ramp_draw: {row['payee']} {row['period']} recovery line",
              f'<td class="num neg">{money(row["amount"])}</td>' in text and
              'class="tag neg">recovery<' in text)

    # ---- names from the data are escaped; ids become safe file names
    data = os.path.join(work, "escaped_data")
    shutil.copytree(demo_data, data)
    payees_csv = read(os.path.join(data, "payees.csv"))
    payees_csv = payees_csv.replace("ann,Ann Lee,AE", 'a/n&n,"<script>alert(1)</script> <b>&",AE')
    with open(os.path.join(data, "payees.csv"), "w", encoding="utf-8") as f:
        f.write(payees_csv)
    deals_csv = read(os.path.join(data, "deals.csv")).replace(",ann,", ",a/n&n,")
    with open(os.path.join(data, "deals.csv"), "w", encoding="utf-8") as f:
        f.write(deals_csv)
    escaped = os.path.join(work, "escaped")
    r = tally("statements", os.path.join(PLANS, "demo.tally"), "--data", data, "--out", escaped)
    check("escaped: exit 0", r.returncode == 0, r.stderr)
    page = os.path.join(escaped, "a~2Fn~26n", "2026-Q1.html")
    check("escaped: the id a/n&n is the folder a~2Fn~26n", os.path.exists(page),
          str(os.listdir(escaped)))
    if os.path.exists(page):
        text = read(page)
        check("escaped: no markup from the data",
              "<script" not in text and "<b>&" not in text)
        check("escaped: the name is escaped text",
              "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;&amp;" in text)
        # the same figures as ann's page above: only the name changed
        dom = check_rendered("escaped a/n&n 2026-Q1", page, work,
                             ["&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;&amp;",
                              "a/n&amp;n", "7,945.07 USD"], absent=["<script>alert", "<b>&"])
    index = read(os.path.join(escaped, "index.html"))
    check("escaped: the index links the safe folder and escapes the name",
          'href="a~2Fn~26n/2026-Q1.html"' in index and "<script" not in index)

    # ---- errors: usage (2), plan or data (1), and nothing written on failure
    def expect(name, args, code, fragment, env_extra=None):
        r = tally(*args, env_extra=env_extra)
        check(name, r.returncode == code and fragment in r.stderr,
              f"  expected exit {code} and {fragment!r}, got exit {r.returncode}: {r.stderr}")

    demo_plan = os.path.join(PLANS, "demo.tally")
    nowhere = os.path.join(work, "nowhere")
    expect("no --out", ["statements", demo_plan, "--data", demo_data], 2, "--out")
    expect("unknown flag", ["statements", demo_plan, "--out", nowhere, "--colour"], 2, "--colour")
    expect("missing plan", ["statements", os.path.join(work, "none.tally"), "--out", nowhere], 2,
           "none.tally")
    expect("bad --bind", ["statements", demo_plan, "--out", nowhere, "--bind", "deals"], 2,
           "NAME=PATH")
    expect("bad SOURCE_DATE_EPOCH", ["statements", demo_plan, "--data", demo_data, "--out",
                                     nowhere], 2, "SOURCE_DATE_EPOCH",
           env_extra={"SOURCE_DATE_EPOCH": "yesterday"})
    expect("unknown payee", ["statements", demo_plan, "--data", demo_data, "--out", nowhere,
                             "--payee", "zed"], 1, "zed")
    expect("unknown period", ["statements", demo_plan, "--data", demo_data, "--out", nowhere,
                              "--period", "2027-Q1"], 1, "2026-Q1")
    broken = os.path.join(work, "broken_data")
    shutil.copytree(demo_data, broken)
    with open(os.path.join(broken, "deals.csv"), "a", encoding="utf-8") as f:
        f.write("D-9999,2026-02-30,ann,sam,SMB,New,Won,10.00\n")  # no February 30th
    expect("bad data", ["statements", demo_plan, "--data", broken, "--out", nowhere], 1,
           "deals.csv")
    check("a failed run writes nothing", not os.path.exists(nowhere))


if __name__ == "__main__":
    sys.exit(main())
