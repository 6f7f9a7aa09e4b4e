"""Content-addressed storage for evidence files (rosters, pledges, certificates).

Evidence holds personal data, so the directory is 0700 and every file 0600.
A blob is named by its sha256 and written atomically: bytes stream into a
temporary file in the same directory, are fsynced, then renamed into place.
An interrupted write leaves no blob (the temporary file is removed, and any
left by a crash is swept on the next open); a full disk is a StorageError. The same bytes uploaded twice are
one blob with two references. The user's filename is metadata only; no path
from a user ever reaches the filesystem.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .config import DEFAULT_MAX_UPLOAD
from .errors import EvidenceDirMismatch, EvidenceError, StorageError

CHUNK = 1024 * 1024
_TMP_PREFIX = ".incoming-"
_STALE_SECONDS = 3600
#: a full disk, a full quota, or a file-size limit (ulimit -f): the upload cannot be kept
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size: int
    new: bool  # False when the same bytes were already stored


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


def _chunks(source: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    if hasattr(source, "read"):
        while chunk := source.read(CHUNK):  # type: ignore[union-attr]
            yield chunk
    else:
        yield from source  # type: ignore[misc]


def check_evidence_dir(store: Any, blobs: BlobStore, *, sample: int = 20) -> None:
    """Refuse to go on when the newest stored evidence is not readable under *blobs*' root.

    A second host started with its own private ``DD_EVIDENCE_DIR`` (instead of the shared
    volume) would take uploads no other host can serve; its database already names files
    it cannot read, so it stops here, before it accepts anything.
    """
    for sha256 in store.recent_evidence_hashes(sample):
        try:
            with blobs.path_for(sha256).open("rb"):
                pass
        except (OSError, ValueError):
            raise EvidenceDirMismatch(dir=str(blobs.root), sha256=sha256) from None


class BlobStore:
    """Files under one directory, addressed by sha256."""

    def __init__(
        self, root: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_UPLOAD
    ) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.root, 0o700)
        self._sweep_stale()

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put(self, source: BinaryIO | Iterable[bytes], *, filename: str = "") -> StoredBlob:
        """Stream *source* into the store; refuse it empty or over the limit."""
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.root)
        tmp = Path(tmp_name)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(source):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise EvidenceError(
                            "error.evidence.too_large",
                            filename=filename,
                            limit=human_size(self.max_bytes),
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise EvidenceError("error.evidence.empty", filename=filename)
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.exists():
                tmp.unlink()
                return StoredBlob(sha, size, new=False)
            final.parent.mkdir(mode=0o700, exist_ok=True)
            os.replace(tmp, final)
            self._fsync_dir(final.parent)
            return StoredBlob(sha, size, new=True)
        except BaseException as err:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            if isinstance(err, OSError) and err.errno in _NO_SPACE:
                raise StorageError("error.storage.evidence_full", filename=filename) from None
            raise

    def open(self, sha256: str) -> BinaryIO:
        path = self.path_for(sha256)
        if not path.exists():
            raise EvidenceError("error.evidence.missing_blob", sha256=sha256)
        return path.open("rb")

    def _sweep_stale(self) -> None:
        cutoff = time.time() - _STALE_SECONDS
        for leftover in self.root.glob(_TMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    @staticmethod
    def _fsync_dir(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
