"""One file, one transaction: read sheet by sheet, convert in chunks, load, report — the reference path.

Each row takes the stages in order: read.py opens the file, header.py finds the header and the table, convert.py
parses the cells with the mapping, derive.py finishes the row (defaults, checks, the events it implies) and
write.py loads it. The optional fast wing (hotline.ingest.fast) is chosen in one place only, the seam below
(`_session`, `_inserts`, and `fast.load_tickets` in `_load_sheet`), as `ImportOptions.speed` says; with
`options.REFERENCE` nothing of it runs, and the store is the same (tests/ingest/test_reference_path.py).

Why one transaction per file: an import interrupted half-way (Ctrl-C, a crash, a full disk) must leave the
store exactly as it was before that file — never with half a month loaded, which would make every figure
of the report silently wrong. Files before it stay loaded; the summary says which one failed and why.
Rows that cannot be loaded do not fail the file: they go to the rejects workbook and the good rows load.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from hotline.ingest import fast  # the optional fast wing: used only by `_session`, `_inserts` and `_load_sheet`
from hotline.ingest.convert import Converter, Row, blank_test
from hotline.ingest.derive import TicketFinisher, finish_child
from hotline.ingest.fields import LOAD_ORDER, TABLE_LABELS, TABLES
from hotline.ingest.header import SCAN_ROWS, detect
from hotline.ingest.mapping import Mapping
from hotline.ingest.options import ImportOptions, Speed
from hotline.ingest.read import SourceError, open_source
from hotline.ingest.rejects import RejectsWriter
from hotline.ingest.resolve import Refs
from hotline.ingest.summary import FileSummary, SheetSummary
from hotline.ingest.write import Inserts, PlainInserts, Writer
from hotline.store.reference import ensure_reference

_TABLE_OF = {"events": "ticket_events", "visits": "return_visits", "calls": "calls", "units": "units",
             "tickets": "tickets"}


class ImportFailed(ValueError):
    """The file as a whole could not be loaded; nothing of it was written."""


# ---- the seam: where the reference path takes the fast wing's speed-ups (options.Speed) -----------------------

def _session(conn: Connection, speed: Speed):
    """The file's transaction set up for bulk writes (fast.session), or left as it is."""
    return fast.session(conn) if speed.bulk_writes and conn.dialect.name == "sqlite" else nullcontext()


def _inserts(conn: Connection, speed: Speed) -> Callable[[Writer], Inserts]:
    """How the writer's rows reach their tables: many rows per INSERT (fast.bulk), or one at a time."""
    return fast.BulkInserts if speed.bulk_writes and conn.dialect.name == "sqlite" else PlainInserts


def load_order(name: str) -> int:
    """Parents before children: a sheet or file named like 流转记录/回访/来电 loads after the tickets."""
    for i, kind in enumerate(LOAD_ORDER):
        if TABLE_LABELS[kind] in name:
            return i
    return LOAD_ORDER.index("tickets")


def import_files(engine: Engine, paths: Iterable[Path], options: ImportOptions) -> list[FileSummary]:
    ordered = sorted(paths, key=lambda p: load_order(Path(p).stem))
    return [import_file(engine, Path(p), options) for p in ordered]


