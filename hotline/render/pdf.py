"""The report as PDF: the HTML rendering laid out by WeasyPrint (A4, GB/T 9704 margins, page numbers from the
CSS @page rules), fonts embedded as subsets."""

from __future__ import annotations

import logging
import warnings


def render_pdf(html: str) -> bytes:
    with warnings.catch_warnings():  # it would use libharfbuzz-subset if installed; fontTools does as well here
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

    # WeasyPrint logs every CSS property it ignores; the report's CSS is known to it, so keep the CLI quiet
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # the fonts in the HTML are already subsets of the document's characters (fonts.py): WeasyPrint's own
    # subsetting of them would cost seconds and save little
    return HTML(string=html).write_pdf(full_fonts=True)
