"""One file, one transaction: read sheet by sheet, convert in chunks, load, report.

Why one transaction per file: an import interrupted half-way (Ctrl-C, a crash, a full disk) must leave the
store exactly as it was before that file — never with half a month loaded, which would make every figure
of the report silently wrong. Files before it stay loaded; the summary says which one failed and why.
Rows that cannot be loaded do not fail the file: they go to the rejects workbook and the good rows load.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from hotline.ingest import parallel
from hotline.ingest.convert import Converter, Row, blank_test
from hotline.ingest.fast import FastTickets
from hotline.ingest.fields import LOAD_ORDER, TABLE_LABELS, TABLES
from hotline.ingest.header import SCAN_ROWS, detect
from hotline.ingest.mapping import Mapping
from hotline.ingest.outcome import FileSummary, RejectsWriter, SheetSummary
from hotline.ingest.progress import Progress, Silent
from hotline.ingest.records import TicketFinisher, finish_child
from hotline.ingest.refs import Refs
from hotline.ingest.sources import SourceError, open_source
from hotline.ingest.writer import Writer
from hotline.store.reference import ensure_reference

CHUNK = 20_000
FAST = True  # ticket sheets column by column where possible (tests switch it off to compare the two paths)
_TABLE_OF = {"events": "ticket_events", "visits": "return_visits", "calls": "calls", "units": "units",
             "tickets": "tickets"}


class ImportFailed(ValueError):
    """The file as a whole could not be loaded; nothing of it was written."""


@dataclass
class ImportOptions:
    mapping: Mapping
    sheet: str | None = None
    encoding: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    out_dir: Path = Path("var/imports")
    rejects_format: str = "xlsx"
    chunk: int = CHUNK
    progress: Callable[..., Progress] = Silent


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
        with engine.connect() as conn, foreign_keys_checked_by_writer(conn), rollback_journal(conn), conn.begin(), \
                young_gc():
            if conn.dialect.name == "sqlite":
                # an explicit transaction from the first statement: Python's sqlite3 would otherwise run the DDL
                # of bulk mode outside it (so a failure could not undo it); IMMEDIATE also takes the write lock
                # now, so no other writer slips in between reading the next ids and using them
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            summary.reference_added = ensure_reference(conn)
            refs = Refs(conn, options.mapping, options.aliases)
            writer = Writer(conn)
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


@contextmanager
def rollback_journal(conn: Connection):
    """SQLite: the file's transaction in rollback-journal mode, when nothing else has the store open.

    Why: in WAL mode every page an import writes goes to the WAL first and is copied into the database file
    by the checkpoint after the commit, so a big file is written twice (1M rows: ~750 MB, twice; 8 of the
    42 s on the benchmark's slower host). With a rollback journal, pages new to the file are written once and
    only pages that already held data are journaled. The commit is as atomic as before: a crash leaves a hot
    journal that SQLite rolls back the next time the store is opened.
    Leaving WAL needs the store to itself. If another connection has it open (the service, a second
    import), the import stays in WAL, so readers keep reading, and takes longer; the attempt does not wait.
    synchronous=FULL meanwhile: NORMAL is proof against power loss only in WAL mode. WAL and NORMAL come
    back after the commit or rollback; if they cannot, the next connection's own setup restores WAL."""
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if driver is None or driver.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        yield
        return
    timeout = driver.execute("PRAGMA busy_timeout").fetchone()[0]
    driver.execute("PRAGMA busy_timeout = 0")
    try:
        switched = driver.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    except Exception:  # noqa: BLE001 — "database is locked": another connection has the store open
        switched = False
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    if switched:
        driver.execute("PRAGMA synchronous = FULL")
    try:
        yield
    finally:  # (never masking what ended the transaction, as below)
        if switched and not conn.invalidated:
            try:
                driver.execute("PRAGMA journal_mode = WAL")
                driver.execute("PRAGMA synchronous = NORMAL")
            except Exception:  # noqa: BLE001 — the next connection's setup (store.db) sets WAL again
                pass


@contextmanager
def foreign_keys_checked_by_writer(conn: Connection):
    """SQLite: foreign keys off for the file's transaction, checked by the writer instead (constraints.py);
    after it, foreign keys on and CHECK constraints applied again (`Writer.ignore_checks`), or the connection
    is discarded.

    Why: SQLite looks every foreign key of every inserted row up in its parent table (a third of the cost of
    inserting a ticket or an event); the writer checks a whole batch at once and refuses a bad one the same way. The pragma
    cannot change inside a transaction, so it is set around it, on this connection only, and set back after
    the commit or rollback; a connection where that fails is discarded rather than pooled with the keys off."""
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if driver is None:
        yield
        return
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:  # (never masking what ended the transaction: Ctrl-C must still end the command with 130)
        if not conn.invalidated:  # (an interrupted driver call has SQLAlchemy discard the connection already)
            try:
                driver.execute("PRAGMA foreign_keys = ON")
                driver.execute("PRAGMA ignore_check_constraints = OFF")  # (the writer's, whatever ended the file)
                restored = (driver.execute("PRAGMA foreign_keys").fetchone()[0] == 1
                            and driver.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0)
            except Exception:  # noqa: BLE001 — a broken connection: dropped below
                restored = False
            if not restored:
                try:
                    conn.invalidate()
                except Exception:  # noqa: BLE001
                    pass


@contextmanager
def young_gc():
    """Python's cyclic garbage collector paused while a file loads, its young generations collected after each chunk.

    Why: a chunk holds tens of thousands of rows (lists, tuples, Row objects) alive at once; the automatic
    collector sees them survive, promotes them, and then keeps re-scanning every object of the process in full
    collections — a third of an import's time. The rows are freed by reference counting as each chunk is
    written, so almost nothing is left for the collector; `collect_young` (after each chunk) still frees any
    reference cycles made meanwhile. The previous setting is restored when the file is done, failed or not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    if not gc.isenabled():
        gc.collect(1)


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
        collect_young()
        progress.update(sheet.rows)

    def all_rows():
        yield from peek[start:]
        yield from rows

    # a row is blank when every column the mapping reads is empty (templates often number empty rows)
    used = sorted(set(layout.columns.values()) | {c for _, c in conv.compose_columns()})
    blank = blank_test(used)
    fast = FastTickets.create(name, conv, finisher, writer) if FAST else None
    if fast is not None:  # big ticket lists: a chunk at a time, column by column (hotline.ingest.fast)
        tally = [0, 0]  # rows, blank rows (brought up to date as they are read)
        ahead = parallel.available(src.kind)  # the rest may be converted in a second process (after the first batch)
        head = min(options.chunk, parallel.HEAD) if ahead else options.chunk
        chunks = parallel.batches(all_rows(), options.chunk, used[0] if used else 1 << 30, blank, tally, head)

        def step(rows: list[Row], written: bool) -> None:
            sheet.rows, sheet.blank_rows = tally
            chunk.extend(rows)
            flush(write=not written)
        try:
            for batch in chunks:
                step(fast.convert(batch), False)
                if ahead and len(batch) == head:
                    # more may follow: read and converted in a second process from here on (hotline.ingest.parallel)
                    parallel.load(chunks, tally, fast, writer, name, step)
                    break
                ahead = False
        finally:  # also when reading fails half-way: the rows read so far are counted, as row by row
            sheet.rows, sheet.blank_rows = tally
    else:
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
