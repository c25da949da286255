"""The report's city-specific words are data (hotline/data/report.yaml): checked on load, and what the report
prints — change the file and the report changes, with no constant left in code."""

import re

import ibis
import pytest

from hotline.data import load_yaml
from hotline.domain.registry import unit_registry
from hotline.report import build
from hotline.report.rankings import annex2_header
from hotline.report.wording import WordingError, parse_wording, wording
from hotline.scoring.scheme import builtin_scheme


def test_the_shipped_wording_names_the_registry_city():
    city = next(p for p in unit_registry().platforms if p.level == "city")
    assert wording().city == city.short_name == "湘潭市"


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d["annex1"].update(titel="x"), "annex1.titel：未知键"),
    (lambda d: d.pop("city"), "city：缺失"),
    (lambda d: d["narratives"]["requirements"].append("本月 {visits} 件"), "narratives.requirements：未知占位符 ['visits']"),
    (lambda d: d.update(title="{city}{year}"), "title：未知占位符 ['year']"),
    (lambda d: d["narratives"]["titles"].pop("leader_days"), "narratives.titles：应为这五个章节的标题"),
    (lambda d: d["narratives"]["test_call_problems"][0].update(zero_item="knowlege"), "zero_item = 'knowlege' 不是拨测项目"),
    (lambda d: d["narratives"]["test_call_problems"][1].update(zero_item="knowledge"), "须且只须给出一个"),
    (lambda d: d["annex3"]["columns"].pop(), "annex3.columns：应为 6 项"),
    (lambda d: d.update(issued_on_day=31), "issued_on_day：应为 1–28 日"),
])
def test_a_bad_wording_file_is_refused_naming_the_key(mutate, expected):
    doc = load_yaml("report.yaml")
    mutate(doc)
    with pytest.raises(WordingError) as exc:
        parse_wording(doc)
    message = str(exc.value)
    assert message.startswith("report.yaml 有误：") and expected in message
    assert message.index(expected) < message.index(" / ")  # Chinese first, English after


def test_annex2_words_must_name_parts_of_the_scheme():
    doc = load_yaml("report.yaml")
    doc["annex2"]["column_groups"] = {"dispatching": "市本级工单办理情况"}
    with pytest.raises(WordingError, match=r"没有 \['dispatching'\]"):
        annex2_header(builtin_scheme("county_monthly"), parse_wording(doc).annex2)


@pytest.mark.slow
def test_the_report_prints_the_files_words(seed_store, monkeypatch):
    doc = load_yaml("report.yaml")
    doc["city"] = "某市"
    doc["issued_on_day"] = 15
    doc["annex1"]["notes"] = ["只有一条注释。"]
    doc["annex2"]["notes"] = ["另一条注释。"]
    doc["annex2"]["total_column"] = "合计"
    doc["annex3"]["columns"][2] = "工单编号"
    doc["narratives"]["titles"]["typical_cases"] = "好的案例"
    doc["narratives"]["requirements"] = ["（一）请各单位关注 {visit_dissatisfied} 件不满意工单。"]
    doc["praise"]["min_valid_tickets"] = 1000  # only 岳塘区 (1537 valid tickets in 附件1) is that large
    monkeypatch.setattr(build, "wording", lambda: parse_wording(doc))
    report = build.ReportBuilder(ibis.sqlite.connect(str(seed_store))).build("2022-10")
    assert (report.city, report.title.split("\n")[0]) == ("某市", "某市 12345 政务服务便民热线")
    assert report.issued_on == "2022 年 11 月 15 日"
    assert report.annex1.notes == ["只有一条注释。"]
    assert (report.annex2_header.notes, report.annex2_header.total_column) == (["另一条注释。"], "合计")
    assert report.annex3_header[2] == "工单编号"
    assert report.typical_cases.title == "好的案例"
    assert report.requirements.paragraphs == ["（一）请各单位关注 808 件不满意工单。"]
    assert report.handling.praised_short_names == ["岳塘区"]


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d["annex1"]["notes"].append({"text": "注。", "when": "visit"}), "when = 'visit' 不是可用的条件"),
    (lambda d: d["annex1"]["notes"].append({"text": "注。"}), "annex1.notes.6.ConditionalNote.when：缺失"),
    (lambda d: d["data_notes"].update(no_calls="本月 {count} 通"), "data_notes.no_calls：未知占位符 ['count']"),
    (lambda d: d["data_notes"].pop("no_visits"), "data_notes.no_visits：缺失"),
])
def test_conditional_notes_and_data_notes_are_checked(mutate, expected):
    doc = load_yaml("report.yaml")
    mutate(doc)
    with pytest.raises(WordingError, match=re.escape(expected)):
        parse_wording(doc)


def test_annex1_notes_follow_the_months_data():
    words = wording().annex1
    every = dict(visits=True, completions=True, on_time=True, contacts=True, counties=True)
    seed = words.notes_for(every)
    assert len(seed) == 4 and seed[1] == "本表格中的数据均以回访时间为截点进行统计；" and seed[-1].endswith("情况。")
    bare = words.notes_for({**every, "visits": False, "counties": False})
    assert bare[0] == seed[0] and "受理时间为截点" in bare[1] and len(bare) == 2
    assert bare[-1].endswith("。")  # the last note printed ends the list, whichever it is
