"""Neutral replies: what the bot says, before any platform's markup.

The core builds these from plain, unescaped text; a renderer (Block Kit, an
Adaptive Card, console text) turns them into a platform's format and is the only
place where escaping happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Button:
    """A button; *action* is the neutral action id the core handles when it is pressed."""

    action: str
    label: str
    value: str = ""
    style: str = ""  # "primary", "danger" or "" (default)


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Select:
    """A menu of choices (e.g. which condition an upload is for)."""

    action: str
    placeholder: str
    options: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    """One block of a reply: an optional title, text, label/value fields, bullet items, controls."""

    title: str = ""
    text: str = ""
    fields: tuple[Field, ...] = ()
    items: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    select: Select | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot answers: a headline (also the notification text) and sections."""

    text: str
    sections: tuple[Section, ...] = ()
    private: bool = True

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(b for s in self.sections for b in s.buttons)


@dataclass(frozen=True, slots=True)
class Input:
    """One field of a form; ``kind`` is "text", "multiline" or "select" (one of *options*)."""

    id: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    initial: str = ""
    optional: bool = False
    options: tuple[Choice, ...] = ()  # for "select": what can be chosen (value is sent back)


@dataclass(frozen=True, slots=True)
class Form:
    """A dialog asking for input (a Slack modal); *metadata* comes back on submission."""

    callback: str
    title: str
    submit: str
    inputs: tuple[Input, ...]
    text: str = ""
    metadata: str = ""


@dataclass(frozen=True, slots=True)
class Outbound:
    """A message for someone other than the actor: a user's DM or the secretariat channel.

    With *card* set, the transport reports back where it posted (see
    ``Core.remember_card``) so the card can later be updated in place.
    """

    reply: Reply
    user: str | None = None
    secretariat: bool = False
    card: str | None = None
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Update:
    """Replace an earlier card (Slack ``chat.update``) so its buttons cannot be pressed again."""

    channel: str
    ts: str
    reply: Reply


@dataclass(frozen=True, slots=True)
class FileOut:
    """A file to upload (Slack ``files_upload_v2``): to the secretariat channel, or the actor's DM.

    Used for the report pack (the channel), which holds no personal data by
    design, and for a draft made from published minutes (back to the
    secretariat member's DM); evidence files are never posted anywhere.
    """

    path: Path
    title: str
    secretariat: bool = True


@dataclass
class Outcome:
    """Everything one request leads to: the actor's answer, a form to open, other messages."""

    reply: Reply | None = None
    form: Form | None = None
    outbound: list[Outbound] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    form_errors: dict[str, str] = field(default_factory=dict)  # input id -> message under it
    # files to upload together, with one comment; if the upload fails the actor gets
    # *files_failed* instead of *reply*; *scratch* (a temporary directory) is removed after
    files: list[FileOut] = field(default_factory=list)
    files_comment: str = ""
    files_failed: Reply | None = None
    scratch: Path | None = None
