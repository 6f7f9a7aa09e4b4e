"""Suggestions that turn a refusal into what to type instead.

An unknown department is answered with the closest registered name, an
unknown kind with the list of kinds. Both are rendered when the message is, so
the same error reads in Japanese or English; error parameters with a
``render(lang)`` method are rendered that way (see errors._render).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .messages import t

#: how many registered names a hint lists when none is close
_LISTED = 8


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def closest(value: str, candidates: Sequence[str]) -> str | None:
    """The candidate *value* most likely meant (収納家 → 収納課), or None."""
    folded = {_fold(c): c for c in candidates}
    if _fold(value) in folded:
        return folded[_fold(value)]
    found = difflib.get_close_matches(_fold(value), list(folded), n=1, cutoff=0.5)
    return folded[found[0]] if found else None


@dataclass(frozen=True, slots=True)
class Closest:
    """ "Did you mean 収納課?", or the registered names when nothing is close."""

    value: str
    candidates: tuple[str, ...]

    def render(self, lang: str = "ja") -> str:
        match = closest(self.value, self.candidates)
        if match is not None:
            return t("suggest.closest", lang, name=match)
        if self.candidates:
            names = t("report.list_sep", lang).join(self.candidates[:_LISTED])
            more = "…" if len(self.candidates) > _LISTED else ""
            return t("suggest.known", lang, names=names + more)
        return t("suggest.none_registered", lang)


@dataclass(frozen=True, slots=True)
class Choices:
    """The allowed values of a choice, each with its label: 名簿 (roster) / 誓約書 (pledge) / …"""

    prefix: str  # message-key prefix of the labels, e.g. "kind."
    values: tuple[str, ...]

    def render(self, lang: str = "ja") -> str:
        return " / ".join(f"{t(self.prefix + v, lang)} ({v})" for v in self.values)


def choice_code(prefix: str, values: Sequence[str], text: str) -> str | None:
    """The code a person meant by *text*: the code itself or its label in either language."""
    folded = _fold(text)
    for value in values:
        labels = {value, t(prefix + value, "ja"), t(prefix + value, "en")}
        if folded in {_fold(label) for label in labels}:
            return value
    return None


@dataclass(frozen=True, slots=True)
class ConditionHint:
    """An unknown condition id: the one meant (r2-15-08 → R2-15-08), or where ids are listed."""

    value: str
    candidates: tuple[str, ...]  # the same id in another case, and ids of its consultation

    def render(self, lang: str = "ja") -> str:
        match = closest(self.value, self.candidates)
        if match is not None:
            return t("suggest.closest", lang, name=match)
        return t("suggest.condition_list", lang)
