#!/usr/bin/env python3
"""Tally's C API from Python, through ctypes (no compiled extension).

    payouts.py PLAN DATA_DIR [LIBRARY]

LIBRARY is the path of libtally.so; without it, $TALLY_LIBRARY, else the
system's library search. Like examples/c/payouts.c, it
1. compiles PLAN and runs it over the CSV files in DATA_DIR, printing each
   payout and the total;
2. runs a small plan over data held in Python lists (in-memory columns), and
   checks the engine's total against one computed here with exact decimals.
Exits with status 1 on any failure, with the messages.
"""

import ctypes
import ctypes.util
import datetime
import os
import sys
from decimal import ROUND_HALF_EVEN, Decimal

TALLY_ABI_VERSION = 1
TALLY_OK = 0
TALLY_TABLE_PAYOUTS = 0
TALLY_MESSAGE_RENDERED = 3

c_str = ctypes.c_char_p
handle = ctypes.c_void_p  # every tally_* handle is opaque: a pointer is all Python needs
size_t = ctypes.c_size_t
status = ctypes.c_int


def load(path):
    """The library, with the signatures of the functions used here."""
    lib = ctypes.CDLL(path)

    def declare(name, restype, *argtypes):
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = list(argtypes)

    out = ctypes.POINTER(handle)
    declare("tally_abi_version", ctypes.c_int)
    declare("tally_version", c_str)
    declare("tally_status_name", c_str, status)
    declare("tally_last_error", c_str)
    declare("tally_engine_new", status, out)
    declare("tally_engine_free", None, handle)
    declare("tally_compile", status, handle, c_str, c_str, handle, out)
    declare("tally_compile_file", status, handle, c_str, out)
    declare("tally_plan_free", None, handle)
    declare("tally_plan_name", c_str, handle)
    declare("tally_plan_messages", handle, handle)
    declare("tally_messages_count", size_t, handle)
    declare("tally_message_text", status, handle, size_t, ctypes.c_int, ctypes.POINTER(c_str))
    declare("tally_options_new", status, out)
    declare("tally_options_free", None, handle)
    declare("tally_options_set_data_dir", status, handle, c_str)
    declare("tally_options_column_text", status, handle, c_str, c_str,
            ctypes.POINTER(c_str), size_t, ctypes.POINTER(ctypes.c_uint8))
    declare("tally_options_column_decimal", status, handle, c_str, c_str,
            ctypes.POINTER(ctypes.c_int64), ctypes.c_int, size_t, ctypes.POINTER(ctypes.c_uint8))
    declare("tally_options_column_date", status, handle, c_str, c_str,
            ctypes.POINTER(ctypes.c_int32), size_t, ctypes.POINTER(ctypes.c_uint8))
    declare("tally_run", status, handle, handle, handle, out)
    declare("tally_result_free", None, handle)
    declare("tally_result_messages", handle, handle)
    declare("tally_result_total", c_str, handle)
    declare("tally_result_currency", c_str, handle)
    declare("tally_result_row_count", size_t, handle, ctypes.c_int)
    declare("tally_result_cell", status, handle, ctypes.c_int, size_t, size_t,
            ctypes.POINTER(c_str))
    return lib


class TallyError(Exception):
    pass


class Tally:
    """A thin layer that turns statuses into exceptions and frees handles."""

    def __init__(self, lib):
        self.lib = lib
        if lib.tally_abi_version() != TALLY_ABI_VERSION:
            raise TallyError(f"libtally has ABI {lib.tally_abi_version()}, "
                             f"this program needs {TALLY_ABI_VERSION}")
        self.engine = self.new("tally_engine_new")

    def new(self, function, *args):
        out = handle()
        self.check(getattr(self.lib, function)(*args, ctypes.byref(out)))
        return out

    def check(self, code, messages=None):
        if code == TALLY_OK:
            return
        name = self.lib.tally_status_name(code).decode()
        text = self.messages(messages) if messages else self.lib.tally_last_error().decode()
        raise TallyError(f"{name}:\n{text}")

    def messages(self, messages):
        lines = []
        for i in range(self.lib.tally_messages_count(messages)):
            text = c_str()
            self.lib.tally_message_text(messages, i, TALLY_MESSAGE_RENDERED, ctypes.byref(text))
            lines.append(text.value.decode())
        return "\n".join(lines)

    def compile(self, function, *args):
        """A plan handle; the caller frees it with tally_plan_free."""
        plan = handle()
        code = getattr(self.lib, function)(self.engine, *args, ctypes.byref(plan))
        if code != TALLY_OK:
            text = self.messages(self.lib.tally_plan_messages(plan))
            self.lib.tally_plan_free(plan)
            raise TallyError(text)
        return plan

    def run(self, plan, options):
        """Payout rows [(payee, period, component, amount)] and (total, currency)."""
        result = handle()
        code = self.lib.tally_run(self.engine, plan, options, ctypes.byref(result))
        try:
            self.check(code, self.lib.tally_result_messages(result))
            rows = []
            for row in range(self.lib.tally_result_row_count(result, TALLY_TABLE_PAYOUTS)):
                cells = []
                for column in range(4):
                    cell = c_str()
                    self.check(self.lib.tally_result_cell(result, TALLY_TABLE_PAYOUTS, row,
                                                          column, ctypes.byref(cell)))
                    cells.append(cell.value.decode())
                rows.append(tuple(cells))
            total = self.lib.tally_result_total(result).decode()
            currency = self.lib.tally_result_currency(result).decode()
            return rows, (total, currency)
        finally:
            self.lib.tally_result_free(result)

    def close(self):
        self.lib.tally_engine_free(self.engine)


