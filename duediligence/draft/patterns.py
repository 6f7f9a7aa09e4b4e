"""The data file of patterns (patterns.yaml), loaded once and compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    example: str
    #: what the pattern tells when it matches (kind, due, trigger, scheme, decision, …)
    value: dict[str, Any] = field(default_factory=dict)

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)


@dataclass(frozen=True, slots=True)
class PatternSet:
    name: str
    patterns: tuple[Pattern, ...]

    def first(self, text: str, **where: Any) -> tuple[Pattern, re.Match[str]] | None:
        """The first pattern (in file order) that matches *text* and fits *where*."""
        for pattern in self.patterns:
            if not _fits(pattern, where):
                continue
            match = pattern.search(text)
            if match:
                return pattern, match
        return None

    def any(self, text: str) -> bool:
        return self.first(text) is not None


def _fits(pattern: Pattern, where: dict[str, Any]) -> bool:
    for key, wanted in where.items():
        allowed = pattern.value.get(key)
        if allowed is not None and wanted not in allowed:
            return False
    return True


@cache
def patterns() -> dict[str, PatternSet]:
    """Every pattern set of patterns.yaml, by its name."""
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    sets: dict[str, PatternSet] = {}
    for name, entries in data.items():
        compiled = []
        for entry in entries:
            value = {k: v for k, v in entry.items() if k not in ("pattern", "example")}
            compiled.append(Pattern(re.compile(entry["pattern"]), entry["example"], value))
        sets[name] = PatternSet(name, tuple(compiled))
    return sets
