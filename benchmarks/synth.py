"""A fast, seeded, vectorised generator of the canonical tables as Parquet, for benchmarks at scale.

Not the seed-calibrated demo generator (`hotline generate`, a few hundred thousand rows, one month):
this one writes N tickets spread over the twelve months of 2022 with realistic proportions and
plausible lifecycles, in chunks (numpy for the numbers, pyarrow for the columns, one ParquetWriter per
table), so that 10M tickets (~27M events) fit in a few hundred MB of memory. Content text is short and
fixed: the benchmark measures the metrics, not the text.

Proportions (taken from the seed month, rounded):
- platforms: city 93%, 湘潭县 3.5%, 湘乡市 2.5%, 韶山市 1%;
- appeal types consult 61 / help 25 / complaint 13 / suggestion 0.5 / invalid 0.13 / other 0.14 (%), and
  the share dispatched by type (consult 0.15%, help 20%, complaint 64%, suggestion 43%) → ≈86% online;
- online tickets: accept + resolve_online events, and an SMS evaluation for all but invalid appeals;
- dispatched tickets: accept, dispatch (with due_at, 3/5 working days ≈ 5/7 calendar days), sign, for some a
  return + reassign (1 or 2 rounds, so routing hops reach 3), 2% an approved extension, contact (92%),
  feedback, complete, a reminder for half of the late ones, and a visit + return visit (97% of completed);
  1.5% stay open (no feedback: the overdue backlog), 4% of the completed finish after the deadline;
- calls ≈ 1.2 × tickets, 85% answered;
- reference tables from the shipped taxonomy and units registry; the record tables (test calls, knowledge
  base, leader days, spot checks, county assessments) from the seed records.

Usage: python benchmarks/synth.py --n 1000000 --out benchmarks/data/n1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Boolean, Date, DateTime, Float, Integer

from hotline.domain.registry import taxonomy, unit_registry
from hotline.metrics.parquet import persist_facts
from hotline.store.parquet import ROW_GROUP_ROWS
from hotline.store.schema import EVENT_KINDS, metadata

GENERATOR_VERSION = 2  # 2: row groups of ROW_GROUP_ROWS, persisted ticket facts
CHUNK = 1_000_000
YEAR_START = np.datetime64("2022-01-01T00:00:00", "us")
YEAR_END = np.datetime64("2023-01-01T00:00:00", "us")
US_S, US_M, US_H, US_D = 1_000_000, 60_000_000, 3_600_000_000, 86_400_000_000

PLATFORMS = ["city", "xiangtan_county", "xiangxiang", "shaoshan"]
PLATFORM_P = [0.93, 0.035, 0.025, 0.01]
APPEALS = ["consult", "help", "complaint", "suggestion", "invalid", "other"]
APPEAL_P = np.array([61.2, 24.8, 13.2, 0.5, 0.13, 0.14])
DISPATCH_P = np.array([0.0015, 0.20, 0.64, 0.43, 0.0, 0.0])
DEADLINE_DAYS = np.array([5, 5, 7, 7, 5, 5])  # 3 / 5 working days, in calendar days
CHANNELS = ["phone", "web", "wechat", "app"]
CHANNEL_P = [0.86, 0.05, 0.06, 0.03]
HOUR_W = np.array([1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 11, 13, 13, 12, 10, 9, 8, 6, 4, 2, 1], float)
RESULTS = ["satisfied", "fairly_satisfied", "unrated", "dissatisfied"]
DISPATCH_RESULT_P = [0.25, 0.18, 0.46, 0.11]
ONLINE_RESULT_P = [0.18, 0.04, 0.7772, 0.0028]
REGIONS = ["雨湖区", "岳塘区", "高新区", "湘潭经开区", "岳塘经开区", "湘潭县", "湘乡市", "韶山市", "市本级"]
REGION_P = np.array([20, 22, 8, 9, 1, 14, 10, 2, 14], float)
CONTENT = {
    "consult": "市民来电咨询相关政策及办理流程，希望得到答复。",
    "help": "市民来电求助，反映生活中遇到的困难，希望相关部门帮助解决。",
    "complaint": "市民来电投诉，反映相关问题长期未解决，希望相关部门核实处理。",
    "suggestion": "市民来电建议相关部门改进服务。",
    "invalid": "无效来电。",
    "other": "市民来电表扬感谢。",
}
NAMES = [f"{s}{t}" for s in "王李张刘陈杨黄赵周吴" for t in ("先生", "女士")]
FEEDBACK_NOTES = ["经核实，已按政策办理并电话答复市民，市民表示认可。", "已办理，市民表示非常满意。",
                  "经核实，已向市民解释相关政策。"]
KIND = {k: i for i, k in enumerate(EVENT_KINDS)}
# (from_state, to_state) written with each event kind
STATES = {"accept": (None, "accepted"), "resolve_online": ("accepted", "resolved_online"),
          "dispatch": ("accepted", "dispatched"), "sign": ("dispatched", "signed"), "return": ("signed", "returned"),
          "reassign": ("returned", "dispatched"), "extension_request": ("signed", "signed"),
          "extension_approved": ("signed", "signed"), "contact": (None, None), "reminder": (None, None),
          "feedback": ("signed", "signed"), "complete": ("signed", "completed"), "visit": ("completed", "visited")}
ACTORS = {"accept": "话务员", "resolve_online": "话务员", "dispatch": "派单员", "reassign": "派单员",
          "extension_approved": "热线办", "reminder": "热线办", "visit": "回访员"}
NOTES = {"contact": "已电话联系诉求人", "reminder": "工单已超期，请尽快办理反馈", "return": "不属于本单位职责，申请退回",
         "extension_request": "情况复杂，申请延期", "extension_approved": "同意延期"}


def arrow_schema(table_name: str) -> pa.Schema:
    """The Parquet schema of a canonical table, from the SQLAlchemy definition (one source of truth)."""
    fields = []
    for col in metadata.tables[table_name].columns:
        t = col.type
        if isinstance(t, Boolean):
            at = pa.bool_()
        elif isinstance(t, DateTime):
            at = pa.timestamp("us")
        elif isinstance(t, Date):
            at = pa.date32()
        elif isinstance(t, Float):
            at = pa.float64()
        elif isinstance(t, Integer):
            at = pa.int64()
        else:
            at = pa.string()
        fields.append(pa.field(col.name, at, nullable=bool(col.nullable) and not col.primary_key))
    return pa.schema(fields)


def strings(values: list, index: np.ndarray) -> pa.Array:
    """Plain (not dictionary) string column: values[index], with None kept as null."""
    return pa.array(values, pa.string()).take(pa.array(index))


def ts(a: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(a.astype("datetime64[us]"), pa.timestamp("us"), mask=mask)


def write_table(folder: Path, name: str, rows: dict) -> None:
    """A small table in one go; columns missing from `rows` are written as nulls (all of them when empty)."""
    schema = arrow_schema(name)
    n = len(next(iter(rows.values()))) if rows else 0
    cols = [pa.array(rows.get(f.name, [None] * n), f.type) for f in schema]
    pq.write_table(pa.Table.from_arrays(cols, schema=schema), folder / f"{name}.parquet")


class Reference:
    """The shipped taxonomy and units registry, numbered as the seed generator numbers them."""

    def __init__(self, rng: np.random.Generator):
        self.cats, self.subs = taxonomy()
        reg = unit_registry()
        self.platforms, self.region_order, self.units = reg.platforms, list(reg.regions), reg.units
        self.unit_names = list(self.units)
        self.sub_names = list(self.subs)
        self.unit_id = {n: i + 1 for i, n in enumerate(self.unit_names)}
        self.sub_id = {n: s.sort_order + 1 for n, s in self.subs.items()}
        # appeal volume by subcategory: a skewed (Zipf-like) profile in a seeded order
        rank = rng.permutation(len(self.sub_names))
        w = 1.0 / (rank + 3.0)
        self.sub_p = w / w.sum()
        self.sub_civility = np.array([self.subs[n].civility_theme is not None for n in self.sub_names])
        # dispatch volume by unit: the region governments take ~60%, the rest skewed
        groups = np.array([self.units[n].group for n in self.unit_names])
        rank = rng.permutation(len(self.unit_names))
        w = 1.0 / (rank + 2.0)
        w = np.where(groups == "region", w / w[groups == "region"].sum() * 0.6, w / w[groups != "region"].sum() * 0.4)
        self.unit_p = w / w.sum()
        self.unit_region = [self.units[n].region for n in self.unit_names]
        self.county_unit = {u.platform: self.unit_id[n] - 1 for n, u in self.units.items() if u.platform}

    def tables(self, folder: Path) -> None:
        write_table(folder, "platforms", {k: [getattr(p, k) for p in self.platforms] for k in ("code", "name", "level")})
        us = [self.units[n] for n in self.unit_names]
        write_table(folder, "units", dict(id=list(range(1, len(us) + 1)), name=self.unit_names,
                                          unit_group=[u.group for u in us], region=[u.region for u in us],
                                          platform=[u.platform for u in us], sort_order=[u.sort_order for u in us]))
        aliases = [(a, self.unit_id[u.name]) for u in us for a in u.aliases]
        write_table(folder, "unit_aliases", dict(alias=[a for a, _ in aliases], unit_id=[i for _, i in aliases]))
        write_table(folder, "categories", dict(id=list(range(1, len(self.cats) + 1)), name=self.cats,
                                               sort_order=list(range(len(self.cats)))))
        cat_id = {c: i + 1 for i, c in enumerate(self.cats)}
        ss = [self.subs[n] for n in self.sub_names]
        write_table(folder, "subcategories", dict(
            id=[self.sub_id[s.name] for s in ss], category_id=[cat_id[s.category] for s in ss], name=self.sub_names,
            short_name=[s.short_name for s in ss], topic=[s.topic for s in ss],
            civility_theme=[s.civility_theme for s in ss], sort_order=[s.sort_order for s in ss]))
        self.records(folder)

    def records(self, folder: Path) -> None:
        """Test calls, knowledge base, leader days, spot checks, county assessments, entered scores: the seed's records."""
        from hotline.generator.office_records import write_records

        class _DS:
            def __init__(self):
                self.tables: dict[str, list[dict]] = {}

            def add(self, table, row):
                self.tables.setdefault(table, []).append(row)

        class _Builder:
            ds = _DS()
            sub_id = self.sub_id
            unit_id = self.unit_id

        write_records(_Builder)
        for name in ("test_calls", "kb_entries", "leader_days", "spot_checks", "county_assessments", "entered_scores"):
            rows = _Builder.ds.tables.get(name, [])
            if rows and "id" in metadata.tables[name].columns and "id" not in rows[0]:
                rows = [{"id": i + 1, **r} for i, r in enumerate(rows)]
            write_table(folder, name, {c.name: [r.get(c.name) for r in rows] for c in metadata.tables[name].columns})


