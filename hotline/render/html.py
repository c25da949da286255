"""The report as one self-contained HTML file: CSS inline, charts and fonts as data: URIs.

The same file is the source of the PDF (hotline/render/pdf.py): its @page rules carry the print layout.
The title is drawn as SVG text with a thin stroke: a 小标宋-style heavy serif out of the one regular weight
of Noto Serif SC (WeasyPrint does not embolden fonts synthetically, browsers would).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined

from hotline.render import fonts
from hotline.render.charts import display_width_mm
from hotline.render.text import Document
from hotline.report import model as M

TEXT_WIDTH_PT = 442.2  # 156 mm
PAGE_NUMBER_CHARS = "— 0123456789"


@dataclass(frozen=True)
class TitleBox:
    lines: int
    size: float = 22
    leading: float = 35
    stroke: float = 0.6
    width: float = TEXT_WIDTH_PT

    @property
    def height(self) -> float:
        return round(self.lines * self.leading + 8, 2)

    def baseline(self, i: int) -> float:
        return round(self.size * 1.2 + i * self.leading, 2)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("hotline.render", "templates"), undefined=StrictUndefined,
                       autoescape=True, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("hotline.render").joinpath("templates", "report.css").read_text(encoding="utf-8")


def sans_text(document: Document) -> str:
    """The text set in the sans font: first-level headings, annex labels and group titles, table headers."""
    parts = [b.text for b in document.blocks if b.kind == "heading" and b.level == 1]
    for a in document.annexes:
        parts.append(f"附件{a.number}")
        for title, table in a.parts:
            parts.append(title or "")
            parts += [c.text for row in table.header for c in row]
            parts += [c.text for row in table.body for c in row if c.bold]
    return "".join(parts)


def serif_text(document: Document) -> str:
    return document.text() + PAGE_NUMBER_CHARS


def render_html(report: M.Report, document: Document, charts: dict[str, bytes],
                font_files: tuple[bytes, bytes] | None = None) -> str:
    """`font_files`: the (serif, sans) subsets when made beforehand (fonts.BackgroundSubset)."""
    from markupsafe import Markup

    if font_files is None:
        font_files = fonts.subset(fonts.SERIF, serif_text(document)), fonts.subset(fonts.SANS, sans_text(document))
    serif, sans = font_files
    return _environment().get_template("report.html.j2").render(
        report=report, doc=document, title=TitleBox(len(document.title_lines)), css=Markup(_css()),
        charts={k: base64.b64encode(v).decode("ascii") for k, v in charts.items()},
        figure_mm={k: display_width_mm(v) for k, v in charts.items()},
        serif_font=base64.b64encode(serif).decode("ascii"), sans_font=base64.b64encode(sans).decode("ascii"))
