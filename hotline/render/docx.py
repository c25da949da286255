"""The report as a Word document in the official-document layout of GB/T 9704-2012.

A4, margins 37/35/28/26 mm (top/bottom/left/right), body 仿宋_GB2312 三号 (16 pt) at a fixed 28.95 pt line
(22 lines a page), title 方正小标宋简体 二号 (22 pt), headings 黑体 / 楷体_GB2312 / 仿宋 bold, page numbers
"— N —" in 宋体 四号 at the outer corner (odd pages right, even pages left). The fonts are the ones offices have
in Word/WPS, named on the East Asian font attribute; charts are inline pictures in single-spaced paragraphs
(a fixed line height would clip them). Annex 2 and 3 are landscape sections.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from hotline.render import fonts as F
from hotline.render.charts import display_width_mm
from hotline.render.text import Document, Table, grid
from hotline.report import model as M

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# landscape annex pages: the portrait margins turned with the page (the binding edge becomes the top)
L_MARGIN_TOP, L_MARGIN_BOTTOM, L_MARGIN_LEFT, L_MARGIN_RIGHT = Mm(28), Mm(26), Mm(35), Mm(37)
FOOTER_DISTANCE = Mm(24)
BODY_PT = 16
TITLE_PT = 22
LINE_PT = 28.95  # 22 lines in the 225 mm text block
TITLE_LINE_PT = 35
ANNEX_TITLE_PT = 18
PAGE_NUMBER_PT = 14
CAPTION_PT = 14
BLACK = RGBColor(0, 0, 0)
# CT_PPr children that come after w:autoSpaceDN (ECMA-376 order; Word rejects misordered XML)
PPR_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                       "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                       "w:pPrChange")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(element, east_asia: str, latin: str = F.OFFICE_LATIN) -> None:
    """Name the fonts on a style's or run's rPr: East Asian text in `east_asia`, Latin and digits in `latin`."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:  # a theme font would win over the named one
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _style(doc, name: str, *, base: str | None = "Normal", east_asia: str = F.OFFICE_BODY, size: float = BODY_PT,
           bold: bool = False, align=None, indent: float | None = None, line: float | None = LINE_PT,
           before: float = 0, after: float = 0, keep_next: bool = False, outline: int | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base is not None and name != base:
        style.base_style = styles[base]
    set_fonts(style.element, east_asia)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = BLACK
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(indent) if indent is not None else None
    pf.left_indent = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = Pt(line)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    if outline is not None:  # headings show in the navigation pane
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(old)
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.append(lvl)
    return style


def _styles(doc) -> None:
    normal = _style(doc, "Normal", base=None, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=2 * BODY_PT)
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # the text carries its own spaces around numbers
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, *PPR_AFTER_AUTOSPACE)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    _style(doc, "Report Title", east_asia=F.OFFICE_TITLE, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0,
           line=TITLE_LINE_PT)
    _style(doc, "Heading 1", east_asia=F.OFFICE_HEADING1, indent=2 * BODY_PT, keep_next=True, outline=0)
    _style(doc, "Heading 2", east_asia=F.OFFICE_HEADING2, indent=2 * BODY_PT, keep_next=True, outline=1)
    _style(doc, "Heading 3", east_asia=F.OFFICE_BODY, bold=True, indent=2 * BODY_PT, keep_next=True, outline=2)
    _style(doc, "Figure", align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=None, before=6, keep_next=True)
    _style(doc, "Caption", east_asia=F.OFFICE_BODY, size=CAPTION_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0,
           line=None, after=8)
    _style(doc, "Annex Label", east_asia=F.OFFICE_HEADING1, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0)
    _style(doc, "Annex Title", east_asia=F.OFFICE_TITLE, size=ANNEX_TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
           indent=0, line=None, before=6, after=10)
    _style(doc, "Annex Group", east_asia=F.OFFICE_HEADING1, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0,
           line=None, before=6, after=4, keep_next=True)
    _style(doc, "Annex Note", size=10.5, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, line=None, before=2)
    _style(doc, "Table Text", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=None)
    _style(doc, "Data Note", size=CAPTION_PT, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, line=None, before=2)
    _style(doc, "Page Number", east_asia=F.OFFICE_PAGE_NUMBER, size=PAGE_NUMBER_PT, indent=0, line=None)


