"""Neutral requests: what a person did, stripped of the platform that carried it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file someone shared, as the platform describes it (nothing downloaded yet)."""

    id: str
    name: str
    size: int | None = None
    mimetype: str = ""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file dropped in the bot's DM, possibly naming the condition in the message text.

    *download* is the transport's way to fetch the bytes (streamed chunks); the
    core calls it only once it has decided the file will be stored.
    """

    actor: str
    file: FileRef
    download: Callable[[], Iterable[bytes]]
    text: str = ""
    condition: str | None = None  # chosen from the menu the bot offered
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Click:
    """A button pressed or a menu option chosen."""

    actor: str
    action: str
    value: str = ""
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """A form (modal) sent back with its values."""

    actor: str
    callback: str
    values: Mapping[str, str] = field(default_factory=dict)
    metadata: str = ""
    lang: str | None = None
