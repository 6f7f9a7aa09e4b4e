"""The Word document a council receives: plain official style, A4, page numbers.

python-docx is imported only when a document is written, so importing the
library (and starting the CLI) stays fast.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import t
from . import text
from .pack import PackContent, PackItem, PackSection

if TYPE_CHECKING:
    from docx.document import Document

#: fonts set by name on every style used (East Asian and Latin)
BODY_FONT = "ＭＳ 明朝"
HEADING_FONT = "ＭＳ ゴシック"
LATIN_FONT = "Century"
_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_docx(content: PackContent, path: Path, *, lang: str = "ja") -> Path:
    """Write *content* as a .docx at *path* and return the path."""
    import docx

    document = docx.Document()
    _setup_page(document)
    _setup_styles(document)
    _add_page_number(document)

    writer = _Writer(document)
    writer.paragraph(text.day(content.reported_on, lang), align="right")
    writer.paragraph(content.council)
    writer.paragraph(text.title(content, lang), style="Title", align="center")
    writer.paragraph(text.intro(content, lang))
    if not content.sections:
        writer.paragraph(t("report.empty", lang))
    else:
        writer.paragraph(text.summary(content, lang))
    for index, section in enumerate(content.sections, start=1):
        _write_section(writer, index, section, lang)
    if content.access is not None:
        writer.paragraph(text.access_heading(lang), style="Heading 1")
        writer.paragraph(text.access_intro(content, lang))
        for line in text.access_lines(content, lang):
            writer.paragraph(line)
    document.save(str(path))
    return path


def _write_section(writer: _Writer, index: int, section: PackSection, lang: str) -> None:
    consultation = section.consultation
    writer.paragraph(text.section_heading(index, section, lang), style="Heading 1")
    writer.labelled(t("report.label.department", lang), consultation.department)
    if consultation.vendors:
        writer.labelled(t("report.label.vendor", lang), text.section_vendors(section, lang))
    writer.labelled(t("report.label.decided", lang), text.decided(section, lang))
    several_vendors = len(consultation.vendors) > 1
    for number, item in enumerate(section.items, start=1):
        _write_item(writer, number, item, lang, show_vendor=several_vendors)


def _write_item(
    writer: _Writer, number: int, item: PackItem, lang: str, *, show_vendor: bool
) -> None:
    condition = item.condition
    writer.paragraph(text.item_heading(number, item, lang), style="Heading 2")
    writer.labelled(t("report.label.condition", lang), condition.text)
    if show_vendor and condition.vendor:
        writer.labelled(t("report.label.item_vendor", lang), condition.vendor)
    writer.labelled(t("report.label.done", lang), text.done(item, lang))
    writer.labelled(t("report.label.evidence", lang), text.evidence(item, lang))
    writer.labelled(t("report.label.status", lang), text.status(item, lang))
    if text.shows_reason(item):
        writer.labelled(text.reason_label(item, lang), item.reason)
    if text.shows_due(item):
        writer.labelled(text.due_label(item, lang), text.due(item, lang))
    upcoming = text.next_occurrence(item, lang)
    if upcoming:
        writer.labelled(t("report.label.next", lang), upcoming)
    if item.answers:  # contract clauses, inspection
        writer.labelled(t(f"report.label.{item.checklist}", lang), text.checklist(item, lang))


class _Writer:
    """Appends paragraphs to the body as plain WordprocessingML, in constant time each.

    ``Document.add_paragraph`` searches the body for ``w:sectPr`` and resolves
    the style by scanning every style on each call, which makes a
    10,000-condition pack take minutes; building the few elements a plain
    report needs, before a remembered ``sectPr``, keeps it linear.
    """

    def __init__(self, document: Document) -> None:
        body = document.element.body
        self._body = body
        self._sect_pr = body.sectPr
        self._style_ids = {name: document.styles[name].style_id for name in _STYLES}

    def paragraph(self, content: str, *, style: str | None = None, align: str = "") -> None:
        self._append(style, align, [(content, False)] if content else [])

    def labelled(self, label: str, value: str) -> None:
        """【label】value, the label in bold, as official reports set out items."""
        self._append(None, "", [(f"【{label}】", True), (value, False)])

    def _append(self, style: str | None, align: str, runs: list[tuple[str, bool]]) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = OxmlElement("w:p")
        if style or align:
            p_pr = OxmlElement("w:pPr")
            if style:
                p_style = OxmlElement("w:pStyle")
                p_style.set(qn("w:val"), self._style_ids[style])
                p_pr.append(p_style)
            if align:
                jc = OxmlElement("w:jc")
                jc.set(qn("w:val"), align)
                p_pr.append(jc)
            p.append(p_pr)
        for content, bold in runs:
            r = OxmlElement("w:r")
            if bold:
                r_pr = OxmlElement("w:rPr")
                r_pr.append(OxmlElement("w:b"))
                r.append(r_pr)
            text_element = OxmlElement("w:t")
            text_element.set(qn("xml:space"), "preserve")
            text_element.text = _xml_safe(content)
            r.append(text_element)
            p.append(r)
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)
        else:
            self._body.append(p)


def _xml_safe(value: str) -> str:
    """Drop the control characters XML cannot hold; line breaks become spaces."""
    return _CONTROL.sub("", value.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def _setup_page(document: Document) -> None:
    from docx.shared import Mm

    for section in document.sections:
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.top_margin = Mm(30)
        section.bottom_margin = Mm(25)
        section.left_margin = Mm(30)
        section.right_margin = Mm(20)


def _setup_styles(document: Document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    sizes = {"Normal": 10.5, "Title": 14, "Heading 1": 12, "Heading 2": 10.5}
    for name in _STYLES:
        style = document.styles[name]
        font = style.font
        east_asian = BODY_FONT if name in ("Normal", "Title") else HEADING_FONT
        font.name = LATIN_FONT
        font.size = Pt(sizes[name])
        font.color.rgb = RGBColor(0, 0, 0)
        font.italic = False
        if name != "Normal":
            font.bold = True
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if r_fonts.get(qn(theme_attr)) is not None:
                del r_fonts.attrib[qn(theme_attr)]
        r_fonts.set(qn("w:eastAsia"), east_asian)
        r_fonts.set(qn("w:ascii"), LATIN_FONT)
        r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
        p_pr = style.element.get_or_add_pPr()
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)
    title = document.styles["Title"].paragraph_format
    title.space_before = Pt(12)
    title.space_after = Pt(12)


def _add_page_number(document: Document) -> None:
    """A centred PAGE field in the footer of every section."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        shown = OxmlElement("w:t")
        shown.text = "1"
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instruction, separate, shown, end):
            run._r.append(element)
