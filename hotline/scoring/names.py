"""The input names a scheme may use, one namespace per source, and the old names they replaced.

A scheme's indicator reads one input. The same word must not mean two figures: `on_time_rate` is our
metric (metrics.yaml), while the provincial platform assesses each county's own 按时办结率. So each source
has its namespace (docs/scoring.md):

- a bare name (`on_time_rate`, `satisfaction_rate`…): a metric of metrics.yaml, measured on the store;
- `province.*`: the provincial platform's assessed rate of a county (table `county_assessments`);
- `entered.*`: a score the office enters by hand (`county_assessments.*_score`, or none: `default`);
- `test_calls.*`: one item of the month's test-call sheets (table `test_calls`).

A scheme still using a name from before the namespaces fails with the new name in the message.
"""

from __future__ import annotations

SUBJECTS = ("county", "unit")

TEST_CALL_ITEMS = ("voice_navigation", "connection", "service_norms", "knowledge", "visit_service")
# input name → column of county_assessments
PROVINCE_COLUMNS = {f"province.{c}": c for c in
                    ("answer_rate", "online_resolution_rate", "on_time_rate", "visit_rate", "satisfaction_rate")}
ENTERED_COLUMNS = {f"entered.{k}": f"{k}_score" for k in
                   ("data_accuracy", "dispatch_on_time", "dispatch_contact", "dispatch_satisfaction")}
TEST_CALL_INPUTS = {f"test_calls.{i}": i for i in TEST_CALL_ITEMS}
COUNTY_INPUTS = frozenset(PROVINCE_COLUMNS) | frozenset(ENTERED_COLUMNS) | frozenset(TEST_CALL_INPUTS)

UNIT_METRICS = ("sign_on_time_rate", "on_time_rate", "satisfaction_rate", "contact_rate", "valid_tickets")
UNIT_ENTERED = ("entered.data_quality",)
UNIT_INPUTS = frozenset(UNIT_METRICS) | frozenset(UNIT_ENTERED)

# old name → new name, per subject (`on_time_rate` is still a unit input: there it always was our metric)
RENAMED = {
    "county": {**{column: name for name, column in PROVINCE_COLUMNS.items()},
               **{column: name for name, column in ENTERED_COLUMNS.items()}},
    "unit": {"data_quality_score": "entered.data_quality"},
}


def known_inputs(subject: str) -> frozenset[str]:
    """The input names a scheme for `subject` (county or unit) may read."""
    return COUNTY_INPUTS if subject == "county" else UNIT_INPUTS


def renamed(subject: str, name: str) -> str | None:
    """The current name of an input a scheme for `subject` names the old way, or None."""
    return RENAMED.get(subject, {}).get(name)
