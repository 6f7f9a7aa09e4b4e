"""``backup`` and ``restore``: a consistent snapshot with its evidence and a sha256 manifest.

The snapshot is taken with SQLite's online backup API, so it is consistent while the
bot is answering and delivering (each page copy sees one committed state). The archive
(``.tar.gz``, written 0600: it holds every roster) contains ``manifest.json`` first,
then ``duediligence.db`` and every evidence file as ``evidence/<xx>/<sha256>``. The
manifest lists each member's sha256 and size, the schema version, the number of
events and the chain's latest hash.

A restore reads the whole archive and checks every member against the manifest before
it writes anything; a truncated or altered archive is refused with nothing written.
Only then are the database and the evidence directory written beside their targets
and renamed into place. The backup itself is an export: a ``backup_written`` event
(with the archive's sha256) is appended once the archive is complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import DueDiligenceError
from ..evidence import CHUNK
from ..private_files import DIR_MODE, FILE_MODE, create_private, open_private

if TYPE_CHECKING:
    from ..store import Store

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "duediligence.db"
EVIDENCE = "evidence"


class BackupError(DueDiligenceError):
    """A backup that cannot be taken, or an archive that cannot be restored."""

    key = "backup.error"


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    sha256: str
    files: int  # evidence files
    events: int
    chain_head: str


@dataclass(frozen=True, slots=True)
class RestoreResult:
    db: Path
    evidence_dir: Path
    files: int
    events: int
    chain_head: str


def backup(
    store: Store,
    evidence_dir: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    actor: str,
    now: dt.datetime,
) -> BackupResult:
    """Write the archive to *out* (atomically, 0600) and record the export."""
    if store.engine != "sqlite":
        raise BackupError("backup.postgresql")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    evidence_root = Path(evidence_dir)
    with tempfile.TemporaryDirectory(prefix=".dd-backup-", dir=out.parent) as scratch:
        snapshot = create_private(Path(scratch) / DATABASE)
        store.snapshot_to(snapshot)
        members: list[tuple[str, Path]] = [(DATABASE, snapshot)]
        members += [(f"{EVIDENCE}/{p.parent.name}/{p.name}", p) for p in _blobs(evidence_root)]
        head, events = _chain_facts(snapshot)  # before hashing: opening may touch the file
        listed = []
        for name, path in members:
            digest, size = _digest_file(path)
            listed.append({"path": name, "sha256": digest, "size": size})
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": "sqlite",
            "schema_version": store.schema_version,
            "events": events,
            "chain_head": head,
            "members": listed,
        }
        partial = Path(scratch) / "archive.tar.gz"
        with open_private(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            tar.addfile(_info(MANIFEST, len(data), now), io.BytesIO(data))
            for (name, path), entry in zip(members, listed, strict=True):
                with path.open("rb") as stream:
                    tar.addfile(_info(name, int(entry["size"]), now), stream)
            raw.flush()
        digest, _ = _digest_file(partial)
        os.replace(partial, out)
    with store.transaction():
        store.append_event(
            "records:backup",
            "backup_written",
            actor=actor,
            at=now,
            data={
                "files": [out.name],
                "sha256": digest,
                "evidence_files": len(members) - 1,
                "events": events,
                "chain_head": head,
                "surface": "cli",
            },
        )
    return BackupResult(out, digest, len(members) - 1, events, head)


def restore(
    archive: str | os.PathLike[str],
    *,
    db: str | os.PathLike[str],
    evidence_dir: str | os.PathLike[str],
) -> RestoreResult:
    """Check *archive* whole, then write the database and evidence; refuse to overwrite."""
    archive = Path(archive)
    db_path, evidence_root = Path(db), Path(evidence_dir)
    if db_path.exists():
        raise BackupError("backup.target_exists", path=str(db_path))
    if evidence_root.exists() and any(evidence_root.iterdir()):
        raise BackupError("backup.target_exists", path=str(evidence_root))
    manifest = _check(archive)  # nothing is written before this has read every byte
    db_path.parent.mkdir(parents=True, exist_ok=True)
    evidence_root.parent.mkdir(parents=True, exist_ok=True)
    staged_db = db_path.with_name(f".{db_path.name}.restoring")
    staged_evidence = Path(tempfile.mkdtemp(prefix=".dd-restore-", dir=evidence_root.parent))
    try:
        expected = {m["path"]: m for m in manifest["members"]}
        for name, stream in _members(archive):
            if name == MANIFEST:
                continue
            target = staged_db if name == DATABASE else staged_evidence / name.split("/", 1)[1]
            target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with open_private(target) as sink:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    sink.write(chunk)
                sink.flush()
                os.fsync(sink.fileno())
            if digest.hexdigest() != expected[name]["sha256"]:  # the file changed under us
                raise BackupError("backup.damaged", path=str(archive), detail=name)
        if evidence_root.exists():
            evidence_root.rmdir()  # empty, checked above
        os.chmod(staged_evidence, DIR_MODE)
        os.replace(staged_evidence, evidence_root)
        os.replace(staged_db, db_path)
        os.chmod(db_path, FILE_MODE)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            staged_db.unlink()
        shutil.rmtree(staged_evidence, ignore_errors=True)
        raise
    return RestoreResult(
        db_path,
        evidence_root,
        len(manifest["members"]) - 1,
        int(manifest["events"]),
        str(manifest["chain_head"]),
    )


def _check(archive: Path) -> dict:
    """Read every member, compare with the manifest; the manifest on success."""
    manifest: dict | None = None
    seen: set[str] = set()
    try:
        for name, stream in _members(archive):
            if manifest is None:
                if name != MANIFEST:
                    raise BackupError("backup.damaged", path=str(archive), detail="manifest")
                manifest = json.loads(stream.read().decode("utf-8"))
                if manifest.get("format") != FORMAT:
                    raise BackupError("backup.damaged", path=str(archive), detail="format")
                continue
            entry = {m["path"]: m for m in manifest["members"]}.get(name)
            if entry is None or name in seen or not _safe(name):
                raise BackupError("backup.damaged", path=str(archive), detail=name)
            digest, size = _digest_stream(stream)
            if digest != entry["sha256"] or size != entry["size"]:
                raise BackupError("backup.damaged", path=str(archive), detail=name)
            seen.add(name)
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, KeyError) as err:
        raise BackupError("backup.damaged", path=str(archive), detail=type(err).__name__) from None
    if manifest is None:
        raise BackupError("backup.damaged", path=str(archive), detail="manifest")
    missing = {m["path"] for m in manifest["members"]} - seen
    if missing or DATABASE not in seen:
        raise BackupError("backup.damaged", path=str(archive), detail=sorted(missing)[0])
    return manifest


def _members(archive: Path) -> Iterator[tuple[str, BinaryIO]]:
    """Regular-file members in order (streamed: ``r|gz`` reads the archive once)."""
    with tarfile.open(archive, mode="r|gz") as tar:
        for info in tar:
            if not info.isfile():
                raise BackupError("backup.damaged", path=str(archive), detail=info.name)
            stream = tar.extractfile(info)
            assert stream is not None
            yield info.name, stream  # type: ignore[misc]


def _safe(name: str) -> bool:
    if name == DATABASE:
        return True
    parts = name.split("/")
    return (
        len(parts) == 3
        and parts[0] == EVIDENCE
        and len(parts[2]) == 64
        and all(c in "0123456789abcdef" for c in parts[2])
        and parts[1] == parts[2][:2]
    )


def _blobs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.glob("??/*")
        if p.is_file() and _safe(f"{EVIDENCE}/{p.parent.name}/{p.name}")
    )


def _digest_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return _digest_stream(stream)


def _digest_stream(stream: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _chain_facts(snapshot: Path) -> tuple[str, int]:
    """The snapshot's own latest chain hash and event count (what a restore must show)."""
    from ..store import Store

    copy = Store.open(snapshot)
    try:
        return copy.chain_head_hash(), copy.event_count()
    finally:
        copy.close()


def _info(name: str, size: int, now: dt.datetime) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = FILE_MODE
    info.mtime = int(now.timestamp())
    return info
