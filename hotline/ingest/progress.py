"""Progress of a long import: rows done, rows per second, time left — on stderr, at most twice a second.

Why: a million-row file takes tens of seconds; an operator who sees nothing for that long presses Ctrl-C
(which is safe — the file's transaction rolls back — but wasteful). Time left comes from the share of the
file read (bytes for CSV, rows for Excel/Parquet), so it is right even before the first chunk is loaded.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(self, label: str, total_rows: int | None = None, fraction: Callable[[], float] | None = None,
                 stream: TextIO | None = None, every: float = 0.5):
        self.label, self.total, self.fraction = label, total_rows, fraction
        self.stream = stream if stream is not None else sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.every = every if self.tty else max(every, 2.0)  # a log file gets a line every 2 s
        self.started = self.last = time.monotonic()
        self.rows = 0
        self.shown = False

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.rows / elapsed
        done = None
        if self.fraction is not None:
            done = self.fraction()
        elif self.total:
            done = min(1.0, self.rows / self.total)
        left = f"，约剩 {elapsed * (1 - done) / done:.0f} 秒" if done and done < 1 else ""
        pct = f"（{done:.0%}）" if done is not None else ""
        return f"{self.label}：已处理 {self.rows:,} 行{pct}，{rate:,.0f} 行/秒{left}"

    def update(self, rows: int) -> None:
        self.rows = rows
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._show(self.line())

    def _show(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + text + "\033[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\r" + self.line() + "\033[K\n")
            self.stream.flush()


class Silent(Progress):
    def __init__(self, *args, **kwargs):
        super().__init__("", stream=sys.stderr)

    def update(self, rows: int) -> None:
        self.rows = rows

    def done(self) -> None:
        pass
