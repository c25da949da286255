"""A big ticket sheet read and converted in a second process while this one writes it to the store.

Why: a million-row CSV must load in under 30 s on two cores. Reading the CSV and turning its rows into tickets
(hotline.ingest.fast.columns) is about a third of the work, writing to SQLite the rest, and both are Python holding the
GIL — a thread gained nothing (tried). So a forked process reads and converts chunk n+1 while this one writes
chunk n.

What crosses the pipe, per chunk (hotline.ingest.fast.packed): the new tickets, events and visits already laid out as
the parameters of the writer's multi-row INSERTs (hotline.ingest.fast.prepared), their row numbers, and the rows the
rejects workbook needs — written with marshal, and by a thread of the converting process, so that it converts
on while the writer is busy. Up to three chunks wait; memory does not grow with the file.

Why the result is the same as in one process:
- The process is forked after the sheet's first chunk is loaded here, so it starts from this process's state
  (mapping, reference tables, caches). It never touches the database (it must not use the inherited
  connection) and changes nothing it would have to hand back except what is merged at the end, where order
  does not matter: sheet notes, rows per unit spelling, how each spelling matched.
- A unit spelling it cannot resolve by a plain lookup (one that would learn an alias or create a unit — in the
  store, in file order) sends its row back unconverted; that chunk is then converted and loaded here, and what
  this process learned is told to the other one (`Units`), so that the spelling does not keep coming back.
- A chunk goes straight in only when all its tickets are new: none of its numbers stored (earlier chunks
  included), none twice in it. Otherwise its rows are rebuilt and go through `Writer.tickets` as always
  (updates, unchanged rows, duplicates).
- A reading error (a byte that is not UTF-8 at row 5000) comes back in its turn, after the chunks before it,
  with the number of rows read, and fails the file as before.
- Ctrl-C, a failure here, or this process dying stops the other one: it ignores SIGINT (a terminal sends it to
  both; this one rolls back and terminates it) and exits when its next write to the pipe fails.

While the other process converts, this one keeps the easy secondary indexes up to date
(`bulk.KEPT_DURING_LOAD`), so that less is left for the end of the file, when nothing runs beside it. Only CSV files (read lazily from a file of their
own) take this path, and only where processes can be forked (Linux); the first chunk is always loaded here.
"""

from __future__ import annotations

import marshal
import multiprocessing
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from itertools import islice

from hotline.ingest.convert import Row
from hotline.ingest.fast.columns import FastTickets
from hotline.ingest.fast.packed import DEFERRED, TABLES, Numbers, Packed, merge, noted, pack, rebuild
from hotline.ingest.fast.prepared import NULL, PreparedTickets, per_statement
from hotline.ingest.read import SourceError
from hotline.ingest.write import Writer

HEAD = 5_000  # rows loaded here before the other process starts: most unit spellings are met by then (`Units`)
KINDS = ("csv",)  # sources read from a file of their own; Parquet's reader runs threads (not safe to fork)


def available(kind: str) -> bool:
    return kind in KINDS and "fork" in multiprocessing.get_all_start_methods()


def load(chunks: Iterator[list], tally: list, fast: FastTickets, writer: Writer, sheet: str,
         step: Callable[[list[Row], bool], None]) -> None:
    """Convert `chunks` in a forked process; hand each chunk's rows to `step` in order, with whether they were
    written already (new tickets) or still are to be (`Writer.tickets`)."""
    laid_out = PreparedTickets(writer)
    bulk = laid_out.bulk
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)  # chunks, from the other process
    updates, told = ctx.Pipe(duplex=False)  # units this process resolved, to it (`Units`)
    per = tuple(per_statement(t, bulk.multi_params) for t in TABLES)
    touched = laid_out.touched_numbers()  # (their `Numbers` is made in the other process: memory only there)
    fresh = writer.first_ticket == 1  # no tickets in the store before this file: only its own can come again
    units = Units(fast)
    proc = ctx.Process(target=_convert, args=(sender, receiver, updates, told, chunks, tally, fast, per,
                                              touched), daemon=True)
    proc.start()
    sender.close()
    updates.close()
    try:
        while True:
            try:
                msg = _received(receiver.recv_bytes())
            except EOFError:
                proc.join(5)
                raise SourceError(f"读取文件的子进程意外退出（退出码 {proc.exitcode}）/ reader process died") from None
            if msg.__class__ is Packed:
                tally[0] += msg.rows
                tally[1] += msg.blank
                again = [msg.nos[k] for k in msg.cells[0]] if fresh else msg.nos  # (`Numbers`)
                if DEFERRED not in msg.kinds and not msg.twice and not laid_out.known(again):
                    if msg.nos:
                        laid_out.add_new(sheet, len(msg.nos), *msg.params, msg.row_nos)
                    step(noted(msg, sheet), True)
                else:
                    bulk.ignore_checks(False)  # (left on by `add_new`; what follows may write anything)
                    step(rebuild(msg, sheet, fast), False)
                    if DEFERRED in msg.kinds:
                        units.tell(told, msg.seq)
            elif msg[0] == "end":
                merge(fast, *msg[1:])
                return
            else:  # ("error", exception, rows read)
                tally[0] = msg[2]
                raise msg[1]
    finally:
        if not writer.conn.invalidated:  # (an interrupted driver call: the connection is discarded anyway)
            bulk.ignore_checks(False)
        receiver.close()
        told.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()


