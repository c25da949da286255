"""Deliberately bad files, generated here: each gives its documented error or rejection, and a file that
fails leaves the database exactly as it was."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.ingest.conftest import HEADER, ROWS, fingerprint, load, rows, write_csv


def rejected_rows(summary):
    """(row number, reasons) of each rejected row, read back from the rejects workbook."""
    wb = CalamineWorkbook.from_path(summary.rejects_file)
    out = []
    for name in wb.sheet_names:
        if name.startswith("被拒绝"):
            data = wb.get_sheet_by_name(name).to_python()
            head = data[0]
            for r in data[1:]:
                out.append((int(r[head.index("行号")]), r[head.index("错误原因")]))
    return out


def test_good_file_loads(db, tmp_path):
    s, = load(db, write_csv(tmp_path / "ok.csv", HEADER, ROWS))
    assert s.status == "loaded" and s.counts["tickets"] == {"inserted": 3}
    assert rows(db, "SELECT count(*) FROM tickets") == [(3,)]
    # 湘潭市公安局 is in the alias table; 湘潭市雨湖区人民政府 is found by a rewrite rule and remembered
    assert rows(db, "SELECT u.name FROM tickets t JOIN units u ON u.id = t.unit_id ORDER BY ticket_no") == [
        ("市公安局",), ("雨湖区人民政府",)]
    assert s.aliases_learned == [["湘潭市雨湖区人民政府", "雨湖区人民政府"]]
    assert rows(db, "SELECT u.name FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE alias = '湘潭市雨湖区人民政府'") \
        == [("雨湖区人民政府",)]
    assert rows(db, "SELECT caller_phone FROM tickets WHERE ticket_no = '22100810001099'") == [("138****5678",)]


def test_wrong_encoding_forced(db, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", HEADER, ROWS, encoding="gbk")
    before = fingerprint(db)
    s, = load(db, path, encoding="utf-8")
    assert s.status == "failed" and "不是 UTF-8 编码" in s.error
    assert fingerprint(db) == before


def test_wrong_encoding_detected(db, tmp_path):
    """Big5 (traditional Chinese) bytes are valid GBK but read as nonsense: no header, and the message says
    which encoding was assumed."""
    path = write_csv(tmp_path / "big5.csv", ["事件編號", "受理時間", "承辦單位"], [["22100810001099", "2022-10-08", "x"]],
                     encoding="big5")
    before = fingerprint(db)
    s, = load(db, path)
    assert s.status == "failed" and "未找到表头" in s.error and "--encoding" in s.error
    assert fingerprint(db) == before


def test_gbk_csv_is_detected_and_said(db, tmp_path):
    s, = load(db, write_csv(tmp_path / "gbk.csv", HEADER, ROWS, encoding="gbk"))
    assert s.status == "loaded" and s.encoding == "GBK" and s.counts["tickets"]["inserted"] == 3
    s, = load(db, write_csv(tmp_path / "bom.csv", HEADER, ROWS, encoding="utf-8-sig"))
    assert s.encoding == "UTF-8（带 BOM）" and s.counts["tickets"]["unchanged"] == 3
    rare = [r[:] for r in ROWS]
    rare[0][6] = "咨询社保（𠀀字）"  # a character outside GBK: GB18030
    s, = load(db, write_csv(tmp_path / "gb18030.csv", HEADER, rare, encoding="gb18030"))
    assert s.encoding == "GB18030" and s.counts["tickets"]["updated"] == 1


def test_title_rows_and_merged_cells(db, tmp_path):
    """A title merged across the top, an export date, then the header; the unit merged down two rows."""
    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("10月工单")
    ws.merge_range(0, 0, 0, len(HEADER) - 1, "湘潭市12345热线工单明细表")
    ws.write(1, 0, "导出时间：2022-11-01")
    ws.write_row(3, 0, HEADER)
    second = ROWS[1][:]
    third = second[:]
    third[0], third[6] = "22100810009099", "另一处乱停车。"
    for i, r in enumerate([ROWS[0], second, third]):
        ws.write_row(4 + i, 0, r)
    unit = HEADER.index("承办单位")
    ws.merge_range(5, unit, 6, unit, "市公安局")
    wb.add_worksheet("说明").write(0, 0, "本表由平台导出")
    wb.close()
    s, = load(db, path)
    assert s.status == "loaded"
    sheet = next(x for x in s.sheets if x.name == "10月工单")
    assert sheet.header_row == 4 and sheet.rows == 3
    assert next(x for x in s.sheets if x.name == "说明").kind is None  # skipped, not an error
    assert rows(db, "SELECT u.name FROM tickets t JOIN units u ON u.id = t.unit_id ORDER BY ticket_no") == [("市公安局",)] * 2


def test_duplicate_ticket_numbers_in_one_file(db, tmp_path):
    same = ROWS[1][:]
    different = ROWS[1][:]
    different[6] = "内容改了。"
    s, = load(db, write_csv(tmp_path / "dup.csv", HEADER, [ROWS[0], ROWS[1], same, different]))
    assert s.counts["tickets"] == {"inserted": 2, "skipped": 1, "rejected": 1}
    (row_no, reason), = rejected_rows(s)
    assert row_no == 5 and "重复" in reason and "第 3 行" in reason
    assert rows(db, "SELECT content FROM tickets WHERE ticket_no = ?", ROWS[1][0]) == [("小区门口车辆乱停。",)]


def test_impossible_dates_are_rejected_with_reasons(db, tmp_path):
    bad = [r[:] for r in ROWS]
    bad[0][1] = "2022-02-30 10:00:00"
    bad[1][14] = "2022/10/7 15:00:00"  # 办结时间 before 受理时间
    s, = load(db, write_csv(tmp_path / "dates.csv", HEADER, bad))
    assert s.counts["tickets"] == {"inserted": 1, "rejected": 2}
    reasons = dict(rejected_rows(s))
    assert "2 月没有 30 日" in reasons[2] and "办结时间早于受理时间" in reasons[3]
    assert rows(db, "SELECT ticket_no FROM tickets") == [(ROWS[2][0],)]


def test_unknown_unit_rejected_then_fixed_by_alias_table(db, tmp_path):
    bad = [r[:] for r in ROWS]
    bad[1][10] = "市停车管理中心"
    s, = load(db, write_csv(tmp_path / "units.csv", HEADER, bad))
    assert s.counts["tickets"] == {"inserted": 2, "rejected": 1}
    (_, reason), = rejected_rows(s)
    assert "市停车管理中心" in reason and "不在单位名录中" in reason
    # the user says which unit it is, then re-imports the rejects workbook itself
    aliases = write_csv(tmp_path / "对照.csv", ["原始写法", "对应单位"], [["市停车管理中心", "市公安局"]])
    from hotline.ingest.cli import read_aliases

    s2, = load(db, s.rejects_file, aliases=read_aliases(aliases))
    assert s2.counts["tickets"] == {"inserted": 1}
    assert rows(db, "SELECT unit_id FROM unit_aliases WHERE alias = '市停车管理中心'") == [(9,)]


@pytest.mark.parametrize("content, expected", [
    (b"", "文件为空"),
    (b"%PDF-1.7\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (bytes(range(256)) * 20, "二进制"),
    (b"\n\n   \n", "没有任何内容"),
])
def test_not_a_spreadsheet(db, tmp_path, content, expected):
    path = tmp_path / "工单.xlsx"
    path.write_bytes(content)
    before = fingerprint(db)
    s, = load(db, path)
    assert s.status == "failed" and expected in s.error
    assert fingerprint(db) == before


def test_word_document_named_xlsx(db, tmp_path):
    path = tmp_path / "工单.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    s, = load(db, path)
    assert s.status == "failed" and "Word 文档" in s.error


def test_header_only_is_empty_not_an_error(db, tmp_path):
    s, = load(db, write_csv(tmp_path / "empty.csv", HEADER, []))
    assert s.status == "loaded" and s.sheets[0].rows == 0 and "没有数据行" in s.sheets[0].notes[-1]


def test_a_text_file_without_a_header(db, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("今天天气很好\n明天也是\n", encoding="utf-8")
    before = fingerprint(db)
    s, = load(db, path)
    assert s.status == "failed" and "未找到表头" in s.error and "事件编号" in s.error
    assert fingerprint(db) == before


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_crash_or_ctrl_c_midway_leaves_the_store_as_it_was(db, tmp_path, monkeypatch, exc):
    from hotline.ingest.fast.prepared import PreparedTickets
    from hotline.ingest.write import Writer

    load(db, write_csv(tmp_path / "first.csv", HEADER, ROWS[:1]))
    before = fingerprint(db)
    many = [[f"221008{i:05d}099"] + ROWS[0][1:] for i in range(20, 80)]
    calls = {"n": 0}

    def failing(original):
        def write(self, *a, **k):
            calls["n"] += 1
            if calls["n"] == 3:  # two chunks are already in the database when it breaks
                raise exc
            return original(self, *a, **k)
        return write

    # (chunks of new tickets converted in the second process come to `PreparedTickets.add_new`, the others to `Writer.tickets`)
    for cls, method in ((Writer, "tickets"), (PreparedTickets, "add_new")):
        monkeypatch.setattr(cls, method, failing(getattr(cls, method)))
    with pytest.raises(type(exc)):
        load(db, write_csv(tmp_path / "big.csv", HEADER, many), chunk=10)
    assert calls["n"] == 3
    assert fingerprint(db) == before
    assert not list((tmp_path / "imports").glob("big.csv.rejects*"))


def test_numbered_empty_rows_and_a_total_row(db, tmp_path):
    """Templates number their empty rows; some exports end with a 合计 row: blank, and rejected with a reason."""
    header = ["序号"] + HEADER
    body = [[str(i + 1)] + r for i, r in enumerate(ROWS)] + [["4"] + [""] * len(HEADER), ["5"] + [""] * len(HEADER),
                                                             ["合计", "共 3 件"] + [""] * (len(HEADER) - 1)]
    s, = load(db, write_csv(tmp_path / "t.csv", header, body))
    assert s.sheets[0].blank_rows == 2 and s.counts["tickets"] == {"inserted": 3, "rejected": 1}
    (row_no, reason), = rejected_rows(s)
    assert row_no == 7 and "事件编号" in reason
