"""A finding: one thing a check noticed, as a message key and its parameters.

Findings never carry a person's name: a row number (名簿の行番号) points at the
person instead, so a finding may be logged, stored and shown in ``show --json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..messages import t


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # a message key under checks.*
    row: int | None = None  # the row in the uploaded file (or on the roster)
    field: str = ""  # the column it concerns
    value: str = ""  # the offending cell value (never a name)

    def render(self, lang: str = "ja") -> str:
        return t(self.code, lang, field=self.field, value=self.value, row=self.row)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "field": self.field, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=str(data["code"]),
            row=data.get("row"),
            field=str(data.get("field") or ""),
            value=str(data.get("value") or ""),
        )
