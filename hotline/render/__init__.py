"""Renderers of the report model: JSON, DOCX (GB/T 9704 official-document layout), HTML (one self-contained
file) and PDF (from the HTML, by WeasyPrint).

Every renderer reads the `Report` model and nothing else (tests/test_layering.py holds them to it): the
annexes' headers and notes, 附件2's scheme and the short names of the text come in the model. The Chinese
wording the renderers share lives in `text.py` and `templates/report.j2`, the charts in `charts.py`.
"""

from __future__ import annotations

import json
import time

from hotline.report import model as M

FORMATS = ("json", "docx", "html", "pdf")


class RenderError(ValueError):
    """A format that cannot be rendered (unknown name, or a renderer that failed): shown to the user."""


def parse_formats(text: str) -> list[str]:
    names = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in names if f not in FORMATS]
    if unknown or not names:
        raise RenderError(f"未知输出格式：{'、'.join(unknown) or repr(text)}（可选 {', '.join(FORMATS)}）/ unknown format")
    return list(dict.fromkeys(names))


def render(report: M.Report, formats: list[str], timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """The report in each of `formats`, as bytes by format name. All or nothing: the caller writes files only
    after every renderer has succeeded."""
    timings = {} if timings is None else timings
    out: dict[str, bytes] = {}

    def timed(name: str, fn):
        started = time.perf_counter()
        value = fn()
        timings[name] = time.perf_counter() - started
        return value

    if "json" in formats:
        out["json"] = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8")
    if not {"docx", "html", "pdf"} & set(formats):
        return out
    from hotline.render.charts import render_charts
    from hotline.render.text import document

    doc = timed("document", lambda: document(report))
    font_files = None
    if "html" in formats or "pdf" in formats:
        from hotline.render import fonts
        from hotline.render.html import sans_text, serif_text

        font_files = fonts.BackgroundSubset(serif_text(doc), sans_text(doc))
    try:
        keys = [b.key for b in doc.blocks if b.kind == "figure"]
        charts = timed("charts", lambda: render_charts(report, keys))
        if "docx" in formats:
            from hotline.render.docx import render_docx

            out["docx"] = timed("docx", lambda: render_docx(report, doc, charts))
        if font_files is not None:
            from hotline.render.html import render_html

            html = timed("html", lambda: render_html(report, doc, charts, font_files.result()))
            if "html" in formats:
                out["html"] = html.encode("utf-8")
            if "pdf" in formats:
                from hotline.render.pdf import render_pdf

                out["pdf"] = timed("pdf", lambda: render_pdf(html))
    finally:
        if font_files is not None:
            font_files.close()
    return {f: out[f] for f in formats}
