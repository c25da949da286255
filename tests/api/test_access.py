"""Who may do what: anonymous 401, each role's permissions, liaisons confined to their unit, masking by role."""

from __future__ import annotations

import pytest
from api_helpers import UNIT_A, UNIT_B


def all_routes(api):
    spec = api.client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method in ops:
            yield method, path.replace("{ticket_id}", "1").replace("{entry_id}", "1").replace(
                "{username}", "admin").replace("{month}", "2022-10").replace("{name}", "accepted")


def test_anonymous_gets_401_everywhere(api):
    routes = list(all_routes(api))
    assert len(routes) >= 20
    for method, path in routes:
        r = api.client.request(method.upper(), path, json={})
        assert r.status_code == 401, (method, path, r.status_code, r.text)
        assert "令牌" in r.json()["detail"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_bad_and_revoked_tokens(api):
    assert api.client.get("/api/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert api.client.get("/api/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert api.get("analyst", "/api/me").json()["role_label"] == "分析员"
    assert api.post("admin", "/api/users/analyst/revoke").status_code == 200
    assert api.get("analyst", "/api/me").status_code == 401


def test_operator(api):
    t = api.ticket()
    assert t["state"] == "dispatched" and t["unit"] == "市公安局"
    assert api.get("operator", "/api/tickets").json()["total"] == 1
    r = api.post("operator", f"/api/tickets/{t['id']}/transitions", {"action": "sign"})
    assert r.status_code == 403 and r.json()["detail"] == "话务员无权执行“签收”"
    assert api.post("operator", "/api/kb", {"title": "t", "body": "b", "owner_unit_id": UNIT_A}).status_code == 403
    assert api.get("operator", "/api/metrics", params={"month": "2022-10"}).status_code == 200
    assert api.get("operator", "/api/audit").status_code == 403


def test_liaison_sees_and_acts_only_on_its_unit(api):
    mine, theirs = api.ticket(unit_id=UNIT_A), api.ticket(unit_id=UNIT_B)
    assert api.get("liaison_a", f"/api/tickets/{mine['id']}").status_code == 200
    for path in (f"/api/tickets/{theirs['id']}", f"/api/tickets/{theirs['id']}/events"):
        r = api.get("liaison_a", path)
        assert r.status_code == 403 and r.json()["detail"] == "无权访问其他单位的工单"
    r = api.post("liaison_a", f"/api/tickets/{theirs['id']}/transitions", {"action": "sign"})
    assert r.status_code == 403
    listed = api.get("liaison_a", "/api/tickets").json()
    assert [t["id"] for t in listed["items"]] == [mine["id"]]
    assert api.get("liaison_a", "/api/tickets", params={"unit_id": UNIT_B}).json()["total"] == 0
    assert api.post("liaison_a", f"/api/tickets/{mine['id']}/transitions", {"action": "sign"}).status_code == 200
    assert api.post("liaison_a", "/api/tickets", {"appeal_type": "consult", "subcategory_id": 1,
                                                  "content": "x"}).status_code == 403
    assert api.get("liaison_a", "/api/metrics", params={"month": "2022-10"}).status_code == 403
    assert api.get("liaison_a", "/api/visits").json()["total"] == 0


def test_analyst_reads_masked_and_cannot_act(api):
    t = api.ticket(caller_phone="13812345678", id_number="430302199001011234",
                   content="市民（电话13812345678，身份证430302199001011234）反映噪音扰民。")
    full = api.get("operator", f"/api/tickets/{t['id']}").json()
    assert (full["contact_phone"], full["id_number"]) == ("13812345678", "430302199001011234")
    assert "13812345678" in full["content"]
    assert full["caller_phone"] == "138****5678"          # the tickets column itself is always masked
    liaison = api.get("liaison_a", f"/api/tickets/{t['id']}").json()
    assert (liaison["contact_phone"], liaison["id_number"]) == ("13812345678", "430302********1234")
    assert "430302********1234" in liaison["content"] and "13812345678" in liaison["content"]
    seen = api.get("analyst", f"/api/tickets/{t['id']}").json()
    assert (seen["contact_phone"], seen["id_number"]) == ("138****5678", "430302********1234")
    assert "138****5678" in seen["content"] and "13812345678" not in seen["content"]
    listed = api.get("analyst", "/api/tickets").json()["items"][0]
    assert "13812345678" not in listed["content"]
    assert api.post("analyst", f"/api/tickets/{t['id']}/transitions", {"action": "sign"}).status_code == 403
    assert api.post("analyst", "/api/tickets", {"appeal_type": "consult", "subcategory_id": 1,
                                                "content": "x"}).status_code == 403


def test_admin_manages_users_and_reads_the_audit_log(api):
    r = api.post("admin", "/api/users", {"username": "li_new", "role": "liaison", "unit_id": UNIT_B})
    assert r.status_code == 201
    token = r.json()["token"]
    me = api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {"username": "li_new", "display_name": "li_new", "role": "liaison", "role_label": "联络员",
                  "unit_id": UNIT_B}
    r = api.post("admin", "/api/users", {"username": "li_nounit", "role": "liaison"})
    assert r.status_code == 422 and "所属承办单位" in r.json()["detail"]
    assert api.post("admin", "/api/users", {"username": "li_new", "role": "analyst"}).status_code == 422
    assert api.post("operator", "/api/users", {"username": "x", "role": "admin"}).status_code == 403
    t = api.ticket()
    log = api.get("admin", "/api/audit", params={"entity": "ticket", "entity_id": str(t["id"])}).json()
    assert [e["action"] for e in log["items"]] == ["transition.dispatch", "ticket.create"]
    assert {e["actor"] for e in log["items"]} == {"operator"}


@pytest.mark.parametrize("who", ["operator", "liaison_a", "analyst", "admin"])
def test_lifecycle_is_readable_by_every_role(api, who):
    spec = api.get(who, "/api/lifecycle").json()
    assert {s["code"] for s in spec["states"]} >= {"dispatched", "signed", "archived"}

