"""Plain text for the console (and logs): the same replies, no markup.

With *number* (the console's), every button and menu option gets a number the
person types to press it; without it, buttons show as ``[label]``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.reply import Button, Choice, Reply, Select

Numbering = Callable[[Button | tuple[Select, Choice]], int]


def render(reply: Reply, number: Numbering | None = None) -> str:
    lines = [reply.text] if reply.text else []
    for section in reply.sections:
        if section.title:
            lines += ["", f"■ {section.title}"]
        if section.text:
            lines.append(section.text)
        lines += [f"  {f.label}: {f.value}" for f in section.fields]
        lines += [f"  ・{item}" for item in section.items]
        if section.buttons:
            if number is None:
                lines.append("  " + "  ".join(f"[{b.label}]" for b in section.buttons))
            else:
                lines.append("  " + "  ".join(f"[{number(b)}] {b.label}" for b in section.buttons))
        if section.select is not None:
            select = section.select
            lines.append(f"  {select.placeholder}:")
            lines += [
                f"    {number((select, o)) if number else n}. {o.label}"
                for n, o in enumerate(select.options, 1)
            ]
    return "\n".join(lines)
