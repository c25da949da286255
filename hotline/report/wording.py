"""The city's and the office's words in the report (`hotline/data/report.yaml`), typed and checked on load.

Why a file: the city's name, the annex headers and notes, the fixed paragraphs and the praise thresholds are
the office's choices, not the program's; one file to edit beats constants spread over the builder, the
narratives and the renderers. Why checked: a misspelt key or a placeholder the report cannot fill must fail
when the file is read, naming the key, not print a half-filled report.
"""

from __future__ import annotations

from functools import cache
from string import Formatter

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from hotline.data import load_yaml
from hotline.scoring.names import TEST_CALL_ITEMS

FILE = "report.yaml"
SECTIONS = ("typical_cases", "difficult_cases", "leader_days", "difficulties", "requirements")  # drafted, overridable


class WordingError(ValueError):
    """report.yaml cannot be used: shown to the user as is."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def count_of(field: str, n: int, what: str):
    """A validator: the list `field` has exactly `n` items (the columns a table lays out)."""
    def check(cls, value):
        if len(value) != n:
            raise ValueError(f"应为 {n} 项（{what}），现为 {len(value)} 项")
        return value
    return field_validator(field)(check)


def placeholders(*fields: str, allowed: set[str]):
    """A validator of `fields`: each text (or each text of a list) uses no placeholder outside `allowed`."""
    def check(cls, value):
        for text in value if isinstance(value, list) else [value]:
            used = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
            if used - allowed:
                raise ValueError(f"未知占位符 {sorted(used - allowed)}，可用 {sorted(allowed) or '无'}")
        return value
    return field_validator(*fields)(check)


class Praise(Strict):
    """二（一）3: units with much work and well rated (承办量大且满意率较高)."""

    min_valid_tickets: int
    min_satisfaction_rate: float
    min_rated_satisfied_share: float


COVERAGE_FLAGS = ("visits", "completions", "on_time", "contacts", "counties")  # Coverage flags a note may follow


class ConditionalNote(Strict):
    """A table note printed only when the month's data is (or, with `no_`, is not) of some kind."""

    text: str
    when: str

    @field_validator("when")
    @classmethod
    def a_coverage_flag(cls, value: str) -> str:
        if value.removeprefix("no_") not in COVERAGE_FLAGS:
            choices = ", ".join(f"{f} / no_{f}" for f in COVERAGE_FLAGS)
            raise ValueError(f"when = {value!r} 不是可用的条件，可选 {choices}")
        return value

    def holds(self, flags: dict[str, bool]) -> bool:
        return flags[self.when.removeprefix("no_")] != self.when.startswith("no_")


class Annex1Words(Strict):
    title: str
    group_title: str
    seq_column: str
    name_column: dict[str, str]
    default_name_column: str
    columns: list[str]
    total: str
    notes: list[str | ConditionalNote]

    def notes_for(self, flags: dict[str, bool]) -> list[str]:
        """The notes that hold for the month's data (`flags`: the Coverage flags by name); the last ends with 。
        whichever it is."""
        kept = [n if isinstance(n, str) else n.text for n in self.notes if isinstance(n, str) or n.holds(flags)]
        if kept and kept[-1].endswith("；"):
            kept[-1] = kept[-1][:-1] + "。"
        return kept
    check_title = placeholders("title", allowed={"month"})
    check_group = placeholders("group_title", allowed={"group", "count"})
    check_columns = count_of("columns", 10, "附件1 的数字列")


class Annex2Words(Strict):
    rank_column: str
    county_column: str
    part_score_column: str
    total_column: str
    column_groups: dict[str, str]
    other_group: str
    rates_above: dict[str, str]
    notes: list[str]


class Annex3Words(Strict):
    columns: list[str]
    check_columns = count_of("columns", 6, "附件3 的列")


class CallProblem(Strict):
    """One kind of fault in the test calls: an item scored 0, or a remark holding one of some words."""

    text: str
    zero_item: str | None = None
    remark_has: list[str] = []

    @model_validator(mode="after")
    def one_test(self):
        if (self.zero_item is None) == (not self.remark_has):
            raise ValueError("zero_item 与 remark_has 须且只须给出一个")
        if self.zero_item is not None and self.zero_item not in TEST_CALL_ITEMS:
            raise ValueError(f"zero_item = {self.zero_item!r} 不是拨测项目，可选 {', '.join(TEST_CALL_ITEMS)}")
        return self


class NarrativeWords(Strict):
    titles: dict[str, str]
    test_call_problems: list[CallProblem]
    requirements: list[str]
    check_requirements = placeholders("requirements", allowed={"visit_dissatisfied"})

    @field_validator("titles")
    @classmethod
    def every_section_titled(cls, value: dict[str, str]) -> dict[str, str]:
        if set(value) != set(SECTIONS):
            raise ValueError(f"应为这五个章节的标题：{', '.join(SECTIONS)}")
        return value


class DataNotes(Strict):
    """数据说明: one sentence for each kind of input the month lacks (coverage.py decides which apply)."""

    no_calls: str
    no_previous_calls: str
    no_previous_tickets: str
    partial_previous_tickets: str
    no_visits: str
    no_online_evaluations: str
    no_completions: str
    no_deadline_visited: str
    no_deadline_accepted: str
    open_without_deadline: str
    no_contacts: str
    no_civility: str
    without_unit: str
    no_county_data: str
    no_county_calls: str
    county_ranking: str
    unit_lists: str
    check_plain = placeholders("no_calls", "no_visits", "no_online_evaluations", "no_completions", "no_contacts",
                               "no_civility", "no_county_data", "no_county_calls", allowed=set())
    check_month = placeholders("no_previous_calls", "no_previous_tickets", "partial_previous_tickets",
                               allowed={"month"})
    check_count = placeholders("no_deadline_visited", "no_deadline_accepted", "open_without_deadline",
                               "without_unit", allowed={"count"})
    check_error = placeholders("county_ranking", "unit_lists", allowed={"error"})


class Wording(Strict):
    city: str
    title: str
    issued_on_day: int
    praise: Praise
    annex1: Annex1Words
    annex2: Annex2Words
    annex3: Annex3Words
    narratives: NarrativeWords
    data_notes: DataNotes
    check_title = placeholders("title", allowed={"city", "month"})

    @field_validator("issued_on_day")
    @classmethod
    def a_day_of_every_month(cls, value: int) -> int:
        if not 1 <= value <= 28:
            raise ValueError(f"应为 1–28 日（每个月都有的一天），现为 {value}")
        return value


def parse_wording(doc: object, source: str = FILE) -> Wording:
    try:
        return Wording.model_validate(doc)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(str(p) for p in e['loc']) or '（根）'}：{_problem(e)}" for e in exc.errors())
        raise WordingError(f"{source} 有误：{problems} / invalid report wording, see the keys named") from None


PROBLEMS = {"extra_forbidden": "未知键", "missing": "缺失"}


def _problem(error: dict) -> str:
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return PROBLEMS.get(error["type"], error["msg"])


@cache
def wording() -> Wording:
    """The shipped wording, read once."""
    return parse_wording(load_yaml(FILE))
