"""The column-at-a-time path for ticket sheets (hotline.ingest.fast.columns) gives exactly what the row-by-row path gives.

Each case imports the same file twice into new stores — once with the fast path, once without — and compares
the whole database, the summary and the rejects workbook; then imports it again into each (the update path).
The files are the typical platform export with damage sprinkled over every column (impossible dates, unknown
units and codes, Excel's scientific ticket numbers, full-width digits, empty cells, short rows, duplicates…),
read in chunks of a few rows so that chunk boundaries fall everywhere."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import datetime

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from hotline.generator.vendor_export import HEADERS
from hotline.generator.vendor_export import rows as sample_rows
from hotline.ingest.convert import Converter
from hotline.ingest.options import Speed
from tests.ingest.conftest import fingerprint, load, new_store, write_csv

TIMES = ["受理时间", "派发时间", "签收时间", "办结时间", "回访时间", "联系时间", "反馈时间", "办理时限"]
DAMAGE = {
    "事件编号": ["", " ", "2210081000109", "2.21008E+13", "２２１００８１０００１０９９", "'22100810001099", "22100810001099 ",
             "221008100010990", "2210081000109X", "22100810001099"],
    "受理渠道": ["", "电话", "公众号", "传真", " 网站 ", "ＡＰＰ"],
    "诉求类型": ["", "投诉", "咨询类", "未知类", " 求助 "],
    "诉求大类": ["", "社会治安类", "不存在的大类", "资源环境类"],
    "诉求小类": ["", "疫情防控", "不存在的小类", "停车管理", " 生活噪音 "],
    "诉求内容": ["", "  ", "第一行\n\t第二行", " 前后空格 ", "一\r\n二"],
    "来电人": ["", "张三", "某市民", " 李四 "],
    "来电号码": ["", "138-1234-5678", "+8613812345678", "138****5678", "12345", "１３８１２３４５６７８", "abc"],
    "诉求发生地": ["", "雨湖区", "这是一个超过十六个字的诉求发生地名称很长很长", " 岳塘区 "],
    "承办单位": ["", "湘潭市公安局", "不存在的单位", " 市公安局 ", "公安局", "湘潭市雨湖区人民政府", "市 公安局"],
    "是否联系诉求人": ["", "是", "否", "maybe", "1"],
    "办理状态": ["", "已回访", "直接办结", "weird_state", "未知状态"],
    "回访方式": ["", "短信", "电话", "飞鸽"],
    "回访结果": ["", "满意", "五星", "一般", "非常满意"],
    "受理平台": ["", "湘潭市12345热线", "不存在的平台", "city"],
    "办理方式": ["", "派发", "在线办结", "直接办结", "乱写"],
    "涉及文明创建": ["", "是", "否", "也许"],
    "反馈结果": ["", "已处理。", "  ", "多行\n反馈"],
    "诉求标题": ["", "标题", " 标题 "],
    "回访备注": ["", "备注"],
}
TIME_DAMAGE = ["", " ", "2022-02-30 10:00:00", "2022/10/8", "2022-10-08 09:32:09", "2022年10月8日 9时32分", "44842.5",
               " 2022/10/8 9:32:09 ", "2022/10/8 25:00:00", "1985/1/1 1:00:00", "abc", "2022/9/1 8:00:00",
               "２０２２/１０/８ ９:３２:０９", "2022/10/08 09:32:09.5", "2031/1/5 10:00:00", "2022/10/8 9:32", "10/08/2022"]


def damaged(n: int, seed: int, extra: list[str]) -> tuple[list[str], list[list[str]]]:
    """The sample layout plus `extra` columns, about one cell in twelve damaged, some rows repeated or cut."""
    rng = random.Random(seed)
    header = HEADERS + extra
    out: list[list[str]] = []
    for row in sample_rows(n, seed=seed):
        row = [str(c) for c in row] + [rng.choice(DAMAGE.get(h, TIME_DAMAGE)) if rng.random() < 0.1 else ""
                                       for h in extra]
        if "办理时限" in extra and row[HEADERS.index("派发时间")]:
            row[header.index("办理时限")] = "2022/11/30 18:00:00"
        for c, h in enumerate(header):
            if rng.random() < 0.05 and (h in DAMAGE or h in TIMES):
                row[c] = rng.choice(DAMAGE[h] if h in DAMAGE else TIME_DAMAGE)
        r = rng.random()
        if r < 0.04 and out:
            out.append(list(rng.choice(out)))  # the same row again: skipped as identical (or rejected twice)
        elif r < 0.07 and out:
            copy = list(rng.choice(out))
            copy[header.index("诉求内容")] = "内容改了。"
            out.append(copy)  # same number, different content: rejected
        elif r < 0.09:
            out.append([""] * len(header))  # a blank row
        elif r < 0.11:
            out.append(row[:rng.randrange(2, len(header))])  # a short (ragged) row
            continue
        out.append(row)
    return header, out


def _run(tmp_path, name: str, path, mapping, fast: bool, monkeypatch, chunk: int = 7, **options) -> tuple:
    options["speed"] = Speed(columns=fast)
    row_by_row = []
    convert = Converter.convert
    monkeypatch.setattr(Converter, "convert", lambda self, *a: row_by_row.append(1) or convert(self, *a))
    folder = tmp_path / f"{name}-{'fast' if fast else 'slow'}"
    folder.mkdir()
    url = new_store(folder / "store.sqlite")
    seen = []
    for _ in range(2):  # a new store, then the same file again (every row compared with what is stored)
        s, = load(url, path, mapping, out=folder / "imports", chunk=chunk, **options)
        seen.append((_summary(s), _workbook(s.rejects_file), fingerprint(url), len(row_by_row)))
        row_by_row.clear()
    return seen


def _summary(s) -> dict:
    d = asdict(s)
    for k in ("seconds", "rows_per_second", "rejects_file", "summary_file"):
        d.pop(k)
    return d


def _workbook(path) -> list | None:
    if path is None:
        return None
    wb = CalamineWorkbook.from_path(path)
    return [(n, wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]


def _same(tmp_path, name, path, mapping, monkeypatch, **options):
    fast = _run(tmp_path, name, path, mapping, True, monkeypatch, **options)
    slow = _run(tmp_path, name, path, mapping, False, monkeypatch, **options)
    for f, s in zip(fast, slow):
        assert f[0] == s[0]  # summary: counts, rejected/repaired, notes, units created, aliases learned
        assert f[1] == s[1]  # rejects workbook, sheet by sheet, cell by cell
        assert f[2] == s[2]  # every row of every table
        assert f[3] < s[3] * 0.8  # and many rows did take the fast path (the others have errors or repairs)
    return [f[:3] for f in fast]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_platform_export_with_damage(tmp_path, monkeypatch, seed):
    header, body = damaged(250, seed, ["受理平台", "办理方式", "涉及文明创建", "联系时间", "反馈时间", "诉求标题", "回访备注"])
    path = write_csv(tmp_path / "工单.csv", header, body)
    (first, _, _), (again, _, _) = _same(tmp_path, "platform", path, "platform_12345", monkeypatch)
    # the damage did its job: every kind of outcome occurred
    assert first["counts"]["tickets"]["inserted"] > 100 and first["rejected"] > 20 and first["repaired"] > 5
    assert first["sheets"][0]["blank_rows"] > 0 and again["counts"]["tickets"]["unchanged"] > 100


def test_custom_mapping_with_deadline_column_units_created_and_keyword_rules(tmp_path, monkeypatch):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "extends: platform_12345\n"
        "tables: {tickets: {deadline: column, constants: {platform: city}}}\n"
        "units: {unknown: create}\n"
        "subcategories: {unknown: other}\n"
        "regions: {from_unit: false, default: 未知区域, extract: '[雨岳]\\w区'}\n"
        "classify: {appeal_type: {from: [content], rules: [{complaint: [乱停]}], default: other}}\n"
        "defaults: {visit_method: 电话, appeal_type: 求助}\n", encoding="utf-8")
    header, body = damaged(200, 7, ["办理时限", "联系时间"])
    unit = header.index("承办单位")
    for i, name in ((3, "新单位甲"), (40, "新单位乙"), (41, "新单位甲"), (90, " 新单位丙 "), (120, "新单位乙")):
        body[i][unit:unit + 1] = [name] if len(body[i]) > unit else []
    path = write_csv(tmp_path / "工单.csv", header, body, encoding="gbk")
    (first, _, _), _ = _same(tmp_path, "custom", path, str(mapping), monkeypatch)
    assert first["units_created"] and first["counts"]["tickets"]["inserted"] > 50


def test_visits_without_a_visit_time_column(tmp_path, monkeypatch):
    header, body = damaged(150, 11, [])
    drop = header.index("回访时间")
    header = header[:drop] + header[drop + 1:]
    body = [r[:drop] + r[drop + 1:] for r in body]
    (first, _, _), _ = _same(tmp_path, "novisit", write_csv(tmp_path / "工单.csv", header, body), "platform_12345",
                             monkeypatch)
    assert any("回访时间列" in n for n in first["sheets"][0]["notes"])


def test_own_export_format(tmp_path, monkeypatch):
    """The `hotline` mapping: no derived events, text kept byte for byte."""
    header = ["事件编号", "受理平台", "受理时间", "受理渠道", "诉求类型", "诉求小类", "诉求大类", "诉求发生地", "涉及文明创建", "诉求内容",
              "来电人", "来电号码", "办理方式", "承办单位", "工单状态"]
    rng = random.Random(5)
    body = []
    for i, r in enumerate(sample_rows(120, seed=5)):
        row = [r[1], "city", r[2].replace("/", "-"), r[3], r[4], r[6], r[5], r[10], rng.choice(["是", "否", ""]),
               rng.choice([r[7], " 前后空格 ", "多行\n\t内容", ""]), r[8], r[9][:3] + "****" + r[9][7:],
               "派发" if r[11] else "在线办结", r[11], rng.choice(["已办结", "resolved_online", "", "乱写"])]
        if rng.random() < 0.1:
            row[2] = rng.choice(TIME_DAMAGE)
        body.append(row)
    _same(tmp_path, "own", write_csv(tmp_path / "工单.csv", header, body), "hotline", monkeypatch)


def test_excel_cells_of_every_type(tmp_path, monkeypatch):
    """Numbers, dates and booleans as Excel keeps them: ticket numbers as floats, times as dates or serials."""
    header, body = damaged(150, 13, ["涉及文明创建"])
    path = tmp_path / "工单.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("工单明细")
    date_format = wb.add_format({"num_format": "yyyy/m/d h:mm:ss"})
    ws.write_row(0, 0, header)
    rng = random.Random(13)
    for r, row in enumerate(body, start=1):
        for c, v in enumerate(row):
            h = header[c]
            if h == "事件编号" and v.isdigit() and rng.random() < 0.5:
                ws.write_number(r, c, float(v))
            elif h in TIMES and _when(v) and rng.random() < 0.5:
                ws.write_datetime(r, c, _when(v), date_format)
            elif h in TIMES and rng.random() < 0.05:
                ws.write_number(r, c, rng.choice([44842.5, 0, 44842.39732]))
            elif h in ("涉及文明创建", "是否联系诉求人") and rng.random() < 0.3:
                ws.write_boolean(r, c, rng.random() < 0.5)
            elif h == "来电号码" and v.isdigit() and rng.random() < 0.3:
                ws.write_number(r, c, int(v))
            elif v != "":
                ws.write_string(r, c, v)
    wb.close()
    _same(tmp_path, "excel", path, "platform_12345", monkeypatch)


def _when(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y/%m/%d %H:%M:%S")
    except ValueError:
        return None


@pytest.mark.parametrize("chunk", [1, 3, 20_000])
def test_chunk_boundaries_do_not_matter(tmp_path, monkeypatch, chunk):
    """Duplicates inside one chunk and across chunks, with the default chunk size and tiny ones."""
    header, body = damaged(60, 17, [])
    body = body + body[:20] + body[5:9]
    path = write_csv(tmp_path / "工单.csv", header, body)
    _same(tmp_path, "chunks", path, "platform_12345", monkeypatch, chunk=chunk)


def test_visit_time_without_result_is_repaired(tmp_path, monkeypatch):
    """Row by row, a 回访时间 without a 回访结果 (or the reverse) used to stop the import with a TypeError."""
    from tests.ingest.conftest import HEADER, ROWS

    body = [r[:] for r in ROWS]
    body[1][HEADER.index("回访结果")] = ""
    body[2][HEADER.index("回访时间")] = ""
    for fast in (True, False):
        speed = Speed(columns=fast)
        folder = tmp_path / str(fast)
        folder.mkdir()
        url = new_store(folder / "store.sqlite")
        s, = load(url, write_csv(folder / "工单.csv", HEADER, body), speed=speed)
        assert s.status == "loaded" and s.counts["tickets"] == {"inserted": 3} and s.repaired == 2
        repairs = dict(_workbook(s.rejects_file))["已修正"]
        assert [r[5] for r in repairs[1:]] == ["回访结果为空，按未评价计", "回访时间为空，按办结时间（或受理时间）计"]


@pytest.mark.parametrize("fast", [True, False])
def test_decoding_fails_half_way(tmp_path, monkeypatch, fast):
    """A byte that is not UTF-8 beyond the sample used to detect the encoding (row 5001): the file fails with
    the row number near it, nothing of it is loaded, and the summary counts the rows read before it — as
    before the column-at-a-time path."""
    from hotline.generator.vendor_export import write_csv as write_sample

    speed = Speed(columns=fast)
    path = write_sample(tmp_path / "工单.csv", 6000, encoding="utf-8")  # about 2 MB: past the 1 MB sample
    data = path.read_bytes().split(b"\r\n")
    data[5000] = data[5000].replace("谭女士".encode(), b"\xff\xfe", 1)
    path.write_bytes(b"\r\n".join(data))
    url = new_store(tmp_path / "store.sqlite")
    before = fingerprint(url)
    s, = load(url, path, chunk=1000, speed=speed)
    # (the text is decoded ahead of the CSV parser, in blocks: the error surfaces a little before its row)
    assert s.status == "failed" and "第 5000 行附近无法按 UTF-8 解码" in s.error
    assert s.sheets[0].rows == 4998 and fingerprint(url) == before
