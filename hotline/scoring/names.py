"""The input names a scheme may use, one namespace per source, and the old names they replaced.

A scheme's indicator reads one input. The same word must not mean two figures: `on_time_rate` is our
metric (metrics.yaml), while the provincial platform assesses each county's own 按时办结率. So each source
has its namespace (docs/scoring.md):

- a bare name (`on_time_rate`, `satisfaction_rate`…): a metric of metrics.yaml, measured on the store;
- `province.*`: the provincial platform's assessed rate of a county (table `county_assessments`);
- `entered.*`: a score the office enters by hand, for a county or a unit (table `entered_scores`, or the
  rule's `default`). Any snake_case name after `entered.` is allowed: each city's schemes name their own
  (数据准确度, 答复规范…), and the office enters them under the names its schemes use;
- `test_calls.*`: one item of the month's test-call sheets (table `test_calls`).

A scheme still using a name from before the namespaces fails with the new name in the message.
"""

from __future__ import annotations

import re

SUBJECTS = ("county", "unit")
SUBJECT_WORDS = {"county": "县级平台", "unit": "承办单位"}

TEST_CALL_ITEMS = ("voice_navigation", "connection", "service_norms", "knowledge", "visit_service")
# input name → column of county_assessments
PROVINCE_COLUMNS = {f"province.{c}": c for c in
                    ("answer_rate", "online_resolution_rate", "on_time_rate", "visit_rate", "satisfaction_rate")}
TEST_CALL_INPUTS = {f"test_calls.{i}": i for i in TEST_CALL_ITEMS}
COUNTY_INPUTS = frozenset(PROVINCE_COLUMNS) | frozenset(TEST_CALL_INPUTS)

UNIT_METRICS = ("sign_on_time_rate", "on_time_rate", "satisfaction_rate", "contact_rate", "valid_tickets")
UNIT_INPUTS = frozenset(UNIT_METRICS)

ENTERED_PREFIX = "entered."
ENTERED_NAME = re.compile(r"^entered\.[a-z][a-z0-9_]{0,54}$")  # fits entered_scores.input (64)

# old name → new name, per subject (`on_time_rate` is still a unit input: there it always was our metric)
RENAMED = {
    "county": {**{column: name for name, column in PROVINCE_COLUMNS.items()},
               **{f"{k}_score": f"entered.{k}" for k in
                  ("data_accuracy", "dispatch_on_time", "dispatch_contact", "dispatch_satisfaction")}},
    "unit": {"data_quality_score": "entered.data_quality"},
}


def is_entered(name: str) -> bool:
    """Whether `name` is a well-formed entered input (`entered.` and a snake_case item)."""
    return bool(ENTERED_NAME.match(name))


def known_inputs(subject: str) -> frozenset[str]:
    """The measured and received input names a scheme for `subject` (county or unit) may read; any
    well-formed `entered.*` name is allowed besides (`is_entered`)."""
    return COUNTY_INPUTS if subject == "county" else UNIT_INPUTS


def renamed(subject: str, name: str) -> str | None:
    """The current name of an input a scheme for `subject` names the old way, or None."""
    return RENAMED.get(subject, {}).get(name)
