"""The report as a document: the Chinese wording shared by the DOCX and HTML/PDF renderers.

`document(report)` turns the report model into a `Document`: the title, a flat list of blocks (headings,
paragraphs, figures, the annex list, the signature) drafted from `templates/report.j2`, and the annex tables
(附件1–3) laid out from the headers, cells and notes the model carries. Numbers are formatted here, never
computed: every figure printed is a model field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from hotline.report import model as M

CN_DIGITS = "零一二三四五六七八九"
FIGURES = ("by_type", "categories", "subcategories", "regions", "units", "civility", "online_hot", "dispatch_hot",
           "dissatisfied", "overdue", "county_scores")

# ---- number formatting (formatting only: the values are the model's) ----------------------------------------


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def cn(n: int) -> str:
    """Chinese numeral for small counts (前五, 三个): 0–99; larger counts stay Arabic."""
    if n >= 100:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_list(items: list[str]) -> str:
    """A、B、C和D — the seed's way of listing shares."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return "、".join(items[:-1]) + "和 " + items[-1]


def mom(m: M.MoM) -> str:
    """环比 wording from the model: 上升 60.66% / 下降 8.08% / 持平 / 无上月数据."""
    if m.delta is None or m.delta == 0:
        return m.wording
    return f"{m.direction} {abs(m.delta):.2f}%"


def vs(m: M.MoM | None, lead: str) -> str:
    """A 环比 clause ("，环比上升 3.87%"), or nothing when there is no previous month to compare with."""
    return "" if m is None or m.previous is None else lead + mom(m)


def count(value: int | None) -> str:
    return "—" if value is None else str(value)