def _received(data: bytes):
    return Packed(*marshal.loads(memoryview(data)[1:])) if data[:1] == b"M" else pickle.loads(memoryview(data)[1:])


def _sent(msg) -> bytes:
    """A chunk by marshal (plain values only; quicker to write than pickle), anything else by pickle."""
    if msg.__class__ is Packed:
        try:
            return b"M" + marshal.dumps(tuple(msg), 4)
        except ValueError:  # a value marshal cannot write
            pass
    return b"P" + pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)


class Units:
    """What this process learns about unit spellings, told to the converting one, so that a spelling first seen
    after the fork (an alias learned, a unit created — here, in file order) does not send every later row that
    has it back here. It tells only what the other one has not seen yet, one small message at a time (never more
    than fits in the pipe, so neither process can wait on the other)."""

    LIMIT = 32_000  # bytes

    def __init__(self, fast: FastTickets):
        refs = fast.fin.refs
        self.cache = fast.unit_parse.resolve.cache if fast.unit_parse is not None else {}
        self.dicts = (self.cache, refs.unit_by_key, refs.alias_by_key, refs.unit_name, refs.unit_region)
        self.told = [len(d) for d in self.dicts]  # these only grow, new keys at the end
        self.seq = 0

    def tell(self, conn, acknowledged: int) -> None:
        if acknowledged != self.seq:  # the last message is still in the pipe
            return
        new = [list(islice(d.items(), n, None)) for d, n in zip(self.dicts, self.told)]
        if not any(new):
            return
        data = pickle.dumps((self.seq + 1, new), protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.LIMIT:
            return
        try:
            conn.send_bytes(data)
        except BrokenPipeError:  # it has converted the whole sheet already
            return
        self.seq += 1
        self.told = [len(d) for d in self.dicts]

    @staticmethod
    def learn(fast: FastTickets, conn, seq: int) -> int:
        """(In the converting process.) Take what the other process told; returns the last message taken."""
        refs = fast.fin.refs
        cache = fast.unit_parse.resolve.cache if fast.unit_parse is not None else {}
        while conn.poll():
            seq, new = pickle.loads(conn.recv_bytes())
            for d, items in zip((cache, refs.unit_by_key, refs.alias_by_key, refs.unit_name, refs.unit_region), new):
                d.update(items)
        return seq


# ---- the converting process ---------------------------------------------------------------------------------

def _convert(sender, receiver, updates, told, chunks, tally, fast: FastTickets, per: tuple,
             touched: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receiver.close()
    told.close()
    fast.null = NULL  # derived events come with the writer's stand-in for NULL (hotline.ingest.fast.prepared)
    numbers = Numbers(touched)
    del touched[:]
    uses = fast.unit_parse.uses if fast.unit_parse is not None else {}
    uses.clear()  # counted from here on, added to the other process's counts at the end
    notes = set(fast.fin.notes)
    how: dict = {}
    seq = 0
    outbox = _Outbox(sender)
    try:
        try:
            blank = tally[1]
            for batch in chunks:
                seq = Units.learn(fast, updates, seq)
                packed = pack(batch, tally[1] - blank, fast, per, how, numbers, seq)
                blank = tally[1]
                outbox.put(_sent(packed))
            outbox.put(_sent(("end", fast.fin.notes - notes, uses, how)))
        except BrokenPipeError:
            raise
        except BaseException as exc:
            sent = exc if isinstance(exc, SourceError) else RuntimeError(
                f"转换失败 / conversion failed:\n{traceback.format_exc()}")
            outbox.put(_sent(("error", sent, tally[0])))
        outbox.close()
    except BrokenPipeError:
        pass  # the other process is gone (failed, interrupted, killed): nothing to do


class _Outbox:
    """(In the converting process.) Chunks written to the pipe by a thread of their own, so that converting goes
    on while the other process is still busy with earlier chunks — up to AHEAD of them (bounded memory). The
    write of a whole chunk is one system call, made without the GIL, so the two threads barely meet."""

    AHEAD = 3

    def __init__(self, conn):
        self.queue: queue.Queue = queue.Queue(self.AHEAD)
        self.broken = False
        self.thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
        self.thread.start()

    def _run(self, conn) -> None:
        while (data := self.queue.get()) is not None:
            if not self.broken:
                try:
                    conn.send_bytes(data)
                except OSError:  # the other process is gone: what is left is only taken off the queue
                    self.broken = True

    def put(self, data: bytes) -> None:
        if self.broken:
            raise BrokenPipeError
        self.queue.put(data)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.broken:
            raise BrokenPipeError


