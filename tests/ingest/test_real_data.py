"""Real third-party files from ../shared/data import with their shipped mappings, and the report runs on them."""

from __future__ import annotations

import ibis
import pytest

from hotline.report.build import ReportBuilder
from tests.ingest.conftest import NYC_ANIMALS, NYC_NIGHT, TIPDM, load, rows

pytestmark = pytest.mark.skipif(not TIPDM.exists(), reason="../shared/data is not beside the repository")


def test_tipdm_message_board(db):
    s, = load(db, TIPDM, "tipdm")
    assert s.status == "loaded", s.error
    assert s.counts["tickets"] == {"inserted": 4326} and s.rejected == 0
    assert "诉求热点：文件没有诉求分类，按映射中的关键词规则归类（非平台原始分类）" in s.report_gaps
    # 留言编号 188006 of 2019-02-28 → 19022800188006; the scraped "\n\t\t\t" is gone; title leads the content
    (no, content, region, channel, sub), = rows(db, "SELECT ticket_no, content, region, channel, s.name FROM tickets t "
                                                    "JOIN subcategories s ON s.id = t.subcategory_id WHERE ticket_no LIKE '%00188006'")
    assert no == "19022800188006" and channel == "web" and region == "A3区"
    assert content.startswith("A3区一米阳光婚纱艺术摄影是否合法纳税了？\n座落在") and "\t" not in content
    assert sub == "税费服务"
    assert all(len(n) == 14 and n.isdigit() for n, in rows(db, "SELECT ticket_no FROM tickets"))
    # keyword rules classify most messages; the rest are 其他诉求, said in docs/import.md
    other, = rows(db, "SELECT count(*) FROM tickets t JOIN subcategories s ON s.id = t.subcategory_id WHERE s.name = '其他诉求'")
    assert other[0] < 0.15 * 4326
    again, = load(db, TIPDM, "tipdm")
    assert again.counts["tickets"] == {"unchanged": 4326}


def test_nyc311_both_samples(db):
    night, animals = load(db, [NYC_NIGHT, NYC_ANIMALS], "nyc311")
    assert night.status == animals.status == "loaded"
    assert night.counts["tickets"] == {"inserted": 924}
    # two DOHMH requests were "closed" on 1900-01-01: rejected with the reason, the rest load
    assert animals.counts["tickets"] == {"inserted": 5893, "rejected": 2}
    assert sorted(night.units_created) == ["DHS", "DOHMH", "DOT", "DPR", "DSNY", "EDC", "NYPD", "TLC"]
    assert animals.units_created == []  # DOHMH now exists
    assert rows(db, "SELECT ticket_no, state, t.region, u.name FROM tickets t JOIN units u ON u.id = t.unit_id "
                    "WHERE ticket_no = '22050154049402'") == [("22050154049402", "signed", "BRONX", "NYPD")]
    # Closed Date → complete event; Due Date → the dispatch deadline
    assert rows(db, "SELECT count(*) FROM ticket_events WHERE kind = 'complete'") == [(480 + 2462,)]
    assert rows(db, "SELECT count(*) FROM ticket_events WHERE kind = 'dispatch' AND due_at IS NOT NULL")[0][0] > 2000
    noise, = rows(db, "SELECT count(*) FROM tickets t JOIN subcategories s ON s.id = t.subcategory_id WHERE s.name = '生活噪音'")
    assert noise[0] == 379 + 159 + 116 + 67 + 6 + 2


def test_report_runs_on_imported_data_and_names_what_is_missing(db):
    load(db, [NYC_NIGHT, NYC_ANIMALS], "nyc311")
    con = ibis.sqlite.connect(db.removeprefix("sqlite:///"))
    report = ReportBuilder(con).build("2022-05")
    may = rows(db, "SELECT count(*) FROM tickets WHERE accepted_at >= '2022-05-01' AND accepted_at < '2022-06-01'")[0][0]
    assert report.calls.accepted == may and report.handling.dispatched == may and report.calls.calls == 0
    assert any("来电" in m for m in report.missing)
    assert any("回访" in m for m in report.missing)
