"""A ticket sheet read a chunk at a time and converted column by column — in a second process for a big CSV.

Why: the reference path (hotline.ingest.pipeline) reads, converts and finishes one row at a time; for a big
ticket list that is the slowest part of an import. Here the sheet's rows come in chunks (`batches`, blank rows
found a block at a time), each chunk is converted by `FastTickets` (fast.columns), and after the first chunk a
CSV may be converted in a forked process while this one writes (fast.parallel). The pipeline gets each chunk's
rows as the reference path would give them (`step`), with whether they were written already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import itemgetter

from hotline.ingest.convert import Converter, Row
from hotline.ingest.derive import TicketFinisher
from hotline.ingest.fast import parallel
from hotline.ingest.fast.bulk import BulkInserts
from hotline.ingest.fast.columns import FastTickets
from hotline.ingest.options import Speed
from hotline.ingest.summary import SheetSummary
from hotline.ingest.write import Writer


def load_tickets(sheet: SheetSummary, rows: Iterable, conv: Converter, finisher: TicketFinisher | None,
                 writer: Writer, speed: Speed, source_kind: str, chunk: int, used: list[int],
                 blank: Callable[[list], bool], step: Callable[[list[Row], bool], None]) -> bool:
    """Load the sheet's `rows` this way, handing each chunk's rows to `step` in order; False (nothing read) when
    the sheet cannot take it — not tickets, not SQLite, composed fields … (`FastTickets.create`)."""
    fast = FastTickets.create(sheet.name, conv, finisher, writer)
    if fast is None:
        return False
    tally = [0, 0]  # rows, blank rows (brought up to date as they are read)
    # the rest may be converted in a second process (after the first batch): it hands over laid-out INSERTs
    ahead = speed.second_process and isinstance(writer.inserts, BulkInserts) and parallel.available(source_kind)
    head = min(chunk, parallel.HEAD) if ahead else chunk
    chunks = batches(iter(rows), chunk, used[0] if used else 1 << 30, blank, tally, head)

    def counted(converted: list[Row], written: bool) -> None:
        sheet.rows, sheet.blank_rows = tally
        step(converted, written)
    try:
        for batch in chunks:
            counted(fast.convert(batch), False)
            if ahead and len(batch) == head:
                # more may follow: read and converted in a second process from here on (fast.parallel)
                parallel.load(chunks, tally, fast, writer, sheet.name, counted)
                break
            ahead = False
    finally:  # also when reading fails half-way: the rows read so far are counted, as row by row
        sheet.rows, sheet.blank_rows = tally
    return True


def batches(rows: Iterator, size: int, first: int, blank: Callable, tally: list, head: int = 0) -> Iterator[list]:
    """The sheet's non-blank rows in lists of `size` — the first of `head` if given, the last one shorter, maybe
    empty. `tally` counts [rows, blank rows] read so far — also when reading fails half-way: the rows read before
    it are counted."""
    batch: list = []
    size, later = head or size, size
    while True:
        block: list = []
        try:
            block.extend(islice(rows, size - len(batch)))  # (what was read before an error stays in `block`)
        except BaseException:
            kept = _non_blank(block, first, blank)
            tally[0] += len(batch) + len(kept)
            tally[1] += len(block) - len(kept)
            raise
        if not block:
            break
        kept = _non_blank(block, first, blank)
        tally[1] += len(block) - len(kept)
        batch += kept
        if len(batch) >= size:
            tally[0] += len(batch)
            yield batch
            batch, size = [], later
    tally[0] += len(batch)
    yield batch


def _non_blank(block: list, first: int, blank: Callable) -> list:
    """The rows of `block` with something in a column the mapping reads (`blank`): at once when the first such
    column is filled in every row (text, not only spaces), else row by row."""
    try:
        firsts = list(map(itemgetter(first), map(itemgetter(1), block)))
        if set(map(type, firsts)) == {str} and all(firsts) and not any(map(str.isspace, firsts)):
            return block
    except IndexError:  # a short row
        pass
    out = []
    for item in block:
        cells = item[1]
        v = cells[first] if first < len(cells) else None
        if (v.__class__ is str and v and not v.isspace()) or not blank(cells):
            out.append(item)
    return out


