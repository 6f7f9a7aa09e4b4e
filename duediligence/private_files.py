"""Owner-only files: the database, its WAL files, backups and copies of evidence.

The database holds roster names and employment types, so it is as private as
the evidence directory: created mode 0600 (directories 0700) whatever the umask,
never widened afterwards. SQLite gives its ``-wal``, ``-shm`` and ``-journal``
files the mode of the database file, so creating the database 0600 *before*
SQLite opens it is enough for all of them. A database that already exists is
never changed behind the operator's back (a group may be intended); instead
:func:`exposure_warning` gives the start-up warning the CLI and the bot print.

Anything else that copies personal data to disk (a backup, ``evidence get
--out``) should write through :func:`open_private`, or call
:func:`create_private` before handing the path to another library (e.g. the
target of ``sqlite3.Connection.backup``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from .messages import t

FILE_MODE = 0o600
DIR_MODE = 0o700
#: the files SQLite keeps beside a database
SIDE_FILES = ("-wal", "-shm", "-journal")

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "create_private",
    "exposed_files",
    "exposure_warning",
    "open_private",
    "private_dir",
]


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Create *path* (and missing parents) if needed; a directory we create is 0700."""
    path = Path(path)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return path


def create_private(path: str | os.PathLike[str]) -> Path:
    """Make sure *path* exists as a file only its owner can read; return it.

    A new file is created 0600 atomically (no moment at the umask's mode); an
    existing one is narrowed to 0600.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        os.chmod(path, FILE_MODE)
    else:
        os.fchmod(fd, FILE_MODE)  # the umask cannot widen it, but may have narrowed it oddly
        os.close(fd)
    return path


def open_private(path: str | os.PathLike[str], mode: str = "wb") -> IO[bytes]:
    """Open *path* for writing (truncating), as a 0600 file from its first byte."""
    if mode not in ("wb", "ab"):
        raise ValueError(f"open_private writes files; mode {mode!r} is not 'wb' or 'ab'")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if mode == "wb" else os.O_APPEND)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, mode)


def exposed_files(db_path: str | os.PathLike[str]) -> list[tuple[Path, int]]:
    """The SQLite file and side files someone besides the owner may access: (path, mode).

    *db_path* is what ``DD_DB`` / ``--db`` hold: a path or a ``sqlite:///`` URL; a
    PostgreSQL URL has no local file to check.
    """
    from .store.url import parse_database_url  # here: the store imports this module

    try:
        target = parse_database_url(str(db_path))
    except ValueError:
        return []  # a bad URL is reported by Store.open itself
    base = target.location
    if target.is_postgresql or base == ":memory:":
        return []  # a server's files are the server's business
    found = []
    for candidate in (base, *(base + suffix for suffix in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(os.stat(candidate).st_mode)
        except OSError:
            continue
        if mode & 0o077:
            found.append((Path(candidate), mode))
    return found


def exposure_warning(db_path: str | os.PathLike[str], lang: str = "ja") -> str | None:
    """The start-up warning for a database others can read, or None when it is private."""
    exposed = exposed_files(db_path)
    if not exposed:
        return None
    files = ", ".join(f"{path} ({mode:04o})" for path, mode in exposed)
    paths = " ".join(f'"{path}"' for path, _ in exposed)
    return t("warning.db_exposed", lang, files=files, paths=paths)
