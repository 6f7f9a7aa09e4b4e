"""The pack as Markdown, for pasting into chat or an e-mail."""

from __future__ import annotations

import re
from pathlib import Path

from ..messages import t
from . import text
from .pack import PackContent, PackItem, PackSection

_SPECIAL = re.compile(r"([\\`*\[\]<>|#])")
# An underscore inside a word (a file name like R2-15-08_roster.csv) is literal already.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def escape(value: str) -> str:
    """Keep people's text literal: no accidental emphasis, links or headings."""
    escaped = _UNDERSCORE.sub(r"\_", _SPECIAL.sub(r"\\\1", value))
    return escaped.replace("\r", "").replace("\n", " ")


def render_markdown(content: PackContent, *, lang: str = "ja") -> str:
    lines = [
        f"# {escape(text.title(content, lang))}",
        "",
        f"{escape(text.day(content.reported_on, lang))}　{escape(content.council)}",
        "",
        escape(text.intro(content, lang)),
        "",
        escape(text.summary(content, lang) if content.sections else t("report.empty", lang)),
    ]
    for index, section in enumerate(content.sections, start=1):
        lines += _section(index, section, lang)
    if content.access is not None:
        lines += ["", f"## {escape(text.access_heading(lang))}", ""]
        lines.append(escape(text.access_intro(content, lang)))
        lines.append("")
        lines += [f"- {escape(line)}" for line in text.access_lines(content, lang)]
    return "\n".join(lines) + "\n"


def write_markdown(content: PackContent, path: Path, *, lang: str = "ja") -> Path:
    path.write_text(render_markdown(content, lang=lang), encoding="utf-8")
    return path


def _section(index: int, section: PackSection, lang: str) -> list[str]:
    consultation = section.consultation
    lines = [
        "",
        f"## {escape(text.section_heading(index, section, lang))}",
        "",
        _field(t("report.label.department", lang), consultation.department),
    ]
    if consultation.vendors:
        lines.append(_field(t("report.label.vendor", lang), text.section_vendors(section, lang)))
    lines.append(_field(t("report.label.decided", lang), text.decided(section, lang)))
    several_vendors = len(consultation.vendors) > 1
    for number, item in enumerate(section.items, start=1):
        lines += _item(number, item, lang, show_vendor=several_vendors)
    return lines


def _item(number: int, item: PackItem, lang: str, *, show_vendor: bool) -> list[str]:
    condition = item.condition
    lines = [
        "",
        f"### {escape(text.item_heading(number, item, lang))}",
        "",
        _field(t("report.label.condition", lang), condition.text),
    ]
    if show_vendor and condition.vendor:
        lines.append(_field(t("report.label.item_vendor", lang), condition.vendor))
    lines.append(_field(t("report.label.done", lang), text.done(item, lang)))
    received = text.evidence_lines(item, lang)
    if len(received) > 1:
        lines.append(f"- **{escape(t('report.label.evidence', lang))}**:")
        lines += [f"    - {escape(line)}" for line in received]
    else:
        lines.append(_field(t("report.label.evidence", lang), text.evidence(item, lang)))
    lines.append(_field(t("report.label.status", lang), text.status(item, lang)))
    if text.shows_reason(item):
        lines.append(_field(text.reason_label(item, lang), item.reason))
    if text.shows_due(item):
        lines.append(_field(text.due_label(item, lang), text.due(item, lang)))
    upcoming = text.next_occurrence(item, lang)
    if upcoming:
        lines.append(_field(t("report.label.next", lang), upcoming))
    if item.answers:  # contract clauses, inspection
        lines.append(_field(t(f"report.label.{item.checklist}", lang), text.checklist(item, lang)))
    return lines


def _field(label: str, value: str) -> str:
    return f"- **{escape(label)}**: {escape(value)}"