def _page(section, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_H, PAGE_W
        section.top_margin, section.bottom_margin = L_MARGIN_TOP, L_MARGIN_BOTTOM
        section.left_margin, section.right_margin = L_MARGIN_LEFT, L_MARGIN_RIGHT
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_W, PAGE_H
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _page_numbers(doc, section) -> None:
    """— N — at the outer corner, one character in: odd pages right, even pages left (GB/T 9704 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["Page Number"]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        p.add_run("— ")
        _field(p, "PAGE", "1")
        p.add_run(" —")


def _width_chars(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in text)


def _table(doc, table: Table, width) -> None:
    rows = table.header + table.body
    ncols = table.columns
    t = doc.add_table(rows=len(rows), cols=ncols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblpr = t._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(Mm(0.8).twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    total = sum(table.widths)
    widths = [Emu(int(width * w / total)) for w in table.widths]
    for col, w in zip(t.columns, widths):
        col.width = w
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w
    for r in range(len(table.header)):  # header rows repeat on each page
        trpr = t.rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)
    if not table.split_rows:
        for row in t.rows:
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
    # write every cell first (a python-docx `table.cell()` lookup walks the whole table), then merge
    cells = t._cells
    style_id = doc.styles["Table Text"].style_id
    align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    merges = []
    for r, c, spec in grid(rows):
        cell = cells[r * ncols + c]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p._p.style = style_id
        p.alignment = align.get(spec.align, WD_ALIGN_PARAGRAPH.CENTER)
        run = p.add_run(spec.text)
        run.font.size = Pt(table.font_pt)
        if spec.bold:
            run.font.bold = True
        if spec.rowspan > 1 or spec.colspan > 1:
            merges.append((cell, cells[(r + spec.rowspan - 1) * ncols + c + spec.colspan - 1]))
    for a, b in merges:
        a.merge(b)


def render_docx(report: M.Report, document: Document, charts: dict[str, bytes]) -> bytes:
    doc = new_document()
    props = doc.core_properties
    props.title = " ".join(document.title_lines)
    props.author = report.issuing_office
    props.language = "zh-CN"
    props.comments = ""
    props.last_modified_by = report.issuing_office
    _styles(doc)
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_numbers(doc, section)

    sign_width = next((_width_chars(b.text) for b in document.blocks if b.kind == "sign"), 0.0)
    for line in document.title_lines:
        doc.add_paragraph(line, style="Report Title")
    doc.add_paragraph("", style="Normal")
    for b in document.blocks:
        if b.kind == "heading":
            doc.add_paragraph(b.text, style=f"Heading {b.level}")
        elif b.kind == "para":
            doc.add_paragraph(b.text, style="Normal")
        elif b.kind == "figure":
            p = doc.add_paragraph(style="Figure")
            p.add_run().add_picture(io.BytesIO(charts[b.key]), width=Mm(display_width_mm(charts[b.key])))
            doc.add_paragraph(b.text, style="Caption")
        elif b.kind == "annexes":
            doc.add_paragraph("", style="Normal")
            head = 2 * BODY_PT
            label = _width_chars(b.text) * BODY_PT
            for i, item in enumerate(b.items):
                p = doc.add_paragraph(b.text + item if i == 0 else item, style="Normal")
                p.paragraph_format.left_indent = Pt(head + label)
                p.paragraph_format.first_line_indent = Pt(-label) if i == 0 else Pt(0)
        elif b.kind == "sign":
            doc.add_paragraph("", style="Normal")
            doc.add_paragraph("", style="Normal")
            p = doc.add_paragraph(b.text, style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.right_indent = Pt(2 * BODY_PT)
        elif b.kind == "date":
            p = doc.add_paragraph(b.text, style="Normal")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = Pt(0)
            # centred under the office's name
            shift = max(0.0, (sign_width - _width_chars(b.text)) / 2)
            p.paragraph_format.right_indent = Pt((2 + shift) * BODY_PT)
        elif b.kind == "notes":  # 数据说明, under the date two characters in (GB/T 9704's place for 附注)
            doc.add_paragraph("", style="Normal")
            for text in [b.text, *b.items]:
                doc.add_paragraph(text, style="Data Note").paragraph_format.left_indent = Pt(2 * BODY_PT)

    landscape = False
    for annex in document.annexes:
        new_section = annex.landscape != landscape
        if new_section:  # a section break starts the page itself
            _page(doc.add_section(WD_SECTION.NEW_PAGE), annex.landscape)
            landscape = annex.landscape
        label = doc.add_paragraph(f"附件{annex.number}", style="Annex Label")
        label.paragraph_format.page_break_before = not new_section
        doc.add_paragraph(annex.title, style="Annex Title")
        width = (PAGE_H - L_MARGIN_LEFT - L_MARGIN_RIGHT) if landscape else (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
        for title, table in annex.parts:
            if title:
                doc.add_paragraph(title, style="Annex Group")
            _table(doc, table, width)
        for note in annex.notes:
            p = doc.add_paragraph(note, style="Annex Note")
            if not note.startswith("注"):
                p.paragraph_format.left_indent = Pt(10.5 * 2)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
