"""Opening what users actually have: Excel workbooks, CSV in whatever encoding, Parquet — as streams of rows.

Why: hotline offices export from vendor platforms and then touch the file in Excel or WPS. What arrives is
an .xlsx with a title row and merged cells, an .xls from an old system, a CSV in GBK because that is what
Excel on a Chinese Windows writes, the same CSV in UTF-8 with a BOM, or sometimes a PDF or a Word document
named .xlsx. This module turns every one of those into the same thing — sheets that yield
``(row number as the user sees it, [cells])`` — or refuses with a reason a person can act on.

Memory: CSV and Parquet are read incrementally (a few MB whatever the file size), and so is .xlsx/.xlsm:
python-calamine-plus (a fork of python-calamine) decodes its rows straight from the compressed sheet as they
are asked for. python-calamine itself parses a whole sheet before handing out the first row (memory grew from
184 to 337 MB between 25k and 100k rows), so it reads only what the fork cannot stream: .xls, .ods, .xlsb.
What still grows with an .xlsx is its shared-string table, which the format requires a reader to hold.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hotline.ingest.values import round_excel

csv.field_size_limit(64 * 1024 * 1024)


class SourceError(ValueError):
    """The file as a whole cannot be read; the message says why (Chinese first)."""


@dataclass
class RawSheet:
    name: str
    rows: Iterator[tuple[int, list]]  # (1-based row number as Excel/WPS shows it, cells)
    total_rows: int | None = None
    fraction: Callable[[], float] | None = None  # how much of the file has been read, 0..1


@dataclass
class Source:
    path: Path
    kind: str  # csv xlsx xls ods parquet
    encoding: str | None = None  # the label reported to the user (CSV only)
    sheet_names: list[str] = field(default_factory=list)
    _open_sheet: Callable[[str], RawSheet] | None = None

    def sheet(self, name: str) -> RawSheet:
        return self._open_sheet(name)


_MAGIC = [
    (b"%PDF", "PDF 文档"), (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"), (b"{\\rtf", "RTF 文档"),
    (b"\x7fELF", "程序文件"), (b"MZ", "Windows 程序文件"), (b"SQLite format 3", "SQLite 数据库"),
]
NOT_A_SHEET = "不是电子表格：{what}（支持 .xlsx、.xls、.ods、.csv、.parquet）/ not a spreadsheet"


def open_source(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Source:
    """Sniff the file by its bytes (not its name) and prepare its sheets; raise SourceError if unusable."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"文件不存在：{path} / file not found")
    if path.is_dir():
        raise SourceError(f"这是一个文件夹，不是文件：{path} / is a directory")
    size = path.stat().st_size
    if size == 0:
        raise SourceError(f"文件为空（0 字节）：{path.name} / empty file")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        src = _zip(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        src = _calamine(path, "xls")
    elif head.startswith(b"PAR1"):
        src = _parquet(path)
    else:
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是{what}"))
        src = _csv(path, encoding)
    if sheet is not None:
        if sheet not in src.sheet_names:
            raise SourceError(f"没有名为“{sheet}”的工作表（有：{'、'.join(src.sheet_names) or '无'}）/ sheet not found")
        src.sheet_names = [sheet]
    return src


def _zip(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except zipfile.BadZipFile:
        raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是损坏的压缩文件")) from None
    if "xl/workbook.xml" in names:
        return _xlsx(path)
    if "xl/workbook.bin" in names:  # .xlsb: binary sheets, which only python-calamine's whole-sheet reader knows
        return _calamine(path, "xlsx")
    if "spreadsheet" in mimetype:
        return _calamine(path, "ods")
    if any(n.startswith("word/") for n in names):
        raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是 Word 文档"))
    if any(n.startswith("ppt/") for n in names):
        raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是 PowerPoint 文档"))
    raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是 zip 压缩包"))


# ---- Excel (python-calamine) ------------------------------------------------------------------------------

def _calamine(path: Path, kind: str) -> Source:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.VeryHidden]
    except (CalamineError, Exception) as exc:  # calamine raises several unrelated types for junk input
        raise _not_excel(path, exc) from None

    def open_sheet(name: str) -> RawSheet:
        try:
            sh = wb.get_sheet_by_name(name)
            merged = sh.merged_cell_ranges or []
            start = sh.start
        except Exception as exc:
            raise _unreadable(name, exc) from None
        if start is None:
            return RawSheet(name, iter(()), 0)
        return RawSheet(name, _snapped(_unmerged(sh.iter_rows(), merged, start[1])), sh.end[0] + 1)

    return Source(path, kind, None, names, open_sheet)


def _xlsx(path: Path) -> Source:
    """An .xlsx/.xlsm streamed row by row (python-calamine-plus): memory stays flat however long the sheet.

    The merged ranges come first, from a metadata pass over the sheet (they are stored after the cells); the
    rows then come from a second, plain stream. Rows and columns are absolute (from A1), as Excel numbers them.
    A workbook serves one stream at a time: the pipeline reads its sheets one after another."""
    from python_calamine_plus import CalamineWorkbook, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.VeryHidden]
    except Exception as exc:  # calamine raises several unrelated types for junk input
        raise _not_excel(path, exc) from None

    def open_sheet(name: str) -> RawSheet:
        try:
            meta = wb.stream_sheet_by_name(name, rich=True, max_row=0)
            merged, dimension = meta.merged_cell_ranges or [], meta.dimension
            stream = wb.stream_sheet_by_name(name)
        except Exception as exc:
            raise _unreadable(name, exc) from None
        return RawSheet(name, _snapped(_unmerged(_read(stream, name), merged, 0)), _last_row(dimension))

    return Source(path, "xlsx", None, names, open_sheet)


