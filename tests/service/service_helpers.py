"""Small helpers shared by the service tests (imported by file name: tests/service is on sys.path)."""

from __future__ import annotations

from hotline.service.context import Principal, TransitionRequest

OPERATOR = Principal("op1", "operator")
ADMIN = Principal("admin1", "admin")
UNIT_A, UNIT_B, UNIT_C = 9, 16, 20  # 市公安局, 市城管局, 市资规局 (附件1 order in units.yaml)
LIAISON_A = Principal("li_a", "liaison", unit_id=UNIT_A)
LIAISON_B = Principal("li_b", "liaison", unit_id=UNIT_B)
LIAISON_C = Principal("li_c", "liaison", unit_id=UNIT_C)
LIAISONS = {UNIT_A: LIAISON_A, UNIT_B: LIAISON_B, UNIT_C: LIAISON_C}


def dispatched(svc, appeal_type="consult", unit_id=UNIT_A, sub=1, **extra):
    """A ticket accepted and dispatched to `unit_id` now; returns its id."""
    return svc.create(OPERATOR, dict(appeal_type=appeal_type, subcategory_id=sub, content="市民来电反映：测试诉求。",
                                     unit_id=unit_id, **extra))["ticket_id"]


def req(**kw):
    return TransitionRequest(**kw)
