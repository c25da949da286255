"""The monthly analysis report as one typed, JSON-serialisable model.

Renderers (JSON, DOCX, HTML, PDF, API, dashboard) read this and nothing else. Numbers are stored raw
(counts) and as printed (rates with two decimals); narrative drafts are kept apart from numbers so an
office can replace the text without touching a figure.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Share(BaseModel):
    label: str
    count: int
    share: float | None = Field(None, description="占比（%），两位小数")


class Rate(BaseModel):
    label: str
    num: int
    den: int
    rate: float | None


class MoM(BaseModel):
    """环比：counts relative (%), rates in percentage points of the printed rates."""

    current: float | None
    previous: float | None
    delta: float | None
    direction: str
    wording: str


class TopPanel(BaseModel):
    """One region or unit with its total and top-3 subcategories (图4/图5)."""

    name: str
    total: int
    top: list[Share]


class CallsOverview(BaseModel):
    calls: int
    calls_mom: MoM
    answered: int
    answer_rate: float | None
    answer_rate_mom: MoM
    accepted: int
    by_type: list[Share]


class Hotspots(BaseModel):
    categories: list[Share]
    subcategories: list[Share]
    hot_event: Share | None
    hot_event_previous: int | None
    regions: list[TopPanel]
    region_leaders: list[dict]
    units: list[TopPanel]
    civility: int
    civility_by_theme: list[Share]


class OnlineHot(BaseModel):
    category: str
    count: int
    topics: list[str]


class DispatchHot(BaseModel):
    category: str
    count: int
    main_subcategory: str
    main_count: int


class UnitRow(BaseModel):
    seq: int
    unit: str
    valid: int
    completed: int
    late: int
    on_time_rate: float | None
    contact_rate: float | None
    visits: int
    satisfied_total: int
    unrated: int
    dissatisfied: int
    satisfaction_rate: float | None


class UnitGroup(BaseModel):
    group: str
    title: str
    rows: list[UnitRow]


class Annex1(BaseModel):
    title: str
    groups: list[UnitGroup]
    total: UnitRow
    notes: list[str]


class OverdueUnit(BaseModel):
    unit: str
    count: int
    topics: str


class CountyFigures(BaseModel):
    calls: int
    calls_mom: MoM
    by_county: list[Share]
    answer_rate: float | None
    online_resolution_rate: float | None
    on_time_rate: float | None
    visit_rate: float | None
    satisfaction_rate: float | None


class Handling(BaseModel):
    accepted: int
    online: int
    dispatched: int
    overall_satisfaction_rate: float | None
    online_satisfaction_rate: float | None
    dispatch_satisfaction_rate: float | None
    online_resolution_rate: float | None
    online_resolution_rate_mom: MoM
    online_hot: list[OnlineHot]
    dispatched_mom: MoM
    on_time_rate: float | None
    on_time_rate_mom: MoM
    dispatch_hot: list[DispatchHot]
    visits: int
    visit_units: int
    visit_satisfied: int
    visit_fairly_satisfied: int
    visit_dissatisfied: int
    praised_units: list[str]
    dissatisfied_hot: list[Share]
    overdue_total: int
    overdue_units: list[OverdueUnit]
    county: CountyFigures


class Narrative(BaseModel):
    """A drafted section: its paragraphs, where they came from, and whether an editor replaced them."""

    title: str
    paragraphs: list[str]
    evidence: list[str] = Field(default_factory=list, description="事件编号等依据")
    source: str = Field("drafted", description="drafted 由数据起草 / override 人工修改")


class SpotCheckRow(BaseModel):
    seq: int
    month: str
    ticket_no: str
    unit: str
    content: str
    feedback: str
    outcome: str


class CountyScoreRow(BaseModel):
    rank: int
    county: str
    total: float
    parts: dict[str, float]
    indicators: dict[str, float | None]


class ScoredUnit(BaseModel):
    unit: str
    score: float


class UnitLists(BaseModel):
    """红榜/黑榜 of the handling units under the built-in unit scheme (not part of the seed; docs/scoring.md)."""

    scheme: str
    red: list[ScoredUnit]
    black: list[ScoredUnit]


class Report(BaseModel):
    city: str
    month: str
    title: str
    calls: CallsOverview
    hotspots: Hotspots
    handling: Handling
    typical_cases: Narrative
    difficult_cases: Narrative
    leader_days: Narrative
    difficulties: Narrative
    requirements: Narrative
    annex1: Annex1
    annex2: list[CountyScoreRow] | None = None
    unit_lists: UnitLists | None = None
    annex3: list[SpotCheckRow]
    annex3_period: str
    issuing_office: str
    issued_on: str
    missing: list[str] = Field(default_factory=list, description="输入数据缺失的部分")
