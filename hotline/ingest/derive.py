"""From parsed values to rows of the canonical tables: defaults, cross-field checks, derived events.

Why: an export row is a *summary* of a ticket's life (受理时间, 承办单位, 办结时间, 回访结果 in one line), while
the store keeps the life itself as `ticket_events`, from which every duration and on-time figure is derived.
So a flat row is expanded into the events it implies — accept, dispatch (with the deadline), sign, contact,
feedback, complete, visit — by the one expansion the demo generator uses too
(`hotline.domain.history`, here through `RowEvents`), and the return visit into
`return_visits`. Only the milestones the file actually carries are derived; the kinds it
does not carry are left alone in the store (see `TicketShape.scope`).

Rules decided here (documented in docs/import.md):
- 派发时间 defaults to 受理时间; 反馈时间 to 办结时间; 联系时间 to 反馈/办结/派发时间 (`RowEvents`).
- The deadline (办理时限) is taken from the file, computed on the working-day calendar from the dispatch
  (`deadline: computed`, 咨询/求助 3 and 投诉/建议 5 working days unless the mapping says otherwise), or left
  empty (`deadline: none`).
- Times that contradict each other (办结时间 before 受理时间) reject the row: guessing which one is wrong
  would silently move tickets between months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from hotline.domain.calendar import CalendarNotConfigured, load_default_calendar
from hotline.domain.history import EVENT_FIELDS, EventExpansion, liaison_of
from hotline.domain.sla import default_rules
from hotline.ingest.convert import Row
from hotline.ingest.fields import REQUIRED, TABLES
from hotline.ingest.header import Layout
from hotline.ingest.mapping import Mapping, Rules
from hotline.ingest.resolve import OTHER_SUBCATEGORY, Refs
from hotline.ingest.values import key

TICKET_COLUMNS = ("ticket_no", "platform", "accepted_at", "channel", "appeal_type", "subcategory_id", "region",
                  "civility", "content", "caller_name", "caller_phone", "resolution", "unit_id", "state")
EVENT_COLUMNS = EVENT_FIELDS  # (the store's column order)
VISIT_COLUMNS = ("visited_at", "method", "result", "note")
CALL_COLUMNS = ("platform", "called_at", "answered", "wait_seconds", "talk_seconds")
UNIT_COLUMNS = ("name", "unit_group", "region", "platform", "sort_order")
NO_CONTENT = "（导入数据未含诉求内容）"
VISIT_TIME_NOTE = "文件没有回访时间列：回访按办结时间（或受理时间）计入月份"
_DIGITS14 = re.compile(r"\d{14}")
T = TABLES["tickets"]

# which ticket column each file field feeds: a column the file does not feed keeps its stored value on update
_FEEDS = {"platform": ("platform",), "channel": ("channel",), "appeal_type": ("appeal_type",),
          "subcategory_id": ("subcategory", "category"), "region": ("region",), "civility": ("civility",),
          "content": ("content", "title"), "caller_name": ("caller_name",), "caller_phone": ("caller_phone",),
          "resolution": ("resolution", "unit", "dispatched_at"), "unit_id": ("unit",),
          "state": ("state", "resolution", "unit", "dispatched_at", "signed_at", "completed_at", "visited_at",
                    "visit_result")}
_SCOPES = {"accept": ("accepted_at",), "resolve_online": ("resolution", "unit", "dispatched_at", "completed_at"),
           "dispatch": ("resolution", "unit", "dispatched_at", "due_at"), "sign": ("signed_at",),
           "contact": ("contacted", "contacted_at"), "feedback": ("feedback_at", "feedback", "completed_at"),
           "complete": ("completed_at",), "visit": ("visited_at", "visit_result")}


@dataclass
class TicketShape:
    """What a sheet's layout can say about a ticket: per-sheet, computed once."""

    provided: tuple[bool, ...]  # per TICKET_COLUMNS: does the file feed it?
    scope: frozenset[str]  # event kinds the file is the truth for
    visits: bool  # is it the truth for return visits?
    has: frozenset[str]  # fields it provides


def ticket_shape(layout: Layout, mapping: Mapping) -> TicketShape:
    spec = mapping.tables["tickets"]
    has = {f for f in T if layout.provides(f, mapping)}
    if "subcategory" in mapping.classify:
        has.add("subcategory")
    if "appeal_type" in mapping.classify:
        has.add("appeal_type")
    provided = tuple(c == "ticket_no" or c == "accepted_at" or any(f in has for f in _FEEDS.get(c, ()))
                     for c in TICKET_COLUMNS)
    scope = frozenset(k for k, fields in _SCOPES.items() if any(f in has for f in fields)) if spec.derive_events else frozenset()
    return TicketShape(provided, scope, spec.derive_events and bool({"visited_at", "visit_result"} & has), frozenset(has))


