""".xlsx sheets are streamed (python-calamine-plus); the rows must be what a whole-sheet reader sees.

The reference is python-calamine's whole-sheet reader, which read every .xlsx before streaming replaced it
(and still reads .xls/.ods/.xlsb): a different parser, so agreement on awkward sheets — leading blank rows
and columns, gaps, merged blocks, dates, times, rich text, shared and inline strings — is evidence, not an
echo. A few cells are also pinned by hand."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from hotline.ingest import read as sources
from hotline.ingest.read import SourceError, open_source
from tests.ingest.conftest import HEADER, ROWS, fingerprint, load, rows


def awkward_workbook(path: Path, *, inline_strings: bool) -> Path:
    """Data from C3 (two blank rows, two blank columns), gaps, merges across and down, typed cells.

    XlsxWriter's constant-memory mode writes inline strings (as streaming exporters such as POI's SXSSF do)
    and cannot merge after a row is written, so that variant has the title merge only."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": inline_strings})
    ws = wb.add_worksheet("工单")
    when = wb.add_format({"num_format": "yyyy/m/d h:mm:ss"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    clock = wb.add_format({"num_format": "h:mm"})
    ws.merge_range(2, 2, 2, 6, "湘潭市12345热线工单明细表")
    ws.write_row(3, 2, ["事件编号", "受理时间", "时长", "是否联系", "承办单位"])
    ws.write_number(4, 2, 22100810001099)
    ws.write_datetime(4, 3, dt.datetime(2022, 10, 8, 9, 32, 9), when)
    ws.write_number(4, 4, 1.5)
    ws.write_boolean(4, 5, True)
    ws.write_string(4, 6, "湘潭市公安局")
    ws.write_number(5, 2, 7)
    ws.write_datetime(5, 3, dt.datetime(2022, 10, 8), day)
    ws.write_number(5, 4, 3)
    if not inline_strings:
        ws.merge_range(5, 6, 7, 6, "市城管局")  # a unit merged down three rows, one of them otherwise empty
    ws.write_datetime(7, 3, dt.datetime(1899, 12, 31, 9, 30), clock)
    ws.write_rich_string(7, 2, wb.add_format({"bold": True}), "富", "文本")
    ws.write_string(9, 8, "远处的单元格")
    wb.add_worksheet("隐藏").hide()
    wb.close()
    return path


def whole_sheet_rows(path: Path, name: str) -> list[tuple[int, list]]:
    """The reference: python-calamine's whole-sheet reader (columns from the first used one, so pad them)."""
    from python_calamine import CalamineWorkbook

    col0 = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).start[1]
    reference = sources._calamine(path, "xlsx")
    return [(n, [""] * col0 + row) for n, row in reference.sheet(name).rows]


@pytest.mark.parametrize("inline_strings", [False, True], ids=["shared strings", "inline strings"])
def test_streamed_rows_match_the_whole_sheet_reader(tmp_path, inline_strings):
    path = awkward_workbook(tmp_path / "awkward.xlsx", inline_strings=inline_strings)
    src = open_source(path)
    assert src.kind == "xlsx" and src.sheet_names == ["工单", "隐藏"]  # a hidden sheet is still read
    sheet = src.sheet("工单")
    got = list(sheet.rows)
    assert got == whole_sheet_rows(path, "工单")
    assert sheet.total_rows == 10  # from the sheet's <dimension ref="C3:I10">
    # and by hand: Excel's row numbers, absolute columns, merged values filled, types kept
    by_row = dict(got)
    assert [n for n, _ in got] == list(range(1, 11))
    assert by_row[3][2:7] == ["湘潭市12345热线工单明细表"] * 5
    assert by_row[4][2] == "事件编号"
    assert by_row[5][2:6] == [22100810001099, dt.datetime(2022, 10, 8, 9, 32, 9), 1.5, True]
    assert by_row[6][3] == dt.date(2022, 10, 8) and by_row[8][3] == dt.time(9, 30)
    assert by_row[8][2] == "富文本" and by_row[10][8] == "远处的单元格"
    assert [by_row[r][6] for r in (6, 7, 8)] == (["市城管局"] * 3 if not inline_strings else ["", "", ""])


def test_header_away_from_a1_imports_like_one_at_a1(db, tmp_path):
    """Columns are now absolute (blank columns before the header are kept): the header is still found."""
    def write(path: Path, row0: int, col0: int) -> Path:
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("工单明细")
        ws.write_row(row0, col0, HEADER)
        for i, r in enumerate(ROWS, start=row0 + 1):
            ws.write_row(i, col0, r)
        wb.close()
        return path

    at_a1, = load(db, write(tmp_path / "a1.xlsx", 0, 0))
    assert at_a1.status == "loaded" and at_a1.counts["tickets"] == {"inserted": 3}
    elsewhere, = load(db, write(tmp_path / "d4.xlsx", 3, 3))
    assert elsewhere.status == "loaded" and elsewhere.sheets[0].header_row == 4
    assert elsewhere.counts["tickets"] == {"unchanged": 3}
    assert rows(db, "SELECT count(*) FROM tickets") == [(3,)]
    assert rows(db, "SELECT ticket_no FROM tickets ORDER BY 1") == sorted((r[0],) for r in ROWS)


def test_damaged_sheet_fails_the_file_and_leaves_the_store(db, tmp_path):
    """A sheet cut off mid-way (a download that stopped): the file fails with the sheet named, nothing loads."""
    good = tmp_path / "good.xlsx"
    wb = xlsxwriter.Workbook(str(good))
    ws = wb.add_worksheet("工单明细")
    ws.write_row(0, 0, HEADER)
    for i, r in enumerate(ROWS, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(cut, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data[: len(data) * 2 // 3] if name == "xl/worksheets/sheet1.xml" else data)
    before = fingerprint(db)
    s, = load(db, cut)
    assert s.status == "failed" and "工作表“工单明细”无法读取" in s.error
    assert fingerprint(db) == before


def test_an_error_while_streaming_names_the_sheet():
    """Damage the metadata pass did not meet (the file changed under us) still surfaces as a SourceError."""
    def rows():
        yield ["a"]
        raise RuntimeError("syntax error: tag not closed")

    it = sources._read(rows(), "工单明细")
    assert next(it) == ["a"]
    with pytest.raises(SourceError, match="工作表“工单明细”读到中途出错.*tag not closed"):
        next(it)


@pytest.mark.parametrize("ref, last", [("A1:U100002", 100002), ("$C$3:$I$10", 10), ("A1", None), (None, None),
                                       ("", None)])
def test_last_row_for_progress(ref, last):
    assert sources._last_row(ref) == last


def test_formula_cells_give_their_saved_result(tmp_path):
    """A formula is read as the result Excel saved with it; an error as the text Excel shows (docs/import.md)."""
    path = tmp_path / "formulas.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("工单")
    ws.write_row(0, 0, ["a", "b"])
    ws.write_formula(1, 0, '=A1&"x"', None, "ax")
    ws.write_formula(1, 1, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 0, "=2+3", None, 5)
    wb.close()
    got = [row for _, row in open_source(path).sheet("工单").rows]
    assert got == [["a", "b"], ["ax", "#DIV/0!"], [5, ""]]
