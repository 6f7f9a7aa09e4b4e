"""Neutral replies as a Microsoft Teams Adaptive Card, in the Workflows webhook envelope.

A Teams Workflows incoming webhook only posts: it cannot call the bot back, so
buttons are left out and the card ends with a pointer to where people act
(the Slack bot or the status query). Text is given to TextBlocks as plain text.
"""

from __future__ import annotations

from typing import Any

from ..core.reply import Reply, Section

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _section(section: Section) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if section.title:
        blocks.append(_text_block(section.title, weight="Bolder", spacing="Medium", separator=True))
    if section.text:
        blocks.append(_text_block(section.text))
    if section.fields:
        blocks.append(
            {
                "type": "FactSet",
                "facts": [{"title": f.label, "value": f.value} for f in section.fields],
            }
        )
    if section.items:
        blocks.append(_text_block("\n".join(f"- {item}" for item in section.items)))
    return blocks


def adaptive_card(reply: Reply, *, footer: str = "") -> dict[str, Any]:
    """The AdaptiveCard object for *reply*."""
    body: list[dict[str, Any]] = [_text_block(reply.text, weight="Bolder", size="Medium")]
    for section in reply.sections:
        body += _section(section)
    if footer:
        body.append(_text_block(footer, isSubtle=True, size="Small", spacing="Medium"))
    return {"$schema": CARD_SCHEMA, "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}


def workflows_message(reply: Reply, *, footer: str = "") -> dict[str, Any]:
    """The JSON a Teams Workflows webhook expects: a message with one Adaptive Card attachment."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": CARD_CONTENT_TYPE,
                "contentUrl": None,
                "content": adaptive_card(reply, footer=footer),
            }
        ],
    }
