"""Due dates as people write them, and dates as Japanese offices print them.

``parse_due(text, today=...)`` returns the last day by which something is due,
or raises :class:`DueDateError` with a message a clerk understands. It never
guesses and never falls back to today's date.

How a text is read, in order:

1. Clean-up: NFKC (full-width digits and brackets), kanji numerals
   (令和三年三月三十一日), a bracketed weekday or note (``(月曜日)``, ``(必着)``,
   never checked against the date), a time (``午後5時30分～7時40分``, ``17:00``),
   the words around a deadline (``期限:``, ``まで``, ``までに``, ``迄``, ``必着``, ``頃``).
2. Japanese administrative forms, ours: 和暦 (five modern eras, 元年, ``R3.3.31``,
   Heisei running on past its end as the government accepts), 年度 and its halves
   and quarters, 月末・上旬・中旬・下旬, relative forms (来月末, 来週金曜, 2週間後,
   10日以内, 5営業日以内), a day alone (20日), ranges (…から…まで, …～…) whose end
   is due, and open starts (…以降, …から) whose start is the date meant.
3. English forms, ours: "end of March", "next Friday", "in 2 weeks", "FY2021".
4. Whatever is left goes to dateparser (imported only then: it is slow to load).

A period named without a year (``3月末``, ``第1四半期``, ``20日``) is the next such
period that has not ended on ``today``; a full date may lie in the past (the item
is then overdue on arrival).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from .errors import DueDateError

__all__ = [
    "ERAS",
    "parse_due",
    "format_wareki",
    "fiscal_year",
    "fiscal_year_start",
    "fiscal_year_end",
    "add_years",
    "add_months",
]

#: (name, abbreviation, first day); a date belongs to the last era that began on or before it.
ERAS: tuple[tuple[str, str, dt.date], ...] = (
    ("明治", "M", dt.date(1868, 1, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("令和", "R", dt.date(2019, 5, 1)),
)

_ERA_LOOKUP: dict[str, tuple[str, dt.date]] = {}
for _name, _abbr, _start in ERAS:
    _ERA_LOOKUP[_name] = _ERA_LOOKUP[_abbr] = (_name, _start)

_HINT = "error.due_date.hint"


# -- small date arithmetic (also used by the tracker) ------------------------------------------


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (April–March) containing *day*, named by the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(day: dt.date) -> dt.date:
    """The 1 April opening the fiscal year that contains *day*."""
    return dt.date(fiscal_year(day), 4, 1)


def fiscal_year_end(day: dt.date) -> dt.date:
    """The 31 March closing the fiscal year (April–March) that contains *day*."""
    return dt.date(fiscal_year(day) + 1, 3, 31)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day *years* later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day *months* later, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _month_last(year, month + 1)))


def format_wareki(day: dt.date) -> str:
    """令和3年3月31日 for 2021-03-31; 元年 for an era's first year."""
    for name, _, start in reversed(ERAS):
        if day >= start:
            year = day.year - start.year + 1
            shown = "元" if year == 1 else str(year)
            return f"{name}{shown}年{day.month}月{day.day}日"
    return day.isoformat()


# -- the parser --------------------------------------------------------------------------------


class _Period(NamedTuple):
    """The days an expression names; the due date is its end."""

    start: dt.date
    end: dt.date


class _Unread(Exception):
    """No rule of this family reads the text (the next family may)."""


