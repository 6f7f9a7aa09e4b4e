"""The erasure certificate (消去証明書) for one purge run, written from the chain.

Councils ask vendors for a certificate that data was erased: what, when, how, by whom.
The tool issues its own from the ``purge_run`` event and the ``evidence_purged`` /
``names_purged`` events of the run: each file by condition, kind, sha256 and size, the
rule that made it due, and the run's chain hash, so anyone can check the certificate
against ``duediligence audit verify`` and ``duediligence events records``. Nothing
erased is quoted: not a file's contents, not a name.

python-docx is imported only here, when a certificate is written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import format_wareki
from ..errors import DueDiligenceError
from ..messages import t

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True, slots=True)
class Certificate:
    path: Path
    run: int
    files: int
    names: int


def write_certificate(
    store: Store,
    out: str | os.PathLike[str],
    *,
    run: int | None,
    actor: str,
    now: dt.datetime,
    lang: str = "ja",
) -> Certificate:
    """Write the certificate of purge *run* (default: the latest) to *out*; the export is logged."""
    import docx
    from docx.shared import Pt

    runs = store.events_with("purge_run")
    if run is not None:
        runs = [r for r in runs if int(r["id"]) == run]
    if not runs:
        raise DueDiligenceError("purge.no_run", run=run if run is not None else "-")
    head = runs[-1]
    run_id = int(head["id"])
    files = store.events_with("evidence_purged", run=run_id)
    names = store.events_with("names_purged", run=run_id)
    chain = store.chain_hash_of(run_id)
    at = dt.datetime.fromisoformat(head["at"])
    councils = store.councils()

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "ＭＳ 明朝"
    style.font.size = Pt(10.5)
    document.add_paragraph(_day(now.date(), lang)).alignment = 2
    if councils:
        document.add_paragraph(councils[0] if len(councils) == 1 else "、".join(councils))
    document.add_heading(t("purge.cert.title", lang), level=0)
    document.add_paragraph(
        t(
            "purge.cert.statement",
            lang,
            date=_day(at.date(), lang),
            files=len(files),
            names=sum(int(n["data"]["names"]) for n in names),
        )
    )
    _facts(
        document,
        [
            (t("purge.cert.run", lang), str(run_id)),
            (t("purge.cert.when", lang), at.isoformat(timespec="minutes")),
            (t("purge.cert.who", lang), head["actor"]),
            (t("purge.cert.method", lang), t("purge.cert.method_text", lang)),
            (t("purge.cert.chain", lang), chain or "-"),
        ],
    )
    if files:
        document.add_heading(t("purge.cert.files", lang), level=1)
        columns = ("condition", "kind", "uploaded", "size", "sha256", "rule")
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            cell.text = t(f"purge.cert.col.{column}", lang)
        for event in files:
            data = event["data"]
            values = (
                event["subject"],
                _kind(data["kind"], lang),
                str(data.get("uploaded_at", ""))[:10],
                f"{int(data['size']):,}",
                data["sha256"],
                data["rule"],
            )
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = _clean(value)
    if names:
        document.add_heading(t("purge.cert.names", lang), level=1)
        for event in names:
            document.add_paragraph(
                t("purge.cert.names_line", lang, id=event["subject"], count=event["data"]["names"]),
                style="List Bullet",
            )
    document.add_paragraph(t("purge.cert.how_to_check", lang, run=run_id))
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cert-", suffix=".docx", dir=target.parent)
    os.close(fd)
    try:
        document.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with store.transaction():
        store.append_event(
            "records:purge",
            "purge_certificate_written",
            actor=actor,
            at=now,
            data={"run": run_id, "files": [target.name], "surface": "cli"},
        )
    return Certificate(path=target, run=run_id, files=len(files), names=len(names))


def _facts(document: Any, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = _clean(value)


def _day(day: dt.date, lang: str) -> str:
    return format_wareki(day) if lang == "ja" else day.isoformat()


def _kind(kind: str, lang: str) -> str:
    from ..kinds import kind_label
    from ..model import Kind

    try:
        return kind_label(Kind(kind), lang)
    except ValueError:
        return kind


def _clean(value: str) -> str:
    """Word refuses control characters; a file name could carry one."""
    return "".join(ch for ch in str(value) if ch.isprintable() or ch == " ")
