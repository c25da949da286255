"""Draft the sections that need human judgement from data, and let an editor replace them.

典型案例: praised, satisfied tickets of the month. 疑难问题: the ticket with the most routing hops and the
returns made after the 2-working-day window, stale knowledge-base entries behind the month's hot event,
and the weak items of the month's test calls. The drafts carry their evidence (ticket numbers) so an
editor can check them; an overrides file (YAML: section → list of paragraphs) replaces any of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from ibis import _

from hotline.domain.calendar import load_default_calendar
from hotline.domain.month import Month
from hotline.report import model as M

RETURN_WINDOW_DAYS = 2
SECTIONS = ("typical_cases", "difficult_cases", "leader_days", "difficulties", "requirements")
COUNTY_NAMES = {"xiangtan_county": "湘潭县", "xiangxiang": "湘乡市", "shaoshan": "韶山市"}


def late_returns(sources, start, end) -> list[dict]:
    """Returns made more than RETURN_WINDOW_DAYS working days after the returning unit signed (cached per window)."""
    key = (id(sources), start, end)
    if key not in _LATE_CACHE:
        _LATE_CACHE[key] = _late_returns(sources, start, end)
    return _LATE_CACHE[key]


_LATE_CACHE: dict = {}


def _late_returns(sources, start, end) -> list[dict]:
    """Each return of [start, end) judged against the returning unit's signing before it (`return_facts`), on
    the working-day calendar."""
    cal = load_default_calendar()
    units = sources.con.table("units").select(unit_id="id", unit="name")
    rows = (sources.returns(start, end).filter(_.signed_at.notnull()).left_join(units, "unit_id")
            .select("ticket_id", "unit", "signed_at", "returned_at").order_by(["ticket_id", "returned_at"]).execute())
    out = []
    for r in rows.itertuples():
        days = cal.elapsed(r.signed_at.to_pydatetime(), r.returned_at.to_pydatetime())
        if days > RETURN_WINDOW_DAYS:
            out.append({"ticket_id": r.ticket_id, "unit": r.unit, "days": days, "at": r.returned_at.to_pydatetime()})
    return out


def typical(b, month: str) -> M.Narrative:
    start, end = Month.parse(month).bounds
    visits = b.engine.sources["visits"]
    ev = b.con.table("ticket_events")
    fb = ev.filter(ev.kind == "feedback").select(fb_ticket="ticket_id", note="note")
    df = (visits.filter(visits.visited_at >= start, visits.visited_at < end, visits.result == "satisfied",
                        visits.platform == "city", visits.resolution == "dispatched")
          .join(fb, visits.ticket_id == fb.fb_ticket)
          .filter(fb.note.contains("非常满意"))
          .select("ticket_no", "unit", "unit_order", "subcategory", "note", "ticket_id")
          .order_by(["unit_order", "ticket_no"]).limit(20).execute())
    tickets = b.con.table("tickets")
    paras, evidence, seen = [], [], set()
    for r in df.itertuples():
        if r.unit in seen:
            continue
        seen.add(r.unit)
        text = tickets.filter(tickets.id == int(r.ticket_id)).select("content").execute()["content"].iloc[0]
        paras.append(f"（{len(paras) + 1}）{r.unit.replace('人民政府', '')}高效处理{r.subcategory}诉求获赞。{text}{r.note}")
        evidence.append(r.ticket_no)
        if len(paras) == 2:
            break
    return M.Narrative(title="典型案例", paragraphs=paras, evidence=evidence)


def difficult(b, report: M.Report, month: str) -> M.Narrative:
    start, end = Month.parse(month).bounds
    con, paras, evidence = b.con, [], []
    t = b.engine.sources["tickets"]
    window = t.filter(t.platform == "city", t.hops >= 3, t.accepted_at >= start - timedelta(days=31), t.accepted_at < end)
    worst = window.order_by([window.hops.desc(), window.ticket_no]).limit(1).execute()
    late = late_returns(b.engine.sources, start - timedelta(days=31), end)
    if len(worst):
        w = worst.iloc[0]
        lates = [x for x in late if x["ticket_id"] == w.ticket_id]
        detail = "、".join(f"{x['unit']}在签收 {x['days']} 个工作日后退单" for x in lates)
        paras.append(
            f"（1）{w.subcategory}问题，明确责任单位时间长。{w.accepted_at.month} 月 {w.accepted_at.day} 日受理的工单"
            f"（事件编号 {w.ticket_no}）流转 {int(w.hops)} 次才最终确定承办单位，耗时长、效率低"
            + (f"，其中{detail}，违反“自签收后 2 个工作日内申请退回”的规定，影响办件效率。" if detail else "。"))
        evidence.append(w.ticket_no)
    hot = report.hotspots.hot_event
    kb = con.table("kb_entries")
    subs = con.table("subcategories").select(sub_id="id", sub_name="name")
    units = con.table("units").select(owner_id="id", owner="name")
    if hot:
        stale = (kb.join(subs, kb.subcategory_id == subs.sub_id).join(units, kb.owner_unit_id == units.owner_id)
                 .filter(subs.sub_name == hot.label).select("title", "updated_at", "review_days", "owner").execute())
        stale = [r for r in stale.itertuples() if r.updated_at.to_pydatetime() + timedelta(days=int(r.review_days)) < end]
        if stale:
            owners = "、".join(sorted({r.owner for r in stale}))
            paras.append(f"（{len(paras) + 1}）{hot.label}问题，知识库信息更新不及时。本月受理相关诉求 {hot.count} 件，"
                         f"但 {len(stale)} 条知识库信息超过复核期未更新（{owners}提供），导致部分信息滞后，影响热线接听效率。")
    tc = con.table("test_calls")
    calls = tc.filter(tc.called_at >= start, tc.called_at < end).order_by(["platform", "called_at"]).execute()
    if len(calls):
        problems = defaultdict(Counter)
        for r in calls.itertuples():
            county = COUNTY_NAMES.get(r.platform, r.platform)
            if r.knowledge == 0:
                problems["答复内容不准确，“业务知识”得分为 0"][county] += 1
            if "推诿" in (r.remark or ""):
                problems["首问责任制落实不到位，直接告知咨询其他单位电话"][county] += 1
            if r.connection == 0:
                problems["接通情况不理想，等待时间过长"][county] += 1
            if any(k in (r.remark or "") for k in ("尊称", "十字服务用语")):
                problems["礼貌用语不规范"][county] += 1
        n = calls.groupby("platform").size()
        sample = "、".join(f"{COUNTY_NAMES.get(p, p)}" for p in n.index)
        items = "；".join(f"{k}（" + "、".join(f"{c} {v} 通" for c, v in cnt.items()) + "）" for k, cnt in problems.items())
        paras.append(f"（{len(paras) + 1}）县市随机拨测服务不规范。本月随机拨测了{sample}热线自有平台共 {len(calls)} 通电话，"
                     f"发现以下问题：{items}。")
    return M.Narrative(title="疑难问题", paragraphs=paras, evidence=evidence)


def leader_days(b, month: str) -> M.Narrative:
    start, end = Month.parse(month).bounds
    ld = b.con.table("leader_days")
    units = b.con.table("units").select(uid="id", name="name")
    df = ld.join(units, ld.unit_id == units.uid).filter(ld.day >= start.date(), ld.day < end.date()).execute()
    paras = [f"{r.day.month} 月 {r.day.day} 日，{r.name}{r.title}{r.person}应约接听 12345 热线群众来电，回应群众关切问题。"
             f"在接听期间，共接听群众来电 {r.calls_answered} 个，涉及{r.topics}等多个热点问题。" for r in df.itertuples()]
    return M.Narrative(title="领导接听日工作情况", paragraphs=paras)


def difficulties(b, report: M.Report, month: str) -> M.Narrative:
    start, end = Month.parse(month).bounds
    paras = []
    n = len(report.annex3)
    if n:
        paras.append(f"（一）省考核“抽查回访”工单不满意。今年{report.annex3_period}，我市 {n} 件工单被省 12345 监管平台"
                     f"抽查回访不满意、未联系，致使热线满意率扣分，影响省考核排名。{n} 件工单所涉及的单位及具体情况见附件 3。")
    late = [x for x in late_returns(b.engine.sources, start - timedelta(days=31), end) if x["at"] >= start]
    late_units = Counter(x["unit"] for x in late)
    overdue_units = [o.unit for o in report.handling.overdue_units]
    quality = []
    if late_units:
        quality.append("部分单位存在超过 2 个工作日退单现象（" + "、".join(f"{u} {c} 件" for u, c in late_units.most_common()) + "）")
    if overdue_units:
        quality.append(f"仍有 {report.handling.overdue_total} 件工单超期未反馈，涉及" + "、".join(overdue_units))
    if quality:
        paras.append("（二）工单办理质量有待提升。" + "；".join(quality) + "，影响热线整体按时办结率考核。")
    return M.Narrative(title="存在的困难", paragraphs=paras)


def requirements(report: M.Report) -> M.Narrative:
    paras = ["（一）思想认识需进一步提高。各级各部门要高度重视市民诉求，对权属不明、多次流转的问题，相关责任部门要切实负起责任，"
             "及时明确承办单位。",
             "（二）机制体制需进一步健全。各承办单位要健全热线工作机制，将办理工作责任严格落实到人，联络员出现更换时要及时做好工作交接。",
             f"（三）推进力度需进一步加大。针对本月 {report.handling.visit_dissatisfied} 件回访不满意工单，各承办单位要认真分析原因，"
             "找准症结，推动整改；对确实短时间内无法处置到位的，要主动与市民沟通，争取市民的理解。"]
    return M.Narrative(title="下一步工作要求", paragraphs=paras)


def draft_narratives(b, report: M.Report, overrides: dict) -> None:
    month = report.month
    report.typical_cases = typical(b, month)
    report.difficult_cases = difficult(b, report, month)
    report.leader_days = leader_days(b, month)
    report.difficulties = difficulties(b, report, month)
    report.requirements = requirements(report)
    unknown = set(overrides) - set(SECTIONS)
    if unknown:
        raise ValueError(f"覆盖文件中有未知章节 / unknown sections in overrides: {', '.join(sorted(unknown))}")
    for key, paragraphs in overrides.items():
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise ValueError(f"覆盖文件 {key} 应为段落列表 / {key} must be a list of paragraphs")
        section = getattr(report, key)
        setattr(report, key, M.Narrative(title=section.title, paragraphs=paragraphs, source="override"))