def parse_due(text: str | dt.date, *, today: dt.date) -> dt.date:
    """The last day by which *text* says a thing is due (see the module docstring)."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if isinstance(today, dt.datetime):
        today = today.date()
    raw = str(text)
    cleaned = _clean(raw)
    if not cleaned:
        raise DueDateError(text=raw, hint=_HINT)
    for candidate in (unicodedata.normalize("NFKC", raw).strip(), cleaned):
        try:
            return dt.datetime.fromisoformat(candidate).date()
        except ValueError:
            pass
    compact = _strip_affixes(re.sub(r"\s+", "", cleaned))
    if _NEXT_MEETING.match(compact):
        raise DueDateError("error.due_date.next_meeting", text=raw)
    reading = _Reading(raw, today)
    for family in (reading.japanese, reading.english):
        try:
            return family(cleaned, compact)
        except _Unread:
            continue
    found = _dateparser(cleaned, today)
    if found is None:
        raise DueDateError(text=raw, hint=_HINT)
    return found


# -- clean-up ----------------------------------------------------------------------------------

_KANJI_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_KANJI_DIGIT.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}
_KANJI_RUN = re.compile("[〇零一二三四五六七八九十百千]+")
_BRACKETED = re.compile(r"[(\[【〔「『]([^()\[\]【】〔〕「」『』]*)[)\]】〕」』]")
_AMPM = r"(?:午前|午後|AM|PM|am|pm|a\.m\.|p\.m\.)"
_CLOCK = rf"(?:{_AMPM}\s*)?\d{{1,2}}\s*(?:時(?:\s*\d{{1,2}}\s*分|半)?|:\d{{2}}(?::\d{{2}})?(?:\s*{_AMPM})?|{_AMPM})"
_TIME = re.compile(rf"\s*(?:正午|{_CLOCK})(?:\s*[~〜-]\s*(?:正午|{_CLOCK}))?(?:頃|ごろ)?")


def _kanji_number(run: str) -> str:
    if not any(ch in _KANJI_UNIT for ch in run):
        return "".join(str(_KANJI_DIGIT[ch]) for ch in run)
    total, digit = 0, None
    for ch in run:
        if ch in _KANJI_DIGIT:
            digit = _KANJI_DIGIT[ch]
        else:
            total += (1 if digit is None else digit) * _KANJI_UNIT[ch]
            digit = None
    return str(total + (digit or 0))


def normalize_numerals(text: str) -> str:
    """Kanji numerals as digits (令和三年度第二回 → 令和3年度第2回); the rest unchanged."""
    return _KANJI_RUN.sub(lambda m: _kanji_number(m.group()), text)


def _clean(raw: str) -> str:
    s = unicodedata.normalize("NFKC", raw).replace("〜", "~").strip().strip("「」『』\"'")
    s = s.replace("四半期", "\0")
    s = _KANJI_RUN.sub(lambda m: _kanji_number(m.group()), s).replace("\0", "四半期")
    # 元年 / R元.5.1: the era's first year (the era checks below still apply).
    s = re.sub(r"(?<=[和成治正RHSTMrhstm])\s*元(?=\s*[年./-])", "1", s)
    # A bracketed weekday or note says nothing about the date: drop it, never check it.
    s = _BRACKETED.sub(lambda m: "" if not re.search(r"\d", m.group(1)) else m.group(), s)
    s = re.sub(r"(?<=\d日)[月火水木金土日]曜日?", "", s)
    s = _TIME.sub(" ", s) if re.search(r"\d\s*(?:時|:\d|[ap]\.?m|[AP]M)|正午", s) else s
    return s.strip(" \t\r\n、。,.")


_PREFIX = re.compile(
    r"^(?:(?:提出|報告|回答|履行)?(?:期限|期日|締切り?|締め切り|〆切り?|納期)日?(?:は|:)?"
    r"|遅くとも|原則(?:として)?)"
)
_SUFFIX = re.compile(
    r"(?:までの間|までに|迄に|まで|迄|必着|厳守|頃|ごろ|ころ|を目途に|を目処に|をめどに|目途|目処|めど"
    r"|を期限とする|を期限に|を期限|の予定|予定|に提出|提出|に|、|。)$"
)


def _strip_affixes(s: str) -> str:
    s = _PREFIX.sub("", s)
    while True:
        stripped = _SUFFIX.sub("", s)
        if stripped == s or not stripped:
            return s
        s = stripped


_NEXT_MEETING = re.compile(
    r"^(?:next_meeting|次回(?:の)?(?:審議会|会議|委員会|開催)(?:時|の際|開催時)?(?:に報告)?)$"
)


# -- Japanese forms ----------------------------------------------------------------------------

_ERA_RE = r"(?P<era>令和|平成|昭和|大正|明治|[RHSTMrhstm])(?P<ey>\d{1,3})"
_YEAR_RE = rf"(?:{_ERA_RE}|(?P<wy>\d{{4}}))"
_PART_RE = r"(?P<part>末日|末|中|内|いっぱい|上旬|初旬|中旬|下旬|初め|初頭)"
_FY_PART_RE = r"(?P<part>末|中|内|いっぱい|上半期|上期|前期|下半期|下期|後期|第(?P<q>[1-4])四半期)"
_WEEK_REL = {"今週": 0, "本週": 0, "来週": 1, "翌週": 1, "次週": 1, "再来週": 2}
_MONTH_REL = {"今月": 0, "本月": 0, "当月": 0, "月": 0, "来月": 1, "翌月": 1, "再来月": 2}
_MONTH_REL.update({"先月": -1, "前月": -1})
_YEAR_REL = {"今年": 0, "本年": 0, "当年": 0, "年": 0, "来年": 1, "翌年": 1, "再来年": 2}
_YEAR_REL.update({"昨年": -1, "去年": -1, "前年": -1})
_FY_REL = {"今": 0, "本": 0, "当": 0, "": 0, "来": 1, "翌": 1, "再来": 2, "昨": -1, "前": -1}
_WEEKDAYS_JA = "月火水木金土日"
_UNITS_JA = {
    "日": "days",
    "営業日": "business_days",
    "週間": "weeks",
    "週": "weeks",
    "か月": "months",
    "ヶ月": "months",
    "カ月": "months",
    "ケ月": "months",
    "ヵ月": "months",
    "箇月": "months",
    "年": "years",
    "か年": "years",
    "カ年": "years",
    "ヶ年": "years",
}
_UNIT_JA_RE = "|".join(sorted(map(re.escape, _UNITS_JA), key=len, reverse=True))
_RANGE_SPLIT = re.compile(r"から|~")
_OPEN_START = re.compile(r"^(?P<x>.+?)(?:以降|以後|から|より|~)$")
_DAY_BEFORE = re.compile(r"^(?P<x>.+?)(?:より前|の前日|前日)$")
_INCLUSIVE_END = re.compile(r"^(?P<x>.+?)(?:以前|現在|時点)$")
_SPAN = re.compile(rf"^(?P<n>\d{{1,4}})(?P<unit>{_UNIT_JA_RE})間$")


class _Reading:
    """One text being read: keeps it and *today* for the error messages and the relative forms."""

    def __init__(self, raw: str, today: dt.date) -> None:
        self.raw = raw
        self.today = today

    # -- errors

    def nonexistent(self) -> DueDateError:
        return DueDateError("error.due_date.nonexistent", text=self.raw)

    def date(self, year: int, month: int, day: int) -> dt.date:
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self.nonexistent() from None

    # -- the Japanese family

    def japanese(self, cleaned: str, compact: str) -> dt.date:
        s = compact
        if m := _OPEN_START.match(s):
            return self.period(m["x"], self.today).start
        if m := _DAY_BEFORE.match(s):
            return self.period(m["x"], self.today).start - dt.timedelta(days=1)
        if m := _INCLUSIVE_END.match(s):
            return self.period(m["x"], self.today).end
        parts = _RANGE_SPLIT.split(s, maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            return self.range_end(parts[0], parts[1])
        if len(parts) == 2 and parts[1]:  # "~3月31日": only an end
            s = parts[1]
        return self.period(s, self.today).end

    def range_end(self, left: str, right: str) -> dt.date:
        first = self.period(left, self.today)
        right = right.replace("同年度", f"{fiscal_year(first.start)}年度")
        right = right.replace("同年", f"{first.start.year}年")
        right = right.replace("同月", f"{first.start.year}年{first.start.month}月")
        if m := _SPAN.match(right):
            last = _shift(first.start, int(m["n"]), _UNITS_JA[m["unit"]]) - dt.timedelta(days=1)
        else:
            last = self.period(right, first.start).end
        if last < first.start:
            raise DueDateError("error.due_date.range_reversed", text=self.raw)
        return last

    def period(self, s: str, anchor: dt.date) -> _Period:
        """What *s* names; a period without a year is the next one not ended on *anchor*."""
        for pattern, handler in _JA_RULES:
            if m := pattern.match(s):
                return handler(self, m, anchor)
        raise _Unread(s)

    # handlers: one per pattern in _JA_RULES

    def full_date(self, m: re.Match[str], anchor: dt.date) -> _Period:
        day = self.date(self.year(m), int(m["m"]), int(m["d"]))
        return self.within_era(m, _Period(day, day))

    def year_month(self, m: re.Match[str], anchor: dt.date) -> _Period:
        return self.within_era(m, self.month(self.year(m), int(m["m"]), m["part"]))

    def year_only(self, m: re.Match[str], anchor: dt.date) -> _Period:
        year = self.year(m)
        if m["part"] == "末":
            return self.within_era(m, _Period(dt.date(year, 12, 31), dt.date(year, 12, 31)))
        return self.within_era(m, _Period(dt.date(year, 1, 1), dt.date(year, 12, 31)))

    def fiscal(self, m: re.Match[str], anchor: dt.date) -> _Period:
        return self.within_era(m, _fy_period(self.year(m), m["part"], m["q"]))

    def fiscal_relative(self, m: re.Match[str], anchor: dt.date) -> _Period:
        start_year = fiscal_year(self.today) + _FY_REL[m["rel"]]
        return _fy_period(start_year, m["part"], m["q"])

    def fiscal_part(self, m: re.Match[str], anchor: dt.date) -> _Period:
        """上半期, 第1四半期 … alone: the next such period not ended on *anchor*."""
        for start_year in (fiscal_year(anchor), fiscal_year(anchor) + 1):
            found = _fy_period(start_year, m["part"], m["q"])
            if found.end >= anchor:
                return found
        raise self.nonexistent()  # pragma: no cover - one of two fiscal years always fits

    def year_relative(self, m: re.Match[str], anchor: dt.date) -> _Period:
        year = self.today.year + _YEAR_REL[m["rel"]]
        if m["m"]:
            month = int(m["m"])
            if m["d"]:
                day = self.date(year, month, int(m["d"]))
                return _Period(day, day)
            return self.month(year, month, m["mpart"])
        if m["part"] == "末":
            return _Period(dt.date(year, 12, 31), dt.date(year, 12, 31))
        if m["part"] is None and m["rel"] == "年":
            raise _Unread(m.group())
        return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def month_relative(self, m: re.Match[str], anchor: dt.date) -> _Period:
        if m["rel"] == "月" and not (m["part"] or m["d"]):
            raise _Unread(m.group())
        first = add_months(self.today.replace(day=1), _MONTH_REL[m["rel"]])
        if m["d"]:
            day = self.date(first.year, first.month, int(m["d"]))
            return _Period(day, day)
        return self.month(first.year, first.month, m["part"])

    def month_day(self, m: re.Match[str], anchor: dt.date) -> _Period:
        month, day = int(m["m"]), int(m["d"])
        self.date(2000, month, day)  # 2000 is a leap year: refuses only days that never exist

        def build(year: int) -> _Period | None:
            try:
                found = dt.date(year, month, day)
            except ValueError:
                return None
            return _Period(found, found)

        return self.next_such(build, anchor)

    def month_only(self, m: re.Match[str], anchor: dt.date) -> _Period:
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise self.nonexistent()
        return self.next_such(lambda year: self.month(year, month, m["part"]), anchor)

    def day_only(self, m: re.Match[str], anchor: dt.date) -> _Period:
        """「20日までに」: the next 20th on or after *anchor*."""
        day = int(m["d"])
        if not 1 <= day <= 31:
            raise self.nonexistent()
        first = anchor.replace(day=1)
        for k in range(13):
            month = add_months(first, k)
            if day <= _month_last(month.year, month.month):
                found = month.replace(day=day)
                if found >= anchor:
                    return _Period(found, found)
        raise self.nonexistent()  # pragma: no cover - a 31st comes within a year

    def week(self, m: re.Match[str], anchor: dt.date) -> _Period:
        """今週中 / 来週末: that week's Friday (this week's Sunday when said at the weekend)."""
        monday = _monday(self.today) + dt.timedelta(weeks=_WEEK_REL[m["rel"]])
        friday = monday + dt.timedelta(days=4)
        if friday < self.today:
            friday = monday + dt.timedelta(days=6)
        return _Period(max(monday, self.today), friday)

    def weekday(self, m: re.Match[str], anchor: dt.date) -> _Period:
        wd = _WEEKDAYS_JA.index(m["wd"])
        if m["rel"]:
            day = _monday(self.today) + dt.timedelta(weeks=_WEEK_REL[m["rel"]], days=wd)
        else:
            day = _weekday_from(self.today, wd, strictly_after=bool(m["next"]))
        return _Period(day, day)

    def duration(self, m: re.Match[str], anchor: dt.date) -> _Period:
        if m["n"] == "半":
            if _UNITS_JA[m["unit"]] != "years":
                raise _Unread(m.group())
            end = add_months(self.today, 6)
        else:
            end = _shift(self.today, int(m["n"]), _UNITS_JA[m["unit"]])
        return _Period(self.today, end)

    def word(self, m: re.Match[str], anchor: dt.date) -> _Period:
        day = self.today + dt.timedelta(days=_WORDS_JA[m.group()])
        return _Period(day, day)

    # helpers for the handlers

    def year(self, m: re.Match[str]) -> int:
        if m["wy"]:
            return int(m["wy"])
        number = int(m["ey"])
        if number < 1:
            raise self.nonexistent()
        return (
            _ERA_LOOKUP[m["era"].upper() if len(m["era"]) == 1 else m["era"]][1].year + number - 1
        )

    def within_era(self, m: re.Match[str], found: _Period) -> _Period:
        """A date before its era began (令和元年4月1日) is refused; running on past its end is not."""
        if era := m.groupdict().get("era"):
            name, start = _ERA_LOOKUP[era.upper() if len(era) == 1 else era]
            if found.end < start:
                raise DueDateError(
                    "error.due_date.before_era", text=self.raw, era=name, start=format_wareki(start)
                )
        return found

    def month(self, year: int, month: int, part: str | None) -> _Period:
        if not 1 <= month <= 12:
            raise self.nonexistent()
        last = _month_last(year, month)
        first_day, last_day = _MONTH_PARTS.get(part or "", (1, None))
        first = last if first_day is None else first_day
        return _Period(dt.date(year, month, first), dt.date(year, month, last_day or last))

    def next_such(self, build: Callable[[int], _Period | None], anchor: dt.date) -> _Period:
        for year in range(anchor.year, anchor.year + 9):  # 9 years always include a 29 February
            found = build(year)
            if found is not None and found.end >= anchor:
                return found
        raise self.nonexistent()

    # -- the English family

    def english(self, cleaned: str, compact: str) -> dt.date:
        s = re.sub(r"\s+", " ", cleaned.lower()).strip()
        s = _EN_PREFIX.sub("", s)
        s = _EN_SUFFIX.sub("", s).strip()
        if m := re.fullmatch(r"before (?P<x>.+)", s):
            return self.en_period(m["x"], self.today).start - dt.timedelta(days=1)
        if m := re.fullmatch(
            r"(?:from )?(?P<a>.+?) (?:to|until|till|through|thru|-|–) (?P<b>.+)", s
        ):
            first = self.en_period(m["a"], self.today)
            last = self.en_period(m["b"], first.start).end
            if last < first.start:
                raise DueDateError("error.due_date.range_reversed", text=self.raw)
            return last
        if m := re.fullmatch(r"(?:from|starting(?: from| on)?) (?P<x>.+)|(?P<y>.+?) onwards?", s):
            return self.en_period(m["x"] or m["y"], self.today).start
        return self.en_period(s, self.today).end

    def en_period(self, s: str, anchor: dt.date) -> _Period:
        for pattern, handler in _EN_RULES:
            if m := pattern.fullmatch(s):
                return handler(self, m, anchor)
        raise _Unread(s)

    def en_word(self, m: re.Match[str], anchor: dt.date) -> _Period:
        day = self.today + dt.timedelta(days=_WORDS_EN[m.group()])
        return _Period(day, day)

    def en_month_end(self, m: re.Match[str], anchor: dt.date) -> _Period:
        first = add_months(self.today.replace(day=1), 1 if m["next"] else 0)
        last = dt.date(first.year, first.month, _month_last(first.year, first.month))
        return _Period(last, last)

    def en_year_end(self, m: re.Match[str], anchor: dt.date) -> _Period:
        end = dt.date(self.today.year + (1 if m["next"] else 0), 12, 31)
        return _Period(end, end)

    def en_fiscal(self, m: re.Match[str], anchor: dt.date) -> _Period:
        start_year = int(m["y"]) if m["y"] else fiscal_year(self.today) + (1 if m["next"] else 0)
        return _fy_period(start_year, None, None)

    def en_month(self, m: re.Match[str], anchor: dt.date) -> _Period:
        month = _month_number(m["mon"])
        part = _EN_MONTH_PARTS.get((m["part"] or "").strip(" -"))
        if m["y"]:
            return self.month(int(m["y"]), month, part)
        return self.next_such(lambda year: self.month(year, month, part), anchor)

    def en_date(self, m: re.Match[str], anchor: dt.date) -> _Period:
        month, day = _month_number(m["mon"]), int(m["d"])
        if m["y"]:
            found = self.date(int(m["y"]), month, day)
            return _Period(found, found)
        self.date(2000, month, day)

        def build(year: int) -> _Period | None:
            try:
                found = dt.date(year, month, day)
            except ValueError:
                return None
            return _Period(found, found)

        return self.next_such(build, anchor)

    def en_weekday(self, m: re.Match[str], anchor: dt.date) -> _Period:
        wd = _EN_WEEKDAYS.index(m["wd"][:3])
        day = _weekday_from(self.today, wd, strictly_after=m["rel"] == "next")
        return _Period(day, day)

    def en_week(self, m: re.Match[str], anchor: dt.date) -> _Period:
        monday = _monday(self.today) + dt.timedelta(weeks=1 if m["next"] else 0)
        friday = monday + dt.timedelta(days=4)
        if friday < self.today:
            friday = monday + dt.timedelta(days=6)
        return _Period(max(monday, self.today), friday)

    def en_duration(self, m: re.Match[str], anchor: dt.date) -> _Period:
        n = int(m["n"]) if m["n"].isdigit() else _EN_NUMBERS[m["n"]]
        unit = "business_days" if m["biz"] and m["unit"] == "day" else m["unit"] + "s"
        if m["biz"] and m["unit"] != "day":
            raise _Unread(m.group())
        return _Period(self.today, _shift(self.today, n, unit))


_WORDS_JA = {
    "本日": 0,
    "今日": 0,
    "当日": 0,
    "即日": 0,
    "明日": 1,
    "翌日": 1,
    "明後日": 2,
    "翌々日": 2,
}
_MONTH_PARTS: dict[str, tuple[int | None, int | None]] = {
    "末": (None, None),
    "末日": (None, None),
    "上旬": (1, 10),
    "初旬": (1, 10),
    "初め": (1, 10),
    "初頭": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, None),
}

_JA_RULES: tuple[tuple[re.Pattern[str], Callable[[_Reading, re.Match[str], dt.date], _Period]], ...]
_JA_RULES = (
    (
        re.compile(rf"^{_YEAR_RE}(?:年|[./-])(?P<m>\d{{1,2}})(?:月|[./-])(?P<d>\d{{1,2}})日?$"),
        _Reading.full_date,
    ),
    (re.compile(r"^(?P<wy>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"), _Reading.full_date),
    (re.compile(rf"^{_YEAR_RE}(?:年|[./-])(?P<m>\d{{1,2}})月?{_PART_RE}?$"), _Reading.year_month),
    (re.compile(rf"^{_YEAR_RE}年度{_FY_PART_RE}?(?:末|中)?$"), _Reading.fiscal),
    (re.compile(rf"^{_YEAR_RE}年(?P<part>末|中|内|いっぱい)?$"), _Reading.year_only),
    (
        re.compile(rf"^(?P<rel>再来|今|本|当|来|翌|昨|前|)年度{_FY_PART_RE}?(?:末|中)?$"),
        _Reading.fiscal_relative,
    ),
    (
        re.compile(r"^(?P<part>上半期|上期|下半期|下期|第(?P<q>[1-4])四半期)(?:末|中)?$"),
        _Reading.fiscal_part,
    ),
    (
        re.compile(
            r"^(?P<rel>再来年|今年|本年|当年|来年|翌年|昨年|去年|前年|年)"
            rf"(?:(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})日|{_PART_RE.replace('part', 'mpart')})?"
            r"|(?P<part>末|中|内|いっぱい))?$"
        ),
        _Reading.year_relative,
    ),
    (
        re.compile(
            r"^(?P<rel>再来月|今月|本月|当月|来月|翌月|先月|前月|月)"
            rf"(?:(?P<d>\d{{1,2}})日|{_PART_RE})?$"
        ),
        _Reading.month_relative,
    ),
    (re.compile(r"^(?P<m>\d{1,2})(?:月|/)(?P<d>\d{1,2})日?$"), _Reading.month_day),
    (re.compile(rf"^(?P<m>\d{{1,2}})月{_PART_RE}?$"), _Reading.month_only),
    (re.compile(r"^(?P<d>\d{1,2})日$"), _Reading.day_only),
    (
        re.compile(r"^(?P<rel>再来週|今週|本週|来週|翌週|次週)(?:中|末|内|いっぱい)?$"),
        _Reading.week,
    ),
    (
        re.compile(
            r"^(?P<rel>再来週|今週|本週|来週|翌週|次週)の?(?P<wd>[月火水木金土日])(?:曜日?)?$"
        ),
        _Reading.weekday,
    ),
    (
        re.compile(r"^(?P<rel>)(?P<next>次の|次回の?|今度の)?(?P<wd>[月火水木金土日])曜日?$"),
        _Reading.weekday,
    ),
    (
        re.compile(rf"^(?P<n>\d{{1,4}}|半)(?P<unit>{_UNIT_JA_RE})(?:後|以内|内|経過後|のうち)$"),
        _Reading.duration,
    ),
    (re.compile("^(?:" + "|".join(_WORDS_JA) + ")$"), _Reading.word),
)


# -- English forms -----------------------------------------------------------------------------

_EN_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_EN_NUMBERS.update({"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10})
_EN_MONTH_PARTS = {
    "end of": "末",
    "the end of": "末",
    "late": "下旬",
    "early": "上旬",
    "beginning of": "上旬",
    "start of": "上旬",
    "mid": "中旬",
    "middle of": "中旬",
    "the middle of": "中旬",
}
_WORDS_EN = {"today": 0, "tomorrow": 1, "the day after tomorrow": 2, "day after tomorrow": 2}
_MON_RE = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WD_RE = r"(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
_EN_PREFIX = re.compile(
    r"^(?:(?:due|deadline|submit)\s*(?:date)?\s*:?\s*)?(?:on or before|no later than|not later than|by|on|until|till)\s+"
)
_EN_SUFFIX = re.compile(r"(?:\s*at the latest|\s*latest|[.,;])$")
_EN_RULES: tuple[tuple[re.Pattern[str], Callable[[_Reading, re.Match[str], dt.date], _Period]], ...]
_EN_RULES = (
    (
        re.compile(r"(?P<wy>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
        _Reading.full_date,
    ),
    (re.compile("|".join(_WORDS_EN)), _Reading.en_word),
    (re.compile(r"(?:the )?end of (?:the |this )?(?P<next>next )?month"), _Reading.en_month_end),
    (re.compile(r"(?:the )?end of (?:the |this )?(?P<next>next )?year"), _Reading.en_year_end),
    (
        re.compile(
            r"(?:(?:the )?end of )?(?:(?:the |this )?(?P<next>next )?(?:fiscal|financial) year|fy)"
            r"\s*(?P<y>\d{4})?"
        ),
        _Reading.en_fiscal,
    ),
    (
        re.compile(
            rf"(?P<part>(?:the )?end of|late|early|mid|(?:the )?middle of|beginning of|start of)?[\s-]*"
            rf"{_MON_RE}(?:,?\s+(?P<y>\d{{4}}))?"
        ),
        _Reading.en_month,
    ),
    (
        re.compile(rf"{_MON_RE}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y>\d{{4}}))?"),
        _Reading.en_date,
    ),
    (
        re.compile(
            rf"(?:the )?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON_RE}(?:,?\s*(?P<y>\d{{4}}))?"
        ),
        _Reading.en_date,
    ),
    (re.compile(rf"(?:(?P<rel>next|this|coming)\s+)?{_WD_RE}"), _Reading.en_weekday),
    (
        re.compile(
            r"(?:(?:the )?end of )?(?:this|the) week|(?:(?:the )?end of )?(?P<next>next) week"
        ),
        _Reading.en_week,
    ),
    (
        re.compile(
            r"(?:(?:in|within)\s+(?P<n>\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"\s+(?P<biz>business\s+|working\s+)?(?P<unit>day|week|month|year)s?)"
        ),
        _Reading.en_duration,
    ),
    (
        re.compile(
            r"(?P<n>\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"\s+(?P<biz>business\s+|working\s+)?(?P<unit>day|week|month|year)s?"
            r"\s+(?:from now|from today|later|hence)"
        ),
        _Reading.en_duration,
    ),
)


# -- dateparser, last ---------------------------------------------------------------------------


def _dateparser(text: str, today: dt.date) -> dt.date | None:
    """The general reader for whatever our own rules leave; imported lazily (slow to load)."""
    import dateparser

    found = dateparser.parse(
        text,
        languages=["ja", "en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "PREFER_DATES_FROM": "future",
            "PREFER_DAY_OF_MONTH": "last",
        },
    )
    if found is None:
        return None
    day = found.date()
    # "now", "今": dateparser answers today for words that name no day; we never do.
    if day == today and not re.search(r"\d", text):
        return None
    return day


# -- helpers ------------------------------------------------------------------------------------


def _month_last(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _month_number(name: str) -> int:
    key = name.rstrip(".")[:3]
    return next(i for i, full in enumerate(_EN_MONTHS, 1) if full.startswith(key))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday_from(day: dt.date, weekday: int, *, strictly_after: bool) -> dt.date:
    ahead = (weekday - day.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return day + dt.timedelta(days=ahead)


def _shift(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "days":
        return day + dt.timedelta(days=n)
    if unit == "weeks":
        return day + dt.timedelta(weeks=n)
    if unit == "months":
        return add_months(day, n)
    if unit == "years":
        return add_years(day, n)
    from .business_calendar import BusinessCalendar  # only "N営業日以内" needs holidays

    return BusinessCalendar().add_business_days(day, n)


def _fy_period(start_year: int, part: str | None, quarter: str | None) -> _Period:
    """Fiscal year *start_year* (April–March), or its half or quarter."""
    april = dt.date(start_year, 4, 1)
    if quarter:
        first = add_months(april, 3 * (int(quarter) - 1))
        last = add_months(first, 3) - dt.timedelta(days=1)
        return _Period(first, last)
    if part in ("上半期", "上期", "前期"):
        return _Period(april, dt.date(start_year, 9, 30))
    if part in ("下半期", "下期", "後期"):
        return _Period(dt.date(start_year, 10, 1), dt.date(start_year + 1, 3, 31))
    end = dt.date(start_year + 1, 3, 31)
    if part == "末":
        return _Period(end, end)
    return _Period(april, end)
