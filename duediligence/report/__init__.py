"""The report pack for a council meeting (付帯意見等への対応状況について(報告)).

``build_pack`` selects the conditions to report and writes a Word document,
an Excel workbook and a Markdown text; ``mark_pack_reported`` marks reported,
after the meeting, what the pack said was done. python-docx and openpyxl are
imported only by the writers, when a pack is actually built.
"""

from .build import ReportPack, build_pack, pack_stem
from .mark import MarkResult, Skipped, mark_pack_reported
from .pack import EvidenceLine, PackContent, PackItem, PackSection, collect, resolve_meeting

__all__ = [
    "EvidenceLine",
    "MarkResult",
    "PackContent",
    "PackItem",
    "PackSection",
    "ReportPack",
    "Skipped",
    "build_pack",
    "collect",
    "mark_pack_reported",
    "pack_stem",
    "resolve_meeting",
]
