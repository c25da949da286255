"""The progress line of long imports: rows, rows per second, time left (from the share of the file read)."""

import io
import re

from hotline.ingest.progress import Progress


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_line_on_a_terminal():
    out = Tty()
    done = {"f": 0.25}
    p = Progress("工单.csv", fraction=lambda: done["f"], stream=out, every=0)
    p.update(250_000)
    line = out.getvalue()
    assert line.startswith("\r工单.csv：已处理 250,000 行（25%），")
    assert re.search(r"[\d,]+ 行/秒，约剩 \d+ 秒", line)
    done["f"] = 1.0
    p.update(1_000_000)
    p.done()
    assert out.getvalue().endswith("\n") and "约剩" not in out.getvalue().splitlines()[-1]


def test_progress_in_a_log_is_sparse():
    out = io.StringIO()
    p = Progress("x.xlsx", total_rows=1000, stream=out, every=0)
    assert p.every == 2.0  # not a terminal: a line every 2 s at most
    p.update(10)
    assert out.getvalue() == ""
