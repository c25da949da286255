"""附件2 (the county ranking) and the 红榜/黑榜 of the handling units: the built-in schemes applied to the month.

Why here and not in the renderer: the table prints the scheme's parts and points, and above some scores the
rate they stand for. The scheme and those rates are known here; the model receives them as typed columns and
cells (`Annex2Header`, `CountyScoreRow`) so a renderer lays the table out without knowing any scheme.
"""

from __future__ import annotations

from hotline.metrics.engine import MetricEngine
from hotline.report import model as M
from hotline.report.names import county_units
from hotline.report.wording import Annex2Words, WordingError
from hotline.scoring.engine import IndicatorScore, rank, red_black
from hotline.scoring.inputs import county_inputs, unit_inputs
from hotline.scoring.names import PROVINCE_COLUMNS
from hotline.scoring.scheme import Scheme, builtin_scheme

COUNTY_SCHEME, UNIT_SCHEME = "county_monthly", "unit_monthly"


def annex2_header(scheme: Scheme, words: Annex2Words) -> M.Annex2Header:
    """The scheme's parts and indicators as columns, consecutive parts of one column group under one label."""
    keys = {p.key for p in scheme.parts}
    indicators = {i.key for p in scheme.parts for i in p.indicators}
    unknown = sorted(set(words.column_groups) - keys) + sorted(set(words.rates_above) - indicators)
    if unknown:
        raise WordingError(f"report.yaml annex2：方案 {scheme.name} 中没有 {unknown} / not in the scheme")
    groups: list[M.ColumnGroup] = []
    for p in scheme.parts:
        columns = M.PartColumns(key=p.key, label=p.label, weight=p.weight, indicators=[
            M.IndicatorColumn(key=i.key, label=i.label, points=i.points,
                              shows_rate=i.input in PROVINCE_COLUMNS or i.key in words.rates_above)
            for i in p.indicators])
        label = words.column_groups.get(p.key, words.other_group)
        if groups and groups[-1].label == label:
            groups[-1].parts.append(columns)
        else:
            groups.append(M.ColumnGroup(label=label, parts=[columns]))
    return M.Annex2Header(scheme=scheme.name, rank_column=words.rank_column, county_column=words.county_column,
                          part_score_column=words.part_score_column, total_column=words.total_column,
                          full_score=scheme.total, groups=groups, notes=words.notes)


def county_ranking(engine: MetricEngine, month: str, words: Annex2Words
                   ) -> tuple[M.Annex2Header, list[M.CountyScoreRow]]:
    """附件2 under the built-in county scheme (raises ScoringError when an input is missing)."""
    scheme = builtin_scheme(COUNTY_SCHEME)
    header = annex2_header(scheme, words)
    inputs = county_inputs(engine, month)
    city = {r["unit"]: r for r in engine.by(sorted(set(words.rates_above.values())), month, ["unit"])}
    government = county_units()
    shows_rate = {c.key: c.shows_rate for p in header.parts for c in p.indicators}

    def cell(county: str, score: IndicatorScore) -> M.IndicatorCell:
        """An indicator's score, under the rate it stands for: the province's rate it was scored from, or
        (for an entered 交办 score) the city's own rate of the tickets dispatched to the county's government."""
        rate = None
        if score.input in PROVINCE_COLUMNS:
            rate = score.value
        elif shows_rate[score.key]:
            own = city.get(government[county])
            rate = own[words.rates_above[score.key]].rate if own else None
        return M.IndicatorCell(key=score.key, score=score.score, rate=rate)

    rows = [M.CountyScoreRow(rank=sc.rank, county=sc.subject, total=sc.total,
                             parts={p.key: p.weighted for p in sc.parts},
                             indicators={p.key: [cell(sc.subject, i) for i in p.indicators] for p in sc.parts})
            for sc in rank(scheme, inputs)]
    return header, rows


def unit_lists(engine: MetricEngine, month: str) -> M.UnitLists | None:
    """红榜/黑榜 under the built-in unit scheme (None when too few units are ranked; raises ScoringError)."""
    scheme = builtin_scheme(UNIT_SCHEME)
    ranked = rank(scheme, unit_inputs(engine, month, int(scheme.ranking.get("min_volume", 0))))
    red, black = red_black(ranked, int(scheme.ranking.get("list_size", 5)))
    if not red:
        return None
    return M.UnitLists(scheme=scheme.name, red=[M.ScoredUnit(unit=s.subject, score=s.total) for s in red],
                       black=[M.ScoredUnit(unit=s.subject, score=s.total) for s in black])
