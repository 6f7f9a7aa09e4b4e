"""Japanese business days: weekends, national holidays and the municipal closure.

Named ``business_calendar`` so it never shadows the standard library's
``calendar`` (dateparser imports that). A day is closed when it is a weekend
day, a national holiday (祝日・振替休日・国民の休日, from jpholiday), one of the
office's annual closure days (年末年始 12/29–1/3 by default) or a one-off closed
date; an explicit open date overrides all of these. Reminders are only ever
planned for business days.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["YEAR_END_CLOSURE", "BusinessCalendar"]

#: 年末年始: the days a Japanese municipal office is shut every year (地方自治法 and most 条例).
YEAR_END_CLOSURE: tuple[tuple[int, int], ...] = (
    (12, 29),
    (12, 30),
    (12, 31),
    (1, 1),
    (1, 2),
    (1, 3),
)


@lru_cache(maxsize=256)
def _national_holidays(year: int) -> frozenset[dt.date]:
    """jpholiday asked day by day: its per-year listing is ten times slower."""
    import jpholiday

    day, found = dt.date(year, 1, 1), set()
    while day.year == year:
        if jpholiday.is_holiday(day):
            found.add(day)
        day += dt.timedelta(days=1)
    return frozenset(found)


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days the office works; every field can be configured."""

    #: (month, day) closed every year
    closures: tuple[tuple[int, int], ...] = YEAR_END_CLOSURE
    #: one-off closed dates (a municipal holiday, a system shutdown day)
    closed_dates: frozenset[dt.date] = frozenset()
    #: one-off open dates that would otherwise be closed (a Saturday election count)
    open_dates: frozenset[dt.date] = frozenset()
    #: weekday numbers (Monday = 0) that are closed
    weekend: frozenset[int] = frozenset({5, 6})
    #: whether national holidays (jpholiday) are closed
    national_holidays: bool = True
    _years: dict[int, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def from_spec(cls, spec: str, **kwargs: object) -> BusinessCalendar:
        """Annual and one-off closures from text, e.g. ``"12/29-1/3, 5/14, 2021-08-13"``.

        ``M/D`` is closed every year, ``M/D-M/D`` is a span (it may wrap over New Year),
        an ISO date is closed once; ``none`` (or an empty text) means no closure days.
        """
        annual: list[tuple[int, int]] = []
        once: set[dt.date] = set()
        for item in (p.strip() for p in re.split(r"[,、\s]+", spec or "") if p.strip()):
            if item.lower() == "none":
                continue
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", item):
                once.add(dt.date.fromisoformat(item))
                continue
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:-(\d{1,2})/(\d{1,2}))?", item)
            if m is None:
                raise ValueError(f"not a closure day or span: {item!r}")
            first = (int(m[1]), int(m[2]))
            last = (int(m[3]), int(m[4])) if m[3] else first
            annual.extend(_span(first, last))
        return cls(closures=tuple(annual), closed_dates=frozenset(once), **kwargs)  # type: ignore[arg-type]

    # -- one day ---------------------------------------------------------

    def closure(self, day: dt.date) -> str | None:
        """Why *day* is closed (``weekend``, ``holiday``, ``closure``), or None on a business day."""
        if day in self.open_dates:
            return None
        if day in self.closed_dates or (day.month, day.day) in self.closures:
            return "closure"
        if self.national_holidays and day in _national_holidays(day.year):
            return "holiday"
        if day.weekday() in self.weekend:
            return "weekend"
        return None

    def holiday_name(self, day: dt.date) -> str | None:
        """The national holiday's Japanese name (憲法記念日), if *day* is one."""
        import jpholiday

        return jpholiday.is_holiday_name(day)

    def is_business_day(self, day: dt.date) -> bool:
        return self.closure(day) is None

    # -- moving between business days ----------------------------------

    def next_business_day(self, day: dt.date) -> dt.date:
        """The first business day strictly after *day*."""
        return self.roll_forward(day + dt.timedelta(days=1))

    def previous_business_day(self, day: dt.date) -> dt.date:
        """The last business day strictly before *day*."""
        return self.roll_back(day - dt.timedelta(days=1))

    def roll_forward(self, day: dt.date) -> dt.date:
        """*day* if it is a business day, else the next one."""
        for _ in range(366):
            if self.is_business_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no business day within a year: check the calendar's closures")

    def roll_back(self, day: dt.date) -> dt.date:
        """*day* if it is a business day, else the one before."""
        for _ in range(366):
            if self.is_business_day(day):
                return day
            day -= dt.timedelta(days=1)
        raise ValueError("no business day within a year: check the calendar's closures")

    def add_business_days(self, day: dt.date, n: int) -> dt.date:
        """The *n*-th business day after *day* (before it when *n* is negative); *day* itself if 0."""
        if n == 0:
            return day
        year, table = day.year, self._year(day.year)
        index = day.timetuple().tm_yday - 1
        if n > 0:
            target = table[index] + n  # the rank, within *year*, of the day we want
            for _ in range(_MAX_YEARS):
                if target <= table[-1]:
                    break
                target -= table[-1]
                year += 1
                table = self._year(year)
        else:
            target = table[index] - self.is_business_day(day) + n + 1
            for _ in range(_MAX_YEARS):
                if target >= 1:
                    break
                year -= 1
                table = self._year(year)
                target += table[-1]
        if not 1 <= target <= table[-1]:
            raise ValueError("no business day within a century: check the calendar's closures")
        return dt.date(year, 1, 1) + dt.timedelta(days=bisect_left(table, target))

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days in (start, end]; negative when *end* is before *start*.

        So ``business_days_between(d, add_business_days(d, n)) == n`` for a business day d
        (and for any day when n >= 0): counting back from a closed day starts a day short.
        """
        if end < start:
            return -self.business_days_between(end, start)
        first, last = self._year(start.year), self._year(end.year)
        at_start = first[start.timetuple().tm_yday - 1]
        at_end = last[end.timetuple().tm_yday - 1]
        if start.year == end.year:
            return at_end - at_start
        between = sum(self._year(y)[-1] for y in range(start.year + 1, end.year))
        return first[-1] - at_start + between + at_end

    def business_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Every business day from *start* to *end*, both included."""
        day = start
        while day <= end:
            if self.is_business_day(day):
                yield day
            day += dt.timedelta(days=1)

    # -- counting ------------------------------------------------------

    def _year(self, year: int) -> tuple[int, ...]:
        """Running count of business days in *year*, one entry per day."""
        found = self._years.get(year)
        if found is None:
            count, running = 0, []
            day = dt.date(year, 1, 1)
            while day.year == year:
                count += self.is_business_day(day)
                running.append(count)
                day += dt.timedelta(days=1)
            found = self._years[year] = tuple(running)
        return found


_MAX_YEARS = 100


def _span(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (month, day) from *first* to *last*, wrapping over New Year (leap year for 2/29)."""
    start = dt.date(2000 if first <= last else 1999, *first)
    end = dt.date(2000, *last)
    days = []
    while start <= end:
        days.append((start.month, start.day))
        start += dt.timedelta(days=1)
    return days
