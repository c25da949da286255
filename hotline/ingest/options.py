"""What a caller chooses for an import: the mapping and where things go (`ImportOptions`), and which of the
optional speed-ups it may use (`Speed`).

Why the speed-ups are options and not module switches: the reference path (read → map → convert → derive →
write, one row at a time) is the specification; the fast wing (hotline.ingest.fast) must give exactly the same
store, and the tests prove it by importing the same files both ways. A typed option, passed down, says which way
an import runs — in a test as in production — without patching modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hotline.ingest.mapping import Mapping
from hotline.ingest.progress import Progress, Silent

CHUNK = 20_000


@dataclass(frozen=True)
class Speed:
    """The optional speed-ups (hotline.ingest.fast); none of them changes what is stored.

    - `columns`: a ticket sheet a chunk at a time, column by column (fast.columns); rows with anything unusual
      still go row by row. SQLite only.
    - `bulk_writes`: SQLite gets many rows per INSERT, with its constraints checked a batch at a time, indexes
      built at the end, a rollback journal and foreign keys checked by the writer (fast.bulk, fast.session).
    - `second_process`: a big CSV ticket sheet converted in a forked process while this one writes
      (fast.parallel); only with `columns` and `bulk_writes`, on Linux.
    """

    columns: bool = True
    second_process: bool = True
    bulk_writes: bool = True


REFERENCE = Speed(columns=False, second_process=False, bulk_writes=False)  # the reference path alone


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
    speed: Speed = Speed()