class TicketItem(NamedTuple):
    ticket_no: str
    values: tuple  # TICKET_COLUMNS
    events: list  # EVENT_COLUMNS tuples
    visits: list  # VISIT_COLUMNS tuples


def ticket_number(row: Row, raw: str | None, mapping: Mapping, kind: str, accepted_at=None) -> str | None:
    spec = mapping.tables[kind]
    if raw is None:
        if not any(e[0] == T["ticket_no"].label for e in row.errors):
            row.error(T["ticket_no"], None, "事件编号为空")
        return None
    text = raw
    if spec.ticket_no_extract is not None:
        m = spec.ticket_no_extract.search(text)
        if not m:
            row.error(T["ticket_no"], raw, f"事件编号不符合映射中的格式 {spec.ticket_no_extract.pattern}")
            return None
        text = m.group(1) if m.groups() else m.group(0)
    if spec.ticket_no_format:
        if "{accepted_at" in spec.ticket_no_format and accepted_at is None:
            return None  # the missing 受理时间 is reported on its own
        text = spec.ticket_no_format.format(value=text, accepted_at=accepted_at)
    if not _DIGITS14.fullmatch(text):
        row.error(T["ticket_no"], raw, f"事件编号应为 14 位数字（“{text}”是 {len(text)} 位）")
        return None
    return text


def _classify(rules: Rules, rec: dict) -> str | None:
    text = "\n".join(str(rec.get(f) or "") for f in rules.source)
    for target, words in rules.rules:
        if any(w in text for w in words):
            return target
    return rules.default


