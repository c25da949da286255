"""The monthly analysis report as one typed, JSON-serialisable model.

Renderers (JSON, DOCX, HTML, PDF, API, dashboard) read this and nothing else, so it carries every word a
table prints that is not the renderer's own layout: the annexes' headers and notes (from data/report.yaml),
the scheme 附件2 was scored with, the short names the text uses. Numbers are stored raw (counts) and as
printed (rates with two decimals); narrative drafts are kept apart from numbers so an office can replace the
text without touching a figure.

What the store holds for the month is decided once, by the builder (`coverage.py`), and carried here as
`Coverage`: the renderers draw a section only when its inputs exist and otherwise say so in one line, and print
`missing` as the document's 数据说明. Counts stay as counted (0 is "none found"); a rate or a table cell whose
inputs the store lacks is None (printed —), never a fabricated 0.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field, model_validator


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


class Coverage(BaseModel):
    """Which inputs the store holds for the month: each flag decides a section, a sentence or a figure."""

    calls: bool = Field(description="本月有市级平台来电记录（否则不列话务量、接通率）")
    previous_month: bool = Field(description="上月的工单数据可比：本月过半工单的承办单位（在线办结的算市平台）上月也有工单"
                                             "（否则工单各项不与上月比较）")
    online: bool = Field(description="本月有在线办结工单")
    online_evaluations: bool = Field(description="本月有在线工单评价")
    visits: bool = Field(description="本月有派发工单回访记录")
    basis: Literal["visited", "accepted"] = Field(
        description="附件1、按时办结率与办结率的截点：visited 回访时间；accepted 受理时间（本月没有回访记录时）")
    completions: bool = Field(description="口径内的派发工单有办结记录")
    on_time: bool = Field(description="口径内的派发工单都有办理时限（且有办结记录）：按时办结率可算")
    contacts: bool = Field(description="口径内有联系诉求人的记录（否则联系反馈当事人率不列）")
    overdue: bool = Field(description="月末未反馈的派发工单都有办理时限：能断定有无超期未反馈")
    civility: bool = Field(description="本月有文明创建诉求记录")
    regions: Literal["units", "tickets", "none"] = Field(
        description="图4 的地区：units 承办单位所属县市区（名录次序）；tickets 工单的诉求发生地；none 无")
    counties: bool = Field(description="有县级平台（platforms.level = county）且本月有其来电或工单：列县级平台一节与附件2")


class UnitRow(BaseModel):
    """One row of 附件1. A column whose inputs the store lacks is None (printed —): the visit columns of a month
    without visits, 超时办结量 and 按时办结率 of a unit whose tickets lack deadlines."""

    seq: int
    unit: str
    valid: int
    completed: int | None
    late: int | None
    on_time_rate: float | None
    contact_rate: float | None
    visits: int | None
    satisfied_total: int | None
    unrated: int | None
    dissatisfied: int | None
    satisfaction_rate: float | None
    completion_rate: float | None = Field(None, description="办结率：已办结量 ÷ 有效工单量（表中不单列）")


class UnitGroup(BaseModel):
    group: str
    title: str
    header: list[str] = Field(description="表头：序号、名称列、各数字列")
    rows: list[UnitRow]


class Annex1(BaseModel):
    title: str
    basis: Literal["visited", "accepted"] = Field("visited", description="统计截点：回访时间 / 受理时间（无回访时）")
    groups: list[UnitGroup]
    total: UnitRow
    notes: list[str]


class OverdueUnit(BaseModel):
    unit: str
    count: int
    topics: str


class CountyFigures(BaseModel):
    calls: int | None = Field(description="县级平台来电量（没有县级平台来电记录时为空）")
    calls_mom: MoM | None
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
    on_time_rate_mom: MoM | None
    completed: int | None = Field(None, description="口径内已办结的派发工单（Coverage.basis）")
    completion_rate: float | None = Field(None, description="办结率：已办结 ÷ 口径内的派发工单")
    dispatch_hot: list[DispatchHot]
    visits: int
    visit_units: int
    visit_satisfied: int
    visit_fairly_satisfied: int
    visit_dissatisfied: int
    praised_units: list[str]
    praised_short_names: list[str] = Field(description="同 praised_units，按正文写法（岳塘区人民政府 → 岳塘区）")
    dissatisfied_hot: list[Share]
    overdue_total: int
    overdue_units: list[OverdueUnit]
    overdue_without_unit: int = Field(0, description="超期未反馈工单中没有承办单位记录的（计入 overdue_total）")
    county: CountyFigures | None = Field(description="县级平台办理情况（Coverage.counties 时）")


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


class IndicatorColumn(BaseModel):
    """One scored indicator of 附件2: 按时办结率（30分）."""

    key: str
    label: str
    points: float
    shows_rate: bool = Field(description="该列在得分之上印出县（市）的比率")


class PartColumns(BaseModel):
    """One part of the scheme: 交办工单办理评分（10%）, its indicators, then its 折合得分."""

    key: str
    label: str
    weight: float
    indicators: list[IndicatorColumn]


class ColumnGroup(BaseModel):
    """The header row above the parts: 市本级工单办理情况 / 县级热线平台办理情况."""

    label: str
    parts: list[PartColumns]


class Annex2Header(BaseModel):
    """附件2's header and notes: the columns of the scheme the counties were ranked with, grouped as printed."""

    scheme: str
    rank_column: str
    county_column: str
    part_score_column: str
    total_column: str
    full_score: float = Field(description="满分：方案各部分权重之和")
    groups: list[ColumnGroup]
    notes: list[str]

    @property
    def parts(self) -> list[PartColumns]:
        return [p for g in self.groups for p in g.parts]


class IndicatorCell(BaseModel):
    key: str
    score: float
    rate: float | None = Field(None, description="得分之上印出的比率（该列 shows_rate 时）")


class CountyScoreRow(BaseModel):
    rank: int
    county: str
    total: float
    parts: dict[str, float] = Field(description="各部分折合得分，按部分 key")
    indicators: dict[str, list[IndicatorCell]] = Field(description="各部分的指标得分，按部分 key，次序同表头")


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
    month: str = Field(description="报告月份 YYYY-MM")
    year: int = Field(description="报告月份的年（2022），供正文引用")
    month_of_year: int = Field(description="报告月份的月（10），供正文引用")
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
    annex2_header: Annex2Header | None = Field(None, description="附件2 的表头与注释（有 annex2 时）")
    unit_lists: UnitLists | None = None
    annex3: list[SpotCheckRow]
    annex3_period: str
    annex3_header: list[str]
    issuing_office: str
    issued_on: str
    coverage: Coverage
    missing: list[str] = Field(default_factory=list, description="输入数据缺失的部分（文末“数据说明”）")

    @model_validator(mode="after")
    def annex2_has_its_header(self):
        if self.annex2 is not None and self.annex2_header is None:
            raise ValueError("附件2 缺少表头 / annex2 rows need annex2_header")
        return self

    @computed_field(description="印出的附件及其次序：附件N 是第 N 个")
    @property
    def annexes(self) -> list[str]:
        return annex_order(bool(self.annex1.groups), bool(self.annex2), bool(self.annex3))


def annex_order(units: bool, county_ranking: bool, spot_checks: bool) -> list[str]:
    """The annexes printed, in order, each when it has rows: 附件1 (the units), the county ranking, the spot checks."""
    present = {"annex1": units, "annex2": county_ranking, "annex3": spot_checks}
    return [key for key, rows in present.items() if rows]
