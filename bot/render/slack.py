"""Block Kit for Slack: messages, modals and the App Home view.

Every piece of user or import text passes through :func:`escape` before it
enters mrkdwn, so a vendor named ``<!channel>`` pings nobody and ``<url|label>``
links cannot be forged. This is the only place the bot escapes.
"""

from __future__ import annotations

from typing import Any

from ..core.reply import Button, Form, Reply, Section, Select

MAX_TEXT = 2900  # a section's text may hold 3000 characters
MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_FIELDS = 10
MAX_LABEL = 75
MAX_OPTIONS = 100  # a static_select offers at most 100 options

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs ask (& first)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(reply: Reply) -> dict[str, Any]:
    """Arguments for chat.postMessage / chat.postEphemeral / chat.update / respond."""
    return {"text": escape(reply.text), "blocks": blocks(reply, MAX_MESSAGE_BLOCKS)}


def home_view(reply: Reply) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks(reply, MAX_HOME_BLOCKS)}


def modal(form: Form) -> dict[str, Any]:
    view_blocks: list[Block] = []
    if form.text:
        view_blocks.append(_mrkdwn(escape(form.text)))
    for field in form.inputs:
        element: dict[str, Any]
        if field.kind == "select" and field.options:
            options = [_option(o) for o in field.options[:MAX_OPTIONS]]
            element = {"type": "static_select", "action_id": field.id, "options": options}
            chosen = [o for o in options if o["value"] == field.initial]
            if chosen:
                element["initial_option"] = chosen[0]
        else:
            element = {
                "type": "plain_text_input",
                "action_id": field.id,
                "multiline": field.kind == "multiline",
            }
            if field.initial:
                element["initial_value"] = field.initial
        if field.placeholder:
            element["placeholder"] = _plain(field.placeholder[:150])
        view_blocks.append(
            {
                "type": "input",
                "block_id": field.id,
                "optional": field.optional,
                "label": _plain(field.label),
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": form.callback,
        "title": _plain(form.title[:24]),
        "submit": _plain(form.submit[:24]),
        "private_metadata": form.metadata,
        "blocks": view_blocks,
    }


def blocks(reply: Reply, limit: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    out: list[Block] = [_mrkdwn(f"*{escape(reply.text)}*")] if reply.text else []
    for section in reply.sections:
        out.extend(_section(section))
    if len(out) > limit:
        out = out[: limit - 1] + [_mrkdwn("…")]
    return out


def _section(section: Section) -> list[Block]:
    out: list[Block] = []
    if section.title:
        out.append(_mrkdwn(f"*{escape(section.title)}*"))
    if section.text:
        out.extend(_mrkdwn(chunk) for chunk in _chunks([escape(section.text)]))
    for start in range(0, len(section.fields), MAX_FIELDS):
        fields = section.fields[start : start + MAX_FIELDS]
        out.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{escape(f.label)}*\n{escape(f.value)}"[:2000]}
                    for f in fields
                ],
            }
        )
    if section.items:
        out.extend(_mrkdwn(chunk) for chunk in _chunks([f"• {escape(i)}" for i in section.items]))
    elements: list[Block] = [_button(b) for b in section.buttons]
    if section.select is not None:
        elements.append(_select(section.select))
    if elements:
        out.append({"type": "actions", "elements": elements[:25]})
    return out


def _option(choice: Any) -> Block:
    return {"text": _plain(choice.label[:MAX_LABEL]), "value": choice.value[:150]}


def _button(button: Button) -> Block:
    block: Block = {
        "type": "button",
        "action_id": button.action,
        "text": _plain(button.label[:MAX_LABEL]),
        "value": button.value,
    }
    if button.style in ("primary", "danger"):
        block["style"] = button.style
    return block


def _select(select: Select) -> Block:
    return {
        "type": "static_select",
        "action_id": select.action,
        "placeholder": _plain(select.placeholder[:MAX_LABEL]),
        "options": [
            {"text": _plain(o.label[:MAX_LABEL]), "value": o.value[:150]}
            for o in select.options[:100]
        ],
    }


def _chunks(lines: list[str]) -> list[str]:
    """Join lines into texts that fit one section (3000 characters)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        while len(line) > MAX_TEXT:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:MAX_TEXT])
            line = line[MAX_TEXT:]
        if current and len(current) + 1 + len(line) > MAX_TEXT:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def _mrkdwn(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text or " ", "emoji": True}