def oneline(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def heading_number(level: int, n: int) -> str:
    return {1: f"{cn(n)}、", 2: f"（{cn(n)}）", 3: f"{n}."}[level]


# ---- the document ------------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # heading | para | figure | annexes | sign | date | notes
    text: str = ""
    level: int = 0
    key: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"
    bold: bool = False


@dataclass
class Table:
    header: list[list[Cell]]
    body: list[list[Cell]]
    widths: list[float]  # relative column widths
    font_pt: float = 10.5
    key: str = ""
    split_rows: bool = False  # long rows may break across pages

    @property
    def columns(self) -> int:
        return sum(c.colspan for c in self.header[0])


@dataclass
class Annex:
    key: str
    number: int
    title: str
    landscape: bool
    parts: list[tuple[str | None, Table]]
    notes: list[str]


@dataclass
class Document:
    title_lines: list[str]
    blocks: list[Block]
    annexes: list[Annex]
    figure_captions: dict[str, str]

    def text(self) -> str:
        """All text of the document (for font subsetting and checks)."""
        parts = list(self.title_lines)
        for b in self.blocks:
            parts += [b.text, *b.items]
        for a in self.annexes:
            parts += [a.title, *a.notes]
            for title, table in a.parts:
                parts.append(title or "")
                parts += [c.text for row in table.header + table.body for c in row]
        return "\n".join(parts)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("hotline.render", "templates"), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters.update(pct=pct, score=score, cn=cn, cn_list=cn_list, mom=mom, vs=vs, oneline=oneline,
                       top_label=lambda p: p.top[0].label if p.top else "—",
                       top_share=lambda p: pct(p.top[0].share) if p.top else "—",
                       first_topic=lambda o: o.topics[0] if o.topics else o.category,
                       top_n=lambda panels: max((len(p.top) for p in panels), default=0))
    return env


def _context(report: M.Report) -> dict:
    return {"r": report, "year": report.year, "month": report.month_of_year}


MARK = re.compile(r"^::(h1|h2|h3|item|fig|annex|sign|date|note)::\s*(.*)$")
DATA_NOTES = "数据说明："


def body_blocks(report: M.Report) -> tuple[list[Block], list[tuple[str, str]]]:
    """The drafted body as blocks, numbered; and the annexes (key, title) it lists."""
    source = environment().get_template("report.j2").render(**_context(report))
    blocks: list[Block] = []
    annexes: list[tuple[str, str]] = []
    counters = {1: 0, 2: 0, 3: 0}
    figure_no = item_no = 0
    para: list[str] = []
    data_notes: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", "".join(para)))
            para.clear()

    for raw in source.splitlines():
        line = raw.strip()
        mark = MARK.match(line)
        if not line:
            flush()
        elif mark is None:
            para.append(line)
        else:
            flush()
            kind, rest = mark.groups()
            if kind in ("h1", "h2", "h3"):
                level = int(kind[1])
                counters[level] += 1
                for deeper in range(level + 1, 4):
                    counters[deeper] = 0
                item_no = 0
                blocks.append(Block("heading", heading_number(level, counters[level]) + rest, level=level))
            elif kind == "item":
                item_no += 1
                para.append(f"（{item_no}）{rest}")
            elif kind == "fig":
                key, caption = (s.strip() for s in rest.split("|", 1))
                figure_no += 1
                blocks.append(Block("figure", f"图{figure_no}：{caption}", key=key))
            elif kind == "annex":
                key, title = (s.strip() for s in rest.split("|", 1))
                annexes.append((key, title))
            elif kind == "note":
                data_notes.append(rest)
            else:
                blocks.append(Block(kind, rest))
    flush()
    if data_notes:  # 数据说明 closes the body, below the date (where GB/T 9704 puts 附注)
        blocks.append(Block("notes", DATA_NOTES, items=[f"{i}.{n}{'。' if i == len(data_notes) else '；'}"
                                                          for i, n in enumerate(data_notes, 1)]))
    if annexes:  # 附件说明 goes before the signature
        at = next((i for i, b in enumerate(blocks) if b.kind == "sign"), len(blocks))
        blocks.insert(at, Block("annexes", "附件：", items=[f"{i}.{t}" for i, (_, t) in enumerate(annexes, 1)]))
    return blocks, annexes


def document(report: M.Report) -> Document:
    blocks, listed = body_blocks(report)
    builders = {"annex1": annex1, "annex2": annex2, "annex3": annex3}
    annexes = []
    for i, (key, title) in enumerate(listed, 1):
        parts, notes, landscape = builders[key](report)
        annexes.append(Annex(key, i, title, landscape, parts, notes))
    captions = {b.key: b.text for b in blocks if b.kind == "figure"}
    return Document(report.title.split("\n"), blocks, annexes, captions)


# ---- annex tables: the model's headers, rows and notes laid out (widths and spans are the renderer's) ----------

# relative widths (mm on the 156 mm text block): rates need room for "100.00%", counts less
ANNEX1_WIDTHS = [7, 26] + [9.5, 9.5, 9.5, 16, 16, 9.5, 9.5, 9.5, 9.5, 16]
ANNEX3_WIDTHS = [3.5, 4.5, 16, 14, 40, 55]


def notes(texts: list[str]) -> list[str]:
    """注：1.… 2.… — the notes under a table, numbered."""
    return [f"注：{i}.{n}" if i == 1 else f"{i}.{n}" for i, n in enumerate(texts, 1)]


def _unit_cells(row: M.UnitRow) -> list[Cell]:
    """The ten numeric cells; a column the month's data cannot give is None in the model and printed —."""
    return [Cell(count(row.valid)), Cell(count(row.completed)), Cell(count(row.late)), Cell(pct(row.on_time_rate)),
            Cell(pct(row.contact_rate)), Cell(count(row.visits)), Cell(count(row.satisfied_total)),
            Cell(count(row.unrated)), Cell(count(row.dissatisfied)), Cell(pct(row.satisfaction_rate))]


def annex1(report: M.Report) -> tuple[list[tuple[str | None, Table]], list[str], bool]:
    a = report.annex1
    parts = []
    for i, g in enumerate(a.groups):
        header = [[Cell(h, bold=True) for h in g.header]]
        body = [[Cell(str(r.seq)), Cell(r.unit, align="left")] + _unit_cells(r) for r in g.rows]
        if i == len(a.groups) - 1:
            body.append([Cell(a.total.unit, colspan=2, bold=True)]
                        + [Cell(c.text, bold=True) for c in _unit_cells(a.total)])
        parts.append((g.title, Table(header, body, ANNEX1_WIDTHS, 9, key="annex1")))
    return parts, notes(a.notes), False


def _num(x: float) -> str:
    return f"{x:g}"


def _annex2_header(h: M.Annex2Header) -> list[list[Cell]]:
    """Three header rows: the column groups, the parts with their weights, the indicators with their points."""
    h1 = [Cell(h.rank_column, rowspan=3, bold=True), Cell(h.county_column, rowspan=3, bold=True)]
    h1 += [Cell(g.label, colspan=sum(len(p.indicators) + 1 for p in g.parts), bold=True) for g in h.groups]
    h1.append(Cell(f"{h.total_column}（{_num(h.full_score)}分）", rowspan=3, bold=True))
    h2 = [Cell(f"{p.label}（{_num(p.weight)}%）", colspan=len(p.indicators) + 1, bold=True) for p in h.parts]
    h3: list[Cell] = []
    for p in h.parts:
        h3 += [Cell(f"{i.label}（{_num(i.points)}分）", bold=True) for i in p.indicators]
        h3.append(Cell(h.part_score_column, bold=True))
    return [h1, h2, h3]


def _county_rows(h: M.Annex2Header, row: M.CountyScoreRow) -> list[list[Cell]]:
    """Two rows per county: the rates where a column shows one, the scores under them (others span both)."""
    top = [Cell(str(row.rank), rowspan=2), Cell(row.county, rowspan=2)]
    bottom: list[Cell] = []
    for p in h.parts:
        for column, cell in zip(p.indicators, row.indicators[p.key]):
            if column.shows_rate:
                top.append(Cell(pct(cell.rate)))
                bottom.append(Cell(score(cell.score)))
            else:
                top.append(Cell(score(cell.score), rowspan=2))
        top.append(Cell(score(row.parts[p.key]), rowspan=2))
    top.append(Cell(score(row.total), rowspan=2, bold=True))
    return [top, bottom]


def annex2(report: M.Report) -> tuple[list[tuple[str | None, Table]], list[str], bool]:
    h = report.annex2_header  # present with the rows (Report checks it)
    body = [cells for row in report.annex2 or [] for cells in _county_rows(h, row)]
    ncols = 3 + sum(len(p.indicators) + 1 for p in h.parts)
    widths = [3.2, 5] + [6] * (ncols - 2)
    return [(None, Table(_annex2_header(h), body, widths, 7.5, key="annex2"))], notes(h.notes), True


def annex3(report: M.Report) -> tuple[list[tuple[str | None, Table]], list[str], bool]:
    header = [[Cell(h, bold=True) for h in report.annex3_header]]
    body = [[Cell(str(r.seq)), Cell(r.month), Cell(r.ticket_no), Cell(r.unit), Cell(oneline(r.content), align="left"),
             Cell(oneline(r.feedback), align="left")] for r in report.annex3]
    return [(None, Table(header, body, ANNEX3_WIDTHS, 9, key="annex3", split_rows=True))], [], True


def grid(rows: list[list[Cell]]) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of each cell once spans are laid out (for formats that merge a grid, like DOCX)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out
