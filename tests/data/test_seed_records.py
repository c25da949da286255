"""Checks on the seed-report records transcribed into hotline/data/seed_*.yaml."""

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "hotline" / "data"


@pytest.fixture(scope="module")
def spot_checks():
    with open(DATA / "seed_spot_checks.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)["spot_checks"]


@pytest.fixture(scope="module")
def records():
    with open(DATA / "seed_records.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_seventeen_rows_in_order(spot_checks):
    assert len(spot_checks) == 17
    assert [r["seq"] for r in spot_checks] == list(range(1, 18))


def test_ticket_numbers_are_14_digits(spot_checks):
    for r in spot_checks:
        assert isinstance(r["ticket_no"], str)
        assert re.fullmatch(r"\d{14}", r["ticket_no"]), r


def test_months_within_jan_to_sep_2022_and_non_decreasing(spot_checks):
    months = [r["month"] for r in spot_checks]
    allowed = {f"2022-{m:02d}" for m in range(1, 10)}
    assert set(months) <= allowed
    assert months == sorted(months)
    assert Counter(months) == {
        "2022-01": 4, "2022-02": 1, "2022-03": 5, "2022-05": 1,
        "2022-06": 2, "2022-08": 1, "2022-09": 3,
    }


def test_count_per_unit(spot_checks):
    assert Counter(r["unit"] for r in spot_checks) == {
        "湘潭县人民政府": 9,
        "湘乡市人民政府": 5,
        "湘潭经开区": 1,
        "韶山市人民政府": 1,
        "市住建局": 1,
    }
    assert spot_checks[4]["unit"] == "湘潭经开区"
    assert spot_checks[15]["unit"] == "市住建局"


def test_row3_ticket_number(spot_checks):
    assert spot_checks[2]["ticket_no"] == "22012469423099"


def test_rows_4_and_11_same_ticket(spot_checks):
    r4, r11 = spot_checks[3], spot_checks[10]
    assert r4["ticket_no"] == r11["ticket_no"] == "22050628951101"
    assert (r4["month"], r11["month"]) == ("2022-01", "2022-05")
    assert len({r["ticket_no"] for r in spot_checks}) == 16


def test_outcomes(spot_checks):
    assert {r["outcome"] for r in spot_checks} <= {"dissatisfied", "not_contacted"}
    assert [r["seq"] for r in spot_checks if r["outcome"] == "not_contacted"] == [14]


def test_text_cells_clean(spot_checks):
    for r in spot_checks:
        for key in ("content", "feedback"):
            text = r[key]
            assert isinstance(text, str) and text, (r["seq"], key)
            assert "\n" not in text and "\r" not in text
            assert "序号 月份" not in text
            assert "事件编号 承办单位" not in text
            assert text == text.strip()
            # joining PDF lines must not insert spaces between CJK characters beyond the seed's own
            assert not re.search(r"[\u4e00-\u9fff] {2,}[\u4e00-\u9fff]", text)


def test_row9_columns_reassembled_across_page_break(spot_checks):
    r9 = spot_checks[8]
    assert r9["content"].endswith("此前投诉杨嘉桥镇反馈：镇村镇建设管理办公室请第三方公司对噪音进行鉴定，"
                                  "并已上报县环保部门故来电，但目前该公司仍有深夜施工噪音扰民情况，请相关部门调查处理，谢谢！")
    assert r9["feedback"].startswith("我单位于3月4日通过现场调查处理")
    assert "请相关部门调查处理，的问题。二、调查情况" in r9["feedback"]
    assert r9["feedback"].endswith("减少污染物对外环境的影响。")


def test_leader_day(records):
    days = records["leader_days"]
    assert len(days) == 1
    d = days[0]
    assert d["day"] == dt.date(2022, 10, 21)
    assert d["person"] == "潘永其"
    assert d["title"] == "党委书记、局长"
    assert d["unit"] == "市住建局"
    assert d["calls_answered"] == 13
    assert len(d["topics"]) == 6
    assert d["topics"][0] == "楼盘复工复产"


def test_issuer(records):
    assert records["issuing_office"] == "湘潭市市民服务热线和市长信箱工作协调小组办公室"
    assert records["issued_on"] == dt.date(2022, 11, 10)
