"""Minutes as published (plain text, Word or a text PDF) read into lines and utterances.

Published minutes are a PDF or Word file turned into text, so a sentence is often
cut by a page break, and who speaks is shown only by layout: a member's remark is
a bullet, the department's answer an indented bullet or an arrow, the secretariat
is named in brackets. The reader undoes the page breaks and keeps each utterance
with the line it starts on, so every proposal can point at its source.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..errors import DueDiligenceError
from ..text_files import decode_text_file

__all__ = ["Role", "Utterance", "Minutes", "read_minutes", "minutes_from_text"]

#: bigger than any real minutes file; a guard against being handed something else
MAX_BYTES = 20 * 1024 * 1024


class Role(StrEnum):
    MEMBER = "member"
    DEPARTMENT = "department"
    SECRETARIAT = "secretariat"
    NARRATION = "narration"  # headings, the presenter's prose, the record's own words


@dataclass(slots=True)
class Utterance:
    line: int  # 1-based line of the file the utterance starts on
    text: str  # as written (page breaks undone)
    role: Role
    indented: bool = False
    sentences: list[str] = field(default_factory=list)

    @property
    def norm(self) -> str:
        return normalize(self.text)


@dataclass(slots=True)
class Minutes:
    lines: list[tuple[int, str]]  # (line number, logical line) after joining page breaks
    raw: str


def normalize(text: str) -> str:
    """What patterns see: NFKC (ASCII digits and brackets) with the spaces PDF text adds."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text).strip()


def read_minutes(path: Path) -> Minutes:
    """Minutes from *path*: .txt (UTF-8 or Shift_JIS), .docx or a PDF with a text layer."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DueDiligenceError("draft.unreadable", path=str(path), reason=exc.strerror) from exc
    return minutes_from_bytes(data, filename=path.name)


def minutes_from_bytes(data: bytes, *, filename: str) -> Minutes:
    """Sniff the content, not the name: a renamed PDF is still a PDF."""
    if not data.strip():
        raise DueDiligenceError("draft.empty", path=filename)
    if len(data) > MAX_BYTES:
        raise DueDiligenceError("draft.too_large", path=filename, limit=f"{MAX_BYTES // 2**20} MB")
    if data.startswith(b"%PDF-"):
        text = _pdf_text(data, filename)
    elif data.startswith(b"PK\x03\x04"):
        text = _docx_text(data, filename)
    else:
        decoded = decode_text_file(data)
        if decoded is None:
            raise DueDiligenceError("draft.not_minutes", path=filename)
        text = decoded
    if not text.strip():
        raise DueDiligenceError("draft.no_text", path=filename)
    return minutes_from_text(text)


def minutes_from_text(text: str) -> Minutes:
    # Word and PDF text can hold control characters no sentence needs (and no workbook takes)
    text = _CONTROL.sub("", text)
    return Minutes(lines=_join_page_breaks(text.splitlines()), raw=text)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- file formats -------------------------------------------------------------------


def _pdf_text(data: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DueDiligenceError("draft.not_minutes", path=filename) from exc
    return "\n".join(pages)


def _docx_text(data: bytes, filename: str) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DueDiligenceError("draft.not_minutes", path=filename) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("| " + " | ".join(cell.text for cell in row.cells) + " |")
    return "\n".join(lines)


# -- lines -------------------------------------------------------------------------

#: how a line that starts something new begins (so it is not the tail of the last one)
_STARTS = re.compile(r"^\s*([-・●○◯※→⇒|]|\(\d+\)|（\d+）|\d+\s|【|\(\S{1,12}\)$)")
#: how a complete line ends
_ENDS = re.compile(r"[。．？?！!」』)）|:：]\s*$")


def _join_page_breaks(raw_lines: list[str]) -> list[tuple[int, str]]:
    """Lines with a sentence cut by a page break put back together."""
    out: list[tuple[int, str]] = []
    open_line = False
    for number, line in enumerate(raw_lines, start=1):
        text = line.rstrip()
        if not text.strip():
            continue
        if out and open_line and not _STARTS.match(text):
            start, previous = out[-1]
            out[-1] = (start, previous + text.strip())
        else:
            out.append((number, text))
        open_line = not _ENDS.search(out[-1][1]) and not _heading(out[-1][1])
    return out


def _heading(text: str) -> bool:
    stripped = text.strip()
    return bool(re.match(r"^(\(\d+\)|（\d+）|○|◯|●|※|【)", stripped)) and len(stripped) < 60


def split_sentences(text: str) -> list[str]:
    """Sentences of one utterance; a 「quotation」 never ends one."""
    sentences: list[str] = []
    depth = 0
    current = ""
    for char in text:
        current += char
        if char in "「『(（":
            depth += 1
        elif char in "」』)）" and depth:
            depth -= 1
        elif char in "。？?！!" and depth == 0:
            sentences.append(current.strip())
            current = ""
    if current.strip():
        sentences.append(current.strip())
    return sentences
