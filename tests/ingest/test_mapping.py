"""Mapping files: the shipped ones load; mistakes are reported with their place, before any file is read."""

from __future__ import annotations

import pytest

from hotline.ingest.mapping import MappingError, builtin_names, load_mapping
from hotline.ingest.read import SourceError, open_source
from tests.ingest.conftest import HEADER, ROWS, load, rows, write_csv


def test_shipped_mappings():
    assert builtin_names() == ["hotline", "nyc311", "platform_12345", "tipdm"]
    for name in builtin_names():
        m = load_mapping(name)
        assert "tickets" in m.tables
        assert m.code("visit_result", "非常满意") == "satisfied"  # common.yaml is inherited by all
        assert m.code("visit_result", "基本满意") == "fairly_satisfied" and m.code("appeal_type", "咨询类") == "consult"
    assert load_mapping("nyc311").code("state", "In Progress") == "signed"


@pytest.mark.parametrize("text, needle", [
    ("tables: {tickets: {columns: {ticket_no: [编号], accepted_at: [时间], colour: [颜色]}}}", "colour"),
    ("tables: {tickets: {columns: {ticket_no: [编号]}}}", "缺少必需字段 accepted_at"),
    ("tables: {orders: {}}", "orders"),
    ("extends: platform_12345\nvalues: {visit_result: {五星: delighted}}", "delighted"),
    ("extends: platform_12345\nunits: {rewrite: [{pattern: '([', replace: x}]}", "正则表达式"),
    ("extends: platform_12345\ntables: {tickets: {ticket_no: {format: '{nope}'}}}", "ticket_no.format"),
    ("extends: platform_12345\ncolour: red", "colour"),
    ("extends: no_such_parent", "no_such_parent"),
    ("tables: [", "YAML"),
])
def test_mistakes_are_reported(tmp_path, text, needle):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=needle.replace("(", r"\(").replace("[", r"\[")):
        load_mapping(str(path))


def test_extends_a_relative_file(tmp_path, db):
    (tmp_path / "base.yaml").write_text("extends: platform_12345\ntables: {tickets: {columns: {ticket_no: [单号]}}}",
                                        encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: base.yaml\nvalues: {appeal_type: {问询: consult}}", encoding="utf-8")
    m = load_mapping(str(tmp_path / "child.yaml"))
    assert m.tables["tickets"].columns["ticket_no"] == ["单号"] and m.code("appeal_type", "问询") == "consult"
    header = ["单号"] + HEADER[1:]
    body = [r[:] for r in ROWS]
    body[0][3] = "问询"
    s, = load(db, write_csv(tmp_path / "x.csv", header, body), m)
    assert s.counts["tickets"] == {"inserted": 3}


def test_tab_separated_utf16_text_as_excel_saves_it(db, tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_text("\r\n".join("\t".join(r) for r in [HEADER] + ROWS), encoding="utf-16")
    s, = load(db, path)
    assert s.encoding == "UTF-16" and s.counts["tickets"] == {"inserted": 3}


def test_named_sheet(db, tmp_path):
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, data in (("九月", ROWS[:1]), ("十月", ROWS[1:])):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADER)
        for i, r in enumerate(data, start=1):
            ws.write_row(i, 0, r)
    wb.close()
    s, = load(db, path, sheet="十月")
    assert [x.name for x in s.sheets] == ["十月"] and s.counts["tickets"] == {"inserted": 2}
    s, = load(db, path)
    assert s.counts["tickets"] == {"inserted": 1, "unchanged": 2}
    with pytest.raises(SourceError, match="没有名为“十一月”的工作表"):
        open_source(path, sheet="十一月")
    assert rows(db, "SELECT count(*) FROM tickets") == [(3,)]
