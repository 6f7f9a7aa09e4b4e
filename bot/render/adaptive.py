"""Neutral replies as Adaptive Cards for the Teams bot: buttons are ``Action.Execute``.

Unlike the Workflows webhook card (:mod:`bot.render.teams`), these cards call the
bot back: every button is an ``Action.Execute`` whose ``data`` carries the core's
neutral action id and value, a menu is an ``Input.ChoiceSet`` with its own
button, a form is a card of ``Input.Text`` fields. A card the secretariat
decides on carries a ``refresh`` action, so Teams asks the bot for the card's
current state and a second press finds the decision, not live buttons.

Text goes into ``RichTextBlock``/``TextRun`` elements, which Teams never reads
as Markdown: a vendor called ``**[click](http://x)**`` shows those characters
and links nowhere. Schema 1.5 at most, the newest Teams renders everywhere.
"""

from __future__ import annotations

from typing import Any

from ..core.reply import Button, Form, Reply, Section, Select

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
REFRESH = "refresh"  # the verb Teams sends when it asks for a card's current state
FORM_SUBMIT = "form_submit"
CHOICE_INPUT = "choice"
_STYLES = {"primary": "positive", "danger": "destructive"}


def text(value: str, **style: Any) -> dict[str, Any]:
    """Literal text (never Markdown), wrapped; *style* goes on the run (weight, size, color…)."""
    run: dict[str, Any] = {"type": "TextRun", "text": value, **style}
    return {"type": "RichTextBlock", "inlines": [run]}


def execute(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.action,
        "data": {"action": button.action, "value": button.value},
    }
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    return action


def _select(select: Select) -> list[dict[str, Any]]:
    return [
        {
            "type": "Input.ChoiceSet",
            "id": CHOICE_INPUT,
            "placeholder": select.placeholder,
            "choices": [{"title": c.label, "value": c.value} for c in select.options],
        },
        {
            "type": "ActionSet",
            "actions": [
                {
                    "type": "Action.Execute",
                    "title": select.placeholder,
                    "verb": select.action,
                    "data": {"action": select.action},
                }
            ],
        },
    ]


def section_blocks(section: Section) -> list[dict[str, Any]]:
    """The card elements for one section (also what the demo previews)."""
    return _section(section)


def _section(section: Section) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if section.title:
        title = text(section.title, weight="Bolder")
        blocks.append({**title, "spacing": "Medium", "separator": True})
    if section.text:
        blocks.append(text(section.text))
    for f in section.fields:  # not a FactSet: its values would be read as Markdown
        label = {"type": "TextRun", "text": f"{f.label}: ", "weight": "Bolder"}
        blocks.append(
            {"type": "RichTextBlock", "inlines": [label, {"type": "TextRun", "text": f.value}]}
        )
    for item in section.items:
        blocks.append({**text(f"・{item}"), "spacing": "None"})
    if section.select is not None:
        blocks += _select(section.select)
    if section.buttons:
        blocks.append({"type": "ActionSet", "actions": [execute(b) for b in section.buttons]})
    return blocks


def _card(body: list[dict[str, Any]], fallback: str) -> dict[str, Any]:
    return {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
    }


def card(reply: Reply, *, refresh: str | None = None) -> dict[str, Any]:
    """The card for *reply*; with *refresh* (a card key) Teams asks the bot for its state."""
    body: list[dict[str, Any]] = [text(reply.text, weight="Bolder", size="Medium")]
    for section in reply.sections:
        body += _section(section)
    result = _card(body, reply.text)
    if refresh:
        result["refresh"] = {
            "action": {
                "type": "Action.Execute",
                "verb": REFRESH,
                "data": {"action": REFRESH, "value": refresh},
            }
        }
    return result


def form_card(form: Form, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """A form (a Slack modal) as a card the person fills in where they pressed the button."""
    errors = errors or {}
    body: list[dict[str, Any]] = [text(form.title, weight="Bolder", size="Medium")]
    if form.text:
        body.append(text(form.text))
    for item in form.inputs:
        field: dict[str, Any] = {
            "type": "Input.Text",
            "id": item.id,
            "label": item.label,
            "isMultiline": item.kind == "multiline",
            "isRequired": not item.optional,
        }
        if item.placeholder:
            field["placeholder"] = item.placeholder
        if item.initial:
            field["value"] = item.initial
        body.append(field)
        if item.id in errors:
            body.append(text(errors[item.id], color="Attention"))
    submit = {
        "type": "Action.Execute",
        "title": form.submit,
        "verb": FORM_SUBMIT,
        "style": "positive",
        "data": {"action": FORM_SUBMIT, "callback": form.callback, "metadata": form.metadata},
    }
    body.append({"type": "ActionSet", "actions": [submit]})
    return _card(body, form.title)


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    """A card as a message attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": content}
