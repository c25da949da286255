"""Loading by ticket number: re-import changes nothing, a later overlapping export updates, never duplicates."""

from __future__ import annotations

import csv

from hotline.generator.vendor_export import HEADERS, write_csv, write_xlsx
from hotline.generator.vendor_export import rows as sample_rows
from tests.ingest.conftest import fingerprint, load, rows


def counts(url):
    return {t: rows(url, f"SELECT count(*) FROM {t}")[0][0] for t in ("tickets", "ticket_events", "return_visits")}


def test_reimport_is_unchanged(db, tmp_path):
    path = write_xlsx(tmp_path / "工单明细.xlsx", 3000)
    s, = load(db, path)
    assert s.status == "loaded" and s.counts["tickets"] == {"inserted": 3000} and s.rejected == 0
    assert s.sheets[0].header_row == 2  # below the merged title
    before, sizes = fingerprint(db), counts(db)
    again, = load(db, path)
    assert again.counts["tickets"] == {"unchanged": 3000}
    assert fingerprint(db) == before and counts(db) == sizes


def test_later_export_overlaps_and_updates(db, tmp_path):
    """The office exports 1–2000 on day one; next week rows 1001–3000, where some of 1001–2000 have moved on."""
    data = list(sample_rows(3000))
    head = HEADERS
    first = tmp_path / "week1.csv"
    second = tmp_path / "week2.csv"
    with first.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head] + data[:2000])
    later = [r[:] for r in data[1000:]]
    changed = 0
    for r in later[:1000]:
        if r[head.index("回访结果")] == "满意":  # the province's spot check changed the verdict
            r[head.index("回访结果")] = "不满意"
            changed += 1
    with second.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head] + later)
    load(db, first)
    s, = load(db, second)
    assert s.counts["tickets"] == {"unchanged": 1000 - changed, "updated": changed, "inserted": 1000}
    assert changed > 10
    assert rows(db, "SELECT count(*), count(DISTINCT ticket_no) FROM tickets") == [(3000, 3000)]
    # one visit per visited ticket, the new verdict in place of the old
    assert rows(db, "SELECT count(*) FROM return_visits GROUP BY ticket_id HAVING count(*) > 1") == []
    no = next(r[1] for r in later[:1000] if r[head.index("回访结果")] == "不满意")
    assert rows(db, "SELECT v.result FROM return_visits v JOIN tickets t ON t.id = v.ticket_id WHERE ticket_no = ?", no) \
        == [("dissatisfied",)]


def test_a_column_the_file_lacks_keeps_its_stored_value(db, tmp_path):
    path = write_csv(tmp_path / "full.csv", 200)
    load(db, path)
    stored = rows(db, "SELECT ticket_no, content, caller_phone FROM tickets ORDER BY ticket_no")
    slim = tmp_path / "slim.csv"
    with path.open(encoding="utf-8-sig") as f, slim.open("w", encoding="utf-8", newline="") as g:
        r = list(csv.reader(f))
        keep = [i for i, h in enumerate(r[0]) if h not in ("诉求内容", "来电号码")]
        csv.writer(g).writerows([[row[i] for i in keep] for row in r])
    s, = load(db, slim)
    assert s.counts["tickets"] == {"unchanged": 200}
    assert rows(db, "SELECT ticket_no, content, caller_phone FROM tickets ORDER BY ticket_no") == stored


def test_events_and_visits_follow_the_row(db, tmp_path):
    s, = load(db, write_csv(tmp_path / "a.csv", 400))
    dispatched = rows(db, "SELECT count(*) FROM tickets WHERE resolution = 'dispatched'")[0][0]
    kinds = dict(rows(db, "SELECT kind, count(*) FROM ticket_events GROUP BY kind"))
    assert kinds["accept"] == 400 and kinds["resolve_online"] == 400 - dispatched
    assert kinds["dispatch"] == kinds["sign"] == kinds["complete"] == kinds["visit"] == dispatched
    # the deadline was computed on the working-day calendar from the dispatch
    (due,), = rows(db, "SELECT due_at FROM ticket_events WHERE kind = 'dispatch' ORDER BY id LIMIT 1")
    assert due.endswith("23:59:59.000000")
    assert rows(db, "SELECT count(*) FROM return_visits")[0][0] == dispatched


def test_call_log_export(db, tmp_path):
    """A 话务明细 export (one row per call) loads into `calls`; loading it again changes nothing, and a corrected
    export of the same hours replaces those calls instead of adding to them."""
    from tests.ingest.conftest import write_csv as write_rows

    header = ["序号", "来电时间", "呼叫结果", "等待时长", "通话时长"]
    body = [[i + 1, f"2022/10/8 9:{i:02d}:00", "接通" if i % 5 else "呼损", 10 + i, 0 if i % 5 == 0 else 120]
            for i in range(50)]
    s, = load(db, write_rows(tmp_path / "话务明细.csv", header, body))
    assert s.sheets[0].kind == "calls" and s.counts["calls"] == {"inserted": 50}
    assert rows(db, "SELECT count(*), sum(answered) FROM calls") == [(50, 40)]
    again, = load(db, tmp_path / "话务明细.csv")
    assert again.counts["calls"] == {"unchanged": 50}
    body[5][2] = "接通"  # was 呼损
    fixed, = load(db, write_rows(tmp_path / "话务明细-更正.csv", header, body))
    assert fixed.counts["calls"] == {"unchanged": 49, "inserted": 1, "removed": 1}
    assert rows(db, "SELECT count(*), sum(answered) FROM calls") == [(50, 41)]
