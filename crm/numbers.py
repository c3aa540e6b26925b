"""The one strict reading of whole numbers from the outside world (query strings, paths, bodies).

`str.isdigit()` is True for "²", which `int()` then refuses; `int()` itself takes "١٢"
(Arabic-Indic digits), "1_000", " 12 ", "+5", and numbers of any size, which the database cannot
hold (SQLite raises OverflowError, PostgreSQL an out-of-range error: a 500 either way). Every
id and number the API reads goes through `parse_int`: ASCII digits only, a sign only where
negative values make sense, and within the 64-bit signed range of the id columns (or tighter
bounds given by the caller).
"""

import re

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_UNSIGNED = re.compile(r"[0-9]{1,19}\Z")  # [0-9] is ASCII only; \Z refuses a trailing newline
_SIGNED = re.compile(r"-?[0-9]{1,19}\Z")


def parse_int(
    raw: object,
    *,
    minimum: int = 0,
    maximum: int = INT64_MAX,
) -> int:
    """`raw` (a str of ASCII digits, or an int from a JSON body) as an int within
    [`minimum`, `maximum`], both inside the 64-bit signed range; ValueError otherwise.

    A leading "-" is read only when `minimum` is negative; booleans, floats, "+1", " 1",
    "1.0", "1e3" and non-ASCII digits are all refused.
    """
    minimum, maximum = max(minimum, INT64_MIN), min(maximum, INT64_MAX)
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and (_SIGNED if minimum < 0 else _UNSIGNED).match(raw):
        value = int(raw)
    else:
        raise ValueError(raw)
    if not minimum <= value <= maximum:
        raise ValueError(raw)
    return value


def is_id(raw: object) -> bool:
    """True when `raw` can be a row id (1 to 2**63 - 1)."""
    try:
        parse_int(raw, minimum=1)
    except ValueError:
        return False
    return True
