"""A council meeting as people name it: its id, its date in any form, its name, or ``next``.

A meeting imported as a date alone (``next_meeting: 2021-11-15``) gets an id
nobody wrote (``狛江市個人情報保護審議会:2021-11-15``), so every command and chat
action that names a meeting goes through :func:`resolve_meeting`, which reads:

* the id, as imported (any case, full-width or half-width);
* ``next`` / ``次回``: the first meeting on or after today; ``last`` / ``前回``: the
  latest on or before today;
* the name (``令和3年度第2回``, also ``R3年度第二回`` or ``令和3年度第2回審議会``);
* the date in any form :func:`~duediligence.dates.parse_due` reads (``2021-11-15``,
  ``令和3年11月15日``, ``R3.11.15``).

When nothing matches, :class:`~duediligence.errors.MeetingNotFound` lists the
known meetings; when several do (two councils meeting on one day, or both
holding a 令和3年度第2回), it lists the candidates, to be named by id.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

from .dates import normalize_numerals, parse_due
from .errors import DueDateError, MeetingNotFound
from .model import Meeting

if TYPE_CHECKING:
    from .store import Store

__all__ = ["NEXT_WORDS", "LAST_WORDS", "meeting_choices", "resolve_meeting"]

NEXT_WORDS = frozenset(
    {"next", "次回", "次", "次回審議会", "次回の審議会", "次の審議会", "upcoming"}
)
LAST_WORDS = frozenset({"last", "latest", "previous", "前回", "前回審議会", "前回の審議会", "直近"})
#: meetings listed in a refusal (the latest ones, which include every upcoming one)
LIST_LIMIT = 10
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}
_SUFFIXES = ("の審議会", "審議会", "の会議", "会議", "会")


def resolve_meeting(store: Store, text: str | None, *, today: dt.date) -> Meeting:
    """The one meeting *text* names, or MeetingNotFound (unknown or ambiguous) with the choices."""
    raw = (text or "").strip()
    word = unicodedata.normalize("NFKC", raw).strip()
    if not word:
        raise MeetingNotFound("error.meeting.required", **_choices(store, ()))
    meetings = store.meetings()
    if word.lower() in NEXT_WORDS or word in NEXT_WORDS:
        return _one(store, raw, [m for m in meetings if m.date >= today], first=True, today=today)
    if word.lower() in LAST_WORDS or word in LAST_WORDS:
        return _one(store, raw, [m for m in meetings if m.date <= today], first=False, today=today)
    for candidate in dict.fromkeys((raw, word, word.upper())):
        found = store.find_meeting(candidate)
        if found is not None:
            return found
    by_id = [m for m in meetings if m.id.casefold() == word.casefold()]
    if len(by_id) == 1:
        return by_id[0]
    key = name_key(word)
    named = [m for m in meetings if m.name and name_key(m.name) == key]
    if not named and len(key) >= 3:
        named = [m for m in meetings if m.name and key in name_key(f"{m.council}{m.name}")]
    if named:
        return _exactly_one(raw, named)
    day = _day(word, today)
    if day is not None:
        on_day = [m for m in meetings if m.date == day]
        if on_day:
            return _exactly_one(raw, on_day)
        raise MeetingNotFound(
            "error.meeting.no_meeting_on", text=raw, date=day.isoformat(), **_choices(store, ())
        )
    raise MeetingNotFound("error.meeting.unknown", text=raw, **_choices(store, ()))


def _day(word: str, today: dt.date) -> dt.date | None:
    """The day *word* states, if it states one: year-month alone (R3-1 = 令和3年1月) is not a day."""
    digits = re.findall(r"\d+", normalize_numerals(word))
    names_a_day = (
        len(digits) >= 3
        or "日" in word
        or (len(digits) >= 1 and re.search(r"[A-Za-z]{3}", word) is not None)
    )
    if not names_a_day:
        return None
    try:
        return parse_due(word, today=today)
    except DueDateError:
        return None


def name_key(text: str) -> str:
    """A meeting name as compared: NFKC, no spaces, numerals as digits, R3 as 令和3, no 「審議会」."""
    s = normalize_numerals(unicodedata.normalize("NFKC", text))
    s = "".join(s.split())
    s = re.sub(r"(?<=[和成])元(?=年)", "1", s)
    s = re.sub(r"(?<![A-Za-z])([RHS])(?=\d+年)", lambda m: _ERA_LETTERS[m.group(1)], s)
    for suffix in _SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
            break
    return s


def meeting_choices(meetings: list[Meeting] | tuple[Meeting, ...]) -> str:
    """``R2-6 令和2年度第6回 (2021-02-10) / R3-1 …``: language-neutral, for refusals."""
    return " / ".join(
        f"{m.id}" + (f" {m.name}" if m.name else "") + f" ({m.date.isoformat()})" for m in meetings
    )


def _one(
    store: Store, raw: str, meetings: list[Meeting], *, first: bool, today: dt.date
) -> Meeting:
    """The first (or last) meeting by date; several councils meeting that day are ambiguous."""
    if not meetings:
        key = "error.meeting.no_next" if first else "error.meeting.no_last"
        raise MeetingNotFound(key, text=raw, date=today.isoformat(), **_choices(store, ()))
    day = meetings[0].date if first else meetings[-1].date
    return _exactly_one(raw, [m for m in meetings if m.date == day])


def _exactly_one(raw: str, found: list[Meeting]) -> Meeting:
    if len(found) == 1:
        return found[0]
    raise MeetingNotFound(
        "error.meeting.ambiguous",
        candidates=tuple(found),
        text=raw,
        count=len(found),
        choices=meeting_choices(found),
    )


def _choices(store: Store, _: tuple[Meeting, ...]) -> dict[str, object]:
    """The known meetings for a refusal: the latest LIST_LIMIT, as text and as objects."""
    known = store.meetings()
    shown = tuple(known[-LIST_LIMIT:])
    more = len(known) - len(shown)
    choices = meeting_choices(shown) + (f" / … (+{more})" if more else "")
    return {"candidates": shown, "choices": choices or "-", "known": len(known)}