def import_file(engine: Engine, path: Path, options: ImportOptions) -> FileSummary:
    started = time.monotonic()
    summary = FileSummary(file=str(path), mapping=options.mapping.name)
    try:
        src = open_source(path, sheet=options.sheet, encoding=options.encoding)
    except SourceError as exc:
        return _finish(summary.fail(str(exc)), options, started)
    summary.format, summary.encoding = src.kind, src.encoding
    rejects = RejectsWriter(options.out_dir, path, options.rejects_format)
    try:
        with engine.connect() as conn, _session(conn, options.speed), conn.begin():
            if conn.dialect.name == "sqlite":
                # an explicit transaction from the first statement: Python's sqlite3 would otherwise run the DDL
                # of bulk mode outside it (so a failure could not undo it); IMMEDIATE also takes the write lock
                # now, so no other writer slips in between reading the next ids and using them
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            summary.reference_added = ensure_reference(conn)
            refs = Refs(conn, options.mapping, options.aliases)
            writer = Writer(conn, _inserts(conn, options.speed))
            diagnoses, has = [], set()
            for name in sorted(src.sheet_names, key=load_order):
                sheet, fields = _load_sheet(src, name, options, refs, writer, rejects, summary)
                has |= fields
                if sheet.kind is None:
                    diagnoses.append(f"工作表“{name}”{sheet.notes[0]}" if len(src.sheet_names) > 1 else sheet.notes[0])
            if not any(s.kind for s in summary.sheets):
                hint = f"（文件按 {src.encoding} 解码；如有乱码请用 --encoding 指定编码）" if src.encoding else ""
                raise ImportFailed("；".join(diagnoses) + hint + " / no header found")
            writer.finish()
            summary.report_gaps = report_gaps({s.kind for s in summary.sheets}, has, options.mapping)
            summary.counts = {t: dict(c) for t, c in writer.counts.items()}
            summary.units_created = list(refs.created_units)
            summary.aliases_learned = [list(a) for a in refs.learned_aliases]
            rejects.units(refs.how, refs.uses)
    except (ImportFailed, SourceError) as exc:
        rejects.discard()
        return _finish(summary.fail(str(exc)), options, started)
    except DBAPIError as exc:
        rejects.discard()
        return _finish(summary.fail(f"数据库写入失败，本文件未导入任何数据：{exc.orig} / database error"), options, started)
    except BaseException:
        rejects.discard()
        raise
    published = rejects.close()
    summary.rejects_file = str(published) if published else None
    summary.rejected, summary.repaired = rejects.rejected, rejects.repaired
    return _finish(summary, options, started)


def _finish(summary: FileSummary, options: ImportOptions, started: float) -> FileSummary:
    summary.seconds = round(time.monotonic() - started, 2)
    rows = sum(s.rows for s in summary.sheets)
    summary.rows_per_second = round(rows / summary.seconds) if summary.seconds else 0
    summary.write(options.out_dir)
    return summary


