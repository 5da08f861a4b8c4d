"""Test files too large to commit, generated at test time with their
expectations inline (the same comments as the committed corpus). Each
function returns (relative name, text); the expected values are worked out
here in Python, independently of Tally."""

HEADER = """plan "Generated" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  amount: money
}

roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}
"""


def ten_thousand_lines():
    """A plan of more than 10,000 lines: 2,000 groups of a rate, a threshold,
    a measure, a payout and a blank line, every value used and checked."""
    lines = HEADER.splitlines()
    group = 0
    while len(lines) < 10_000:
        # rate_i = (i mod 20 + 1) / 4 percent, written as a percent literal.
        quarters = group % 20 + 1
        percent = f"{quarters // 4}.{(quarters % 4) * 25:02d}".rstrip("0").rstrip(".")
        threshold = (group * 37) % 1000 * 100
        lines.append(f"let rate_{group}: percent = {percent}%  // expect: {percent}%")
        lines.append(f"let floor_{group} = {threshold:_} USD + {group} USD"
                     f"  // expect: {threshold + group}.00 USD")
        lines.append(f"measure big_{group}: money = sum(credit.amount where "
                     f"deal.amount >= floor_{group})")
        lines.append(f"payout pay_{group} for role == \"AE\" = rate_{group} * big_{group}")
        lines.append("")
        group += 1
    return "generated/ten_thousand_lines.tally", "\n".join(lines) + "\n"


def deep_parentheses(depth, ok):
    """`let deep = ((((1))))` nested `depth` times. The whole expression
    counts as one level of the 256, so 255 parentheses are accepted; with 257
    the error points at what starts level 257, the 257th "(" (column 268)."""
    text = "let deep = " + "(" * depth + "1" + ")" * depth
    if ok:
        text += "  // expect: 1\n"
    else:
        # The 257th level is the 257th "(" (column 12 is the first one).
        text += f"\n// expect-error: 1:{12 + 256} expression nested too deeply (limit 256)\n"
    return f"generated/parentheses_{depth}.tally", text


def long_sum(terms, ok):
    """`1 + 1 + ... + 1`: a left-leaning tree as high as it is long, accepted
    up to 1,000 levels of operators."""
    text = "let total = " + " + ".join(["1"] * terms)
    if ok:
        text += f"  // expect: {terms}\n"
    else:
        # The node that passes the limit is the 1,000th "+" whose tree is
        # 1,001 high; the error points at the start of that sum: column 13.
        text += ("\n// expect-error: 1:13 expression too complex (more than 1000 levels of "
                 "operators); split it with let\n")
    return f"generated/sum_of_{terms}.tally", text


def too_many_syntax_errors():
    """101 broken declarations: the parser reports the first 100, then says
    it stopped, at the start of the 101st."""
    lines = ["// fmt: skip"]
    for number in range(2, 103):
        if number <= 101:
            lines.append(f'payot p{number} = 1  // expect-error: :1 unknown declaration "payot"; '
                         f'did you mean "payout"?')
        else:
            lines.append("payot last = 1  // expect-error: :1 too many syntax errors; stopped after 100")
    return "generated/too_many_errors.tally", "\n".join(lines) + "\n"


def chain_of_lets(length):
    """`let v1 = v0 + 1`, ... each value defined by the one before it, but
    written in reverse order: the checker must not recurse once per link."""
    lines = []
    lines.append(f"let v{length} = v{length - 1} + 1  // expect: {length}")
    for i in range(length - 1, 0, -1):
        lines.append(f"let v{i} = v{i - 1} + 1")
    lines.append("let v0 = 0")
    return f"generated/chain_of_{length}_lets.tally", "\n".join(lines) + "\n"


def many_exceptions(count):
    """One `unless` with `count` exceptions that all apply: the last one wins."""
    exceptions = " ".join(f"unless true then {i}" for i in range(1, count + 1))
    return (f"generated/unless_{count}_exceptions.tally",
            f"let x = 0 {exceptions}  // expect: {count}\n")


def all_generated():
    return [
        ten_thousand_lines(),
        deep_parentheses(255, ok=True),
        deep_parentheses(257, ok=False),
        long_sum(1000, ok=True),
        long_sum(1001, ok=False),
        too_many_syntax_errors(),
        chain_of_lets(100_000),
        many_exceptions(20_000),
    ]
