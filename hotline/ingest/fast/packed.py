"""A chunk of a ticket sheet as it crosses from the converting process to the writing one (hotline.ingest.fast.parallel).

Why a format of its own: the writing process is the bottleneck, so the chunk arrives as close as possible to
what it executes — the new tickets, events and visits laid out as INSERT parameters (hotline.ingest.fast.prepared) —
and with as few objects as possible to unpack: no Row objects; one byte per row saying what became of it; the
rows the rejects workbook needs; row numbers as one array; the raw cells of a good row only if the writer may
still reject it, as a repeat of a ticket the file loaded before (`Numbers`). Should the chunk not go in as it
is (a ticket that is already stored, rows whose unit spelling only the writing process may resolve), `rebuild`
turns it back into the Row objects converting it there would have given, for `Writer.tickets`.
"""

from __future__ import annotations

from array import array
from itertools import chain
from operator import attrgetter, itemgetter
from typing import NamedTuple

from hotline.ingest.convert import CACHE_LIMIT, Row
from hotline.ingest.derive import TicketItem
from hotline.ingest.fast.columns import FastTickets, _blank
from hotline.ingest.fast.prepared import lay_out, rows_of

NEW, REPAIRED, REJECTED, DEFERRED = b"N"[0], b"R"[0], b"E"[0], b"D"[0]
TABLES = ("tickets", "ticket_events", "return_visits")


class Packed(NamedTuple):
    """One chunk, converted."""

    rows: int  # rows of the chunk (blank ones not counted)
    blank: int  # blank rows skipped since the previous chunk
    kinds: bytes  # per row: N new ticket, R new ticket with repairs, E rejected, D not converted (its unit)
    special: list  # for R, E and D rows in order: (row_no, cells — None for R —, errors, repairs)
    cells: tuple  # of the N and R rows that may repeat a ticket: their places, cells (`_cells_out`)
    nos: list  # ticket numbers of the N and R rows
    twice: bool  # one of them twice
    row_nos: bytes  # their row numbers (array of int64)
    params: tuple  # INSERT parameters per statement, for tickets, events, visits (`prepared.lay_out`)
    seq: int  # the last message of `Units` taken before converting it


class Numbers:
    """(In the converting process.) Which ticket numbers this file may have loaded already: a fixed table of
    hash slots (memory does not grow with the file; no false negatives, some false positives), so that only a
    row that may repeat a ticket — and be rejected by the writer, who then needs its cells — carries them across.
    The writer also looks up only these numbers on a store that had no tickets before the file."""

    BITS = 25  # 32 MB: about 3 % false positives at a million tickets

    def __init__(self, nos: list[str]):
        self.slots, self.mask = bytearray(1 << self.BITS), (1 << self.BITS) - 1
        self.exact = True  # until a row is converted by the other process (its number is not seen here)
        self.seen(nos)

    def seen(self, nos: list[str]) -> list[int]:
        """Places in `nos` of numbers that may have come before (in this file or earlier in `nos`)."""
        slots, mask, out = self.slots, self.mask, []
        for i, no in enumerate(nos):
            h = hash(no) & mask
            if slots[h]:
                out.append(i)
            else:
                slots[h] = 1
        return out if self.exact else list(range(len(nos)))


def pack(batch: list, blank: int, fast: FastTickets, per: tuple, how: dict,
         numbers: Numbers, seq: int = 0) -> Packed:
    """(In the converting process.) Convert `batch`: what it gives, and what it could not convert."""
    deferred = _unresolved(batch, fast, how)
    if deferred:
        numbers.exact = False
    rows = fast.convert([b for i, b in enumerate(batch) if i not in deferred] if deferred else batch)
    if not deferred and not any([r.errors or r.repairs for r in rows]):  # the usual chunk
        kinds, special, good = bytes([NEW]) * len(rows), [], rows
    else:
        kinds, special, good = bytearray(), [], []
        converted = iter(rows)
        for i, (row_no, cells) in enumerate(batch):
            if i in deferred:
                kinds.append(DEFERRED)
                special.append((row_no, cells, None, None))
                continue
            row = next(converted)
            if row.errors:
                kinds.append(REJECTED)
                special.append((row.row_no, row.cells, row.errors, row.repairs))
                continue
            good.append(row)
            kinds.append(REPAIRED if row.repairs else NEW)
            if row.repairs:
                special.append((row.row_no, None, None, row.repairs))
        kinds = bytes(kinds)
    items = list(map(attrgetter("item"), good))
    nos, tickets = list(map(itemgetter(0), items)), list(map(itemgetter(1), items))
    events = [(k,) + e for k, it in enumerate(items) if it[2] for e in it[2]]  # the ticket as an offset in the chunk
    visits = [(k,) + v for k, it in enumerate(items) if it[3] for v in it[3]]
    params = tuple(lay_out(table, rows, n) for table, rows, n in zip(TABLES, (tickets, events, visits), per))
    again = numbers.seen(nos)
    return Packed(len(batch), blank, kinds, special, (again, _cells_out([good[k].cells for k in again])), nos,
                  len(set(nos)) < len(nos), array("q", map(attrgetter("row_no"), good)).tobytes(), params, seq)


