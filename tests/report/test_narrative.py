"""The drafting is pure: hand-made facts in, paragraphs out — no store. Expected sentences are written out
here from the rules of the prose, not copied from a run."""

from datetime import date, datetime

import pytest

from hotline.report import model as M
from hotline.report.evidence import (
    CallSheet,
    LateReturn,
    LeaderDay,
    NarrativeInput,
    PraisedCase,
    RoutedTicket,
    StaleEntry,
)
from hotline.report.narrative import apply_overrides, draft_narratives
from hotline.report.wording import wording

WORDS = wording().narratives


def sheet(county, knowledge=30.0, connection=10.0, remark=""):
    return CallSheet(county, {"voice_navigation": 10.0, "connection": connection, "service_norms": 40.0,
                              "knowledge": knowledge, "visit_service": 10.0}, remark)


def facts(**changes) -> NarrativeInput:
    late = LateReturn(7, "市城管局", 5, datetime(2022, 10, 9, 10))
    base = dict(
        praised=(PraisedCase("22100100001099", "岳塘区", "房屋安全", "市民来电反映围墙开裂。", "市民表示非常满意。"),
                 PraisedCase("22100200002099", "雨湖区", "宽带网络", "市民来电反映网络中断。", "市民非常满意。"),
                 PraisedCase("22100300003099", "市人社局", "社会保险", "甲。", "乙。")),
        most_routed=RoutedTicket("22093000007099", "井盖设施", datetime(2022, 9, 30, 9), 9, (late,)),
        late_returns=(late, LateReturn(8, "市城管局", 3, datetime(2022, 10, 20)),
                      LateReturn(9, "国安网络公司", 4, datetime(2022, 10, 21))),
        return_window_days=2,
        hot_event=M.Share(label="疫情防控", count=120, share=10.0),
        stale_entries=(StaleEntry("核酸检测点", "市卫健委"), StaleEntry("隔离政策", "市卫健委"), StaleEntry("出行", "市交通局")),
        call_sheets=(sheet("韶山市", connection=0.0), sheet("韶山市", remark="未使用尊称"),
                     sheet("湘潭县", knowledge=0.0, remark="推诿"), sheet("湘乡市")),
        leader_days=(LeaderDay(date(2022, 10, 21), "市住建局", "局长", "张三", 13, "公租房、维修基金"),),
        spot_checks=17, spot_check_period="1-9月份", overdue_total=281, overdue_units=("市资规局", "市教育局"),
        visit_dissatisfied=808)
    return NarrativeInput(**{**base, **changes})


def test_typical_cases_tell_the_first_two_praised():
    n = draft_narratives(facts(), WORDS)["typical_cases"]
    assert n.title == "典型案例"
    assert n.paragraphs == ["（1）岳塘区高效处理房屋安全诉求获赞。市民来电反映围墙开裂。市民表示非常满意。",
                            "（2）雨湖区高效处理宽带网络诉求获赞。市民来电反映网络中断。市民非常满意。"]
    assert n.evidence == ["22100100001099", "22100200002099"]


def test_difficult_cases_routing_knowledge_base_and_test_calls():
    n = draft_narratives(facts(), WORDS)["difficult_cases"]
    routing, kb, calls = n.paragraphs
    assert routing == ("（1）井盖设施问题，明确责任单位时间长。9 月 30 日受理的工单（事件编号 22093000007099）流转 9 次才最终"
                       "确定承办单位，耗时长、效率低，其中市城管局在签收 5 个工作日后退单，违反“自签收后 2 个工作日内申请退回”"
                       "的规定，影响办件效率。")
    assert kb.startswith("（2）疫情防控问题，知识库信息更新不及时。本月受理相关诉求 120 件，但 3 条知识库信息超过复核期未更新"
                         "（市交通局、市卫健委提供）")
    # faults in the order the calls first show them; the same call may show two (湘潭县: 推诿 and knowledge 0)
    assert calls == ("（3）县市随机拨测服务不规范。本月随机拨测了韶山市、湘潭县、湘乡市热线自有平台共 4 通电话，发现以下问题："
                     "接通情况不理想，等待时间过长（韶山市 1 通）；礼貌用语不规范（韶山市 1 通）；"
                     "答复内容不准确，“业务知识”得分为 0（湘潭县 1 通）；首问责任制落实不到位，直接告知咨询其他单位电话（湘潭县 1 通）。")
    assert n.evidence == ["22093000007099"]


