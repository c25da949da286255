"""`hotline export`: the canonical tables of a month in the project's own format — xlsx, csv or parquet.

Why this format: it is the `hotline` mapping read backwards (same Chinese column names and code labels, see
fields.py), so export → import gives identical tables, and a hotline office can hand a month to another
system, or archive it, in a form people can open. Choices:
- tickets are those *accepted* in the month, with all their events and visits (even later ones); calls are
  those *received* in the month; the units sheet lists every unit, so the file loads into an empty store;
- times are written as text, `2022-10-08 09:32:09` (with microseconds when there are any): an Excel date cell
  only keeps milliseconds, which would break the round trip; text in this form still sorts correctly;
- xlsx: one sheet per table; csv/parquet: one file per table, the tickets file named by --out and the others
  beside it (`<name>-流转记录.csv` …). CSV is UTF-8 with a BOM, so Excel opens it without garbling.
Rows are streamed from the database and written in constant memory.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, and_, select

from hotline.domain.month import Month
from hotline.ingest.fields import LABELS, TABLE_LABELS, TABLES
from hotline.store.schema import calls, categories, return_visits, subcategories, ticket_events, tickets, units

FORMATS = ("xlsx", "csv", "parquet")
BATCH = 10_000


class ExportError(ValueError):
    pass


def _label(table: str):
    labels = LABELS[table]
    return lambda v: labels.get(v, v) if v is not None else None


def _yes(v):
    return None if v is None else ("是" if v else "否")


def _queries(month: str | None):
    start_end = Month.of(month).bounds if month else None
    in_month = and_(tickets.c.accepted_at >= start_end[0], tickets.c.accepted_at < start_end[1]) if month else True
    handler, involved = units.alias("handler"), units.alias("involved")
    t = (select(tickets.c.ticket_no, tickets.c.platform, tickets.c.accepted_at, tickets.c.channel, tickets.c.appeal_type,
                categories.c.name, subcategories.c.name, tickets.c.region, tickets.c.civility, tickets.c.content,
                tickets.c.caller_name, tickets.c.caller_phone, tickets.c.resolution, handler.c.name, tickets.c.state)
         .join(subcategories, subcategories.c.id == tickets.c.subcategory_id)
         .join(categories, categories.c.id == subcategories.c.category_id)
         .outerjoin(handler, handler.c.id == tickets.c.unit_id).where(in_month).order_by(tickets.c.id))
    e = (select(tickets.c.ticket_no, ticket_events.c.kind, ticket_events.c.at, ticket_events.c.actor, involved.c.name,
                ticket_events.c.from_state, ticket_events.c.to_state, ticket_events.c.due_at, ticket_events.c.note)
         .join(tickets, tickets.c.id == ticket_events.c.ticket_id)
         .outerjoin(involved, involved.c.id == ticket_events.c.unit_id).where(in_month)
         .order_by(ticket_events.c.ticket_id, ticket_events.c.id))
    v = (select(tickets.c.ticket_no, return_visits.c.visited_at, return_visits.c.method, return_visits.c.result,
                return_visits.c.note)
         .join(tickets, tickets.c.id == return_visits.c.ticket_id).where(in_month)
         .order_by(return_visits.c.ticket_id, return_visits.c.id))
    c = select(calls.c.platform, calls.c.called_at, calls.c.answered, calls.c.wait_seconds, calls.c.talk_seconds)
    if month:
        c = c.where(calls.c.called_at >= start_end[0], calls.c.called_at < start_end[1])
    c = c.order_by(calls.c.id)
    u = select(units.c.name, units.c.unit_group, units.c.region, units.c.platform, units.c.sort_order).order_by(units.c.id)
    ident = None
    return {
        "units": (u, [ident, _label("unit_group"), ident, ident, ident]),
        "tickets": (t, [ident, ident, ident, _label("channel"), _label("appeal_type"), ident, ident, ident, _yes, ident,
                        ident, ident, _label("resolution"), ident, _label("state")]),
        "events": (e, [ident, _label("event_kind"), ident, ident, ident, _label("state"), _label("state"), ident, ident]),
        "visits": (v, [ident, ident, _label("visit_method"), _label("visit_result"), ident]),
        "calls": (c, [ident, ident, _yes, ident, ident]),
    }


HEADERS = {
    "units": [TABLES["units"][f].label for f in ("name", "unit_group", "region", "platform", "sort_order")],
    "tickets": [TABLES["tickets"][f].label for f in (
        "ticket_no", "platform", "accepted_at", "channel", "appeal_type", "category", "subcategory", "region",
        "civility", "content", "caller_name", "caller_phone", "resolution", "unit", "state")],
    "events": [TABLES["events"][f].label for f in TABLES["events"]],
    "visits": [TABLES["visits"][f].label for f in TABLES["visits"]],
    "calls": [TABLES["calls"][f].label for f in TABLES["calls"]],
}
ORDER = ("units", "tickets", "events", "visits", "calls")


def _rows(engine: Engine, query, fmts) -> Iterator[list]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for part in result.partitions(BATCH):
            for rec in part:
                yield [f(v) if f else v for f, v in zip(fmts, rec)]


def _text_time(v):
    if isinstance(v, datetime):
        return v.isoformat(" ")
    return v


def export(engine: Engine, month: str | None, fmt: str, out: Path) -> dict[str, tuple[Path, int]]:
    """Write the month; returns {table: (file, rows)}. Files appear only when complete (temp + rename)."""
    if fmt not in FORMATS:
        raise ExportError(f"不支持的导出格式 {fmt}（可选：{'、'.join(FORMATS)}）/ unknown format")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    queries = _queries(month)
    written: dict[str, tuple[Path, int]] = {}
    if fmt == "xlsx":
        import xlsxwriter

        tmp = out.with_name(f".{out.name}.tmp")
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        try:
            bold = wb.add_format({"bold": True})
            for kind in ORDER:
                ws = wb.add_worksheet(TABLE_LABELS[kind])
                ws.write_row(0, 0, HEADERS[kind], bold)
                n = 0
                for n, row in enumerate(_rows(engine, *queries[kind]), start=1):
                    for c, v in enumerate(row):
                        v = _text_time(v)
                        if v is None:
                            continue
                        if isinstance(v, str):
                            ws.write_string(n, c, v)
                        else:
                            ws.write_number(n, c, v)
                written[kind] = (out, n)
            wb.close()
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return written
    for kind in ORDER:
        target = out if kind == "tickets" else out.with_name(f"{out.stem}-{TABLE_LABELS[kind]}{out.suffix}")
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            n = _write_csv(engine, queries[kind], kind, tmp) if fmt == "csv" else _write_parquet(engine, queries[kind], kind, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        written[kind] = (target, n)
    return written


def _write_csv(engine: Engine, query, kind: str, path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADERS[kind])
        for n, row in enumerate(_rows(engine, *query), start=1):
            w.writerow(["" if v is None else _text_time(v) for v in row])
    return n


TYPES = {"units": "sssSi", "tickets": "sstssssssssssss", "events": "sstssssts", "visits": "stsss", "calls": "stsii"}


def _write_parquet(engine: Engine, query, kind: str, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"s": pa.string(), "S": pa.string(), "t": pa.timestamp("us"), "i": pa.int64()}
    schema = pa.schema([(h, types[t]) for h, t in zip(HEADERS[kind], TYPES[kind])])
    n, batch = 0, []
    with pq.ParquetWriter(str(path), schema) as writer:
        def flush():
            if batch:
                cols = list(zip(*batch))
                writer.write_table(pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, schema)],
                                                        schema=schema))
                batch.clear()

        for n, row in enumerate(_rows(engine, *query), start=1):
            batch.append(row)
            if len(batch) >= BATCH:
                flush()
        flush()
    return n
