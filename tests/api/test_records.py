"""Knowledge base (owner units, review dates, stale flag, Chinese full-text search), test calls, spot checks."""

from __future__ import annotations

from datetime import datetime as D

from api_helpers import UNIT_A, UNIT_B

from hotline.service.kb import search_terms


def test_search_terms_are_bigrams_for_chinese():
    assert search_terms("核酸检测") == ["核酸", "酸检", "检测"]
    assert search_terms("返潭 政策") == ["返潭", "政策"]
    assert search_terms("12345 热线") == ["12345", "热线"]
    assert search_terms("码") == ["码"]


def test_kb_owner_units_search_and_staleness(api):
    api.clock.now = D(2022, 6, 1, 9)
    r = api.post("liaison_a", "/api/kb", {"title": "返潭人员核酸检测要求", "review_days": 30,
                                          "body": "省外返潭人员须持 48 小时核酸检测阴性证明，抵潭后三天两检。"})
    assert r.status_code == 201
    old = r.json()
    assert old["owner_unit_id"] == UNIT_A and old["review_at"] == "2022-07-01T09:00:00" and not old["stale"]
    api.clock.now = D(2022, 10, 6, 9)
    fresh = api.post("admin", "/api/kb", {"title": "居住证办理流程", "owner_unit_id": UNIT_B,
                                          "body": "持身份证、租房合同到辖区派出所办理。"}).json()
    r = api.post("liaison_a", "/api/kb", {"title": "他单位条目", "body": "x", "owner_unit_id": UNIT_B})
    assert r.status_code == 403 and "本单位" in r.json()["detail"]
    assert api.patch("liaison_b", f"/api/kb/{old['id']}", {"body": "改"}).status_code == 403

    hits = api.get("operator", "/api/kb", params={"q": "核酸 返潭"}).json()
    assert [h["id"] for h in hits["items"]] == [old["id"]] and hits["items"][0]["score"] > 0
    assert api.get("operator", "/api/kb", params={"q": "检测阴性"}).json()["total"] == 1   # inside a sentence
    assert api.get("operator", "/api/kb", params={"q": "派出所"}).json()["items"][0]["id"] == fresh["id"]
    assert api.get("operator", "/api/kb", params={"q": "公积金"}).json()["total"] == 0
    stale = api.get("analyst", "/api/kb", params={"stale": True}).json()
    assert [e["id"] for e in stale["items"]] == [old["id"]] and stale["items"][0]["stale"] is True

    reviewed = api.patch("liaison_a", f"/api/kb/{old['id']}", {}).json()   # confirmed unchanged: review moves on
    assert reviewed["stale"] is False and reviewed["updated_at"] == "2022-10-06T09:00:00"
    assert api.get("analyst", "/api/kb", params={"stale": True}).json()["total"] == 0
    assert api.get("operator", "/api/kb/999999").status_code == 404


def test_test_call_sheets(api):
    sheet = {"platform": "shaoshan", "wait_seconds": 93, "voice_navigation": 10, "connection": 0,
             "service_norms": 35, "knowledge": 30, "visit_service": 10, "remark": "等待 1 分 33 秒后才接通"}
    r = api.post("analyst", "/api/test-calls", sheet | {"called_at": "2022-10-12T10:17:00"})
    assert r.status_code == 201 and r.json()["total"] == 85
    assert api.post("analyst", "/api/test-calls", sheet | {"knowledge": 31}).status_code == 422
    assert api.post("analyst", "/api/test-calls", sheet | {"platform": "mars"}).status_code == 422
    assert api.post("operator", "/api/test-calls", sheet).status_code == 403
    listed = api.get("operator", "/api/test-calls", params={"month": "2022-10"}).json()
    assert [c["platform"] for c in listed] == ["shaoshan"]


def test_spot_checks(api):
    row = {"month": "2022-09", "ticket_no": "22090310007099", "unit_name": "市税务局", "content": "反映退税问题",
           "feedback": "已联系解释", "outcome": "dissatisfied"}
    assert api.post("admin", "/api/spot-checks", row).status_code == 201
    assert api.post("admin", "/api/spot-checks", row | {"ticket_no": "123"}).status_code == 422
    assert api.post("liaison_a", "/api/spot-checks", row).status_code == 403
    got = api.get("analyst", "/api/spot-checks", params={"month_from": "2022-01", "month_to": "2022-09"}).json()
    assert len(got) == 1 and got[0]["outcome"] == "dissatisfied"
    log = api.get("admin", "/api/audit", params={"entity": "spot_check"}).json()
    assert log["items"][0]["action"] == "spot_check.create"
