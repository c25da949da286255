"""Draft the sections that need human judgement, from typed facts, and let an editor replace them.

典型案例: praised, satisfied tickets of the month. 疑难问题: the ticket with the most routing hops and the
returns made after the return window, stale knowledge-base entries behind the month's hot event, and the
faults of the month's test calls. 领导接听日, 存在的困难, 下一步工作要求 likewise. The drafts carry their
evidence (ticket numbers) so an editor can check them; an overrides file (YAML: section → list of
paragraphs) replaces any of them.

Every function here is pure — `NarrativeInput` (gathered by `evidence.py`) and the office's wording in,
paragraphs out — so the rules of the prose can be tested without a store.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from hotline.report import model as M
from hotline.report.evidence import CallSheet, NarrativeInput
from hotline.report.wording import SECTIONS, CallProblem, NarrativeWords

TYPICAL_CASES = 2  # praised cases told
CN_NUMERALS = "一二三四五六七八九十"  # （一）（二）… of a section's paragraphs


def typical(facts: NarrativeInput, title: str) -> M.Narrative:
    cases = facts.praised[:TYPICAL_CASES]
    paras = [f"（{n}）{c.unit}高效处理{c.subcategory}诉求获赞。{c.content}{c.praise}" for n, c in enumerate(cases, 1)]
    return M.Narrative(title=title, paragraphs=paras, evidence=[c.ticket_no for c in cases])


def _has(problem: CallProblem, call: CallSheet) -> bool:
    if problem.zero_item is not None:
        return call.scores[problem.zero_item] == 0
    return any(word in call.remark for word in problem.remark_has)


def call_sheet_faults(calls: tuple[CallSheet, ...], problems: list[CallProblem]) -> str:
    """（3）县市随机拨测: the counties called, and each fault with its calls per county (in order of appearance)."""
    found: dict[str, Counter] = defaultdict(Counter)
    for call in calls:
        for problem in problems:
            if _has(problem, call):
                found[problem.text][call.county] += 1
    sample = "、".join(dict.fromkeys(c.county for c in calls))
    items = "；".join(f"{k}（" + "、".join(f"{c} {v} 通" for c, v in cnt.items()) + "）" for k, cnt in found.items())
    return f"县市随机拨测服务不规范。本月随机拨测了{sample}热线自有平台共 {len(calls)} 通电话，发现以下问题：{items}。"


def difficult(facts: NarrativeInput, title: str, problems: list[CallProblem]) -> M.Narrative:
    paras, evidence = [], []
    w = facts.most_routed
    if w is not None:
        detail = "、".join(f"{x.unit}在签收 {x.days} 个工作日后退单" for x in w.late_returns)
        rule = f"自签收后 {facts.return_window_days} 个工作日内申请退回"
        paras.append(
            f"（1）{w.subcategory}问题，明确责任单位时间长。{w.accepted_at.month} 月 {w.accepted_at.day} 日受理的工单"
            f"（事件编号 {w.ticket_no}）流转 {w.hops} 次才最终确定承办单位，耗时长、效率低"
            + (f"，其中{detail}，违反“{rule}”的规定，影响办件效率。" if detail else "。"))
        evidence.append(w.ticket_no)
    hot = facts.hot_event
    if hot and facts.stale_entries:
        owners = "、".join(sorted({e.owner for e in facts.stale_entries}))
        paras.append(f"（{len(paras) + 1}）{hot.label}问题，知识库信息更新不及时。本月受理相关诉求 {hot.count} 件，"
                     f"但 {len(facts.stale_entries)} 条知识库信息超过复核期未更新（{owners}提供），导致部分信息滞后，"
                     "影响热线接听效率。")
    if facts.call_sheets:
        paras.append(f"（{len(paras) + 1}）" + call_sheet_faults(facts.call_sheets, problems))
    return M.Narrative(title=title, paragraphs=paras, evidence=evidence)


def leader_days(facts: NarrativeInput, title: str) -> M.Narrative:
    paras = [f"{d.day.month} 月 {d.day.day} 日，{d.unit}{d.title}{d.person}应约接听 12345 热线群众来电，回应群众关切问题。"
             f"在接听期间，共接听群众来电 {d.calls_answered} 个，涉及{d.topics}等多个热点问题。" for d in facts.leader_days]
    return M.Narrative(title=title, paragraphs=paras)


def difficulties(facts: NarrativeInput, title: str) -> M.Narrative:
    """（一）the province's spot checks, （二）the quality of handling — numbered as they are present."""
    paras = []
    n = facts.spot_checks
    if n:
        see = f"{n} 件工单所涉及的单位及具体情况见附件 {facts.spot_check_annex}。" if facts.spot_check_annex else ""
        paras.append(f"省考核“抽查回访”工单不满意。今年{facts.spot_check_period}，我市 {n} 件工单被省 12345 监管平台"
                     f"抽查回访不满意、未联系，致使热线满意率扣分，影响省考核排名。{see}")
    late_units = Counter(x.unit for x in facts.late_returns)
    quality = []
    if late_units:
        quality.append(f"部分单位存在超过 {facts.return_window_days} 个工作日退单现象（"
                       + "、".join(f"{u} {c} 件" for u, c in late_units.most_common()) + "）")
    if facts.overdue_total:
        units = "，涉及" + "、".join(facts.overdue_units) if facts.overdue_units else ""
        quality.append(f"仍有 {facts.overdue_total} 件工单超期未反馈{units}")
    if quality:
        paras.append("工单办理质量有待提升。" + "；".join(quality) + "，影响热线整体按时办结率考核。")
    return M.Narrative(title=title, paragraphs=[f"（{CN_NUMERALS[i]}）{p}" for i, p in enumerate(paras)])


def requirements(facts: NarrativeInput, title: str, paragraphs: list[str]) -> M.Narrative:
    """The office's paragraphs, filled; one quoting the month's dissatisfied visits is left out in a month
    without visits (it would print a 0 the data does not show)."""
    quoted = "{visit_dissatisfied}"
    kept = [p for p in paragraphs if facts.visit_dissatisfied is not None or quoted not in p]
    return M.Narrative(title=title, paragraphs=[p.format(visit_dissatisfied=facts.visit_dissatisfied) for p in kept])


def draft_narratives(facts: NarrativeInput, words: NarrativeWords) -> dict[str, M.Narrative]:
    """The five drafted sections, by the report field each fills."""
    t = words.titles
    return {"typical_cases": typical(facts, t["typical_cases"]),
            "difficult_cases": difficult(facts, t["difficult_cases"], words.test_call_problems),
            "leader_days": leader_days(facts, t["leader_days"]),
            "difficulties": difficulties(facts, t["difficulties"]),
            "requirements": requirements(facts, t["requirements"], words.requirements)}


def apply_overrides(drafts: dict[str, M.Narrative], overrides: dict) -> dict[str, M.Narrative]:
    """The drafts with the sections an editor wrote replaced (same titles, marked `override`)."""
    unknown = set(overrides) - set(SECTIONS)
    if unknown:
        raise ValueError(f"覆盖文件中有未知章节 / unknown sections in overrides: {', '.join(sorted(unknown))}")
    out = dict(drafts)
    for key, paragraphs in overrides.items():
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise ValueError(f"覆盖文件 {key} 应为段落列表 / {key} must be a list of paragraphs")
        out[key] = M.Narrative(title=drafts[key].title, paragraphs=paragraphs, source="override")
    return out
