"""Tickets through the API: create, search and filter, paginate; transitions with 409 and Chinese refusals."""

from __future__ import annotations

from datetime import datetime as D

from api_helpers import UNIT_A, UNIT_B


def test_create_validates_in_chinese(api):
    r = api.post("operator", "/api/tickets", {"appeal_type": "consult", "subcategory_id": 999999, "content": "x"})
    assert r.status_code == 422 and "诉求小类不存在" in r.json()["detail"]
    r = api.post("operator", "/api/tickets", {"appeal_type": "gripe", "subcategory_id": 1, "content": "x"})
    assert r.status_code == 422 and r.json()["detail"].startswith("请求参数有误")
    r = api.post("operator", "/api/tickets", {"appeal_type": "consult", "subcategory_id": 1, "content": "   "})
    assert r.status_code == 422 and "诉求内容" in r.json()["detail"]
    r = api.post("operator", "/api/tickets", {"appeal_type": "consult", "subcategory_id": 1, "content": "x",
                                              "unit_id": 99999})
    assert r.status_code == 422 and "承办单位不存在" in r.json()["detail"]
    # nothing half-created by the refused dispatch
    assert api.get("operator", "/api/tickets").json()["total"] == 0


def test_search_filters_and_pages(api):
    api.clock.now = D(2022, 9, 20, 10)
    api.ticket(appeal_type="complaint", subcategory_id=2, unit_id=UNIT_B)
    api.clock.now = D(2022, 10, 9, 10)
    for i in range(5):
        api.ticket(appeal_type="consult", unit_id=UNIT_A, content=f"市民反映第{i}号问题")
    api.ticket(appeal_type="help", route="online", unit_id=None, answer="已答复")
    g = lambda **p: api.get("analyst", "/api/tickets", params=p).json()  # noqa: E731
    assert g()["total"] == 7
    assert g(month="2022-10")["total"] == 6 and g(month="2022-09")["total"] == 1
    assert g(unit_id=UNIT_A)["total"] == 5
    assert g(appeal_type="complaint")["items"][0]["appeal_type"] == "complaint"
    assert g(state="resolved_online")["total"] == 1
    sub2 = g(subcategory_id=2)["items"][0]
    assert g(category_id=sub2["category_id"])["total"] >= 1
    assert g(q="第3号")["total"] == 1
    p1, p2, p3 = g(page_size=3), g(page_size=3, page=2), g(page_size=3, page=3)
    ids = [t["id"] for p in (p1, p2, p3) for t in p["items"]]
    assert len(ids) == 7 == len(set(ids)) and p1["total"] == 7
    assert [t["accepted_at"] for t in p1["items"]] == sorted([t["accepted_at"] for t in p1["items"]], reverse=True)
    assert api.get("analyst", "/api/tickets", params={"month": "2022-13"}).status_code == 422
    assert api.get("analyst", "/api/tickets", params={"page_size": 500}).status_code == 422


def test_transition_conflicts_return_the_current_state(api):
    t = api.ticket()
    path = f"/api/tickets/{t['id']}/transitions"
    first = api.post("liaison_a", path, {"action": "sign", "version": t["version"]})
    assert first.status_code == 200 and first.json()["state"] == "signed" and first.json()["version"] == 2
    again = api.post("liaison_a", path, {"action": "sign"})
    assert again.status_code == 409
    assert again.json() == {"detail": "工单当前状态为“已签收”，不能执行“签收”", "state": "signed",
                            "state_label": "已签收", "version": 2}
    stale = api.post("liaison_a", path, {"action": "contact", "version": 1})
    assert stale.status_code == 409 and stale.json()["version"] == 2


def test_late_return_is_refused_with_the_reason(api):
    t = api.ticket()
    path = f"/api/tickets/{t['id']}/transitions"
    api.post("liaison_a", path, {"action": "sign"})
    api.clock.now = D(2022, 10, 10, 9)
    r = api.post("liaison_a", path, {"action": "request_return", "note": "不属于我单位职责"})
    assert r.status_code == 422
    body = r.json()
    assert "已超过退单时限" in body["detail"] and "2 个工作日内" in body["detail"] and body["state"] == "signed"
    r = api.post("liaison_a", path, {"action": "request_return"})
    assert r.status_code == 422 and r.json()["detail"] == "缺少必填项：说明"


def test_full_path_and_history(api):
    t = api.ticket(appeal_type="complaint")
    tid, path = t["id"], f"/api/tickets/{t['id']}/transitions"
    assert t["due_at"] == "2022-10-12T23:59:59" and t["actions"] == [
        {"action": "remind", "label": "催办"}, {"action": "cancel", "label": "撤销"},
        {"action": "refer_out", "label": "转出（不属本热线受理范围）"}]
    assert [a["action"] for a in api.get("liaison_a", f"/api/tickets/{tid}").json()["actions"]] == ["sign"]
    api.post("liaison_a", path, {"action": "sign"})
    api.clock.now = D(2022, 10, 8, 10)
    api.post("liaison_a", path, {"action": "request_extension", "note": "需协调住建部门", "days": 2})
    r = api.post("operator", path, {"action": "approve_extension"})
    assert r.json()["events"][0]["due_at"] == "2022-10-14T23:59:59"
    r = api.post("liaison_a", path, {"action": "complete", "note": "已协调处理", "contacted": True})
    assert [e["kind"] for e in r.json()["events"]] == ["contact", "feedback", "complete"]
    v = api.post("operator", f"/api/tickets/{tid}/visits", {"result": "dissatisfied", "method": "sms"})
    assert v.status_code == 201 and v.json()["state"] == "visited"
    assert api.post("operator", path, {"action": "reopen"}).json()["state"] == "dispatched"
    detail = api.get("operator", f"/api/tickets/{tid}").json()
    assert [e["kind"] for e in detail["events"]] == [
        "accept", "dispatch", "sign", "extension_request", "extension_approved", "contact", "feedback", "complete",
        "visit", "reopen"]
    assert detail["events"][3]["note"] == "申请延期 2 个工作日：需协调住建部门"
    assert detail["visits"][0]["result"] == "dissatisfied" and detail["hops"] == 1
    assert api.get("operator", "/api/visits", params={"month": "2022-10"}).json()["total"] == 1


def test_overdue_flag_and_backlog(api):
    t = api.ticket(unit_id=UNIT_B)
    api.clock.now = D(2022, 10, 11, 9)
    assert api.get("operator", f"/api/tickets/{t['id']}").json()["overdue"] is True
    backlog = api.get("analyst", "/api/sla/backlog").json()
    assert backlog["total"] == 1 and backlog["units"][0]["unit"] == "市城管局"
    assert api.post("analyst", "/api/sla/run").status_code == 403
    run = api.post("admin", "/api/sla/run").json()
    assert run["reminders_written"] == 1 and run["summary"][0].startswith("催办检查")
    assert api.post("admin", "/api/sla/run").json()["reminders_written"] == 0