def _read(stream, name: str) -> Iterator[list]:
    """The stream's rows; damage found mid-sheet (a truncated or corrupt file) becomes a SourceError."""
    while True:
        try:
            row = next(stream)
        except StopIteration:
            return
        except Exception as exc:
            raise SourceError(f"工作表“{name}”读到中途出错（文件可能已损坏）：{exc} / unreadable sheet") from None
        yield row


def _last_row(dimension: str | None) -> int | None:
    """The sheet's last row from its <dimension ref="A1:U100002">, for progress. Streaming writers (POI's
    SXSSF, XlsxWriter's constant-memory mode) cannot know it when they start and write a single cell: unknown."""
    if not dimension or ":" not in dimension:
        return None
    digits = dimension.rsplit(":", 1)[1].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def _not_excel(path: Path, exc: Exception) -> SourceError:
    return SourceError(NOT_A_SHEET.format(what=f"{path.name} 无法按 Excel 读取（{type(exc).__name__}）"))


def _unreadable(sheet: str, exc: Exception) -> SourceError:
    return SourceError(f"工作表“{sheet}”无法读取：{exc} / unreadable sheet")


def _snapped(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """Excel keeps times as fractions of a day, so 9:32:09 can come back as 9:32:08.999998: snap those."""
    for n, row in rows:
        for i, c in enumerate(row):
            if c.__class__ is datetime and c.microsecond:
                row[i] = round_excel(c)
        yield n, row


def _unmerged(rows, merged, col0: int) -> Iterator[tuple[int, list]]:
    """Rows with every merged range filled with its top-left value, as a person reading the sheet sees it.

    python-calamine yields rows from the sheet's first row, columns from the first used column (col0);
    merged ranges are in absolute coordinates, ((r0, c0), (r1, c1)) inclusive."""
    starts: dict[int, list] = {}
    for (r0, c0), (r1, c1) in merged:
        starts.setdefault(r0, []).append((r1, c0 - col0, c1 - col0))
    active: list[list] = []  # [last row, first col, last col, value]
    for r, row in enumerate(rows):
        if starts or active:
            for r1, a, b in starts.pop(r, ()):
                active.append([r1, a, b, row[a] if a < len(row) else None])
            if active:
                row = list(row)
                for r1, a, b, value in active:
                    if len(row) <= b:
                        row.extend([""] * (b + 1 - len(row)))
                    for c in range(a, b + 1):
                        row[c] = value
                active = [x for x in active if x[0] > r]
        yield r + 1, row


# ---- CSV -----------------------------------------------------------------------------------------------

ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb2312": "gb18030",
             "gb18030": "gb18030", "utf-16": "utf-16", "big5": "big5"}