def _load_sheet(src, name: str, options: ImportOptions, refs: Refs, writer: Writer, rejects: RejectsWriter,
                summary: FileSummary) -> tuple[SheetSummary, frozenset[str]]:
    raw = src.sheet(name)
    sheet = SheetSummary(name)
    summary.sheets.append(sheet)
    rows = iter(raw.rows)
    peek = []
    for r in rows:
        peek.append(r)
        if len(peek) >= SCAN_ROWS:
            break
    layout, start, why = detect(peek, options.mapping)
    if layout is None:
        sheet.notes.append(why if peek else "是空的")
        return sheet, frozenset()
    mapping = options.mapping
    sheet.kind, sheet.header_row = layout.kind, layout.header_row
    fields = TABLES[layout.kind]
    sheet.columns = {fields[f].label: layout.headers[c] for f, c in layout.columns.items()}
    spec = mapping.tables[layout.kind]
    sheet.columns.update({fields[f].label: f"组合：{tpl}" for f, tpl in spec.compose.items() if f not in layout.columns})
    sheet.columns.update({fields[f].label: f"固定值：{v}" for f, v in spec.constants.items()
                          if f not in layout.columns and f not in spec.compose})
    sheet.unused, sheet.missing = layout.unused, layout.missing
    conv = Converter(name, layout, mapping, refs)
    finisher = TicketFinisher(layout, mapping, refs, writer.dbtime) if layout.kind == "tickets" else None
    label = f"{src.path.name}" + (f"［{name}］" if len(src.sheet_names) > 1 else "")
    progress = options.progress(label, raw.total_rows, raw.fraction)
    chunk: list[Row] = []
    counts = writer.counts[_TABLE_OF[layout.kind]]

    def flush(write: bool = True):
        good = [r for r in chunk if not r.errors]
        if good and write:
            if layout.kind == "tickets":
                writer.tickets(good, finisher.shape, name)
            elif layout.kind in ("events", "visits"):
                writer.children(good, _TABLE_OF[layout.kind])
            elif layout.kind == "calls":
                writer.calls(good)
            else:
                writer.units(good, refs)
        for r in chunk:
            if r.errors:
                rejects.reject(r, layout.headers)
                sheet.rejected += 1
                counts["rejected"] += 1
            elif r.repairs:
                rejects.repair(r)
                sheet.repaired += 1
        chunk.clear()
        good = None  # noqa: F841 — the chunk's rows are freed now, before the collector looks
        if not gc.isenabled():  # paused for the file (fast.session): what a chunk left in cycles is freed here
            gc.collect(1)
        progress.update(sheet.rows)

    def all_rows():
        yield from peek[start:]
        yield from rows

    # a row is blank when every column the mapping reads is empty (templates often number empty rows)
    used = sorted(set(layout.columns.values()) | {c for _, c in conv.compose_columns()})
    blank = blank_test(used)

    def step(rows: list[Row], written: bool) -> None:  # a chunk from the fast wing, written already or not
        chunk.extend(rows)
        flush(write=not written)

    # the seam's last part: a tickets sheet a chunk at a time, column by column (fast.sheet), where it can be
    taken = options.speed.columns and fast.load_tickets(sheet, all_rows(), conv, finisher, writer, options.speed,
                                                         src.kind, options.chunk, used, blank, step)
    if not taken:  # the reference path: one row at a time
        for row_no, cells in all_rows():
            if blank(cells):
                sheet.blank_rows += 1
                continue
            sheet.rows += 1
            row = conv.convert(row_no, cells)
            if finisher is not None:
                finisher.finish(row)
            else:
                finish_child(row, layout.kind, mapping, writer.dbtime)
            chunk.append(row)
            if len(chunk) >= options.chunk:
                flush()
    flush()
    progress.done()
    for spelling, n in conv.counts.get("unit", {}).items():
        refs.uses[spelling] += n
    if finisher is not None:
        sheet.notes.extend(sorted(finisher.notes))
    if sheet.rows == 0:
        sheet.notes.append("只有表头，没有数据行")
    has = set(finisher.shape.has) if finisher else set()
    if "subcategory" in layout.columns:
        has.add("subcategory:column")  # the platform's own classification, not keyword rules
    return sheet, frozenset(has)


def report_gaps(kinds: set, has: set, mapping: Mapping) -> list[str]:
    """Which parts of the monthly report a file of this shape cannot feed (told to the user at import)."""
    if "tickets" not in kinds:
        return []
    events, visits = "events" in kinds, "visits" in kinds
    deadline = mapping.tables["tickets"].deadline
    checks = [
        ("unit" in has, "承办单位（附件1、图5、各单位热点）：文件没有承办单位列"),
        (events or "completed_at" in has, "办结与按时办结率：文件没有办结时间列"),
        (events or "due_at" in has or deadline == "computed",
         "按时办结率与超期未反馈：文件没有办理时限，映射也未要求按工作日计算"),
        (events or "contacted" in has or "contacted_at" in has, "联系反馈当事人率：文件没有是否联系诉求人列"),
        (visits or "visit_result" in has, "回访与满意率（附件1 回访各列）：文件没有回访结果列"),
        ("civility" in has, "文明创建诉求：文件没有文明创建标记列"),
        ("subcategory:column" in has or "subcategory" not in mapping.classify,
         "诉求热点：文件没有诉求分类，按映射中的关键词规则归类（非平台原始分类）"),
        ("calls" in kinds, "来电量与接通率：文件不含来电记录（需另行导入话务数据）"),
    ]
    return [text for ok, text in checks if not ok]