def _unresolved(batch: list, fast: FastTickets, how: dict) -> set[int]:
    """Rows whose unit spelling only the other process may resolve (it would write to the store); the others'
    spellings are put in the converter's cache, so converting them here resolves nothing."""
    col = fast.conv.layout.columns.get("unit")
    if col is None or fast.unit_parse is None:
        return set()
    cache, refs = fast.unit_parse.resolve.cache, fast.fin.refs
    try:
        raws = list(map(itemgetter(col), map(itemgetter(1), batch)))
    except IndexError:  # a short row
        raws = [cells[col] if col < len(cells) else None for _, cells in batch]
    try:
        todo = [i for i, raw in enumerate(raws)  # (most rows: no unit, or a known one)
                if (raw or (raw is not None and raw != "")) and raw not in cache]
    except TypeError:  # an unhashable cell (never from a CSV): each row looked at
        todo = range(len(raws))
    out = set()
    for i in todo:
        raw = raws[i]
        if _blank(raw):
            continue
        try:
            if raw in cache:
                continue
        except TypeError:
            out.add(i)
            continue
        hit = refs.known_unit(raw) if len(cache) < CACHE_LIMIT else None
        if hit is None:
            out.add(i)
            continue
        spelling, uid, way = hit
        cache[raw] = ((uid, None), None)  # as `_cached` keeps (parse(raw), exception)
        how[spelling] = (refs.unit_name[uid], way)
    return out


def _cells_out(rows: list[list]) -> tuple:
    """The rows' cells as one UTF-8 string and the row widths (cheap to ship), when all are text without "\x1f"."""
    widths = list(map(len, rows))
    try:
        text = "\x1f".join(chain.from_iterable(rows))
    except TypeError:  # a cell that is not text
        return rows, None
    if text.count("\x1f") != sum(widths) - 1:
        return rows, None
    return text.encode("utf-8", "surrogatepass"), widths


# ---- in the writing process ------------------------------------------------------------------------------------

def _cells_in(cells: tuple) -> list[list]:
    data, widths = cells
    if widths is None:
        return data
    flat, out, at = data.decode("utf-8", "surrogatepass").split("\x1f"), [], 0
    for w in widths:
        out.append(flat[at:at + w])
        at += w
    return out


def noted(p: Packed, sheet: str) -> list[Row]:
    """The chunk's rejected and repaired rows, for the rejects workbook (its new tickets are written)."""
    out = []
    for row_no, cells, errors, repairs in p.special:
        row = Row(sheet, row_no, cells)
        row.errors, row.repairs = errors or [], repairs or []
        out.append(row)
    return out


def rebuild(p: Packed, sheet: str, fast: FastTickets) -> list[Row]:
    """The chunk's rows as converting them here would have given them; rows left unconverted are converted now."""
    n = len(p.nos)
    events, visits = [[] for _ in range(n)], [[] for _ in range(n)]
    values = rows_of("tickets", p.params[0])
    for table, params, into in (("ticket_events", p.params[1], events), ("return_visits", p.params[2], visits)):
        for row in rows_of(table, params):
            into[row[0]].append(row[1:])
    row_nos = array("q", p.row_nos)
    cells = [None] * n
    for k, c in zip(p.cells[0], _cells_in(p.cells[1]) if p.cells[0] else ()):
        cells[k] = c
    special = iter(p.special)
    out: list = []
    deferred = []
    k = 0
    for i, kind in enumerate(p.kinds):
        if kind == NEW or kind == REPAIRED:
            row = Row(sheet, row_nos[k], cells[k])
            row.item = tuple.__new__(TicketItem, (values[k][0], values[k], events[k], visits[k]))
            if kind == REPAIRED:
                row.repairs = next(special)[3]
            k += 1
        else:
            row_no, raw, errors, repairs = next(special)
            if kind == DEFERRED:
                deferred.append((i, (row_no, raw)))
                row = None
            else:
                row = Row(sheet, row_no, raw)
                row.errors, row.repairs = errors, repairs
        out.append(row)
    if deferred:
        for (i, _), row in zip(deferred, fast.convert([b for _, b in deferred])):
            out[i] = row
    return out


def merge(fast: FastTickets, notes: set, uses: dict, how: dict) -> None:
    fast.fin.notes |= notes
    if fast.unit_parse is not None:
        counts = fast.unit_parse.uses
        for spelling, n in uses.items():
            counts[spelling] = counts.get(spelling, 0) + n
    fast.fin.refs.how.update(how)  # (these spellings were resolved after any by this process: theirs come last)
