"""What evidence completes each kind of condition, in words a department understands."""

from __future__ import annotations

from .messages import t
from .model import Kind


def kind_label(kind: Kind | str, lang: str = "ja") -> str:
    return t(f"kind.{Kind(kind)}", lang)


def evidence_rule(kind: Kind | str, lang: str = "ja") -> str:
    """The evidence the secretariat expects before it can accept a condition of *kind*."""
    return t(f"evidence_rule.{Kind(kind)}", lang)
