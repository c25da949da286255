"""Inputs for the schemes, read from the store: per county (the province's rates, the test-call sheets) and per
handling unit (visit-basis metrics of the month), each with the scores the office entered for it that month
(table `entered_scores`: every `entered.*` input a scheme may read). Names: `names.py`."""

from __future__ import annotations

from hotline.domain.month import Month
from hotline.domain.registry import unit_registry
from hotline.metrics.engine import MetricEngine
from hotline.scoring.names import PROVINCE_COLUMNS, TEST_CALL_INPUTS, UNIT_METRICS


def county_names() -> dict[str, str]:
    """platform code → county name (湘潭县…), in registry order."""
    units = unit_registry().units
    return {u.platform: u.region for u in units.values() if u.platform}


def _figure(row: dict, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or value != value else float(value)  # NaN: not entered


def entered_scores(engine: MetricEngine, month: str, subject: str) -> dict[object, dict[str, float]]:
    """The month's entered scores of one kind of subject: platform code (county) or unit name (unit) →
    {`entered.*` input: score}."""
    con = engine.sources.con
    es = con.table("entered_scores")
    es = es.filter(es.month == str(month))
    if subject == "county":
        rows = es.filter(es.platform.notnull()).select(key=es.platform, input=es.input, score=es.score)
    else:
        units = con.table("units")
        mine = es.filter(es.unit_id.notnull())
        rows = mine.join(units, mine.unit_id == units.id).select(key=units.name, input=mine.input, score=mine.score)
    out: dict[object, dict[str, float]] = {}
    for r in rows.execute().to_dict("records"):
        out.setdefault(r["key"], {})[r["input"]] = float(r["score"])
    return out


def county_inputs(engine: MetricEngine, month: str) -> dict[str, dict]:
    """The scheme's inputs per county (by name, in registry order)."""
    con = engine.sources.con
    start, end = Month.of(month).bounds
    ca = con.table("county_assessments")
    assessed = {r["platform"]: r for r in ca.filter(ca.month == str(month)).execute().to_dict("records")}
    tc = con.table("test_calls")
    sheets = tc.filter(tc.called_at >= start, tc.called_at < end).execute()
    entered = entered_scores(engine, month, "county")
    inputs = {}
    for platform, county in county_names().items():
        row = assessed.get(platform, {})
        own = sheets[sheets.platform == platform]
        data = {name: _figure(row, column) for name, column in PROVINCE_COLUMNS.items()}
        data.update({name: [float(v) for v in own[item]] for name, item in TEST_CALL_INPUTS.items()})
        data.update(entered.get(platform, {}))
        inputs[county] = data
    return inputs


def unit_inputs(engine: MetricEngine, month: str, min_volume: int = 0) -> dict[str, dict]:
    rows = engine.by(list(UNIT_METRICS), month, ["unit", "unit_order"])
    rows.sort(key=lambda r: r["unit_order"])
    entered = entered_scores(engine, month, "unit")
    out = {}
    for r in rows:
        if r["valid_tickets"].num < min_volume:
            continue
        out[r["unit"]] = {k: (r[k].rate if r[k].den is not None else r[k].num) for k in UNIT_METRICS}
        out[r["unit"]].update(entered.get(r["unit"], {}))
    return out
