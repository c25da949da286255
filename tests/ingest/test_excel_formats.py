"""Legacy Excel (.xls) and OpenDocument (.ods) exports load like .xlsx: both are read by python-calamine.

The .xls is a committed fixture (tests/ingest/fixtures/make_xls.py says how it was written: writing BIFF8
needs xlwt, which the project does not depend on). The .ods is written here: it is a zip of XML."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from hotline.ingest.options import Speed
from tests.ingest.conftest import HEADER, ROWS, fingerprint, load, rows

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _check(db, s):
    assert s.status == "loaded", s.error
    sheet = next(x for x in s.sheets if x.kind == "tickets")
    assert sheet.header_row == 2 and sheet.rows == 4  # below the merged title
    assert next(x for x in s.sheets if x.name == "说明").kind is None  # no header: skipped, not an error
    assert s.counts["tickets"] == {"inserted": 3, "rejected": 1} and s.rejected == 1
    got = rows(db, "SELECT t.ticket_no, t.accepted_at, t.caller_phone, u.name FROM tickets t "
                   "LEFT JOIN units u ON u.id = t.unit_id ORDER BY t.ticket_no")
    assert got == [
        ("22100810001099", "2022-10-08 09:32:09.000000", "138****5678", None),  # a date cell
        ("22100810002099", "2022-10-08 10:01:00.000000", "139****5678", "市公安局"),  # number cells: 事件编号, 电话
        ("22100810003099", "2022-10-08 11:00:00.000000", "137****5678", "市公安局"),  # the unit merged down
    ]
    # the dispatched ticket's milestones, from date cells and text alike
    assert rows(db, "SELECT kind, at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                    "WHERE ticket_no = '22100810002099' AND kind IN ('dispatch', 'complete') ORDER BY e.id") == [
        ("dispatch", "2022-10-08 10:30:00.000000"), ("complete", "2022-10-09 15:00:00.000000")]


@pytest.mark.parametrize("fast", [True, False])
def test_xls(db, fast):
    s, = load(db, FIXTURES / "platform_export.xls", speed=Speed(columns=fast))
    assert s.format == "xls"
    _check(db, s)
    again, = load(db, FIXTURES / "platform_export.xls", speed=Speed(columns=fast))
    assert again.counts["tickets"] == {"unchanged": 3, "rejected": 1}


def _cell(v) -> str:
    if v is None or v == "":
        return "<table:table-cell/>"
    if isinstance(v, int):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    if isinstance(v, str) and v.startswith("date:"):
        iso = v[5:]
        return (f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                f"<text:p>{iso.replace('T', ' ')}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list]], title_span: int) -> Path:
    """A minimal OpenDocument spreadsheet; the first row of the first sheet spans `title_span` columns."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    tables = []
    for n, (name, data) in enumerate(sheets.items()):
        out = []
        for r, row in enumerate(data):
            if n == 0 and r == 0:
                out.append(f'<table:table-row><table:table-cell office:value-type="string" '
                           f'table:number-columns-spanned="{title_span}"><text:p>{escape(row[0])}</text:p></table:table-cell>'
                           f'<table:covered-table-cell table:number-columns-repeated="{title_span - 1}"/></table:table-row>')
            else:
                out.append("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}">' + "".join(out) + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("fast", [True, False])
def test_ods(db, tmp_path, fast):
    body = [r[:] for r in ROWS]
    body[0][1] = "date:2022-10-08T09:32:09"  # a date cell
    body[1][0], body[1][8] = int(body[1][0]), int(body[1][8])  # 事件编号 and 来电号码 as numbers
    body[1][10] = "湘潭市公安局"
    third = body[2]  # (ROWS[2] is replaced: the same shape as the .xls fixture)
    third[:] = ["22100810003099", "2022/10/8 11:00:00", "电话", "投诉", "社会治安类", "停车管理", "另一处乱停车。", "李女士",
                "13712345678", "岳塘区", "湘潭市公安局", "2022/10/8 11:20:00", "否", "已处理。", "2022/10/9 10:00:00", "已办结",
                "", "", ""]
    bad = ROWS[0][:]
    bad[0], bad[1] = "22100910004099", "2022-02-30 10:00:00"
    body[1][11], body[1][14], body[1][16] = "date:2022-10-08T10:30:00", "date:2022-10-09T15:00:00", "date:2022-10-10T09:00:00"
    path = write_ods(tmp_path / "工单明细.ods", {"工单明细": [["湘潭市12345热线工单明细表"], HEADER] + body + [bad],
                                             "说明": [["本表由平台导出"]]}, len(HEADER))
    s, = load(db, path, speed=Speed(columns=fast))
    assert s.format == "ods"
    _check(db, s)
    before = fingerprint(db)
    again, = load(db, path, speed=Speed(columns=fast))
    assert again.counts["tickets"] == {"unchanged": 3, "rejected": 1} and fingerprint(db) == before
