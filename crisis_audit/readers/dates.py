"""Dates as people and scheduling tools write them, normalised to ``YYYY-MM-DD[THH:MM]``.

Read: ISO (``2020-03-20``, ``2020-03-20 18:00``, ``2020-03-20T18:00:00Z``), ``YYYY/MM/DD``
(Publer), ``dd/mm/yyyy`` and ``mm/dd/yyyy`` with ``/`` or ``-`` (2- or 4-digit years),
``dd.mm.yyyy`` (German and some French exports; always day-first), each optionally followed by
a time ``HH:MM``, ``HH:MM:SS``, ``18h30``, ``6:08 PM`` (separated by a space, ``T``, ``,``,
`` à `` or `` at ``); a separate time column (Sprout ``time_24hr``, Metricool ``Time``); and
Excel cells (datetime, date, time, or a serial number). Seconds and time zones are dropped:
no scheduling tool stores a zone in the row, and the phase of a post depends on its day.

Slash dates are ambiguous (``03/04/2026`` is March in Hootsuite and Meta exports, April in
French files), so the order is decided ONCE for a whole column by `decide_order`, which says
why, and `parse_date` applies it. A date that does not fit the decided order is an error for
that row, never silently read the other way round.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
ORDER_NAMES = {DAY_FIRST: "day-first (dd/mm/yyyy)", MONTH_FIRST: "month-first (mm/dd/yyyy)"}

_NUMERIC_DATE = re.compile(
    r"^\s*(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})"
    r"(?:(?:[Tt]|\s*,\s*|\s+(?:à|a|at)\s+|\s+)(?P<time>\S.*?))?\s*$"
)
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:(?P<sep>[:hH])(?P<m>\d{2})?(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<ampm>[aApP]\.?\s?[mM]\.?)?\s*(?P<tz>[zZ]|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class DateOrder:
    """How ambiguous dates of one column are read, and why (shown to the user).

    `order` is ``dmy``, ``mdy``, or None when the column holds no ambiguous date.
    `strptime` is a user-given format tried before everything else.
    """

    order: str | None
    reason: str
    strptime: str | None = None

    def describe(self) -> str:
        """One phrase for the layout line, e.g. ``dates day-first (dd/mm/yyyy): …``."""
        if self.strptime:
            return f"dates {self.strptime!r} ({self.reason})"
        if self.order is None:
            return f"dates {self.reason}"
        return f"dates {ORDER_NAMES[self.order]}: {self.reason}"


UNAMBIGUOUS = DateOrder(None, "unambiguous (ISO or year first)")


def parse_date_option(value: str | None) -> tuple[str | None, str | None]:
    """``--date-format`` as (order, strptime format); raise ValueError if it is neither."""
    if not value:
        return None, None
    key = value.strip().lower().replace("/", "").replace("-", "")
    if key in ("dmy", "ddmmyyyy", "daymonthyear", "jma", "jjmmaaaa"):
        return DAY_FIRST, None
    if key in ("mdy", "mmddyyyy", "monthdayyear"):
        return MONTH_FIRST, None
    if "%" in value:
        return None, value
    raise ValueError(
        f"unknown date format {value!r}: use dmy, mdy or a strptime format like %d/%m/%Y"
    )


def decide_order(
    values: Iterable[tuple[str, object]],
    explicit: str | None = None,
    hint: tuple[str, str] | None = None,
) -> DateOrder:
    """Decide day-first or month-first for a whole column of ``(where, value)`` pairs.

    Evidence comes first: a first part > 12 means day-first, a second part > 12 month-first.
    An explicit ``--date-format`` wins (it is the user's word) but the reason mentions any
    evidence against it. With no evidence either way: the layout's `hint` (order, why), else
    day-first, the convention of the French-speaking users this tool is for.
    """
    order, strptime = parse_date_option(explicit)
    if strptime:
        return DateOrder(None, "--date-format", strptime)
    evidence: dict[str, list[tuple[str, str]]] = {DAY_FIRST: [], MONTH_FIRST: []}
    ambiguous = False
    for where, value in values:
        parts = _ambiguous_parts(value)
        if parts is None:
            continue
        ambiguous = True
        first, second = parts
        if first > 12 >= second:
            evidence[DAY_FIRST].append((where, str(value).strip()))
        elif second > 12 >= first:
            evidence[MONTH_FIRST].append((where, str(value).strip()))
    day, month = evidence[DAY_FIRST], evidence[MONTH_FIRST]
    if order:
        against = month if order == DAY_FIRST else day
        reason = f"--date-format {explicit}"
        if against:
            where, value = against[0]
            reason += f", although {value!r} ({where}) does not fit it"
        return DateOrder(order, reason)
    if day and month:
        chosen, other = (day, month) if len(day) >= len(month) else (month, day)
        return DateOrder(
            DAY_FIRST if chosen is day else MONTH_FIRST,
            f"mixed column, {len(chosen)} dates like {chosen[0][1]!r} ({chosen[0][0]}) against "
            f"{len(other)} like {other[0][1]!r} ({other[0][0]}); the minority is reported",
        )
    if day:
        where, value = day[0]
        return DateOrder(DAY_FIRST, f"{value!r} ({where}) has a day > 12")
    if month:
        where, value = month[0]
        return DateOrder(MONTH_FIRST, f"{value!r} ({where}) has a day > 12 in second place")
    if not ambiguous:
        return UNAMBIGUOUS
    if hint:
        return DateOrder(hint[0], f"no day > 12 in the column; {hint[1]} (else use --date-format)")
    return DateOrder(
        DAY_FIRST, "no day > 12 in the column; assumed (use --date-format mdy if wrong)"
    )


def _ambiguous_parts(value: object) -> tuple[int, int] | None:
    """The first two numbers of a ``nn/nn/yyyy`` or ``nn-nn-yyyy`` string, else None."""
    if not isinstance(value, str):
        return None
    m = _NUMERIC_DATE.match(value)
    if not m or len(m["a"]) > 2 or m["sep"] == "." or len(m["c"]) not in (2, 4):
        return None
    return int(m["a"]), int(m["b"])


def looks_like_date(value: object) -> bool:
    """Whether a cell holds a date in any supported form (used to spot header-less files)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    if not isinstance(value, str) or not _NUMERIC_DATE.match(value):
        return False
    return any(_try_parse(value, order) for order in (DAY_FIRST, MONTH_FIRST))


def _try_parse(value: object, order: str) -> bool:
    try:
        parse_date(value, DateOrder(order, ""))
    except ValueError:
        return False
    return True


def parse_date(value: object, order: DateOrder = UNAMBIGUOUS) -> str | None:
    """One date cell as ISO; None for a blank cell; ValueError naming the value otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return _iso(value.date(), value.time() if value.time() != dt.time(0, 0) else None)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        raise ValueError(f"a time ({value:%H:%M}) where a date was expected")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_excel_serial(value)
    return _parse_text(str(value).strip(), order)


@lru_cache(maxsize=4096)
def _parse_text(text: str, order: DateOrder) -> str:
    """`parse_date` for text; cached, since a calendar repeats the same few dates."""
    if order.strptime:
        try:
            parsed = dt.datetime.strptime(text, order.strptime)
        except ValueError:
            pass
        else:
            has_time = any(code in order.strptime for code in ("%H", "%I", "%M"))
            return _iso(parsed.date(), parsed.time() if has_time else None)
    m = _NUMERIC_DATE.match(text)
    if not m:
        raise ValueError(f"cannot read date {text!r}")
    a, b, c = m["a"], m["b"], m["c"]
    if len(a) == 4 and len(c) <= 2:
        year, month, day = int(a), int(b), int(c)
        how = ""
    elif len(a) <= 2 and len(c) in (2, 4):
        year = int(c) + (2000 if len(c) == 2 else 0)
        day_first = m["sep"] == "." or order.order != MONTH_FIRST
        day, month = (int(a), int(b)) if day_first else (int(b), int(a))
        how = " as dd/mm/yyyy" if day_first else " as mm/dd/yyyy"
    else:
        raise ValueError(f"cannot read date {text!r}")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"cannot read date {text!r}{how}") from None
    try:
        clock = parse_time(m["time"]) if m["time"] else None
    except ValueError:
        raise ValueError(f"cannot read the time in {text!r}") from None
    return _iso(date, clock)


def parse_time(value: object) -> dt.time | None:
    """A time cell (``18:30``, ``18:30:00``, ``18h30``, ``6:30 PM``, Excel time); None if blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = str(value).strip()
    m = _TIME.match(text)
    if not m or not (m["sep"] or m["ampm"]):
        raise ValueError(f"cannot read time {text!r}")
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(f"cannot read time {text!r}")
        hour = hour % 12 + (12 if m["ampm"][0] in "pP" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"cannot read time {text!r}")
    return dt.time(hour, minute)


def with_time(date_iso: str | None, value: object) -> str | None:
    """Add a separate time cell (Sprout ``time_24hr``, Metricool ``Time``) to an ISO date."""
    clock = parse_time(value)
    if date_iso is None or clock is None:
        return date_iso
    return _iso(dt.date.fromisoformat(date_iso[:10]), clock)


def _iso(date: dt.date, clock: dt.time | None) -> str:
    return f"{date.isoformat()}T{clock:%H:%M}" if clock is not None else date.isoformat()


def _from_excel_serial(value: float) -> str:
    """A date cell Excel kept as a number (a cell formatted as number, not date)."""
    if not 10_000 <= value < 100_000:  # 1927 .. 2173: anything else is not a date
        raise ValueError(f"cannot read date {value!r} (a number, not a date)")
    moment = _EXCEL_EPOCH + dt.timedelta(days=float(value))
    moment = moment.replace(second=0, microsecond=0)
    return _iso(moment.date(), moment.time() if value % 1 else None)
