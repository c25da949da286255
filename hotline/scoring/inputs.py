"""Inputs for the schemes, read from the store: per county (provincial rates, entered scores, test-call sheets)
and per handling unit (visit-basis metrics of the month)."""

from __future__ import annotations

from hotline.domain.month import Month
from hotline.domain.registry import unit_registry
from hotline.metrics.engine import MetricEngine

TEST_CALL_ITEMS = ("voice_navigation", "connection", "service_norms", "knowledge", "visit_service")
COUNTY_INPUTS = ({"answer_rate", "online_resolution_rate", "on_time_rate", "visit_rate", "satisfaction_rate",
                  "data_accuracy_score", "dispatch_on_time_score", "dispatch_contact_score", "dispatch_satisfaction_score"}
                 | {f"test_calls.{i}" for i in TEST_CALL_ITEMS})
UNIT_METRICS = ("sign_on_time_rate", "on_time_rate", "satisfaction_rate", "contact_rate", "valid_tickets")
UNIT_INPUTS = set(UNIT_METRICS) | {"data_quality_score"}


def known_inputs(subject: str) -> set[str]:
    return COUNTY_INPUTS if subject == "county" else UNIT_INPUTS


def county_names() -> dict[str, str]:
    """platform code → county name (湘潭县…), in registry order."""
    units = unit_registry().units
    return {u.platform: u.region for u in units.values() if u.platform}


def county_inputs(engine: MetricEngine, month: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """(inputs for the scheme per county, the city's own 交办 rates per county for display)."""
    con = engine.sources.con
    start, end = Month.of(month).bounds
    ca = con.table("county_assessments")
    assessed = {r["platform"]: r for r in ca.filter(ca.month == str(month)).execute().to_dict("records")}
    tc = con.table("test_calls")
    sheets = tc.filter(tc.called_at >= start, tc.called_at < end).execute()
    units = unit_registry().units
    unit_of = {u.platform: u.name for u in units.values() if u.platform}
    city_rates = {r["unit"]: r for r in engine.by(["on_time_rate", "contact_rate", "satisfaction_rate"], month, ["unit"])}
    inputs, shown = {}, {}
    for platform, county in county_names().items():
        row = dict(assessed.get(platform, {}))
        own = sheets[sheets.platform == platform]
        data = {k: (None if row.get(k) is None or row.get(k) != row.get(k) else float(row[k]))
                for k in COUNTY_INPUTS if not k.startswith("test_calls.")}
        for item in TEST_CALL_ITEMS:
            data[f"test_calls.{item}"] = [float(v) for v in own[item]]
        inputs[county] = data
        r = city_rates.get(unit_of[platform], {})
        shown[county] = {k: (r[k].rate if k in r else None) for k in ("on_time_rate", "contact_rate", "satisfaction_rate")}
    return inputs, shown


def unit_inputs(engine: MetricEngine, month: str, min_volume: int = 0) -> dict[str, dict]:
    rows = engine.by(list(UNIT_METRICS), month, ["unit", "unit_order"])
    rows.sort(key=lambda r: r["unit_order"])
    out = {}
    for r in rows:
        if r["valid_tickets"].num < min_volume:
            continue
        out[r["unit"]] = {k: (r[k].rate if r[k].den is not None else r[k].num) for k in UNIT_METRICS}
        out[r["unit"]]["data_quality_score"] = None
    return out