def print_payouts(rows):
    for payee, period, component, amount in rows:
        print(f"  {payee:<6} {period:<8} {component:<16} {amount:>12}")


PLAN = """plan "In-memory example" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  rep: payee
  amount: money
  closed: date
}

roster reps {
  id: text key
  role: text
}

credit sold from deals on deal.closed {
  deal.rep gets 100%
}

measure bookings: money = sum(credit.amount)

payout commission = 10% * bookings
"""

# The deals, as a host holds them: plain Python lists.
DEALS = {
    "id": ["D1", "D2", "D3"],
    "rep": ["ann", "ann", "bob"],
    "amount": [Decimal("12000.00"), Decimal("550.25"), Decimal("3000.00")],
    "closed": [datetime.date(2026, 2, 10), datetime.date(2026, 3, 31), datetime.date(2026, 5, 1)],
}
REPS = {"id": ["ann", "bob"], "role": ["AE", "AE"]}


def text_column(values):
    return (c_str * len(values))(*[v.encode() for v in values])


def add_columns(tally, options):
    """The lists as typed columns. ctypes arrays are kept alive in `keep`:
    the engine reads them during the run without copying them first."""
    lib, keep = tally.lib, []
    for source, table in (("deals", DEALS), ("reps", REPS)):
        for field in ("id", "rep", "role"):
            if field in table:
                keep.append(text_column(table[field]))
                tally.check(lib.tally_options_column_text(
                    options, source.encode(), field.encode(), keep[-1], len(keep[-1]), None))
    cents = (ctypes.c_int64 * 3)(*[int(a * 100) for a in DEALS["amount"]])
    epoch = datetime.date(1970, 1, 1)
    days = (ctypes.c_int32 * 3)(*[(d - epoch).days for d in DEALS["closed"]])
    keep += [cents, days]
    tally.check(lib.tally_options_column_decimal(options, b"deals", b"amount", cents, 2, 3, None))
    tally.check(lib.tally_options_column_date(options, b"deals", b"closed", days, 3, None))
    return keep


def expected_total():
    """10% of each rep's bookings per quarter, rounded half-even to cents."""
    bookings = {}
    for rep, amount, closed in zip(DEALS["rep"], DEALS["amount"], DEALS["closed"]):
        quarter = (rep, closed.year, (closed.month - 1) // 3)
        bookings[quarter] = bookings.get(quarter, Decimal(0)) + amount
    cent = Decimal("0.01")
    return sum((Decimal("0.10") * b).quantize(cent, ROUND_HALF_EVEN) for b in bookings.values())


def main(argv):
    if len(argv) not in (3, 4):
        print(f"usage: {argv[0]} PLAN DATA_DIR [LIBRARY]", file=sys.stderr)
        return 2
    plan_path, data_dir = argv[1], argv[2]
    library = argv[3] if len(argv) == 4 else (os.environ.get("TALLY_LIBRARY")
                                              or ctypes.util.find_library("tally"))
    if not library:
        print("libtally not found: give its path or set TALLY_LIBRARY", file=sys.stderr)
        return 1
    tally = Tally(load(library))
    print(f"Tally {tally.lib.tally_version().decode()}")
    plans, options = [], []
    try:
        # 1. A plan file over a folder of CSV files.
        plans.append(tally.compile("tally_compile_file", plan_path.encode()))
        options.append(tally.new("tally_options_new"))
        tally.check(tally.lib.tally_options_set_data_dir(options[-1], data_dir.encode()))
        name = tally.lib.tally_plan_name(plans[-1]).decode()
        print(f"{name} over {data_dir}:")
        rows, (total, currency) = tally.run(plans[-1], options[-1])
        print_payouts(rows)
        print(f"Total paid: {total} {currency}")

        # 2. A plan of our own over Python lists.
        plans.append(tally.compile("tally_compile", PLAN.encode(), b"in_memory.tally", None))
        options.append(tally.new("tally_options_new"))
        keep = add_columns(tally, options[-1])
        print("In-memory example over Python lists:")
        rows, (total, currency) = tally.run(plans[-1], options[-1])
        del keep  # the run is over: the arrays may go
        print_payouts(rows)
        expected = expected_total()
        if Decimal(total) != expected:
            print(f"Total paid: {total} {currency}, but {expected} was expected", file=sys.stderr)
            return 1
        print(f"Total paid: {total} {currency} (checked)")
        return 0
    except TallyError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        for o in options:
            tally.lib.tally_options_free(o)
        for p in plans:
            tally.lib.tally_plan_free(p)
        tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
