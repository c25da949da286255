"""The importer's fast wing: optional. The reference path alone (`options.REFERENCE`) gives the same store.

Why it exists: a 1M-row platform export must load in under 30 s on two cores, and the reference path — one row
at a time through read → map → convert → derive → write — takes several times that. Every module here is a
faster way to do what a reference module specifies, and nothing else:

- columns.py   FastTickets: a ticket sheet's chunk converted column by column (the specification: convert.py and
               derive.py; any row with an error or a repair is handed to them, so messages come from them)
- sheet.py     load_tickets: a ticket sheet read a chunk at a time, through FastTickets, maybe in a second process
- parallel.py  a big CSV converted in a forked process while this one writes
- packed.py    a converted chunk as it crosses the pipe between the two processes
- prepared.py   PreparedTickets: the new tickets of such a chunk written from INSERT parameters laid out in advance
- bulk.py      BulkInserts: the writer's batches as multi-row INSERTs (the specification: write.PlainInserts)
- constraints.py  the store's CHECKs and foreign keys checked a batch at a time, so that SQLite need not
- session.py   the file's transaction set up for all this (foreign keys, rollback journal, garbage collector)

The pipeline is the only reference module that uses it (hotline.ingest.pipeline, the seam), as the typed
`ImportOptions.speed` (`options.Speed`) says. tests/ingest/test_fast.py, test_parallel.py and
test_reference_path.py import the same files with and without each part and compare the whole store, the
summary and the rejects workbook.
"""

from hotline.ingest.fast.bulk import BulkInserts
from hotline.ingest.fast.session import session
from hotline.ingest.fast.sheet import load_tickets

__all__ = ["BulkInserts", "load_tickets", "session"]
