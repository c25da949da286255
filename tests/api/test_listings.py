"""The paged listings behind the routers: return visits (scoped, filtered, masked), users, the audit log.

The expected rows follow from the scenario each test builds (which ticket was visited when, by which unit, who
was added in which order), not from the service's output.
"""

from __future__ import annotations

from datetime import datetime as D

from api_helpers import UNIT_A, UNIT_B


def visited(api, unit_id: int, at: D, result: str, note: str | None = None) -> int:
    """A ticket dispatched to `unit_id`, signed and completed by its liaison, visited at `at`; returns its id."""
    api.clock.now = at.replace(hour=8)
    tid = api.ticket(unit_id=unit_id)["id"]
    liaison = {UNIT_A: "liaison_a", UNIT_B: "liaison_b"}[unit_id]
    path = f"/api/tickets/{tid}/transitions"
    assert api.post(liaison, path, {"action": "sign"}).status_code == 200
    assert api.post(liaison, path, {"action": "complete", "note": "已办结", "contacted": True}).status_code == 200
    api.clock.now = at
    r = api.post("operator", f"/api/tickets/{tid}/visits", {"result": result, "method": "phone", "note": note})
    assert r.status_code == 201, r.text
    return tid


def ids(page: dict) -> list[int]:
    return [v["ticket_id"] for v in page["items"]]


def test_visits_are_listed_newest_first_scoped_filtered_and_masked(api):
    a = visited(api, UNIT_A, D(2022, 9, 30, 10), "satisfied", "市民留电话13812345678")
    b = visited(api, UNIT_B, D(2022, 10, 8, 10), "dissatisfied")
    c = visited(api, UNIT_A, D(2022, 10, 9, 10), "dissatisfied")
    everything = api.get("operator", "/api/visits").json()
    assert ids(everything) == [c, b, a] and everything["total"] == 3
    assert everything["items"][2]["note"] == "市民留电话13812345678"          # the operator sees the number
    assert api.get("analyst", "/api/visits").json()["items"][2]["note"] == "市民留电话138****5678"
    assert ids(api.get("operator", "/api/visits", params={"month": "2022-10"}).json()) == [c, b]
    assert ids(api.get("operator", "/api/visits", params={"result": "dissatisfied"}).json()) == [c, b]
    assert ids(api.get("operator", "/api/visits", params={"unit_id": UNIT_A}).json()) == [c, a]
    assert ids(api.get("liaison_a", "/api/visits").json()) == [c, a]          # a liaison: its unit's only
    assert api.get("liaison_a", "/api/visits", params={"unit_id": UNIT_B}).json()["total"] == 0
    second = api.get("operator", "/api/visits", params={"page": 2, "page_size": 1}).json()
    assert (ids(second), second["total"], second["page"], second["page_size"]) == ([b], 3, 2, 1)
    for bad in ({"month": "2022-13"}, {"result": "happy"}, {"page_size": 201}):
        assert api.get("operator", "/api/visits", params=bad).status_code == 422, bad


def test_users_are_listed_in_the_order_they_were_added(api):
    made = ["operator", "liaison_a", "liaison_b", "analyst", "admin"]  # tests/api/conftest.py adds them so
    r = api.post("admin", "/api/users", {"username": "zhao", "role": "analyst", "display_name": "赵敏"})
    assert r.status_code == 201
    listed = api.get("admin", "/api/users").json()
    assert [u["username"] for u in listed] == [*made, "zhao"]
    assert [u["id"] for u in listed] == sorted(u["id"] for u in listed)
    zhao = listed[-1]
    assert (zhao["display_name"], zhao["role"], zhao["unit_id"], zhao["active"]) == ("赵敏", "analyst", None, True)
    assert next(u for u in listed if u["username"] == "liaison_b")["unit_id"] == UNIT_B
    again = api.post("admin", "/api/users/zhao/tokens").json()
    assert again["user"] == zhao and again["token"].startswith("hl_")
    assert api.post("admin", "/api/users/nobody/tokens").json()["detail"] == "用户不存在：nobody"
    assert api.get("analyst", "/api/users").status_code == 403


def test_audit_log_pages_newest_first(api):
    first, second = api.ticket(), api.ticket()
    log = api.get("admin", "/api/audit", params={"entity": "ticket", "page_size": 2}).json()
    # each ticket: created, then dispatched in the same request; newest first
    assert log["total"] == 4 and (log["page"], log["page_size"]) == (1, 2)
    assert [(e["action"], e["entity_id"]) for e in log["items"]] == [
        ("transition.dispatch", str(second["id"])), ("ticket.create", str(second["id"]))]
    rest = api.get("admin", "/api/audit", params={"entity": "ticket", "page_size": 2, "page": 2}).json()
    assert [(e["action"], e["entity_id"]) for e in rest["items"]] == [
        ("transition.dispatch", str(first["id"])), ("ticket.create", str(first["id"]))]
    users = api.get("admin", "/api/audit", params={"entity": "user"}).json()
    assert users["total"] == 5 and {e["action"] for e in users["items"]} == {"user.add"}
