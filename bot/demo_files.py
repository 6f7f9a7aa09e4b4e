"""The small files the demo submits: rosters, a pledge list, a pledge scan, a written answer.

The rosters are the real template (:func:`duediligence.checks.roster.write_template`)
with rows filled in, so the upload goes through the roster check as a clerk's
would. Every file is byte-for-byte the same on each run (timestamps inside the
xlsx are the virtual clock's), so the transcript's checksums never change.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from duediligence.checks import roster
from duediligence.safe_cell import save_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook

VENDOR_OFFICE = "株式会社サンプル収納サービス 東京支社"
STARTED = dt.date(2021, 4, 1)

#: (氏名, 役割, 雇用形態): the first version leaves one employment type empty
ROSTER_V1: tuple[tuple[str, str, str], ...] = (
    ("山田 太郎", roster.PRIVACY_OFFICER, "正社員"),
    ("佐藤 花子", roster.LIAISON, "正社員"),
    ("鈴木 一郎", roster.WORKER, ""),
)
ROSTER_V2: tuple[tuple[str, str, str], ...] = (
    ("山田 太郎", roster.PRIVACY_OFFICER, "正社員"),
    ("佐藤 花子", roster.LIAISON, "正社員"),
    ("鈴木 一郎", roster.WORKER, "契約社員"),
)
#: pledges listed in one sheet; 山田 太郎's arrives later as a scan
PLEDGE_LIST: tuple[tuple[str, str], ...] = (("佐藤 花子", "はい"), ("鈴木 一郎", "はい"))


def write_roster(path: Path, people: tuple[tuple[str, str, str], ...], at: dt.datetime) -> Path:
    """The roster template with *people* filled in (所属 and 従事開始日 set for everyone)."""
    from openpyxl import load_workbook

    roster.write_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    # row by row from 2, as a clerk fills it (append() would start below the formatted rows)
    for row, person in enumerate(people, 2):
        name, role, employment = person
        for column, value in enumerate((name, VENDOR_OFFICE, role, employment or None, STARTED), 1):
            sheet.cell(row=row, column=column, value=value)
    return _save_stable(book, path, at)


def write_pledge_list(path: Path, rows: tuple[tuple[str, str], ...], at: dt.datetime) -> Path:
    """A sheet of pledges received: 氏名 and 退職後を含む (はい / いいえ)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "誓約書"
    sheet.append(["氏名", "退職後を含む"])
    for row in rows:
        sheet.append(list(row))
    return _save_stable(book, path, at)


def write_pdf(path: Path, title: str) -> Path:
    """A one-page PDF standing in for a scan (its title in the document info, ASCII only)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title (" + title.encode("ascii") + b") /Producer (ddbot demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def _save_stable(book: Workbook, path: Path, at: dt.datetime) -> Path:
    """Save, then pin the dates openpyxl takes from the system clock to *at*."""
    buffer = io.BytesIO()
    save_workbook(book, buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_pin_dates(buffer.getvalue(), at))
    return path


def _pin_dates(data: bytes, at: dt.datetime) -> bytes:
    """Rewrite an xlsx (a zip) with fixed entry times and fixed created/modified properties."""
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    when = at.astimezone(dt.UTC).timetuple()[:6]
    pattern = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = pattern.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()
