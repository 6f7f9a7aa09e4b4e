"""A Teams Adaptive Card drawn as text, for ``ddbot demo --transport teams`` and the console.

The card is the one the Teams bot sends (:mod:`bot.render.adaptive`); this only
draws its elements in a box: text runs, inputs, and each ``Action.Execute``
button with the number the console types to press it.
"""

from __future__ import annotations

from typing import Any

from ..core.reply import Reply
from .adaptive import CARD_VERSION, section_blocks, text
from .text import Numbering


def _runs(block: dict[str, Any]) -> str:
    return "".join(str(r.get("text", "")) for r in block.get("inlines", []))


def preview(reply: Reply, number: Numbering | None = None) -> str:
    """*reply* as the Teams card it becomes, one element per line."""
    lines = [f"┌─ Teams (Adaptive Card {CARD_VERSION})", f"│ {_runs(text(reply.text))}"]
    for section in reply.sections:
        buttons = iter(section.buttons)
        options = iter(section.select.options if section.select else ())
        for block in section_blocks(section):
            kind = block.get("type")
            if kind == "RichTextBlock":
                for n, line in enumerate(_runs(block).split("\n")):
                    lines.append(("│ " if n or not block.get("separator") else "│ ■ ") + line)
            elif kind == "Input.ChoiceSet":
                lines.append(f"│ ▼ {block.get('placeholder', '')}")
                for choice in block["choices"]:
                    option = next(options)
                    mark = number((section.select, option)) if number and section.select else "-"
                    lines.append(f"│    ({mark}) {choice['title']}")
            elif kind == "ActionSet":
                shown = []
                for action in block["actions"]:
                    if section.select is not None and action["verb"] == section.select.action:
                        continue  # the menu's own button: choosing a number presses it
                    button = next(buttons)
                    mark = f"{number(button)} " if number else ""
                    shown.append(f"[{mark}{action['title']}]")
                if shown:
                    lines.append("│ " + " ".join(shown))
    lines.append("└─")
    return "\n".join(lines)