def detect_encoding(sample: bytes, at_eof: bool) -> tuple[str, str]:
    """(codec to decode with, label to report). UTF-8 (with or without BOM), UTF-16 (BOM), else GBK/GB18030.

    GBK text is decoded with the GB18030 codec (a superset: the rare characters GBK lacks do not break the
    file); the label says GBK when every byte of the sample is valid GBK."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8（带 BOM）"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    if b"\x00" in sample[:4096]:
        raise SourceError(NOT_A_SHEET.format(what="文件含有二进制内容"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=at_eof)
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        pass
    for codec, label in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=at_eof)
            return "gb18030", label
        except UnicodeDecodeError:
            continue
    raise SourceError("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（可用 --encoding 指定）/ unknown encoding")


def _sniff_delimiter(text: str) -> str:
    lines = text.splitlines()[:50]
    best, best_score = ",", (0, 0)
    for d in (",", "\t", ";", "|"):
        widths = [len(r) for r in csv.reader(lines, delimiter=d)]
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = d, score
    return best


def _csv(path: Path, encoding: str | None) -> Source:
    with path.open("rb") as f:
        sample = f.read(1 << 20)
        at_eof = not f.read(1)
    if encoding and encoding.lower() not in ("auto", ""):
        codec = ENCODINGS.get(encoding.lower().replace("_", "-"))
        if codec is None:
            raise SourceError(f"不支持的编码 {encoding}（可选：auto、utf-8、gbk、gb18030、utf-16、big5）/ unsupported encoding")
        label = encoding.upper()
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=at_eof)
        except UnicodeDecodeError as exc:
            line = sample[:exc.start].count(b"\n") + 1
            raise SourceError(f"文件不是 {label} 编码（第 {line} 行解码失败），"
                              f"请去掉 --encoding 让程序自动识别 / file is not {label}") from None
    else:
        codec, label = detect_encoding(sample, at_eof)
    head = sample.decode(codec, errors="ignore")
    if not head.strip():
        raise SourceError(f"文件中没有任何内容：{path.name} / file has no content")
    delimiter = _sniff_delimiter(head)
    size = path.stat().st_size

    def open_sheet(_name: str) -> RawSheet:
        raw = path.open("rb", buffering=1 << 20)  # 1 MB reads: a third of the reading time goes to system calls with 8 KB
        text = io.TextIOWrapper(raw, encoding=codec, newline="")

        def rows() -> Iterator[tuple[int, list]]:
            numbers = itertools.count(1)  # zip takes the next number before the reader fails: the last row read is 2 back
            try:
                yield from zip(numbers, csv.reader(text, delimiter=delimiter))
            except UnicodeDecodeError:
                n = next(numbers) - 2
                raise SourceError(f"第 {n + 1} 行附近无法按 {label} 解码：文件可能混用了编码，请统一另存为 UTF-8 / "
                                  f"decoding failed near row {n + 1}") from None
            except csv.Error as exc:
                n = next(numbers) - 2
                raise SourceError(f"第 {n + 1} 行 CSV 格式错误：{exc} / malformed CSV") from None
            finally:
                text.close()

        return RawSheet(path.stem, rows(), None, lambda: min(1.0, raw.tell() / size) if not raw.closed else 1.0)

    return Source(path, "csv", label, [path.stem], open_sheet)


# ---- Parquet -------------------------------------------------------------------------------------------

def _parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise SourceError(NOT_A_SHEET.format(what=f"{path.name} 是损坏的 Parquet 文件（{exc}）")) from None

    def open_sheet(_name: str) -> RawSheet:
        def rows() -> Iterator[tuple[int, list]]:
            yield 1, list(pf.schema_arrow.names)
            n = 1
            for batch in pf.iter_batches(batch_size=20_000):
                cols = [c.to_pylist() for c in batch.columns]
                for row in zip(*cols):
                    n += 1
                    yield n, list(row)

        return RawSheet(path.stem, rows(), pf.metadata.num_rows + 1)

    return Source(path, "parquet", None, [path.stem], open_sheet)
