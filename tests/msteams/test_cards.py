"""The Teams bot's cards: Adaptive Cards 1.5 elements only, text never read as Markdown."""

from __future__ import annotations

from typing import Any

from bot.core import Button, Choice, Field, Form, Input, Reply, Section, Select
from bot.render.adaptive import card, form_card

# every element and action type the cards may use, all in Adaptive Cards 1.5 or earlier
ALLOWED = {
    "AdaptiveCard",
    "RichTextBlock",
    "TextRun",
    "ActionSet",
    "Action.Execute",
    "Input.Text",
    "Input.ChoiceSet",
}
HOSTILE = "**<at>all</at> [click](http://evil.example)** <!channel>"


def _types(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("type"), str):
            found.add(node["type"])
        for value in node.values():
            found |= _types(value)
    elif isinstance(node, list):
        for item in node:
            found |= _types(item)
    return found


def _reply() -> Reply:
    return Reply(
        HOSTILE,
        (
            Section(
                title=HOSTILE,
                text=HOSTILE,
                fields=(Field("事業者", HOSTILE),),
                items=(HOSTILE,),
                buttons=(Button("review_accept", "承認", "review:R2-15-01:1", "primary"),),
                select=Select("choose_condition", "選択", (Choice(HOSTILE, "1:R2-15-01"),)),
            ),
        ),
    )


def test_cards_use_only_schema_1_5_elements() -> None:
    rendered = card(_reply(), refresh="review:R2-15-01:1")
    assert rendered["version"] == "1.5"
    assert _types(rendered) <= ALLOWED
    form = form_card(
        Form("review_return", "差戻し", "送信", (Input("reason", "理由", kind="multiline"),))
    )
    assert _types(form) <= ALLOWED and form["version"] == "1.5"


def test_user_text_is_never_markdown() -> None:
    rendered = card(_reply())
    assert "TextBlock" not in _types(rendered) and "FactSet" not in _types(rendered)

    def runs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["text"]] if node.get("type") == "TextRun" else []
            return own + [t for v in node.values() for t in runs(v)]
        if isinstance(node, list):
            return [t for item in node for t in runs(item)]
        return []

    texts = runs(rendered)
    assert sum(HOSTILE in t for t in texts) >= 5  # headline, title, text, field, item: verbatim
