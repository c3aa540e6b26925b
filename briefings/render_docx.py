"""A briefing's layout as a Word document (python-docx): real headings (Word's navigation pane
lists them), tables with a repeated header row, A4 pages.

Fonts: Latin and Vietnamese text in Times New Roman (the font of Vietnamese administrative
documents). Word chooses the complex-script font (`w:rFonts w:cs`) for Khmer, Lao and Thai
characters, and a document can name only one per run, so each run of those scripts gets a font
of its own: Khmer OS System (Cambodian government documents), Phetsarath OT (the Lao
government's font), Leelawadee UI (Thai, shipped with Windows), with its language (`w:lang`).
A reader without that font sees Word's substitute, still in the right script.
"""

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from briefings.layout import Document, Fields, Heading, Paragraph, Table
from briefings.scripts import KHMER, LAO, THAI, segments

LATIN_FONT = "Times New Roman"
SCRIPT_FONTS = {KHMER: "Khmer OS System", LAO: "Phetsarath OT", THAI: "Leelawadee UI"}
SCRIPT_LANGUAGES = {KHMER: "km-KH", LAO: "lo-LA", THAI: "th-TH"}
DOCUMENT_LANGUAGES = {"vi": "vi-VN", "en": "en-GB"}


def set_fonts(r_pr, font: str, *, language: str | None = None, bidi: str | None = None) -> None:
    """Name `font` for every class of character of a run or style (ASCII, high ANSI, East
    Asian, complex script), dropping theme fonts, which would win over the names."""
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), font)
    if language or bidi:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            # Schema order: `w:lang` follows every element python-docx writes here except
            # `w:specVanish` and `w:oMath`, which these documents never use.
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        if language:
            lang.set(qn("w:val"), language)
        if bidi:
            lang.set(qn("w:bidi"), bidi)  # the language of complex-script text


def add_text(paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """`text` as runs, one per script, each with the font its script needs."""
    for script, piece in segments(text):
        run = paragraph.add_run(piece)
        run.bold = bold or None
        run.italic = italic or None
        if script is not None:
            r_pr = run._element.get_or_add_rPr()
            if bold:
                r_pr.get_or_add_bCs()
            if italic:
                r_pr.get_or_add_iCs()
            r_pr.get_or_add_cs()  # the whole run is complex script (spaces included)
            set_fonts(r_pr, SCRIPT_FONTS[script], bidi=SCRIPT_LANGUAGES[script])


def setup(word, lang: str) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    normal = word.styles["Normal"]
    normal.font.size = Pt(12)
    r_pr = normal.element.get_or_add_rPr()
    size_cs = OxmlElement("w:szCs")  # the size of complex-script (Khmer, Lao, Thai) text
    size_cs.set(qn("w:val"), "24")
    r_pr.get_or_add_sz().addnext(size_cs)
    set_fonts(r_pr, LATIN_FONT, language=DOCUMENT_LANGUAGES[lang])
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = word.styles[name]
        set_fonts(style.element.get_or_add_rPr(), LATIN_FONT)
        style.font.color.rgb = RGBColor(0x1F, 0x2F, 0x4F)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_table(word, header: list[str] | None, rows: list[list[str]], widths=None) -> None:
    columns = len(header) if header else len(rows[0])
    table = word.add_table(rows=0, cols=columns)
    table.style = word.styles["Table Grid"]
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            add_text(cell.paragraphs[0], text, bold=True)
        repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            add_text(cell.paragraphs[0], text, bold=widths is not None and index == 0)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    word.add_paragraph()


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    setup(word, document.lang)
    word.core_properties.title = document.title
    word.core_properties.language = DOCUMENT_LANGUAGES[document.lang]
    add_text(word.add_heading("", level=0), document.title)
    for block in document.blocks:
        if isinstance(block, Heading):
            add_text(word.add_heading("", level=min(block.level, 9)), block.text)
        elif isinstance(block, Fields):
            if block.rows:
                add_table(word, None, [list(row) for row in block.rows], widths=(Mm(55), Mm(115)))
        elif isinstance(block, Table):
            add_table(word, block.columns, block.rows)
        elif isinstance(block, Paragraph):
            add_text(word.add_paragraph(), block.text, italic=block.note)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
