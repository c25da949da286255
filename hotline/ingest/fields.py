"""The canonical fields an import can fill, per kind of record, with their Chinese names and code labels.

Why here and not in the mapping files: a mapping only says *which column of a file* holds a field; what the
field is (its type, whether it is required, which codes it accepts, how users call it) is the schema's
business and must be the same for every mapping. The export writes the same Chinese column names and code
labels, so the project's own format is this catalogue read backwards, and a round trip is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.codes import LABELS as CODE_LABELS


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # the Chinese column name the export writes and error messages use
    type: str  # ticket_no datetime code bool int text longtext unit subcategory category region platform phone person
    codes: str | None = None  # for type "code": which LABELS table


# The code lists an import reads and the export writes, with their Chinese words: the domain's vocabulary
# (hotline/data/codes.yaml; the states are the lifecycle's, all of them). The export writes the word; an import
# reads the word or the code, and a mapping's `values` add a platform's own wording (hotline/data/mappings).
LABELS = {name: CODE_LABELS[name] for name in ("appeal_type", "channel", "resolution", "state", "visit_method",
                                               "visit_result", "event_kind", "unit_group")}
OPEN_CODES = {"state"}  # tickets.state is not constrained: other snake_case codes pass through unchanged


def _f(name, label, type_, codes=None):
    return Field(name, label, type_, codes)


TABLES: dict[str, dict[str, Field]] = {
    # One row of a platform's ticket list: the ticket plus, where the export has them, its milestones and visit.
    "tickets": {f.name: f for f in [
        _f("ticket_no", "事件编号", "ticket_no"),
        _f("platform", "受理平台", "platform"),
        _f("accepted_at", "受理时间", "datetime"),
        _f("channel", "受理渠道", "code", "channel"),
        _f("appeal_type", "诉求类型", "code", "appeal_type"),
        _f("category", "诉求大类", "category"),
        _f("subcategory", "诉求小类", "subcategory"),
        _f("title", "诉求标题", "text"),
        _f("content", "诉求内容", "longtext"),
        _f("caller_name", "来电人", "person"),
        _f("caller_phone", "来电号码", "phone"),
        _f("region", "诉求发生地", "region"),
        _f("civility", "涉及文明创建", "bool"),
        _f("resolution", "办理方式", "code", "resolution"),
        _f("unit", "承办单位", "unit"),
        _f("state", "工单状态", "code", "state"),
        _f("dispatched_at", "派发时间", "datetime"),
        _f("due_at", "办理时限", "datetime"),
        _f("signed_at", "签收时间", "datetime"),
        _f("contacted", "是否联系诉求人", "bool"),
        _f("contacted_at", "联系时间", "datetime"),
        _f("feedback_at", "反馈时间", "datetime"),
        _f("feedback", "反馈内容", "longtext"),
        _f("completed_at", "办结时间", "datetime"),
        _f("visited_at", "回访时间", "datetime"),
        _f("visit_method", "回访方式", "code", "visit_method"),
        _f("visit_result", "回访结果", "code", "visit_result"),
        _f("visit_note", "回访备注", "longtext"),
    ]},
    "events": {f.name: f for f in [
        _f("ticket_no", "事件编号", "ticket_no"),
        _f("kind", "事件类型", "code", "event_kind"),
        _f("at", "发生时间", "datetime"),
        _f("actor", "操作人", "text"),
        _f("unit", "涉及单位", "unit"),
        _f("from_state", "原状态", "code", "state"),
        _f("to_state", "新状态", "code", "state"),
        _f("due_at", "办理时限", "datetime"),
        _f("note", "说明", "longtext"),
    ]},
    "visits": {f.name: f for f in [
        _f("ticket_no", "事件编号", "ticket_no"),
        _f("visited_at", "回访时间", "datetime"),
        _f("method", "回访方式", "code", "visit_method"),
        _f("result", "回访结果", "code", "visit_result"),
        _f("note", "备注", "longtext"),
    ]},
    "calls": {f.name: f for f in [
        _f("platform", "接听平台", "platform"),
        _f("called_at", "来电时间", "datetime"),
        _f("answered", "是否接通", "bool"),
        _f("wait_seconds", "等待时长（秒）", "int"),
        _f("talk_seconds", "通话时长（秒）", "int"),
    ]},
    "units": {f.name: f for f in [
        _f("name", "单位名称", "text"),
        _f("unit_group", "单位类别", "code", "unit_group"),
        _f("region", "县市区", "text"),
        _f("platform", "自有平台", "platform"),
        _f("sort_order", "排序", "int"),
    ]},
}

REQUIRED = {
    "tickets": ("ticket_no", "accepted_at"),
    "events": ("ticket_no", "kind", "at"),
    "visits": ("ticket_no", "visited_at", "result"),
    "calls": ("called_at", "answered"),
    "units": ("name", "unit_group"),
}
TABLE_LABELS = {"tickets": "工单", "events": "流转记录", "visits": "回访", "calls": "来电", "units": "承办单位"}
# Order in which kinds load inside one file: children need their parents.
LOAD_ORDER = ("units", "tickets", "events", "visits", "calls")