def test_paragraphs_renumber_when_facts_are_absent():
    n = draft_narratives(facts(most_routed=None, stale_entries=()), WORDS)["difficult_cases"]
    assert len(n.paragraphs) == 1 and n.paragraphs[0].startswith("（1）县市随机拨测服务不规范。")
    assert draft_narratives(facts(most_routed=None, stale_entries=(), call_sheets=()), WORDS)["difficult_cases"].paragraphs == []


def test_the_return_window_comes_from_the_facts():
    n = draft_narratives(facts(return_window_days=3), WORDS)
    assert "自签收后 3 个工作日内申请退回" in n["difficult_cases"].paragraphs[0]
    assert "部分单位存在超过 3 个工作日退单现象" in n["difficulties"].paragraphs[1]


def test_leader_days_difficulties_and_requirements():
    n = draft_narratives(facts(), WORDS)
    assert n["leader_days"].paragraphs == [
        "10 月 21 日，市住建局局长张三应约接听 12345 热线群众来电，回应群众关切问题。在接听期间，共接听群众来电 13 个，"
        "涉及公租房、维修基金等多个热点问题。"]
    spot, quality = n["difficulties"].paragraphs
    assert spot.startswith("（一）省考核“抽查回访”工单不满意。今年1-9月份，我市 17 件工单被省 12345 监管平台")
    # late returns counted per unit, most first
    assert quality == ("（二）工单办理质量有待提升。部分单位存在超过 2 个工作日退单现象（市城管局 2 件、国安网络公司 1 件）；"
                       "仍有 281 件工单超期未反馈，涉及市资规局、市教育局，影响热线整体按时办结率考核。")
    assert "针对本月 808 件回访不满意工单" in n["requirements"].paragraphs[2]
    assert [n[k].title for k in n] == ["典型案例", "疑难问题", "领导接听日工作情况", "存在的困难", "下一步工作要求"]


def test_overrides_replace_a_section_and_refuse_unknown_ones():
    drafts = draft_narratives(facts(), WORDS)
    out = apply_overrides(drafts, {"requirements": ["（一）改写。"]})
    assert out["requirements"] == M.Narrative(title="下一步工作要求", paragraphs=["（一）改写。"], source="override")
    assert out["typical_cases"] == drafts["typical_cases"]
    with pytest.raises(ValueError, match="未知章节.*summary"):
        apply_overrides(drafts, {"summary": ["x"]})
    with pytest.raises(ValueError, match="应为段落列表"):
        apply_overrides(drafts, {"requirements": "一段"})


def test_difficulties_number_the_paragraphs_present_and_name_the_annex():
    quality = draft_narratives(facts(spot_checks=0), WORDS)["difficulties"].paragraphs
    assert len(quality) == 1 and quality[0].startswith("（一）工单办理质量有待提升。")
    spot = draft_narratives(facts(spot_check_annex=2), WORDS)["difficulties"].paragraphs[0]
    assert spot.endswith("17 件工单所涉及的单位及具体情况见附件 2。")


def test_a_month_without_visits_drops_the_requirement_quoting_them():
    n = draft_narratives(facts(visit_dissatisfied=None), WORDS)["requirements"]
    assert [p[:3] for p in n.paragraphs] == ["（一）", "（二）"]
    assert not any("回访不满意" in p for p in n.paragraphs)
