"""The event chain: each event's hash covers its content and the previous event's hash.

The hash is computed here, in Python, over a canonical encoding, never by the
database: the SQLite store and a future PostgreSQL store must produce the same
chain for the same events, so neither may depend on how its engine formats a
timestamp or a JSON document. The encoding, documented in docs/records.md::

    hash(n) = sha256( hash(n-1) + "\\n" + canonical(event n) )   hash(0) = "0" * 64
    canonical(e) = JSON of [id, subject, action, actor, at, reason, data]
                   (UTF-8, keys sorted, no spaces, non-ASCII kept as is)

``at`` is the ISO text the event was recorded with, ``data`` the parsed payload.
Changing one character of any field of any event changes its hash and every hash
after it, so an edit made with raw SQL is found by walking the chain.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: the "previous hash" of the first event of a database
GENESIS = "0" * 64


def canonical(
    event_id: int, subject: str, action: str, actor: str, at: str, reason: str, data: Any
) -> bytes:
    """The bytes an event's hash is taken over (*data* parsed, not its stored text)."""
    return json.dumps(
        [event_id, subject, action, actor, at, reason, data],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")


def link(previous: str, encoded: bytes) -> str:
    """The hash of an event whose canonical bytes are *encoded*, after *previous*."""
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(b"\n")
    digest.update(encoded)
    return digest.hexdigest()


def event_hash(
    previous: str,
    event_id: int,
    subject: str,
    action: str,
    actor: str,
    at: str,
    reason: str,
    data_text: str,
) -> str:
    """The chain hash of one stored event row (``data_text`` as the store holds it)."""
    try:
        data = json.loads(data_text)
    except (TypeError, ValueError):
        data = data_text  # unreadable payload: hash the text, verification will still differ
    return link(previous, canonical(event_id, subject, action, actor, at, reason, data))
