"""Files the bot offers a person in Teams (the report pack, the roster template).

Teams lets a bot put a file in someone's OneDrive only through the file-consent
card: the bot asks, the person presses Allow, Teams sends the bot an upload URL,
the bot PUTs the bytes there and posts a file card. Between asking and Allow
the file waits here, in a 0700 directory beside the evidence directory, under a random
token the consent card carries; accepted, declined or unknown, it is removed.
Only files that hold no personal data are offered (never evidence).
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"


@dataclass(frozen=True, slots=True)
class HeldFile:
    token: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


class HeldFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def keep(self, name: str, content: bytes) -> HeldFile:
        """Keep *content* as *name* until the person answers the consent card."""
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        token = secrets.token_urlsafe(16)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        path = folder / Path(name).name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        return HeldFile(token, path)

    def get(self, token: str) -> HeldFile | None:
        if not token or not token.replace("-", "").replace("_", "").isalnum():
            return None
        folder = self.root / token
        files = sorted(folder.iterdir()) if folder.is_dir() else []
        return HeldFile(token, files[0]) if files else None

    def drop(self, token: str) -> None:
        if token and token.replace("-", "").replace("_", "").isalnum():
            shutil.rmtree(self.root / token, ignore_errors=True)


def consent_card(held: HeldFile, description: str) -> dict[str, object]:
    """The attachment asking to put *held* in the person's OneDrive."""
    context = {"token": held.token}
    return {
        "contentType": CONSENT_CARD,
        "name": held.name,
        "content": {
            "description": description,
            "sizeInBytes": held.path.stat().st_size,
            "acceptContext": context,
            "declineContext": context,
        },
    }


def file_info_card(
    name: str, content_url: str, unique_id: str, file_type: str
) -> dict[str, object]:
    """The card showing a file the bot has just uploaded."""
    return {
        "contentType": FILE_INFO_CARD,
        "name": name,
        "contentUrl": content_url,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }
