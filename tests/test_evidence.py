"""The evidence store: atomic, deduplicated, streamed, private, and every read logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, SHUNO_OWNER, STRANGER, VACC_OWNER

from duediligence import BlobStore, EvidenceError, PermissionDenied, Status
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=1)


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_blob_written_private_and_addressed_by_sha256(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "ev")
    stored = blobs.put([b"roster ", b"rows"], filename="meibo.xlsx")
    assert stored.sha256 == hashlib.sha256(b"roster rows").hexdigest()
    assert stored.size == 11 and stored.new
    path = blobs.path_for(stored.sha256)
    assert path.read_bytes() == b"roster rows"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "ev").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_same_bytes_twice_is_one_blob_two_references(sample: Tracker, blobs: BlobStore) -> None:
    first = sample.store_evidence(
        "R2-15-08", [b"same"], filename="a.pdf", actor=SHUNO_OWNER, now=LATER
    )
    second = sample.store_evidence(
        "R2-15-09", [b"same"], filename="b.pdf", actor=SHUNO_OWNER, now=LATER
    )
    assert first.sha256 == second.sha256
    assert len(files_in(blobs.root)) == 1
    assert sample.store.evidence_references(first.sha256) == 2


def test_new_upload_supersedes_without_overwriting(sample: Tracker) -> None:
    sample.store_evidence("R2-15-08", [b"v1"], filename="meibo.xlsx", actor=SHUNO_OWNER, now=LATER)
    sample.store_evidence("R2-15-08", [b"v2"], filename="meibo.xlsx", actor=SHUNO_OWNER, now=LATER)
    evidence = sample.evidence("R2-15-08")
    assert [e.sha256 for e in evidence] == [hashlib.sha256(b).hexdigest() for b in (b"v1", b"v2")]
    assert [e.action for e in sample.store.events("R2-15-08")][-2:] == [
        "submitted",
        "evidence_added",
    ]


def test_empty_upload_refused_and_nothing_changes(sample: Tracker, blobs: BlobStore) -> None:
    with pytest.raises(EvidenceError) as err:
        sample.store_evidence("R2-15-08", [b""], filename="empty.pdf", actor=SHUNO_OWNER, now=LATER)
    assert "空" in err.value.render("ja") and "empty" in err.value.render("en")
    assert files_in(blobs.root) == []
    assert sample.store.condition("R2-15-08").status is Status.OPEN
    assert sample.evidence("R2-15-08") == []


def test_oversized_upload_refused_while_streaming(sample: Tracker, blobs: BlobStore) -> None:
    pulled = 0

    def chunks() -> Iterator[bytes]:
        nonlocal pulled
        for _ in range(100):
            pulled += 1
            yield b"x" * (256 * 1024)

    with pytest.raises(EvidenceError) as err:
        sample.store_evidence(
            "R2-15-08", chunks(), filename="big.pdf", actor=SHUNO_OWNER, now=LATER
        )
    assert "上限" in err.value.render("ja")
    assert pulled == 5  # stopped at the first chunk past the 1 MB limit, never read the rest
    assert files_in(blobs.root) == []
    assert sample.store.condition("R2-15-08").status is Status.OPEN


def test_interrupted_write_leaves_no_partial_blob(sample: Tracker, blobs: BlobStore) -> None:
    def broken() -> Iterator[bytes]:
        yield b"half a file"
        raise ConnectionError("download cut")

    with pytest.raises(ConnectionError):
        sample.store_evidence("R2-15-08", broken(), filename="x.pdf", actor=SHUNO_OWNER, now=LATER)
    assert files_in(blobs.root) == []
    assert sample.evidence("R2-15-08") == []


def test_stale_temporary_files_are_swept(tmp_path: Path) -> None:
    root = tmp_path / "ev"
    root.mkdir()
    leftover = root / ".incoming-crashed"
    leftover.write_bytes(b"partial")
    import os

    os.utime(leftover, (0, 0))
    BlobStore(root)
    assert not leftover.exists()


def test_user_filename_never_reaches_the_filesystem(sample: Tracker, blobs: BlobStore) -> None:
    added = sample.store_evidence(
        "R2-15-08", [b"data"], filename="../../etc/passwd", actor=SHUNO_OWNER, now=LATER
    )
    assert added.filename == "passwd"
    assert files_in(blobs.root) == [blobs.path_for(added.sha256)]


def test_non_owner_upload_refused_before_storing(sample: Tracker, blobs: BlobStore) -> None:
    for who in (VACC_OWNER, STRANGER, SECRETARIAT):
        with pytest.raises(PermissionDenied):
            sample.store_evidence("R2-15-08", [b"data"], filename="a.pdf", actor=who, now=LATER)
    assert files_in(blobs.root) == []


def test_every_read_is_logged_and_only_for_owner_or_secretariat(sample: Tracker) -> None:
    added = sample.store_evidence(
        "R2-15-08", [b"names"], filename="meibo.csv", actor=SHUNO_OWNER, now=LATER
    )
    for who in (SHUNO_OWNER, SECRETARIAT):
        found, stream = sample.read_evidence("R2-15-08", added.sha256, actor=who, now=LATER)
        with stream:
            assert stream.read() == b"names"
        assert found.filename == "meibo.csv"
    reads = [e for e in sample.store.events("R2-15-08") if e.action == "evidence_read"]
    assert [e.actor for e in reads] == [SHUNO_OWNER, SECRETARIAT]
    with pytest.raises(PermissionDenied):
        sample.read_evidence("R2-15-08", added.sha256, actor=VACC_OWNER, now=LATER)
    assert len([e for e in sample.store.events("R2-15-08") if e.action == "evidence_read"]) == 2


def test_unknown_sha_is_a_clear_error(sample: Tracker) -> None:
    with pytest.raises(Exception, match="sha256"):
        sample.read_evidence("R2-15-08", "0" * 64, actor=SECRETARIAT, now=LATER)


def test_a_host_with_a_private_evidence_dir_refuses_to_start(
    admin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin.import_sample()
    upload = tmp_path / "meibo.pdf"
    upload.write_bytes(b"%PDF- roster")
    added = admin("evidence", "add", "R2-15-01", str(upload), "--as", "U02SHUNO001")
    assert added.exit_code == 0, added.output
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(tmp_path / "other-host-disk"))
    refused = admin("evidence", "add", "R2-15-03", str(upload), "--as", "U02SHUNO001")
    assert refused.exit_code == 2
    assert "DD_EVIDENCE_DIR" in refused.output and "起動を中止" in refused.output
    assert admin("status", "--json").exit_code == 0  # reading the database still works
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(tmp_path / "evidence"))
    assert admin("show", "R2-15-03", "--json").exit_code == 0
