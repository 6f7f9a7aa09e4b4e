"""Due dates as people write them, and dates as Japanese offices print them.

``parse_due(text, today=...)`` returns the last day by which something is due,
or raises :class:`DueDateError` with a message a clerk understands. It never
guesses and never falls back to today's date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .errors import DueDateError

__all__ = ["ERAS", "parse_due", "format_wareki", "fiscal_year_end", "add_years"]

#: (name, abbreviation, first day); a date belongs to the last era that began on or before it.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("明治", "M", dt.date(1868, 1, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("令和", "R", dt.date(2019, 5, 1)),
)

_WAREKI = re.compile(r"^(?P<era>明治|大正|昭和|平成|令和)(?P<y>\d+|元)年(?P<m>\d+)月(?P<d>\d+)日$")
_FY_END = re.compile(r"^(?P<era>明治|大正|昭和|平成|令和)(?P<y>\d+|元)年度末?$")


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(まで(に)?|迄)$", "", text)


def _era_year(era: str, year: str) -> int:
    start = next(s for name, _, s in ERAS if name == era)
    return start.year + (1 if year == "元" else int(year)) - 1


def _make_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DueDateError("error.due_date.nonexistent", text=text) from None


def fiscal_year_end(day: dt.date) -> dt.date:
    """The 31 March closing the fiscal year (April–March) that contains *day*."""
    return dt.date(day.year + (1 if day.month >= 4 else 0), 3, 31)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day *years* later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def parse_due(text: str | dt.date, *, today: dt.date) -> dt.date:
    """The last day by which *text* says a thing is due."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    original = str(text)
    s = _normalize(original)
    if not s:
        raise DueDateError(text=original, hint="error.due_date.hint")
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    if m := _WAREKI.match(s):
        return _make_date(original, _era_year(m["era"], m["y"]), int(m["m"]), int(m["d"]))
    if m := _FY_END.match(s):
        return dt.date(_era_year(m["era"], m["y"]) + 1, 3, 31)
    if s in ("年度末", "今年度末"):
        return fiscal_year_end(today)
    raise DueDateError(text=original, hint="error.due_date.hint")


def format_wareki(day: dt.date) -> str:
    """令和3年3月31日 for 2021-03-31; 元年 for an era's first year."""
    for name, _, start in reversed(ERAS):
        if day >= start:
            year = day.year - start.year + 1
            shown = "元" if year == 1 else str(year)
            return f"{name}{shown}年{day.month}月{day.day}日"
    return day.isoformat()