class TicketFinisher:
    """Defaults, checks and derivation for ticket rows of one sheet."""

    def __init__(self, layout: Layout, mapping: Mapping, refs: Refs, dbtime=None):
        self.mapping, self.refs, self.layout = mapping, refs, layout
        self.T = dbtime or (lambda d: d)  # timestamps as the database stores them (text on SQLite)
        self.shape = ticket_shape(layout, mapping)
        self.events = RowEvents(self.shape.scope)
        self.deadline = mapping.tables["tickets"].deadline
        self.calendar = load_default_calendar() if self.deadline == "computed" else None
        self.rules = default_rules()
        d = mapping.defaults
        self.default_platform = refs.platform(d["platform"]) if d.get("platform") else "city"
        self.default_channel = mapping.code("channel", str(d.get("channel", "phone"))) or "phone"
        self.default_appeal = mapping.code("appeal_type", str(d["appeal_type"])) if d.get("appeal_type") else None
        self.default_resolution = mapping.code("resolution", str(d["resolution"])) if d.get("resolution") else None
        self.default_method = mapping.code("visit_method", str(d.get("visit_method", "phone"))) or "phone"
        self.unit_column = "unit" in layout.columns
        self.visit_time_column = "visited_at" in self.shape.has
        self.notes: set[str] = set()  # sheet-level notes for the summary
        self._dues: dict = {}
        self._cat_ok: dict = {}

    def finish(self, row: Row) -> None:
        rec, m = row.rec, self.mapping
        acc = rec.get("accepted_at")
        if acc is None and not any(e[0] == T["accepted_at"].label for e in row.errors):
            row.error(T["accepted_at"], None, "受理时间为空")
        no = ticket_number(row, rec.get("ticket_no"), m, "tickets", acc)
        for f in ("dispatched_at", "signed_at", "feedback_at", "completed_at", "visited_at", "contacted_at"):
            if acc is not None and rec.get(f) is not None and rec[f] < acc:
                row.error(T[f], rec[f].isoformat(" "), f"{T[f].label}早于受理时间（{acc:%Y-%m-%d %H:%M:%S}）")
        sub_id = self._subcategory(row)
        appeal = rec.get("appeal_type")
        if appeal is None and "appeal_type" in m.classify:
            appeal = m.code("appeal_type", _classify(m.classify["appeal_type"], rec) or "")
        appeal = appeal or self.default_appeal
        if appeal is None:
            row.error(T["appeal_type"], None, "诉求类型为空")
        unit_id = rec.get("unit")
        resolution = rec.get("resolution") or self.default_resolution or (
            "dispatched" if unit_id is not None or rec.get("dispatched_at") else "online")
        if resolution == "dispatched" and unit_id is None and self.unit_column and not any(
                e[0] == T["unit"].label for e in row.errors):
            row.error(T["unit"], None, "派发工单缺少承办单位")
        if row.errors:
            return
        content = rec.get("content") or rec.get("title")
        if not content:
            content = NO_CONTENT
            if "content" in self.layout.columns:
                row.repair(T["content"], None, "诉求内容为空，已填“" + NO_CONTENT + "”")
        region = rec.get("region")
        if region is None:
            region = self._region(rec, unit_id)
        events, visits, state = self._derive(row, resolution, unit_id, appeal)
        values = (no, rec.get("platform", self.default_platform), self.T(acc), rec.get("channel", self.default_channel), appeal,
                  sub_id, region, bool(rec.get("civility", False)), content, rec.get("caller_name"),
                  rec.get("caller_phone"), resolution, unit_id, rec.get("state") or state)
        row.item = TicketItem(no, values, events, visits)

    def _subcategory(self, row: Row) -> int | None:
        rec, m = row.rec, self.mapping
        sub_id = rec.get("subcategory")
        if sub_id is None and any(e[0] == T["subcategory"].label for e in row.errors):
            return None
        if sub_id is None:
            name = _classify(m.classify["subcategory"], rec) if "subcategory" in m.classify else None
            if name is None and m.subcategory_unknown == "other":
                name = OTHER_SUBCATEGORY
            if name is None:
                row.error(T["subcategory"], None, "诉求小类为空")
                return None
            hit = self.refs.sub_by_key.get(key(name))
            if hit is None:
                row.error(T["subcategory"], name, f"分类规则给出的小类“{name}”不在分类体系中")
                return None
            return hit[0]
        cat = rec.get("category")
        if cat:
            ok = self._cat_ok.get((sub_id, cat))
            if ok is None:
                ok = self._cat_ok[(sub_id, cat)] = self.refs.category_matches(sub_id, cat)
            if not ok:
                row.repair(T["category"], cat, f"诉求大类与小类不一致，以小类为准（{self.refs.cat_of_sub[sub_id]}）")
        return sub_id

    def _region(self, rec: dict, unit_id: int | None) -> str:
        m = self.mapping
        if m.region_extract is not None:
            hit = m.region_extract.search(f"{rec.get('title') or ''}\n{rec.get('content') or ''}")
            if hit:
                region = hit.group(1) if hit.groups() else hit.group(0)
                return m.region_aliases.get(key(region), region)[:16]
        if m.region_from_unit and unit_id is not None and self.refs.unit_region.get(unit_id):
            return self.refs.unit_region[unit_id]
        return m.region_default

    def deadline_days(self, appeal: str) -> int:
        """Working days to handle a ticket of this appeal type: the mapping's, else the SLA rules' (sla.yaml)."""
        return self.mapping.deadline_days.get(appeal) or self.rules.deadline_days(appeal)

    def _due(self, row: Row, dispatched_at, appeal: str):
        if self.deadline == "column":
            return row.rec.get("due_at")
        if self.deadline == "none":
            return None
        days = self.deadline_days(appeal)
        k = (dispatched_at.toordinal(), days)  # the deadline depends on the day only: remembered per day
        due = self._dues.get(k, False)
        if due is False:
            try:
                due = self.calendar.add(dispatched_at, days)
            except CalendarNotConfigured:
                self.notes.add(f"日历未配置 {dispatched_at.year} 年，该年工单未计算办理时限")
                due = None
            self._dues[k] = due
        return due

    def _derive(self, row: Row, resolution: str, unit_id: int | None, appeal: str):
        rec = row.rec
        D = self.T  # timestamps as stored (T is the field table: its labels name repairs)
        acc, completed, dispatched_at = rec["accepted_at"], rec.get("completed_at"), rec.get("dispatched_at")
        visits, visited_at = self._visit(row, acc, completed)
        dispatched = resolution == "dispatched"
        due = None
        if dispatched and "dispatch" in self.shape.scope and (unit_id is not None or dispatched_at is not None):
            due = self._due(row, dispatched_at or acc, appeal)
        if not dispatched:
            ev, state = self.events.online(D(acc), stored(D, completed))
        else:
            ev, state = self.events.dispatched(
                D(acc), unit_id, self.liaison(unit_id), stored(D, dispatched_at), stored(D, due),
                stored(D, rec.get("signed_at")), rec.get("contacted"), stored(D, rec.get("contacted_at")),
                stored(D, rec.get("feedback_at")), rec.get("feedback"), stored(D, completed), visited_at)
        return ev, visits, state

    def liaison(self, unit_id: int | None) -> str:
        return liaison_of(self.refs.unit_name[unit_id] if unit_id is not None else None)

    def _visit(self, row: Row, acc, completed) -> tuple[list, object]:
        """The row's return visit (`return_visits`), and its time as stored (None: no visit)."""
        rec = row.rec
        result, visited_at = rec.get("visit_result"), rec.get("visited_at")
        if not (self.shape.visits and (result or visited_at)):
            return [], None
        if visited_at is None:
            visited_at = completed or acc
            if self.visit_time_column:
                row.repair(T["visited_at"], None, "回访时间为空，按办结时间（或受理时间）计")
            else:
                self.notes.add(VISIT_TIME_NOTE)
        if result is None:
            result = "unrated"
            row.repair(T["visit_result"], None, "回访结果为空，按未评价计")
        at = self.T(visited_at)
        return [(at, rec.get("visit_method", self.default_method), result, rec.get("visit_note"))], at


