"""One vocabulary: the enums the API publishes are the code lists of hotline/data/codes.yaml, in their order.

The expected lists are read straight from hotline/data/codes.yaml (not through hotline.domain.codes, which the
API uses), so a hand-written list creeping back into a schema, or a code added to the YAML and not to the API,
fails here.
"""

from __future__ import annotations

from importlib.resources import files

import yaml

CODES = yaml.safe_load(files("hotline.data").joinpath("codes.yaml").read_text(encoding="utf-8"))

# (schema, field) → the code list it takes its values from
FIELDS = {
    ("TicketCreate", "appeal_type"): "appeal_type",
    ("TransitionCreate", "result"): "visit_result",
    ("TransitionCreate", "method"): "visit_method",
    ("VisitCreate", "result"): "visit_result",
    ("VisitCreate", "method"): "visit_method",
    ("UserCreate", "role"): "role",
    ("SpotCheckCreate", "outcome"): "spot_check_outcome",
}


def enum_of(prop: dict) -> list[str]:
    """The enum of a property, whether it is required (`enum`) or optional (`anyOf: [{enum}, {type: null}]`)."""
    if "enum" in prop:
        return prop["enum"]
    return next(p["enum"] for p in prop["anyOf"] if "enum" in p)


def test_request_enums_are_the_code_lists(api):
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    for (schema, field), code_list in FIELDS.items():
        assert enum_of(schemas[schema]["properties"][field]) == list(CODES[code_list]), (schema, field)


def test_channels_are_open_to_the_profile(api):
    # a city profile may add channels (docs/profile.md): the API takes any code and the service checks it against
    # the store's profile, naming the accepted ones
    prop = api.client.get("/openapi.json").json()["components"]["schemas"]["TicketCreate"]["properties"]["channel"]
    assert "enum" not in prop and prop["pattern"] == "^[a-z][a-z0-9_]*$"


def test_query_enums_are_the_code_lists(api):
    paths = api.client.get("/openapi.json").json()["paths"]
    for path, name, code_list in (("/api/tickets", "appeal_type", "appeal_type"), ("/api/visits", "result",
                                                                                   "visit_result")):
        param = next(p for p in paths[path]["get"]["parameters"] if p["name"] == name)
        assert enum_of(param["schema"]) == list(CODES[code_list]), (path, name)