def sorted_times(rng: np.random.Generator, n: int, start=YEAR_START, end=YEAR_END) -> np.ndarray:
    """n timestamps (µs) in [start, end), daytime-heavy, sorted."""
    days = int((end - start) // np.timedelta64(1, "D"))
    day = rng.integers(0, days, n, dtype=np.int64)
    hour = rng.choice(24, n, p=HOUR_W / HOUR_W.sum()).astype(np.int64)
    rest = rng.integers(0, US_H, n, dtype=np.int64)
    t = start.astype(np.int64) + day * US_D + hour * US_H + rest
    t.sort()
    return t


class Writers:
    def __init__(self, folder: Path):
        self.folder = folder
        self.open: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def write(self, name: str, cols: dict) -> None:
        schema = arrow_schema(name)
        n = len(next(iter(cols.values())))
        arrays = [cols[f.name] if f.name in cols else pa.nulls(n, f.type) for f in schema]
        table = pa.Table.from_arrays(arrays, schema=schema)
        if name not in self.open:
            self.open[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", schema, compression="zstd")
        self.open[name].write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.rows[name] = self.rows.get(name, 0) + n

    def close(self) -> None:
        for w in self.open.values():
            w.close()


def ticket_chunk(rng, ref: Reference, w: Writers, first_id: int, at: np.ndarray, counters: dict) -> None:
    n = len(at)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    platform = rng.choice(4, n, p=PLATFORM_P)
    appeal = rng.choice(6, n, p=APPEAL_P / APPEAL_P.sum())
    dispatched = rng.random(n) < DISPATCH_P[appeal]
    sub = rng.choice(len(ref.sub_names), n, p=ref.sub_p)
    unit = rng.choice(len(ref.unit_names), n, p=ref.unit_p)
    for code, u in ref.county_unit.items():  # a county platform's dispatches go to that county
        unit[platform == PLATFORMS.index(code)] = u
    unit_region = np.array([REGIONS.index(r) if r else -1 for r in ref.unit_region])[unit]
    region = rng.choice(len(REGIONS), n, p=REGION_P / REGION_P.sum())
    region = np.where(dispatched & (unit_region >= 0), unit_region, region)
    civility = ref.sub_civility[sub] & (rng.random(n) < 0.5)

    # ---- dispatched lifecycle (vectorised over the dispatched tickets) -------------------------------
    d_idx = np.flatnonzero(dispatched)
    m = len(d_idx)
    a = at[d_idx]
    disp = a + rng.integers(10, 90, m) * US_M
    due = disp + DEADLINE_DAYS[appeal[d_idx]] * US_D
    sign = disp + (rng.uniform(0.5, 20, m) * US_H).astype(np.int64)
    rounds = np.where(rng.random(m) < 0.03, np.where(rng.random(m) < 0.15, 2, 1), 0)  # returns + reassignments
    ev = {"tid": [], "kind": [], "at": [], "unit": [], "due": [], "note": []}

    def add(sel, kind, when, unit_idx=None, due_at=None, note=None, tids=None):
        """Events of `kind` for the dispatched tickets at positions `sel` (or for the ticket ids `tids`)."""
        k = len(sel) if tids is None else len(tids)
        ev["tid"].append(ids[d_idx[sel]] if tids is None else tids)
        ev["kind"].append(np.full(k, KIND[kind], np.int8))
        ev["at"].append(when)
        ev["unit"].append(unit_idx if unit_idx is not None else np.full(k, -1))
        ev["due"].append(due_at if due_at is not None else np.full(k, -1, np.int64))
        ev["note"].append(note if note is not None else np.full(k, -1, np.int8))

    all_d = np.arange(m)
    add(all_d, "dispatch", disp, unit[d_idx], due)
    cur = sign.copy()
    first_unit = np.where(rounds > 0, rng.integers(0, len(ref.unit_names), m), unit[d_idx])
    add(all_d, "sign", sign, first_unit)
    for r in (1, 2):
        sel = np.flatnonzero(rounds >= r)
        ret = cur[sel] + (rng.uniform(2, 60, len(sel)) * US_H).astype(np.int64)
        add(sel, "return", ret, first_unit[sel], note=np.full(len(sel), 2, np.int8))
        re = ret + (rng.uniform(0.5, 3, len(sel)) * US_H).astype(np.int64)
        last = rounds[sel] == r
        to_unit = np.where(last, unit[d_idx[sel]], rng.integers(0, len(ref.unit_names), len(sel)))
        new_due = re + DEADLINE_DAYS[appeal[d_idx[sel]]] * US_D
        due[sel] = np.maximum(due[sel], new_due)
        add(sel, "reassign", re, to_unit, new_due)
        s2 = re + (rng.uniform(0.5, 10, len(sel)) * US_H).astype(np.int64)
        add(sel, "sign", s2, to_unit)
        cur[sel] = s2
        first_unit[sel] = to_unit
    ext = np.flatnonzero(rng.random(m) < 0.02)
    ext_req = cur[ext] + (rng.uniform(4, 30, len(ext)) * US_H).astype(np.int64)
    add(ext, "extension_request", ext_req, unit[d_idx[ext]], note=np.full(len(ext), 5, np.int8))
    due[ext] = due[ext] + 5 * US_D
    add(ext, "extension_approved", ext_req + 2 * US_H, unit[d_idx[ext]], due[ext], note=np.full(len(ext), 6, np.int8))

    open_ = rng.random(m) < 0.015
    late = ~open_ & (rng.random(m) < 0.04)
    done = np.where(late, due + (rng.uniform(3, 40, m) * US_H).astype(np.int64),
                    cur + ((due - cur) * rng.uniform(0.2, 0.95, m)).astype(np.int64))
    done = np.maximum(done, cur + US_H)
    sel = np.flatnonzero(late & (rng.random(m) < 0.5) | open_ & (rng.random(m) < 0.5))
    add(sel, "reminder", due[sel] + US_H, unit[d_idx[sel]], note=np.full(len(sel), 4, np.int8))
    closed = np.flatnonzero(~open_)
    contacted = closed[rng.random(len(closed)) < 0.92]
    add(contacted, "contact", done[contacted] - rng.integers(20, 600, len(contacted)) * US_M, unit[d_idx[contacted]],
        note=np.full(len(contacted), 3, np.int8))
    fb_note = rng.choice(3, len(closed), p=[0.77, 0.03, 0.20]).astype(np.int8)  # note index into FEEDBACK_NOTES
    add(closed, "feedback", done[closed], unit[d_idx[closed]], note=fb_note + 7)
    add(closed, "complete", done[closed] + 30 * US_S, unit[d_idx[closed]])
    visited = closed[rng.random(len(closed)) < 0.97]
    v_at = done[visited] + (rng.uniform(1, 72, len(visited)) * US_H).astype(np.int64)
    add(visited, "visit", v_at, unit[d_idx[visited]])
    d_state = np.full(m, 2, np.int8)  # signed
    d_state[closed] = 3  # completed
    d_state[visited] = 4  # visited

    # ---- online lifecycle ------------------------------------------------------------------------------
    o_idx = np.flatnonzero(~dispatched)
    o_done = at[o_idx] + rng.integers(90, 600, len(o_idx)) * US_S
    add(None, "accept", at, tids=ids)
    add(None, "resolve_online", o_done, tids=ids[o_idx])

    # ---- tickets -----------------------------------------------------------------------------------------
    state_names = ["resolved_online", "accepted", "signed", "completed", "visited"]
    state = np.zeros(n, np.int8)
    state[d_idx] = d_state
    unit_col = np.full(n, -1, np.int64)
    unit_col[d_idx] = unit[d_idx] + 1
    at_arr = ts(at)
    ticket_no = pc.binary_join_element_wise(
        pc.strftime(at_arr, format="%y%m%d"), pc.utf8_lpad(pc.cast(pa.array(ids), pa.string()), 8, "0"), "")
    w.write("tickets", {
        "id": pa.array(ids), "ticket_no": ticket_no, "platform": strings(PLATFORMS, platform), "accepted_at": at_arr,
        "channel": strings(CHANNELS, rng.choice(4, n, p=CHANNEL_P)), "appeal_type": strings(APPEALS, appeal),
        "subcategory_id": pa.array(np.array([ref.sub_id[s] for s in ref.sub_names])[sub].astype(np.int64)),
        "region": strings(REGIONS, region), "civility": pa.array(civility),
        "content": strings([CONTENT[x] for x in APPEALS], appeal), "caller_name": strings(NAMES, rng.integers(0, len(NAMES), n)),
        "caller_phone": strings([f"138****{i:04d}" for i in range(100)], rng.integers(0, 100, n)),
        "resolution": strings(["online", "dispatched"], dispatched.astype(np.int8)),
        "unit_id": pa.array(unit_col, mask=unit_col < 0), "state": strings(state_names, state)})

    # ---- ticket_events, ordered by ticket then time --------------------------------------------------------
    tid = np.concatenate(ev["tid"])
    kind = np.concatenate(ev["kind"])
    e_at = np.concatenate(ev["at"])
    e_unit = np.concatenate(ev["unit"])
    e_due = np.concatenate(ev["due"])
    e_note = np.concatenate(ev["note"])
    ev.clear()  # frees the per-kind arrays (a `del` would leave `add` above pointing at nothing)
    order = np.lexsort((kind, e_at, tid))
    tid, kind, e_at, e_unit, e_due, e_note = (x[order] for x in (tid, kind, e_at, e_unit, e_due, e_note))
    k = len(tid)
    e_ids = np.arange(counters["event"] + 1, counters["event"] + 1 + k, dtype=np.int64)
    counters["event"] += k
    actors = [ACTORS.get(kd, "承办单位联络员") for kd in EVENT_KINDS]
    froms = [STATES.get(kd, (None, None))[0] for kd in EVENT_KINDS]
    tos = [STATES.get(kd, (None, None))[1] for kd in EVENT_KINDS]
    notes = [None, None, NOTES["return"], NOTES["contact"], NOTES["reminder"], NOTES["extension_request"],
             NOTES["extension_approved"], *FEEDBACK_NOTES]
    w.write("ticket_events", {
        "id": pa.array(e_ids), "ticket_id": pa.array(tid), "kind": strings(list(EVENT_KINDS), kind), "at": ts(e_at),
        "actor": strings(actors, kind), "unit_id": pa.array(e_unit + 1, mask=e_unit < 0),
        "from_state": strings(froms, kind), "to_state": strings(tos, kind),
        "due_at": ts(e_due, mask=e_due < 0), "note": strings(notes, np.where(e_note < 0, 0, e_note))})
    del tid, kind, e_at, e_unit, e_due, e_note

    # ---- return_visits: dispatched (phone/SMS) and SMS evaluations of online tickets ------------------------
    o_eval = np.flatnonzero(appeal[o_idx] != APPEALS.index("invalid"))
    v_tid = np.concatenate([ids[d_idx[visited]], ids[o_idx[o_eval]]])
    v_time = np.concatenate([v_at, o_done[o_eval] + rng.integers(5, 240, len(o_eval)) * US_M])
    v_method = np.concatenate([np.where(rng.random(len(visited)) < 0.85, 1, 0), np.ones(len(o_eval), np.int64)])
    v_result = np.concatenate([rng.choice(4, len(visited), p=DISPATCH_RESULT_P),
                               rng.choice(4, len(o_eval), p=ONLINE_RESULT_P)])
    order = np.argsort(v_time, kind="stable")
    kv = len(v_tid)
    w.write("return_visits", {
        "id": pa.array(np.arange(counters["visit"] + 1, counters["visit"] + 1 + kv, dtype=np.int64)),
        "ticket_id": pa.array(v_tid[order]), "visited_at": ts(v_time[order]),
        "method": strings(["phone", "sms"], v_method[order]), "result": strings(RESULTS, v_result[order])})
    counters["visit"] += kv
    counters["dispatched"] += m


def calls_chunk(rng, w: Writers, first_id: int, at: np.ndarray) -> None:
    n = len(at)
    answered = rng.random(n) < 0.85
    wait = rng.gamma(2.0, 8.0, n).astype(np.int64)
    talk = np.where(answered, rng.gamma(2.0, 90.0, n).astype(np.int64), 0)
    w.write("calls", {"id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
                      "platform": strings(PLATFORMS, rng.choice(4, n, p=PLATFORM_P)), "called_at": ts(at),
                      "answered": pa.array(answered), "wait_seconds": pa.array(wait), "talk_seconds": pa.array(talk)})


def complete(folder: Path) -> list[str]:
    """Write an empty, correctly typed file for every canonical table the generator does not fill (users,
    tokens, audit log, …), so the folder holds the whole schema as `export-parquet` would. Returns their names."""
    missing = [t.name for t in metadata.sorted_tables if not (folder / f"{t.name}.parquet").exists()]
    for name in missing:
        write_table(folder, name, {})
    return missing


def generate(n: int, out: Path, seed: int = 20221010, calls_per_ticket: float = 1.2) -> dict:
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    ref = Reference(rng)
    ref.tables(tmp)
    w = Writers(tmp)
    counters = {"event": 0, "visit": 0, "dispatched": 0}
    at = sorted_times(rng, n)
    for lo in range(0, n, CHUNK):
        ticket_chunk(rng, ref, w, lo + 1, at[lo:lo + CHUNK], counters)
    del at
    n_calls = int(round(n * calls_per_ticket))
    call_at = sorted_times(rng, n_calls)
    for lo in range(0, n_calls, CHUNK):
        calls_chunk(rng, w, lo + 1, call_at[lo:lo + CHUNK])
    w.close()
    complete(tmp)
    generated = time.perf_counter()
    persist_facts(tmp)  # what `hotline export-parquet` does after writing the tables
    facts_s = time.perf_counter() - generated
    manifest = {"generator_version": GENERATOR_VERSION, "n": n, "seed": seed, "rows": w.rows,
                "facts_seconds": round(facts_s, 1),
                "dispatched": counters["dispatched"], "seconds": round(generated - started, 1),
                "bytes": sum(p.stat().st_size for p in tmp.glob("*.parquet")),
                "written": datetime.now().isoformat(timespec="seconds")}
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
    tmp.rename(out)  # only complete folders carry the final name
    return manifest


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, required=True, help="number of tickets")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=20221010)
    a = p.parse_args()
    print(json.dumps(generate(a.n, a.out, a.seed)))


if __name__ == "__main__":
    main()
