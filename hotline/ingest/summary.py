"""What an import tells about each file: the summary, kept as `<文件名>.summary.json` beside the rejects.

Why a file and not a table: bookkeeping stays out of the store on purpose — the schema belongs to the canonical
tables, not to import history. The summary is written to a temporary name and renamed, so a reader never sees
half of one. The command line prints it; the report's notes on what a file lacks (`report_gaps`) come from it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class SheetSummary:
    name: str
    kind: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rows: int = 0
    blank_rows: int = 0
    rejected: int = 0
    repaired: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class FileSummary:
    file: str
    mapping: str
    status: str = "loaded"  # loaded | failed
    error: str | None = None
    format: str | None = None
    encoding: str | None = None
    sheets: list[SheetSummary] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: int = 0
    repaired: int = 0
    units_created: list[str] = field(default_factory=list)
    aliases_learned: list[list[str]] = field(default_factory=list)
    reference_added: list[str] = field(default_factory=list)
    report_gaps: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    summary_file: str | None = None
    seconds: float = 0.0
    rows_per_second: float = 0.0

    def fail(self, message: str) -> FileSummary:
        self.status, self.error = "failed", message
        return self

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{Path(self.file).name}.summary.json"
        self.summary_file = str(target)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, target)
        return target
