"""Narrative tickets the report's 典型案例 and 疑难问题 are drafted from.

They are ordinary tickets in the counts (taken from the planned October visits, so no figure moves); only
their text and event history are written by hand to match what the seed tells: a manhole cover whose ticket
hopped across nine units with two returns long after the 2-working-day window, and two praised cases.
Hand-written as they are, their histories are paths the declared lifecycle allows (hotline/data/lifecycle.yaml:
a unit that signed asks to return the ticket, 退单申请, before it goes back, 退回), as every generated history
is (tests/generator/test_generated_histories.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hotline.domain.history import DISPATCHER, OPERATOR, VISITOR, liaison_of
from hotline.generator.events import CONTACT_NOTE

MANHOLE_HOPS = ["市城管局", "国安网络公司", "湘潭中环水务公司", "移动湘潭分公司", "联通湘潭分公司", "电信湘潭分公司",
                "国网湘潭供电公司", "湘潭城发集团", "岳塘区人民政府"]
# working days each unit held the ticket after signing before returning it (the seed: 城管 5, 国安 4)
RETURN_AFTER = {"市城管局": 5, "国安网络公司": 4}
RETURN_REASON = "经核实，该井盖不属于我单位管辖，申请退回"

PRAISED = {
    "岳塘区人民政府": ("房屋安全",
        "市民来电反映：岳塘区书院路街道晓塘社区葩塘小区隔壁制药厂违规搭建围墙，墙体开裂倾斜，存在倒塌安全隐患，"
        "希望相关部门尽快拆除违规围墙改建栅栏，请相关单位处理，谢谢！",
        "接到热线交办工单后，书院路街道晓塘社区工作人员立即前往现场查看，经核实后在墙体处拉起警戒线、安装警示标志，"
        "告知周边居民不在墙体附近逗留；街道和社区迅速组织施工队维修整改该墙面，并做好现场清理工作。已电话联系市民告知处理情况，"
        "市民对处理情况表示非常满意。"),
    "雨湖区人民政府": ("宽带网络",
        "市民来电反映：10月7日雨湖区昭潭街道富名城社区进行老旧社区改造，施工期间将其家中宽带网线剪断，"
        "至今无法上网，希望相关部门尽快修复网线、恢复网络，请相关单位处理，谢谢！",
        "接到诉求后，富名城社区工作人员核实详细情况，立即联系社区改造项目施工方，要求立即处理，施工方于当日修复完毕，"
        "恢复市民家用网络。已电话告知市民处理结果，市民对街道社区所做的工作表示非常满意。"),
}


def _drop_events(builder, ticket_id: int) -> None:
    rows = builder.ds.tables["ticket_events"]
    rows[:] = [r for r in rows if r["ticket_id"] != ticket_id]


def write_stories(builder, visits_oct: dict[str, list[dict]]) -> None:
    _manhole(builder, visits_oct["岳塘区人民政府"])
    from hotline.generator.targets import DISPATCH_PLAN_OCT

    visits = {v["ticket_id"]: v for v in builder.ds.tables["return_visits"]}
    for unit, (sub, text, reply) in PRAISED.items():
        satisfied = [t for t in visits_oct[unit] if t["accepted_at"] >= datetime(2022, 10, 8)
                     and visits[t["id"]]["result"] == "satisfied"]
        fixed = DISPATCH_PLAN_OCT[unit].get("fixed", {})
        # the same subcategory if the plan gave the unit one; otherwise a free (non-calibrated) cell is relabelled
        chosen = next((t for t in satisfied if t["_sub"] == sub), None) or next(
            t for t in satisfied if t["_sub"] not in fixed)
        chosen["_sub"] = sub
        chosen["subcategory_id"] = builder.sub_id[sub]
        chosen["content"] = text
        for e in builder.ds.tables["ticket_events"]:
            if e["ticket_id"] == chosen["id"] and e["kind"] == "feedback":
                e["note"] = reply


def _manhole(builder, yuetang_visits: list[dict]) -> None:
    """Re-tell one September ticket of 岳塘区 as the seed's manhole-cover case."""
    visits = {v["ticket_id"]: v for v in builder.ds.tables["return_visits"]}
    ticket = next(t for t in yuetang_visits
                  if t["accepted_at"] < datetime(2022, 10, 1) and visits[t["id"]]["result"] in ("satisfied", "fairly_satisfied"))
    cal, ev, uid = builder.cal, builder.events, builder.unit_id
    _drop_events(builder, ticket["id"])
    at = datetime(2022, 9, 30, 10, 12)
    ticket.update(accepted_at=at, appeal_type="complaint", subcategory_id=builder.sub_id["井盖设施"],
                  content="市民杨先生来电反映：岳塘区谈爱桥两头均有井盖修缮不平，车辆经过颠簸严重，开车体验感极差，"
                          "存在安全隐患，希望相关部门核实此类情况并尽快处理，请相关单位处理，谢谢！",
                  caller_name="杨先生", region="岳塘区")
    ticket["ticket_no"] = builder.ticket_no("city", at)
    ev.add(ticket, "accept", at, OPERATOR, None, None, "accepted")
    t = at + timedelta(minutes=25)
    for i, unit in enumerate(MANHOLE_HOPS):
        kind = "dispatch" if i == 0 else "reassign"
        due = cal.add(t, 5)
        liaison, u = liaison_of(unit), uid[unit]
        ev.add(ticket, kind, t, DISPATCHER, u, "accepted" if i == 0 else "returned", "dispatched", due_at=due,
               note=None if i == 0 else f"第{i + 1}次派单：经核实改派{unit}")
        sign = t + timedelta(hours=3)
        ev.add(ticket, "sign", sign, liaison, u, "dispatched", "signed")
        if unit == MANHOLE_HOPS[-1]:
            done = cal.add(sign, 2) - timedelta(hours=8)
            ev.add(ticket, "contact", done - timedelta(hours=2), liaison, u, note=CONTACT_NOTE)
            ev.add(ticket, "feedback", done, liaison, u, "signed", "signed",
                   note="经现场核实，谈爱桥东侧井盖归属我区市政设施，已组织施工单位重新调平安装并加固，已电话告知市民处理结果。")
            ev.add(ticket, "complete", done + timedelta(seconds=30), liaison, u, "signed", "completed")
            v = visits[ticket["id"]]
            v["visited_at"] = max(v["visited_at"], done + timedelta(days=1))
            ev.add(ticket, "visit", v["visited_at"], VISITOR, u, "completed", "visited")
            break
        held = RETURN_AFTER.get(unit, 1)
        back = cal.add(sign, held) - timedelta(hours=9)
        # the unit asks to return it (退单申请), the hotline agrees: the lifecycle's only way back from 签收
        ev.add(ticket, "return_request", back - timedelta(hours=1), liaison, u, "signed", "return_requested",
               note=RETURN_REASON)
        ev.add(ticket, "return", back, liaison, u, "return_requested", "returned", note=RETURN_REASON)
        t = back + timedelta(hours=2)
