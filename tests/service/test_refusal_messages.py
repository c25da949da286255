"""A refusal that names what is accepted lists the codes with their Chinese words (`consult 咨询、help 求助、…`).

The expected words are read straight from hotline/data/codes.yaml, not through hotline.domain.codes.
"""

from __future__ import annotations

from datetime import datetime as D
from importlib.resources import files

import pytest
import yaml
from service_helpers import ADMIN, LIAISON_A, OPERATOR, dispatched, req

from hotline.service import spot_checks
from hotline.service.errors import Invalid
from hotline.service.transactions import write_tx

CODES = yaml.safe_load(files("hotline.data").joinpath("codes.yaml").read_text(encoding="utf-8"))


def names_every_code(message: str, code_list: str) -> bool:
    return all(f"{code} {word}" in message for code, word in CODES[code_list].items())


@pytest.mark.parametrize("field, value, code_list", [("appeal_type", "gripe", "appeal_type"),
                                                     ("channel", "pigeon", "channel")])
def test_accepting_an_appeal(svc, field, value, code_list):
    with pytest.raises(Invalid) as refused:
        svc.create(OPERATOR, {"appeal_type": "consult", "subcategory_id": 1, "content": "x", field: value})
    assert names_every_code(refused.value.message, code_list), refused.value.message


@pytest.mark.parametrize("field, code_list", [("result", "visit_result"), ("method", "visit_method")])
def test_recording_a_visit(svc, field, code_list):
    tid = dispatched(svc)
    svc.fire(LIAISON_A, tid, "sign")
    svc.fire(LIAISON_A, tid, "complete", req(note="已办结", contacted=True))
    fields = {"result": "satisfied", "method": "phone", field: "telepathy"}
    with pytest.raises(Invalid) as refused:
        svc.fire(OPERATOR, tid, "visit", req(**fields))
    assert names_every_code(refused.value.message, code_list), refused.value.message


def test_recording_a_spot_check(engine):
    row = {"month": "2022-09", "ticket_no": "22090310007099", "unit_name": "市税务局", "content": "反映退税问题",
           "feedback": "已联系解释", "outcome": "angry"}
    with pytest.raises(Invalid) as refused, write_tx(engine) as conn:
        spot_checks.add_spot_check(conn, ADMIN, row, D(2022, 10, 1))
    assert names_every_code(refused.value.message, "spot_check_outcome"), refused.value.message


def test_an_unknown_action_lists_the_actions_with_their_names(svc):
    with pytest.raises(Invalid) as refused:
        svc.fire(ADMIN, dispatched(svc), "teleport")
    assert "sign 签收" in refused.value.message and "request_return 退单申请" in refused.value.message
