"""The generator's plan and the data it writes: consistent, deterministic, realistic — checked on the store."""

import re
import sqlite3
from collections import Counter

import pytest

from hotline.domain.registry import taxonomy
from hotline.generator import targets as T
from hotline.generator.build import Builder
from hotline.generator.plan import carry_over, check_plan, dispatch_cells, spread


def test_spread_respects_total_and_cap():
    import random

    got = spread(100, list("abcdefgh"), 15, random.Random(1))
    assert sum(got.values()) == 100 and max(got.values()) <= 15
    with pytest.raises(ValueError, match="capped"):
        spread(100, list("abc"), 30, random.Random(1))


def test_plan_reproduces_the_seed_orderings():
    cats, subs = taxonomy()
    cells = dispatch_cells(20221010)
    assert check_plan(cells, {k: v.category for k, v in subs.items()}) == []
    co = carry_over(cells)
    # carry-in and carry-out balance: both months' visit totals are 7,470
    assert sum(co.in_sep.values()) == sum(co.out_oct.values())
    for unit, row in T.ANNEX1.items():
        assert sum(cells.get(unit, {}).values()) - co.out_oct[unit] + co.in_sep[unit] == row[0]


def test_annex1_targets_match_the_printed_rates():
    # the contact counts in targets.py were derived from 附件1's printed rates; check them against the rates
    printed_contact = {"岳塘区人民政府": 99.93, "湘潭经开区管委会": 99.75, "湘潭高新区管委会": 99.12, "市市场监管局": 95.35,
                       "市人社局": 97.33, "市生态环境局": 85.49, "市卫健委": 96.79, "联通湘潭分公司": 94.19, "市税务局": 83.33}
    for unit, rate in printed_contact.items():
        n, _, contacted, *_ = T.ANNEX1[unit]
        assert round(100 * contacted / n + 1e-9, 2) == rate, unit
    assert sum(r[2] for r in T.ANNEX1.values()) == 7391  # 98.94% of 7,470


def test_generation_is_deterministic(seed_store):
    # a second build with the default seed writes exactly the tickets the session's store holds
    fresh = Builder().build().tables["tickets"]
    con = sqlite3.connect(seed_store)
    stored = con.execute("SELECT ticket_no, accepted_at, content, caller_phone FROM tickets ORDER BY id LIMIT 3000").fetchall()
    con.close()
    assert [(t["ticket_no"], str(t["accepted_at"]).replace("T", " "), t["content"], t["caller_phone"])
            for t in fresh[:3000]] == [(a, b[:19], c, d) for a, b, c, d in stored]


@pytest.fixture(scope="module")
def db(seed_store):
    con = sqlite3.connect(seed_store)
    yield con
    con.close()


def test_ticket_numbers_and_masking(db):
    rows = db.execute("SELECT ticket_no, platform, caller_phone, content FROM tickets").fetchall()
    assert len({r[0] for r in rows}) == len(rows)
    suffix = {"city": "099", "xiangtan_county": "100", "xiangxiang": "101", "shaoshan": "102"}
    for no, platform, phone, content in rows[:5000]:
        assert re.fullmatch(r"\d{14}", no) and no.endswith(suffix[platform])
        assert re.fullmatch(r"1[3-9]\d\*{4}\d{4}", phone)
        assert len(content) > 20 and "{" not in content
    # realistic, varied texts: few exact duplicates
    texts = Counter(r[3] for r in rows)
    assert texts.most_common(1)[0][1] < 30


def test_events_are_consistent(db):
    # every visited dispatched city ticket was dispatched, signed and completed before its visit
    # (aggregated joins, not correlated NOT EXISTS: SQLite would walk the (kind, at) index once per visit)
    bad = db.execute("""
        SELECT COUNT(*) FROM return_visits v JOIN tickets t ON t.id = v.ticket_id
        LEFT JOIN (SELECT ticket_id, MIN(at) AS done FROM ticket_events WHERE kind = 'complete' GROUP BY ticket_id) c
          ON c.ticket_id = t.id
        WHERE t.resolution = 'dispatched' AND (c.done IS NULL OR c.done > v.visited_at)
    """).fetchone()[0]
    assert bad == 0
    unsigned = db.execute("""
        SELECT COUNT(*) FROM tickets t
        LEFT JOIN (SELECT DISTINCT ticket_id FROM ticket_events WHERE kind = 'sign') s ON s.ticket_id = t.id
        WHERE t.resolution = 'dispatched' AND s.ticket_id IS NULL""").fetchone()[0]
    assert unsigned == 0
    # acceptance precedes every other event of the ticket
    early = db.execute("""
        SELECT COUNT(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.at < t.accepted_at""").fetchone()[0]
    assert early == 0


def test_deadlines_follow_the_sla_rules(db):
    # the generator takes its deadlines from hotline/data/sla.yaml, as the service and the importer do
    from datetime import datetime

    from hotline.domain.calendar import load_default_calendar
    from hotline.domain.sla import default_rules

    rules, cal = default_rules(), load_default_calendar()
    rows = db.execute("SELECT t.appeal_type, e.at, e.due_at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                      "WHERE e.kind = 'dispatch'").fetchall()
    assert len(rows) > 7000
    wrong = [(a, at, due) for a, at, due in rows
             if rules.due_at(cal, datetime.fromisoformat(at), a) != datetime.fromisoformat(due)]
    assert wrong == []


def test_manhole_case_history(db):
    (tid,) = db.execute("SELECT t.id FROM tickets t JOIN subcategories s ON s.id = t.subcategory_id "
                        "WHERE s.name = '井盖设施' AND t.content LIKE '%谈爱桥%'").fetchone()
    events = db.execute("SELECT kind, unit_id, actor, at FROM ticket_events WHERE ticket_id = ? ORDER BY at, id",
                        (tid,)).fetchall()
    kinds = [e[0] for e in events]
    assert kinds.count("dispatch") + kinds.count("reassign") == 9
    assert kinds.count("return") == 8 and kinds[-1] == "visit"
    # each return was asked for just before, by the same unit's liaison (退单申请 → 退回)
    for i, (kind, unit_id, actor, at) in enumerate(events):
        if kind == "return":
            asked = events[i - 1]
            assert asked[:3] == ("return_request", unit_id, actor) and asked[3] < at, events[i - 1:i + 1]
    assert kinds.count("return_request") == 8
