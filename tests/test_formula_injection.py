"""Formula injection: text that looks like a formula is written as text in every workbook.

The sample meeting is imported with its vendors renamed ``=1+1``, ``@SUM(A1)`` and
``=HYPERLINK("http://x")株式会社``, one condition text starting with ``+`` and one
with a tab and a DDE payload; the report pack, the roster template and the demo's files are then
opened with openpyxl *and* read as raw XML, and so is the registration workbook
exported from the same meeting: no cell is a formula or an error.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from duediligence.checks.roster import write_template
from duediligence.evidence import BlobStore
from duediligence.importer import import_file
from duediligence.intake.export import export_meeting
from duediligence.intake.write import write_template as write_intake_template
from duediligence.report import build_pack
from duediligence.safe_cell import looks_like_formula, safe_row, save_workbook
from duediligence.store import Store
from duediligence.tracker import Tracker

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
IMPORTED = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
PACKED = dt.datetime(2021, 5, 12, 9, 0, tzinfo=TOKYO)
SECRETARIAT = "U01JIMU0001"

HOSTILE_VENDORS = {
    "株式会社サンプル収納サービス": "=1+1",
    "株式会社サンプル人材サービス": "@SUM(A1)",
    "サンプル予約システムズ株式会社": '=HYPERLINK("http://x")株式会社',
}
PLUS_TEXT = "+81 3 0000 0000 に電話で確認する"
TAB_TEXT = "=cmd|' /C calc'!A0"  # written with a leading tab; the import strips it


def _hostile_yaml(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for real, hostile in HOSTILE_VENDORS.items():
        quoted = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"'
        text = text.replace(real, quoted)
    lines = text.split("\n")
    texts = [n for n, line in enumerate(lines) if line.strip().startswith("text:")]
    indent = lines[texts[0]].split("text:")[0]
    lines[texts[0]] = f'{indent}text: "{PLUS_TEXT}"'
    lines[texts[1]] = f"{indent}text: \"\\t=cmd|' /C calc'!A0\""
    path = tmp_path / "hostile.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _assert_only_text(data: bytes) -> list[str]:
    """Every string cell of the workbook *data* is text; return the strings seen."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
                assert 't="e"' not in xml, f"an error cell in {name}"
    seen: list[str] = []
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    if looks_like_formula(cell.value):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    seen.append(cell.value)
    return seen


@pytest.fixture
def hostile(tmp_path: Path) -> Tracker:
    store = Store.open(tmp_path / "hostile.db")
    import_file(store, _hostile_yaml(tmp_path), actor=SECRETARIAT, now=IMPORTED)
    yield Tracker(store, BlobStore(tmp_path / "evidence"))
    store.close()


def test_hostile_vendor_names_are_imported_as_given(hostile: Tracker) -> None:
    vendors = {c.vendor for c in hostile.store.conditions() if c.vendor}
    assert set(HOSTILE_VENDORS.values()) <= vendors
    texts = {c.text for c in hostile.store.conditions()}
    assert PLUS_TEXT in texts and TAB_TEXT in texts


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_report_pack_has_only_text_cells(hostile: Tracker, tmp_path: Path, lang: str) -> None:
    pack = build_pack(hostile.store, None, tmp_path / f"out-{lang}", now=PACKED, lang=lang)
    seen = _assert_only_text(pack.xlsx.read_bytes())
    for hostile_text in (*HOSTILE_VENDORS.values(), PLUS_TEXT, TAB_TEXT):
        assert hostile_text in seen  # written exactly as given, not altered, not evaluated


def test_intake_export_has_only_text_cells_and_imports_back_unchanged(
    hostile: Tracker, tmp_path: Path
) -> None:
    out = tmp_path / "R2-6.xlsx"
    export_meeting(hostile.store, "R2-6", out)
    seen = _assert_only_text(out.read_bytes())
    for hostile_text in (*HOSTILE_VENDORS.values(), PLUS_TEXT, TAB_TEXT):
        assert hostile_text in seen
    result = import_file(hostile.store, out, actor=SECRETARIAT, now=PACKED)
    assert result.created == [] and result.updated == [] and len(result.unchanged) == 27
    _assert_only_text(write_intake_template(tmp_path / "blank.xlsx").read_bytes())


def test_roster_template_and_demo_files_have_only_text_cells(tmp_path: Path) -> None:
    from bot import demo_files

    template = write_template(tmp_path / "template.xlsx")
    _assert_only_text(template.read_bytes())
    people = (("=1+1", "業務従事者", "@SUM(A1)"), ("-2", "業務従事者", "#N/A"))
    at = dt.datetime(2021, 2, 17, 10, 0, tzinfo=TOKYO)
    roster = demo_files.write_roster(tmp_path / "roster.xlsx", people, at)
    seen = _assert_only_text(roster.read_bytes())
    assert {"=1+1", "@SUM(A1)", "-2", "#N/A"} <= set(seen)
    pledges = demo_files.write_pledge_list(tmp_path / "pledges.xlsx", (("+1", "はい"),), at)
    assert "+1" in _assert_only_text(pledges.read_bytes())


@pytest.mark.parametrize("write_only", [True, False])
def test_helper_covers_both_workbook_modes(write_only: bool) -> None:
    values = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "#DIV/0!", "plain", "a=b", 3, None]
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    if write_only:
        sheet.append(safe_row(sheet, values))
    else:
        sheet.append(values)  # written raw: save_workbook has to catch it
    buffer = io.BytesIO()
    save_workbook(book, buffer)
    seen = _assert_only_text(buffer.getvalue())
    assert seen == [v for v in values if isinstance(v, str)]


def test_which_text_looks_like_a_formula() -> None:
    for text in ("=1", "+1", "-1", "@SUM(A1)", "\t1", "\r1", "#N/A", "#REF!"):
        assert looks_like_formula(text), text
    for text in ("", "株式会社", "a=b", "1-1", "#1 営業所", "R2-15-01"):
        assert not looks_like_formula(text), text
