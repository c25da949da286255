"""What an import leaves behind for people who fix rows: the rejects workbook (or CSV files).

Why a workbook and not a log: the person who fixes rejected rows works in Excel/WPS. The rejects sheet has
the file's own header and the rejected rows exactly as they were, plus columns saying 文件、工作表、行号、
错误字段、错误值、错误原因 — so they correct the cells and import the same workbook again with the same mapping
(the header is found again; the extra columns are ignored; the other sheets are skipped). The workbook also
lists every value that was repaired (已修正) and how each unit spelling was matched (单位对照), which is the
reviewable alias table: its 原始写法/对应单位 columns can be edited and passed back with `--aliases`.

Bookkeeping stays in files on purpose (the summary: summary.py). The workbook is written to a temporary name
and renamed at the end, so a failed import leaves none behind.
"""

from __future__ import annotations

import csv
import os
from datetime import date, datetime
from pathlib import Path

from hotline.ingest.convert import Row

EXTRA = ["原文件", "工作表", "行号", "错误字段", "错误值", "错误原因"]
REPAIR_HEADERS = ["原文件", "工作表", "行号", "字段", "原值", "说明"]
UNIT_HEADERS = ["原始写法", "对应单位", "方式", "行数"]
MAX_SHEET_ROWS = 1_000_000


def _cell(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat(" ") if isinstance(value, datetime) else value.isoformat()
    if value is None:
        return ""
    return value


class RejectsWriter:
    """Streams rejected and repaired rows to `<folder>/<file name>.rejects.xlsx` (or .csv files)."""

    def __init__(self, folder: Path, source: Path, fmt: str = "xlsx"):
        self.folder, self.source, self.fmt = Path(folder), Path(source), fmt
        self.target = self.folder / f"{self.source.name}.rejects.{fmt}"
        self._wb = None
        self._sheets: dict[str, list] = {}  # sheet name → [worksheet or csv writer, next row, file]
        self._tmp: list[Path] = []
        self.rejected = self.repaired = 0

    def _open(self):
        if self._wb is None and self.fmt == "xlsx":
            import xlsxwriter

            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.target.with_name(f".{self.target.name}.tmp")
            self._tmp.append(tmp)
            self._wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                                      "strings_to_formulas": False, "strings_to_urls": False})
            self._bold = self._wb.add_format({"bold": True})
            self._wrap = self._wb.add_format({"text_wrap": True, "valign": "top"})
            info = self._wb.add_worksheet("说明")
            info.set_column(0, 0, 100)
            lines = [f"导入 {self.source.name} 时被拒绝的行与修正记录。",
                     "“被拒绝”工作表：保留了原文件的表头与原样的行，右侧几列说明错误字段、错误值与原因。",
                     "改正单元格后，用同一个映射重新导入本工作簿即可（程序会找到表头，忽略右侧说明列与其他工作表）。",
                     "“已修正”工作表：导入时自动修正的值（如 Excel 日期序列号、全角数字、多余空格）。",
                     "“单位对照”工作表：每种单位写法对应到了哪个单位；如有误，改“对应单位”列后用 --aliases 本文件重新导入。"]
            for i, line in enumerate(lines):
                info.write_string(i, 0, line)
        return self._wb

    def _sheet(self, name: str, headers: list[str]):
        if name in self._sheets:
            return self._sheets[name]
        if self.fmt == "xlsx":
            wb = self._open()
            title = name[:31]
            n = 2
            while title in {s[3] for s in self._sheets.values()}:
                title = f"{name[:28]}_{n}"
                n += 1
            ws = wb.add_worksheet(title)
            ws.write_row(0, 0, headers, self._bold)
            entry = [ws, 1, None, title]
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{self.source.name}.{name}.csv"
            tmp = path.with_name(f".{path.name}.tmp")
            self._tmp.append(tmp)
            f = tmp.open("w", encoding="utf-8-sig", newline="")
            w = csv.writer(f)
            w.writerow(headers)
            entry = [w, 1, f, path]
        self._sheets[name] = entry
        return entry

    def _write(self, entry, values: list) -> None:
        if entry[1] > MAX_SHEET_ROWS:
            return
        if self.fmt == "xlsx":
            ws = entry[0]
            for c, v in enumerate(values):
                v = _cell(v)
                if isinstance(v, str):
                    ws.write_string(entry[1], c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(entry[1], c, v)
                else:
                    ws.write_number(entry[1], c, v)
        else:
            entry[0].writerow([_cell(v) for v in values])
        entry[1] += 1

    def reject(self, row: Row, headers: list[str]) -> None:
        self.rejected += 1
        entry = self._sheet(f"被拒绝-{row.sheet}", headers + EXTRA)
        cells = list(row.cells) + [""] * max(0, len(headers) - len(row.cells))
        fields = "；".join(e[0] for e in row.errors)
        values = "；".join(e[1] for e in row.errors)
        reasons = "；".join(f"{e[0]}：{e[2]}" for e in row.errors)
        self._write(entry, cells[:len(headers)] + [self.source.name, row.sheet, row.row_no, fields, values, reasons])

    def repair(self, row: Row) -> None:
        self.repaired += 1
        entry = self._sheet("已修正", REPAIR_HEADERS)
        for label, value, note in row.repairs:
            self._write(entry, [self.source.name, row.sheet, row.row_no, label, value, note])

    def units(self, how: dict[str, tuple[str, str]], uses: dict[str, int]) -> None:
        rows = [(s, name, way, uses.get(s, 0)) for s, (name, way) in how.items() if way != "单位名称"]
        if not rows:
            return
        entry = self._sheet("单位对照", UNIT_HEADERS)
        for r in sorted(rows, key=lambda r: (-r[3], r[0])):
            self._write(entry, list(r))

    def close(self) -> Path | None:
        """Publish the files (renaming the temporaries); None when nothing was rejected or repaired."""
        if self._wb is not None:
            self._wb.close()
        for entry in self._sheets.values():
            if entry[2] is not None:
                entry[2].close()
        if not self._tmp:
            self._remove_stale()
            return None
        if self.fmt == "xlsx":
            os.replace(self._tmp[0], self.target)
            return self.target
        for entry in self._sheets.values():
            os.replace(entry[3].with_name(f".{entry[3].name}.tmp"), entry[3])
        return self.folder

    def _remove_stale(self) -> None:
        self.target.unlink(missing_ok=True)

    def discard(self) -> None:
        try:
            if self._wb is not None:
                self._wb.close()
        except Exception:
            pass
        for entry in self._sheets.values():
            if entry[2] is not None:
                entry[2].close()
        for tmp in self._tmp:
            tmp.unlink(missing_ok=True)
