"""Ticket rows a column at a time: the common case of a big export, at a fraction of the per-row cost.

Why: a million-row platform export must load in under 30 s on two cores. Row by row, each of the 21 cells
costs a function call, a dictionary store and a check, and `TicketFinisher` reads them back from the
dictionary; that was half the time of an import. Here a chunk of rows is turned around into columns, each
column is parsed in one tight loop (low-cardinality columns — units, codes, categories, 是/否 — through a
cache of distinct raw values, dates through caches of their date part and time of day), and the ticket,
its events and its return visit are built from the columns.

How behaviour stays the same: this path only handles values it can prove the row-by-row parsers accept
without a note. Every row with anything else — an error, a repair, an empty required cell, a value the
caches do not know and the real parser flags — is handed, in its turn, to the row-by-row path
(`Converter.convert` + `TicketFinisher.finish`), so rejection and repair messages are produced by the same
code as before. Values it does accept are parsed by the same functions (the caches are filled by calling
them), and the rows are processed in file order, so units created or aliases learned on the way come in
the same order. Timestamps are kept as the text SQLite stores (`Writer.dbtime`), which also orders them:
so this path is used on SQLite only. tests/ingest/test_fast.py compares it with the row-by-row path on
generated rows full of damaged values.

Not handled here (the whole sheet goes row by row): composed fields (`compose:`), ticket numbers built by
`ticket_no.extract`/`format`, constants that parse to nothing, and every kind of sheet other than tickets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from itertools import compress, repeat
from typing import Any

from hotline.ingest.convert import CACHE_LIMIT, Converter, Row
from hotline.ingest.derive import NO_CONTENT, VISIT_TIME_NOTE, RowEvents, TicketFinisher, TicketItem
from hotline.ingest.resolve import unit_spelling
from hotline.ingest.values import Bad, _date_part, _time_part, clean_text

SLOW = object()  # this cell sends its row down the row-by-row path
_MISS = object()
TIMES = ("dispatched_at", "signed_at", "feedback_at", "completed_at", "visited_at", "contacted_at")
DATE_LIMIT = 100_000
_FIELDS = ("ticket_no", "accepted_at", "subcategory", "category", "appeal_type", "unit", "resolution", "dispatched_at",
           "signed_at", "content", "title", "region", "completed_at", "feedback_at", "contacted", "contacted_at",
           "feedback", "visit_result", "visited_at", "visit_method", "visit_note", "platform", "channel", "civility",
           "caller_name", "caller_phone", "state", "due_at")
_TICKET_NOS = re.compile(r"(?:[0-9]{14}\n)*[0-9]{14}")  # a column of clean 14-digit ticket numbers, at once


def _blank(raw) -> bool:
    return raw is None or raw == "" or (raw.__class__ is str and raw.isspace())


def _call(parse: Callable, raw):
    """What the row-by-row path would store for this cell: the value, None (nothing), or SLOW (error/note)."""
    if _blank(raw):
        return None
    try:
        value, note = parse(raw)
    except Bad:
        return SLOW
    return SLOW if note else value


class FastTickets:
    """Converts chunks of a tickets sheet; `create` returns None when the sheet cannot take this path."""

    def __init__(self, sheet: str, conv: Converter, finisher: TicketFinisher, dbtime: Callable):
        self.sheet, self.conv, self.fin, self.dbtime = sheet, conv, finisher, dbtime
        m = self.mapping = conv.mapping
        layout = conv.layout
        self.columns: list[tuple[str, int, Callable]] = []  # (field, column, column parser)
        for f, col, _, parse in conv.plan:
            self.columns.append((f.name, col, self._column_parser(f.type, parse)))
        self.width = max((col for _, col, _ in self.columns), default=-1) + 1
        self.constants = {k: (dbtime(v) if isinstance(v, datetime) else v) for k, v in conv.constants.items()}
        self.unit_parse = next((p for f, _, _, p in conv.plan if f.type == "unit"), None)
        self.content_column = "content" in layout.columns
        self.unit_column = finisher.unit_column
        self.visit_time_column = finisher.visit_time_column
        self.classify_appeal = "appeal_type" in m.classify
        self.times = [f for f in TIMES if f in layout.columns or f in self.constants]
        self._dates: dict[str, str] = {}  # "2022/10/8" → "2022-10-08 "
        self._times: dict[str, str] = {}  # "9:32:09" → "09:32:09.000000"
        self._dues: dict = {}
        self._liaison: dict = {}
        self._region: dict = {}
        # what the empty columns of derived events hold: None, or the writer's stand-in for NULL when the events
        # are laid out for it in another process (hotline.ingest.fast.prepared; the writer reads both as NULL)
        self.null = None

    @classmethod
    def create(cls, sheet: str, conv: Converter, finisher: TicketFinisher | None, writer) -> FastTickets | None:
        if finisher is None or not writer.sqlite or conv.kind != "tickets":
            return None
        spec = conv.mapping.tables["tickets"]
        if spec.ticket_no_extract is not None or spec.ticket_no_format:
            return None
        if any(compose is not None for _, _, compose, _ in conv.plan):
            return None
        if any(v is None for v in conv.constants.values()):
            return None
        return cls(sheet, conv, finisher, writer.dbtime)

    # ---- one column ---------------------------------------------------------------------------------------
    def _column_parser(self, kind: str, parse: Callable) -> Callable[[list], list]:
        if kind == "datetime":
            return lambda values: self._datetimes(values, parse)
        if kind == "ticket_no":
            return lambda values: self._ticket_nos(values, parse)
        if kind == "longtext":
            return lambda values: self._longtext(values, parse)
        if kind == "phone":
            return lambda values: [raw[:3] + "****" + raw[7:] if (raw.__class__ is str and len(raw) == 11 and raw.isdigit()
                                                                   and raw.isascii()) else _call(parse, raw)
                                   for raw in values]
        if kind == "unit":
            return lambda values: self._units(values, parse)
        if kind in ("code", "bool", "subcategory", "category", "platform", "region", "person"):
            cache: dict = {}  # pure functions of the raw value: a cache of distinct texts is exact

            def cached(values):
                try:
                    out = list(map(cache.get, values, repeat(_MISS)))
                except TypeError:  # an unhashable cell (a list from a nested Parquet column): each one parsed
                    out = [_MISS] * len(values)
                if _MISS in out:
                    for i, v in enumerate(out):
                        if v is _MISS:
                            raw = values[i]
                            v = out[i] = _call(parse, raw)
                            # only texts are remembered: Excel's 1, 1.0 and True are equal keys, not equal cells
                            if raw.__class__ is str and len(cache) < CACHE_LIMIT:
                                cache[raw] = v
                return out
            return cached
        return lambda values: [_call(parse, raw) for raw in values]  # text, int: rare in big files

    @staticmethod
    def _ticket_nos(values: list, parse: Callable) -> list:
        """14 ASCII digits pass as they are (so parse_ticket_no and derive.ticket_number would take them);
        anything else goes through both, and is kept only if they would accept it without a note."""
        try:
            if _TICKET_NOS.fullmatch("\n".join(values)):
                return values
        except TypeError:  # a number from Excel
            pass
        out = []
        for raw in values:
            if raw.__class__ is str and len(raw) == 14 and raw.isdigit() and raw.isascii():
                out.append(raw)
                continue
            v = _call(parse, raw)
            out.append(v if v is not None and v is not SLOW and len(v) == 14 and v.isdigit() and v.isascii() else SLOW)
        return out

    def _longtext(self, values: list, parse: Callable) -> list:
        if not self.mapping.clean_text:
            return [(raw if not (raw == "" or raw.isspace()) else None) if raw.__class__ is str else _call(parse, raw)
                    for raw in values]
        out = []
        for raw in values:
            if raw.__class__ is str:
                s = raw.strip()
                if not s:
                    out.append(None)
                elif "\n" in s or "\t" in s or "\r" in s:
                    out.append(clean_text(raw))
                else:
                    out.append(s)
            else:
                out.append(_call(parse, raw))
        return out

    def _units(self, values: list, parse: Callable) -> list:
        """Resolved in row order through the converter's own cache (units are created and aliases learned on
        the first sight of a spelling); counted per row later, for the rows that stay on this path."""
        resolve = parse.resolve
        known = resolve.cache
        out = []
        for raw in values:
            if _blank(raw):
                out.append(None)
                continue
            try:
                hit = known.get(raw)
            except TypeError:  # unhashable: as `_cached`, resolved every time
                hit = None
            if hit is None:
                try:
                    hit = (resolve(raw), None)
                except Bad as exc:
                    hit = (None, exc)
            out.append(SLOW if hit[1] is not None else hit[0][0])
        return out

    def _datetimes(self, values, parse: Callable) -> list:
        n = len(values)
        filled = list(compress(range(n), values))  # most timestamp columns are mostly empty (online tickets)
        if len(filled) != n and values.count("") + values.count(None) != n - len(filled):
            filled = [i for i, v in enumerate(values) if v is not None and v != ""]  # an Excel 0 or False: not empty
        texts = values if len(filled) == n else [values[i] for i in filled]
        dates, times = self._dates.get, self._times.get
        try:  # a known date and a known time of day, split at the first space as parse_datetime does
            out = [(a + b) if (a := dates(p[0])) is not None and (b := times(p[2])) is not None else _MISS
                   for p in map(str.partition, texts, repeat(" "))]
        except TypeError:  # a cell that is not text (Excel)
            out = [_MISS] * len(texts)
        if _MISS in out:
            for j, v in enumerate(out):
                if v is _MISS:
                    out[j] = self._datetime(texts[j], parse)
        if len(filled) == n:
            return out
        full = [None] * n
        for i, v in zip(filled, out):
            full[i] = v
        return full

    def _datetime(self, raw, parse: Callable):
        """One value the caches do not know: parsed by `parse_datetime` itself. When it had the shape that
        function reads by splitting (2022/10/8 9:32:09), its date and time of day are remembered."""
        if raw.__class__ is str:
            d, _, t = raw.partition(" ")
            a = self._dates.get(d)
            if a is not None and t:  # a date seen before, a new time of day: parse_datetime would split it too
                try:
                    hms = _time_part(t)
                except Bad:
                    return SLOW
                if hms is not None:
                    b = f"{hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d}.000000"
                    if len(self._times) < DATE_LIMIT:
                        self._times[t] = b
                    return a + b
        if _blank(raw):
            return None
        try:
            dt, note = parse(raw)
        except Bad:
            return SLOW
        if note:
            return SLOW
        text = self.dbtime(dt)
        if raw.__class__ is str:
            d, _, t = raw.partition(" ")
            if t and len(d) > 4 and d[4] in "/-" and d[:4].isdigit() and len(self._dates) < DATE_LIMIT \
                    and len(self._times) < DATE_LIMIT:
                try:
                    ymd, hms = _date_part(d, d[4]), _time_part(t)
                except Bad:
                    ymd = hms = None
                if ymd and hms and text == (f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d} "
                                            f"{hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d}.000000"):
                    self._dates[d], self._times[t] = text[:11], text[11:]
        return text

    # ---- a chunk ------------------------------------------------------------------------------------------
    def convert(self, batch: list[tuple[int, list]]) -> list[Row]:
        """Rows (in order) ready for the writer: `item` set, or errors/repairs from the row-by-row path."""
        width = self.width
        n = len(batch)
        grid = [cells for _, cells in batch]
        if min(map(len, grid), default=width) < width:  # short rows (a ragged CSV): padded for the columns
            grid = [cells if len(cells) >= width else list(cells) + [None] * (width - len(cells)) for cells in grid]
        by_column = list(zip(*grid)) if n else [()] * width  # the chunk turned around: one tuple per column
        cols: dict[str, list] = {}
        for name, col, parse_column in self.columns:
            cols[name] = parse_column(by_column[col])
        for name, value in self.constants.items():
            cols[name] = [value] * n
        slow = [False] * n
        for values in cols.values():
            if SLOW in values:
                for i, v in enumerate(values):
                    if v is SLOW:
                        slow[i] = True
        nothing = [None] * n
        NO, ACC, SUB, CAT, APPEAL, UNIT, RES, DISP, SIGN, CONTENT, TITLE, REGION, COMP, FBAT, CONT, CONTAT, FB, VRES, \
            VAT, VMETH, VNOTE, PLAT, CHAN, CIV, NAME, PHONE, STATE, DUE = [cols.get(f, nothing) for f in _FIELDS]
        times = [cols[f] for f in self.times]
        fin, refs = self.fin, self.fin.refs
        scope, visits_on = fin.shape.scope, fin.shape.visits
        cat_ok, cat_cache = refs.category_matches, fin._cat_ok
        default_appeal, default_resolution = fin.default_appeal, fin.default_resolution
        default_platform, default_channel, default_method = fin.default_platform, fin.default_channel, fin.default_method
        unit_column, content_column, visit_time_column = self.unit_column, self.content_column, self.visit_time_column
        appeal_fallback = None if self.classify_appeal else default_appeal  # keyword rules: row by row
        extract_region = self.mapping.region_extract is not None
        a_dispatch = "dispatch" in scope
        uses = self.unit_parse.uses if self.unit_parse is not None else None
        unit_col = self.conv.layout.columns.get("unit")
        regions, liaisons, sheet, convert, finish = self._region, self._liaison, self.sheet, self.conv.convert, fin.finish
        events = RowEvents(scope, self.null)  # per chunk: `null` is set after construction (fast.prepared)
        online_events, dispatched_events = events.online, events.dispatched

        out: list[Row] = []
        append = out.append
        new_item = tuple.__new__  # TicketItem(...) without its Python-level __new__
        for i in range(n):
            row_no, cells = batch[i]
            # ---- TicketFinisher.finish up to the derivation: any error or repair there sends the row row by row
            if slow[i]:
                ok = False
            else:
                no, acc, sub_id, cat, appeal, unit_id = NO[i], ACC[i], SUB[i], CAT[i], APPEAL[i], UNIT[i]
                dispatched_at, content, result, visited_at = DISP[i], CONTENT[i] or TITLE[i], VRES[i], VAT[i]
                ok = no is not None and acc is not None and sub_id is not None
                if ok:
                    for values in times:
                        v = values[i]
                        if v is not None and v < acc:
                            ok = False
                            break
                if ok and cat:
                    good = cat_cache.get((sub_id, cat))
                    if good is None:
                        good = cat_cache[(sub_id, cat)] = cat_ok(sub_id, cat)
                    ok = good
                if ok and appeal is None:
                    appeal = appeal_fallback
                    ok = appeal is not None
                if ok:
                    resolution = RES[i] or default_resolution or (
                        "dispatched" if unit_id is not None or dispatched_at is not None else "online")
                    if resolution == "dispatched" and unit_id is None and unit_column:
                        ok = False
                    elif not content:
                        if content_column:
                            ok = False
                        content = NO_CONTENT
                if ok and visits_on and (result or visited_at) and (
                        result is None or (visited_at is None and visit_time_column)):
                    ok = False
            if not ok:  # the row-by-row path, in its turn
                row = convert(row_no, cells)
                finish(row)
                append(row)
                continue
            region = REGION[i]
            if region is None:
                if extract_region:
                    region = fin._region({"title": TITLE[i], "content": CONTENT[i]}, unit_id)
                else:
                    region = regions.get(unit_id)
                    if region is None:
                        region = regions[unit_id] = fin._region({}, unit_id)
            # ---- TicketFinisher._derive (its visit, then derive.RowEvents), on timestamps already in their stored form
            completed = COMP[i]
            visits = []
            if visits_on and (result or visited_at):
                if visited_at is None:  # (with a 回访时间 column the row went row by row: a repair)
                    visited_at = completed or acc
                    fin.notes.add(VISIT_TIME_NOTE)
                method = VMETH[i]
                visits.append((visited_at, default_method if method is None else method, result, VNOTE[i]))
            else:
                visited_at = None
            if resolution != "dispatched":
                ev, state = online_events(acc, completed)
            else:
                liaison = liaisons.get(unit_id)
                if liaison is None:
                    liaison = liaisons[unit_id] = fin.liaison(unit_id)
                due = None
                if a_dispatch and (unit_id is not None or dispatched_at is not None):
                    due = self._due(i, dispatched_at or acc, appeal, DUE)
                ev, state = dispatched_events(acc, unit_id, liaison, dispatched_at, due, SIGN[i], CONT[i], CONTAT[i],
                                              FBAT[i], FB[i], completed, visited_at)
            platform, channel = PLAT[i], CHAN[i]
            row = Row(sheet, row_no, cells)
            row.item = new_item(TicketItem, (no, (no, default_platform if platform is None else platform, acc,
                                                  default_channel if channel is None else channel, appeal, sub_id, region,
                                                  bool(CIV[i]), content, NAME[i], PHONE[i], resolution, unit_id,
                                                  STATE[i] or state), ev, visits))
            append(row)
            if unit_id is not None and unit_col is not None and uses is not None:
                spelling = unit_spelling(cells[unit_col])
                uses[spelling] = uses.get(spelling, 0) + 1
        return out

    def _due(self, i: int, at: str, appeal: str, DUE: list) -> Any:
        deadline = self.fin.deadline
        if deadline == "column":
            return DUE[i]
        if deadline == "none":
            return None
        days = self.fin.deadline_days(appeal)
        k = (at[:10], days)
        due = self._dues.get(k, _MISS)
        if due is _MISS:  # TicketFinisher._due remembers it per day too (and notes an unconfigured year)
            d = self.fin._due(None, datetime.fromisoformat(at), appeal)
            due = self._dues[k] = None if d is None else self.dbtime(d)
        return due
