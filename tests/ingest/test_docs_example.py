"""The worked example of docs/import.md, loaded exactly as printed: a user can write a mapping from the docs."""

from __future__ import annotations

import re
from pathlib import Path

from hotline.ingest.mapping import load_mapping
from tests.ingest.conftest import load, rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- example:{name} -->\s*```\w*\n(.*?)```", text, re.S)
    assert m, f"docs/import.md has no example:{name} block"
    return m.group(1)


def test_worked_example(db, tmp_path):
    mapping_file = tmp_path / "moushi_v3.yaml"
    mapping_file.write_text(block("mapping"), encoding="utf-8")
    data = tmp_path / "工单查询.csv"
    data.write_text(block("csv"), encoding="gbk")  # as Excel on a Chinese Windows saves it
    s, = load(db, data, load_mapping(str(mapping_file)))
    assert s.status == "loaded", s.error
    assert s.encoding == "GBK" and s.sheets[0].header_row == 2
    assert s.counts["tickets"] == {"inserted": 3} and s.rejected == 0
    got = rows(db, "SELECT t.ticket_no, t.accepted_at, t.appeal_type, s.name, u.name, t.resolution, t.caller_phone "
                   "FROM tickets t JOIN subcategories s ON s.id = t.subcategory_id LEFT JOIN units u ON u.id = t.unit_id "
                   "ORDER BY t.ticket_no")
    assert got == [
        ("23030510001201", "2023-03-05 14:05:00.000000", "complaint", "停车管理", "市公安局", "dispatched", "138****1111"),
        ("23030510002201", "2023-03-05 15:20:00.000000", "consult", "社会保险", None, "online", "139****2222"),
        ("23030610003201", "2023-03-06 09:12:00.000000", "complaint", "生活噪音", "雨湖区人民政府", "dispatched", "137****3333"),
    ]
    assert rows(db, "SELECT result, visited_at FROM return_visits ORDER BY ticket_id") == [
        ("satisfied", "2023-03-06 10:00:00.000000"), ("dissatisfied", "2023-03-08 16:30:00.000000")]
    assert any("回访按办结时间" in n for n in s.sheets[0].notes)
    # computed deadline: a complaint dispatched on Sunday 2023-03-05 → 5 working days → Friday 2023-03-10
    assert rows(db, "SELECT due_at FROM ticket_events WHERE kind = 'dispatch' ORDER BY ticket_id")[0] == (
        "2023-03-10 23:59:59.000000",)