def stored(dbtime, value):
    """A timestamp as the store keeps it; None stays None."""
    return None if value is None else dbtime(value)


class RowEvents:
    """The events an export row implies: the importer's own rules for its empty milestone columns, then the one
    expansion every writer of events shares (`hotline.domain.history`), its choices made once per sheet.

    The importer's rules (docs/import.md): 派发时间 defaults to 受理时间 (in the expansion); 反馈时间 to
    办结时间; 联系时间 — when 是否联系诉求人 says so or a 联系时间 is given — to 反馈/办结/派发时间. Times come in the
    form the store keeps (the same form for all of them: `or` picks the first one given). Both conversion paths
    call it with positional arguments (the fast one a million times a file)."""

    __slots__ = ("online", "_expand")

    def __init__(self, kinds: frozenset[str], null=None):
        expansion = EventExpansion(kinds, null)
        self.online = expansion.online  # (accepted_at, completed_at)
        self._expand = expansion.dispatched

    def dispatched(self, accepted_at, unit_id: int | None, liaison: str, dispatched_at, due_at, signed_at, contacted,
                   contacted_at, feedback_at, feedback: str | None, completed_at, visited_at) -> tuple[list[tuple], str]:
        feedback_at = feedback_at or completed_at
        contacted_at = (contacted_at or feedback_at or dispatched_at or accepted_at) if contacted or contacted_at else None
        return self._expand(accepted_at, unit_id, liaison, dispatched_at, due_at, signed_at, contacted_at, feedback_at,
                            feedback, completed_at, visited_at)


def finish_child(row: Row, kind: str, mapping: Mapping, dbtime=None) -> None:
    """Events, visits, calls and units rows: required fields, defaults, the tuple to load."""
    rec = row.rec
    T = dbtime or (lambda d: d)
    fields = TABLES[kind]
    for f in ("ticket_no", "kind", "at", "visited_at", "result", "called_at", "answered", "name", "unit_group"):
        if f in fields and rec.get(f) is None and f in REQUIRED[kind] and not any(
                e[0] == fields[f].label for e in row.errors):
            row.error(fields[f], None, f"{fields[f].label}为空")
    no = None
    if "ticket_no" in fields:
        no = ticket_number(row, rec.get("ticket_no"), mapping, kind) if rec.get("ticket_no") else None
    if row.errors:
        return
    if kind == "events":
        due = rec.get("due_at")
        row.item = (no, (rec["kind"], T(rec["at"]), rec.get("actor") or "导入", rec.get("unit"), rec.get("from_state"),
                         rec.get("to_state"), due if due is None else T(due), rec.get("note")))
    elif kind == "visits":
        method = rec.get("method") or mapping.code("visit_method", str(mapping.defaults.get("visit_method", "phone")))
        row.item = (no, (T(rec["visited_at"]), method or "phone", rec["result"], rec.get("note")))
    elif kind == "calls":
        row.item = (rec.get("platform", "city"), T(rec["called_at"]), bool(rec["answered"]), rec.get("wait_seconds", 0),
                    rec.get("talk_seconds", 0))
    elif kind == "units":
        row.item = (rec["name"], rec["unit_group"], rec.get("region"), rec.get("platform"), rec.get("sort_order"))
