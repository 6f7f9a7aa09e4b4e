"""The bad-input pass, kept: what a hostile or careless user can send, and what happens.

Each case ends with a clear message (Japanese first) and nothing changed, or with
the input stored as plain data. Every case is listed with its result in
docs/security.md. Real files, real SQLite, real subprocesses for the cases that
need another process (a lock holder, a small file-size limit, kill -9).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import MEETING_NIGHT, ROOT, SAMPLE, SECRETARIAT, SHUNO_OWNER

from duediligence import ImportFormatError
from duediligence.checks.roster import write_template
from duediligence.errors import EvidenceError, StorageError
from duediligence.evidence import BlobStore
from duediligence.importer import MAX_IMPORT_BYTES, import_file
from duediligence.report import build_pack
from duediligence.store import Store
from duediligence.tracker import Tracker
from duediligence.zip_guard import MAX_UNPACKED, unpacks_within

LATER = MEETING_NIGHT + dt.timedelta(days=7)
PACKED = dt.datetime(2021, 5, 12, 9, 0, tzinfo=MEETING_NIGHT.tzinfo)
CLEAN_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("DD_", "SLACK_", "HTTP", "http"))
}


def _refused(store: Store, path: Path, key: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert key in [problem[1] for problem in caught.value.problems], caught.value.problems
    assert store.conditions() == [] and store.meetings() == []
    return caught.value


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**CLEAN_ENV, "DD_DB": str(tmp_path / "dd.db"), **env}
    environment.setdefault("DD_EVIDENCE_DIR", str(tmp_path / "evidence"))
    return subprocess.run(
        [sys.executable, "-m", "duediligence", "--now", "2021-02-17T10:00:00+09:00", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- YAML bombs and oversize files -------------------------------------------------------


def test_billion_laughs_is_refused_fast(store: Store, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("council: *i")  # 9**9 strings if anything expanded the aliases
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    _refused(store, path, "import.unknown_field")
    assert time.perf_counter() - started < 2


def test_merge_key_bomb_is_refused_fast(store: Store, tmp_path: Path) -> None:
    lines = ["l0: &l0 {k0: 1, k1: 1, k2: 1, k3: 1}"]
    lines += [f"l{n}: &l{n} {{<<: [*l{n - 1}, *l{n - 1}]}}" for n in range(1, 40)]
    path = tmp_path / "merge.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    _refused(store, path, "import.unknown_field")
    assert time.perf_counter() - started < 2


def test_deep_nesting_is_one_message_not_a_recursion_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("council: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    error = _refused(store, path, "import.too_deep")
    assert "入れ子" in error.render("ja")
    result = _cli(tmp_path, "import", str(path), "--as", SECRETARIAT)
    assert result.returncode == 1 and "入れ子" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


def test_oversize_file_is_refused_before_it_is_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:  # valid YAML comments, 1 MB past the limit
        line = b"# " + b"x" * 1021 + b"\n"
        for _ in range(MAX_IMPORT_BYTES // len(line) + 1024):
            out.write(line)
    started = time.perf_counter()
    error = _refused(store, path, "import.too_large")
    assert time.perf_counter() - started < 2
    assert "20.0 MB" in error.render("ja")


# -- zip bombs in uploaded workbooks and documents ------------------------------------


def _bomb_xlsx(tmp_path: Path, unpacked: int = MAX_UNPACKED + 8 * 1024 * 1024) -> bytes:
    """A real roster workbook whose sheet XML is padded to *unpacked* bytes (about 0.1% packed)."""
    honest = write_template(tmp_path / "honest.xlsx").read_bytes()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(honest)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w") as sheet:
                    head, tail = body.split(b"<sheetData>")
                    sheet.write(head + b"<sheetData>")
                    chunk = b" " * (1024 * 1024)  # whitespace between elements: still valid XML
                    for _ in range(unpacked // len(chunk)):
                        sheet.write(chunk)
                    sheet.write(tail)
            else:
                target.writestr(info, body)
    return out.getvalue()


def test_zip_bomb_roster_upload_is_refused_unopened(sample: Tracker, tmp_path: Path) -> None:
    bomb = _bomb_xlsx(tmp_path)
    assert len(bomb) < 1024 * 1024 and not unpacks_within(bomb)
    before = sample.store.condition("R2-15-08")
    started = time.perf_counter()
    with pytest.raises(EvidenceError) as caught:
        sample.submit_evidence(
            "R2-15-08", bomb, filename="meibo.xlsx", actor=SHUNO_OWNER, now=LATER
        )
    assert time.perf_counter() - started < 10
    assert "圧縮爆弾" in caught.value.render("ja") and "64.0 MB" in caught.value.render("ja")
    assert sample.store.condition("R2-15-08") == before
    assert sample.evidence("R2-15-08") == []


def test_honest_workbooks_pass_the_zip_guard(tmp_path: Path) -> None:
    assert unpacks_within(write_template(tmp_path / "t.xlsx").read_bytes())
    assert unpacks_within(b"not a zip at all")  # the reader reports that in its own words


def test_zip_bomb_registration_workbook_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "R2-6.xlsx"
    path.write_bytes(_bomb_xlsx(tmp_path))
    error = _refused(store, path, "import.zip_bomb")
    assert "圧縮爆弾" in error.render("ja")


def test_a_docx_bomb_is_stored_as_a_file_and_never_opened(sample: Tracker, tmp_path: Path) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        for _ in range(256):  # 256 MB unpacked
            member.write(b"\0" * (1024 * 1024))
    data = out.getvalue()
    started = time.perf_counter()
    result = sample.submit_evidence(
        "R2-15-01", data, filename="kaitou.docx", actor=SHUNO_OWNER, now=LATER
    )
    assert time.perf_counter() - started < 5  # not unpacked: an answer is only kept
    assert result.evidence.size == len(data)
    assert sample.blobs.path_for(result.evidence.sha256).read_bytes() == data


# -- file names --------------------------------------------------------------------------

NAMES = {
    "../../../../etc/passwd": "passwd",
    "..\\..\\Windows\\System32\\drivers\\etc\\hosts": "hosts",
    "/tmp/evil.pdf": "evil.pdf",
    "meibo\x00.xlsx\x1b[2J\r\n.pdf": "meibo.xlsx[2J.pdf",
    "\u202egpj.exe": "gpj.exe",  # right-to-left override: would show as "exe.jpg"
    "..": "..",
    "": "evidence",
    "\x07\x08": "evidence",
}


def test_path_like_and_control_character_names_are_metadata_only(
    sample: Tracker, tmp_path: Path
) -> None:
    root = Path(sample.blobs.root)
    outside_before = set(tmp_path.parent.iterdir())
    for number, (name, shown) in enumerate(NAMES.items()):
        result = sample.submit_evidence(
            "R2-15-01",
            f"answer {number}".encode(),
            filename=name,
            actor=SHUNO_OWNER,
            now=LATER,
        )
        assert result.evidence.filename == shown
        stored = sample.blobs.path_for(result.evidence.sha256)
        assert stored.parent.parent == root and stored.name == result.evidence.sha256
    assert set(tmp_path.parent.iterdir()) == outside_before
    assert not Path("/etc/passwd").samefile(root) and not (root / "passwd").exists()
    pack = build_pack(sample.store, "R3-1", tmp_path / "pack", now=PACKED)
    assert pack.xlsx.exists() and pack.docx.exists()


def test_invisible_characters_in_an_import_are_refused_with_the_line(
    store: Store, tmp_path: Path
) -> None:
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    doc["consultations"][0]["vendors"][0]["name"] = "\x1b[2J株式会社\u202eサンプル"
    path = tmp_path / "escape.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    error = _refused(store, path, "import.invisible")
    assert "制御文字(U+001B)" in error.render("ja")
    lines = {problem[0] for problem in error.problems}
    assert None not in lines  # every problem names its line


def test_a_control_character_in_a_reason_does_not_stop_the_report(
    sample: Tracker, tmp_path: Path
) -> None:
    sample.submit_evidence("R2-15-01", b"answer", filename="a.pdf", actor=SHUNO_OWNER, now=LATER)
    sample.return_("R2-15-01", actor=SECRETARIAT, reason="紙媒体\x01の記載なし\x1b", now=LATER)
    pack = build_pack(sample.store, "R3-1", tmp_path / "pack", now=PACKED)
    assert pack.xlsx.exists() and pack.docx.exists() and pack.markdown.exists()


# -- another process holds the database ------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_locked_database_is_waited_for_then_refused_plainly(tmp_path: Path) -> None:
    imported = _cli(tmp_path, "import", str(SAMPLE), "--as", SECRETARIAT)
    assert imported.returncode == 0, imported.stderr
    holder = _hold_lock(tmp_path / "dd.db", 30)
    try:
        started = time.perf_counter()
        waived = _cli(
            tmp_path,
            "waive",
            "R2-15-12",
            "--reason",
            "不要",
            "--as",
            SECRETARIAT,
            DD_BUSY_SECONDS="1",
        )
        waited = time.perf_counter() - started
    finally:
        holder.kill()
        holder.wait()
    assert waived.returncode == 1
    assert "別の処理" in waived.stderr and "1 秒待っても" in waived.stderr
    assert "何も変更していません" in waived.stderr
    assert "Traceback" not in waived.stderr and "OperationalError" not in waived.stderr
    assert 1 <= waited < 30
    shown = _cli(tmp_path, "show", "R2-15-12", "--json")
    assert '"status": "open"' in shown.stdout  # nothing changed
    again = _cli(tmp_path, "waive", "R2-15-12", "--reason", "不要", "--as", SECRETARIAT)
    assert again.returncode == 0, again.stderr  # the lock gone, the same command works


def test_a_short_lock_is_simply_waited_out(tmp_path: Path) -> None:
    assert _cli(tmp_path, "import", str(SAMPLE), "--as", SECRETARIAT).returncode == 0
    holder = _hold_lock(tmp_path / "dd.db", 1.5)
    try:
        waived = _cli(tmp_path, "waive", "R2-15-12", "--reason", "不要", "--as", SECRETARIAT)
    finally:
        holder.wait(timeout=30)
    assert waived.returncode == 0, waived.stderr


def test_storage_error_from_the_library(tmp_path: Path) -> None:
    db = tmp_path / "dd.db"
    Store.open(db).close()
    holder = _hold_lock(db, 30)
    store = Store.open(db, busy_seconds=0.2)
    try:
        with pytest.raises(StorageError) as caught, store.transaction():
            pass
        assert "0.2 秒待っても" in caught.value.render("ja")
        assert "stayed locked for 0.2 seconds" in caught.value.render("en")
    finally:
        store.close()
        holder.kill()
        holder.wait()


# -- the disk fills up while evidence is stored ----------------------------------------


def _limit_file_size(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: EFBIG


def test_disk_full_while_storing_evidence_leaves_nothing_half_written(tmp_path: Path) -> None:
    assert _cli(tmp_path, "import", str(SAMPLE), "--as", SECRETARIAT).returncode == 0
    upload = tmp_path / "scan.pdf"
    upload.write_bytes(os.urandom(6 * 1024 * 1024))
    env = {**CLEAN_ENV, "DD_DB": str(tmp_path / "dd.db"), "DD_EVIDENCE_DIR": str(tmp_path / "ev")}
    done = subprocess.run(
        [sys.executable, "-m", "duediligence", "--now", "2021-02-17T10:00:00+09:00"]
        + ["evidence", "add", "R2-15-01", str(upload), "--as", SHUNO_OWNER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: _limit_file_size(4 * 1024 * 1024),  # room for the DB, not the scan
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "空き容量が足りない" in done.stderr and "何も記録していません" in done.stderr
    assert "Traceback" not in done.stderr
    assert [p for p in (tmp_path / "ev").rglob("*") if p.is_file()] == []  # no partial file
    store = Store.open(tmp_path / "dd.db")
    try:
        assert store.condition("R2-15-01").status.value == "open"
        assert store.evidence_of("R2-15-01") == []
        assert [e.action for e in store.events("R2-15-01")] == ["created"]
    finally:
        store.close()
    retry = _cli(tmp_path, "evidence", "add", "R2-15-01", str(upload), "--as", SHUNO_OWNER)
    assert retry.returncode == 0, retry.stderr  # with room again, the same upload works


def test_blob_store_maps_a_full_disk_to_storage_error(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "ev")
    pid = os.fork()
    if pid == 0:  # the child writes under a 1 MB limit and reports through its exit status
        code = 3
        try:
            _limit_file_size(1024 * 1024)
            blobs.put([b"x" * (2 * 1024 * 1024)], filename="big.pdf")
        except StorageError as err:
            code = 0 if "big.pdf" in err.render("ja") else 4
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert list((tmp_path / "ev").iterdir()) == []


# -- kill -9 during an import --------------------------------------------------------------


def _big_meeting(path: Path, conditions: int) -> None:
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    template = doc["consultations"][0]["conditions"][0]
    doc["consultations"][0]["conditions"] = [
        {**template, "id": f"R2-15-X{number:05d}", "text": f"{template['text']} ({number})"}
        for number in range(conditions)
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _writing(db: Path) -> bool:
    """True while another connection holds the write lock (the import's one transaction)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


@pytest.mark.parametrize("after", [0.0, 0.1])
def test_kill_9_during_import_leaves_nothing_and_the_import_can_be_redone(
    tmp_path: Path, after: float
) -> None:
    meeting = tmp_path / "big.yaml"
    _big_meeting(meeting, 3000)
    db = tmp_path / "kill.db"
    Store.open(db).close()  # migrated beforehand: the import's transaction is the only writer
    env = {**CLEAN_ENV, "DD_DB": str(db), "DD_EVIDENCE_DIR": str(tmp_path / "ev")}
    command = [sys.executable, "-m", "duediligence", "import", str(meeting), "--as", SECRETARIAT]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _writing(db):
        assert process.poll() is None, "the import ended before it was caught writing"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(after)  # the transaction lasts about 0.3 s here
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed = process.returncode == -signal.SIGKILL
    assert killed or after > 0  # caught writing and killed at once: never finished
    store = Store.open(db)  # opens cleanly: SQLite discards the uncommitted WAL frames
    try:
        if killed:
            assert store.conditions() == [] and store.meetings() == [] and store.events() == []
        else:  # a very fast machine finished first: then all of it is there
            assert len(store.conditions()) > 3000
    finally:
        store.close()
    redo = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert redo.returncode == 0, redo.stderr
    store = Store.open(db)
    try:
        first = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["consultations"][0]
        assert len(store.conditions()) == 27 - len(first["conditions"]) + 3000
    finally:
        store.close()
