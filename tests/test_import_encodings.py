"""Meeting files as Windows editors save them: UTF-8 with or without BOM, UTF-16, Shift_JIS.

The sample meeting is re-encoded and imported into its own database; every
table must come out exactly as from the UTF-8 original (the import event differs
only in the file's name and sha256). A file in none of these encodings is refused
with one Japanese line saying what to save it as, and nothing is written.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import pytest
from conftest import MEETING_NIGHT, SAMPLE, SECRETARIAT, AdminCli

from duediligence import ImportFormatError
from duediligence.importer import import_file
from duediligence.store import Store

ENCODED = {
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "shift_jis": lambda text: text.encode("shift_jis"),
    "cp932": lambda text: text.encode("cp932"),
    "utf-16": lambda text: text.encode("utf-16"),  # Notepad's "Unicode": a BOM, then LE
}


def _contents(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, the import event without the file's own name and hash."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in store.db.table_names():
        if name == "event_chain":  # hashes of the events, whose file name and hash differ
            continue
        rows = list(store.db[name].rows)
        if name == "events":
            for row in rows:
                row["data"] = (row["data"] or "").replace(store.path, "")
                if row["action"] == "imported":
                    row["data"] = None
        tables[name] = rows
    return tables


def _import(tmp_path: Path, name: str, data: bytes) -> dict[str, list[dict[str, Any]]]:
    path = tmp_path / name / "council-2021-02-10.yaml"
    path.parent.mkdir()
    path.write_bytes(data)
    store = Store.open(tmp_path / name / "dd.db")
    try:
        result = import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
        assert len(result.created) == 27
        return _contents(store)
    finally:
        store.close()


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_sample_imports_identically_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    original = _import(tmp_path, "utf-8", SAMPLE.read_bytes())
    copy = _import(tmp_path, encoding, ENCODED[encoding](text))
    assert copy == original
    assert any("収納課" in str(row) for row in copy["conditions"])  # real text, not mojibake


def test_shift_jis_copy_reimported_over_the_utf8_one_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    copy = tmp_path / "sjis.yaml"
    copy.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("shift_jis"))
    result = import_file(store, copy, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert result.created == [] and result.updated == [] and len(result.unchanged) == 27


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.read_text(encoding="utf-8").encode("euc_jp"),  # old Unix editors
        b"\x00\x01\x02\xff\xfe\xfd binary \x80\x81",
    ],
    ids=["euc-jp", "binary"],
)
def test_unreadable_encoding_is_one_clear_message(
    store: Store, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "meeting.yaml"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError) as caught:
        import_file(store, path, actor=SECRETARIAT, now=MEETING_NIGHT)
    message = caught.value.render("ja")
    assert "文字コードを読み取れません" in message and "UTF-8" in message
    assert "Shift_JIS" in message and "codec" not in message
    assert "encoding cannot be read" in caught.value.render("en")
    assert store.conditions() == []


def test_cli_says_it_in_japanese_without_a_traceback(tmp_path: Path, admin: AdminCli) -> None:
    path = tmp_path / "meeting.yaml"
    path.write_bytes(b"council: \xff\xfe\x80\n")
    result = admin("import", str(path), "--as", SECRETARIAT)
    assert result.exit_code == 1
    assert "文字コードを読み取れません" in result.output
    assert "Traceback" not in result.output and "codec" not in result.output
