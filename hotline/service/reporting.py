"""Metrics and the monthly report on the live store: the same `MetricEngine` and `ReportBuilder` the CLI uses.

Why not separate API arithmetic: one definition of each rate (metrics.yaml) must serve the report, the API and any
dashboard, or the office will be asked why two screens disagree. Each computation opens a fresh Ibis connection
to the service's own database (the engine materialises per connection, so it sees the latest events), and
results are cached under a fingerprint of the store (row counts and largest ids of the tables the metrics read):
any new event, visit or call changes the fingerprint, so a cached answer is never stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import Engine, func, select

from hotline.metrics.engine import MetricEngine, MetricError, load_metrics
from hotline.service.errors import Invalid
from hotline.store.db import ibis_connect
from hotline.store.schema import (
    audit_log,
    calls,
    entered_scores,
    kb_entries,
    return_visits,
    spot_checks,
    test_calls,
    ticket_events,
    tickets,
)

GROUPABLE = ("unit", "unit_group", "unit_region", "category", "subcategory", "appeal_type", "platform", "region",
             "channel", "result", "method")
# entered_scores: a score entered changes 附件2 and the 红黑榜; a score replaced keeps that table's count and largest
# id, but not the audit log's (every write through the service leaves its audit row)
_FINGERPRINT_TABLES = (tickets, ticket_events, return_visits, calls, kb_entries, test_calls, spot_checks,
                       entered_scores, audit_log)


class Reporting:
    def __init__(self, engine: Engine, url: str, cache_size: int = 16):
        self.engine = engine
        self.url = url
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def fingerprint(self) -> tuple:
        with self.engine.connect() as conn:
            out = []
            for t in _FINGERPRINT_TABLES:
                key = t.c.id if "id" in t.c else list(t.primary_key.columns)[0]
                out.extend(conn.execute(select(func.count(), func.max(key)).select_from(t)).one())
            return tuple(out)

    def _cached(self, key: tuple, compute):
        full = (*key, self.fingerprint())
        with self._lock:  # one computation at a time: each one is a few full scans of the store
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            con = ibis_connect(self.url)
            try:
                value = compute(con)
            except (MetricError, ValueError) as exc:
                raise Invalid(str(exc)) from None
            finally:
                try:
                    con.disconnect()
                except Exception:  # pragma: no cover - closing is best effort
                    pass
            self._cache[full] = value
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return value

    def metrics(self, month: str) -> list[dict[str, Any]]:
        def compute(con):
            engine = MetricEngine(con)
            out = []
            for m in load_metrics().values():
                v = engine.value(m.name, month)
                out.append({"name": m.name, "label": m.label, "definition": m.definition, "kind": m.kind,
                            "num": v.num, "den": v.den, "rate": v.rate, "value": v.value})
            return out

        return self._cached(("metrics", month), compute)

    def grouped(self, name: str, month: str, by: str) -> list[dict[str, Any]]:
        metrics = load_metrics()
        if name not in metrics:
            raise Invalid(f"未定义的指标：{name}")
        if metrics[name].kind == "ratio_of":
            raise Invalid(f"指标 {name} 由其他指标合成，不能分组")
        if by not in GROUPABLE or (by in ("result", "method") and metrics[name].source != "visits"):
            raise Invalid(f"不能按 {by} 分组（可选：{'、'.join(GROUPABLE)}；result、method 仅限回访类指标）")
        if by == "channel" and metrics[name].source == "calls":
            raise Invalid("来电类指标不能按受理渠道分组")
        if metrics[name].source == "calls" and by != "platform":
            raise Invalid("来电类指标只能按 platform 分组")

        def compute(con):
            rows = MetricEngine(con).by([name], month, [by])
            out = [{"group": None if r[by] is None else str(r[by]), "num": r[name].num, "den": r[name].den,
                    "rate": r[name].rate, "value": r[name].value} for r in rows]
            return sorted(out, key=lambda r: (-r["num"], r["group"] or ""))

        return self._cached(("grouped", name, month, by), compute)

    def report(self, month: str) -> dict[str, Any]:
        from hotline.report.build import ReportBuilder, ReportError

        def compute(con):
            try:
                return ReportBuilder(con).build(month).model_dump(mode="json")
            except ReportError as exc:
                raise Invalid(str(exc)) from None

        return self._cached(("report", month), compute)
