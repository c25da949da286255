"""The CJK fonts every rendered format uses: Noto Serif SC and Noto Sans SC (SIL OFL 1.1), shipped by the
`pylopdf-fonts-zh-cn` wheel, so nothing depends on fonts installed on the machine.

Charts load the full files through matplotlib. The HTML (and the PDF made from it) embeds subsets holding
exactly the characters of the document: the full CFF fonts are 8 and 11 MB, and WeasyPrint's own subsetting
of them takes seconds, while a subset of the ~1,000 characters of a report takes about one.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

import pylopdf_fonts_zh_cn as _noto

SERIF = "serif"
SANS = "sans"
FAMILY = {SERIF: "Noto Serif SC", SANS: "Noto Sans SC"}
# The fonts Chinese offices have in Word/WPS, named in the DOCX (GB/T 9704-2012 usage).
OFFICE_TITLE = "方正小标宋简体"
OFFICE_BODY = "仿宋_GB2312"
OFFICE_HEADING1 = "黑体"
OFFICE_HEADING2 = "楷体_GB2312"
OFFICE_PAGE_NUMBER = "宋体"
OFFICE_LATIN = "Times New Roman"


def font_path(kind: str) -> Path:
    return _noto.serif_path() if kind == SERIF else _noto.sans_path()


def _cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    path = Path(base) / "hotline" / "fonts"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def _chars(text: str) -> str:
    return "".join(sorted(set(text) | {chr(c) for c in range(0x20, 0x7F)}))


def _cache_file(kind: str, chars: str) -> Path | None:
    path = font_path(kind)
    key = hashlib.sha256(f"{path.name}:{path.stat().st_size}:{chars}".encode()).hexdigest()[:32]
    folder = _cache_dir()
    return folder / f"{key}.otf" if folder else None


def is_cached(kind: str, text: str) -> bool:
    cached = _cache_file(kind, _chars(text))
    return cached is not None and cached.exists()


def subset(kind: str, text: str) -> bytes:
    """An OpenType (CFF) font holding the glyphs of `text` (plus ASCII), cached on disk by content."""
    return _subset(kind, _chars(text))


@lru_cache(maxsize=8)
def _subset(kind: str, chars: str) -> bytes:
    path = font_path(kind)
    cached = _cache_file(kind, chars)
    if cached is not None and cached.exists():
        return cached.read_bytes()
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.hinting = True  # keeping hints is faster than stripping them
    font = TTFont(str(path), lazy=True, recalcBBoxes=False)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    if cached is not None:
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, cached)
        except OSError:
            tmp.unlink(missing_ok=True)
    return data


def missing_chars(kind: str, text: str) -> list[str]:
    """Characters of `text` the font has no glyph for (whitespace ignored)."""
    return sorted({c for c in text if not c.isspace() and ord(c) not in _cmap(kind)})


@lru_cache(maxsize=2)
def _cmap(kind: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(font_path(kind)), lazy=True).getBestCmap())


class BackgroundSubset:
    """Both fonts subset in a child process: fontTools is pure Python, so on two cores this overlaps the charts.
    `result()` waits and gives (serif, sans), subsetting here instead if the child failed; `close()` abandons it."""

    def __init__(self, serif_text: str, sans_text: str):
        import json
        import subprocess
        import sys
        import tempfile

        self.texts = {SERIF: serif_text, SANS: sans_text}
        self.proc = None
        self.folder = None
        if all(is_cached(kind, text) for kind, text in self.texts.items()):
            return  # read from the cache in result()
        self.folder = Path(tempfile.mkdtemp(prefix="hotline-fonts-"))
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "hotline.render.fonts", str(self.folder)],
                                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.proc.stdin.write(json.dumps(self.texts, ensure_ascii=False).encode("utf-8"))
            self.proc.stdin.close()
        except OSError:
            self.proc = None

    def result(self) -> tuple[bytes, bytes]:
        try:
            if self.proc is not None and self.proc.wait() == 0:
                return (self.folder / f"{SERIF}.otf").read_bytes(), (self.folder / f"{SANS}.otf").read_bytes()
            return subset(SERIF, self.texts[SERIF]), subset(SANS, self.texts[SANS])
        finally:
            self.close()

    def close(self) -> None:
        import shutil

        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _main(argv: list[str]) -> None:
    import json
    import sys

    jobs = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    for kind, text in jobs.items():
        Path(argv[0], f"{kind}.otf").write_bytes(subset(kind, text))


if __name__ == "__main__":
    import sys

    _main(sys.argv[1:])
