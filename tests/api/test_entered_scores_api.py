"""/api/entered-scores: the office (operator, admin) enters scheme scores, analysts read them, liaisons neither;
each write has its audit row; a bad entry is refused with the reason (422)."""

from __future__ import annotations

ENTRY = {"month": "2022-10", "subject": "unit", "name": "市公安局", "input": "entered.data_quality", "score": 8.5,
         "note": "数据项缺失"}


def test_office_enters_analyst_reads(api):
    r = api.post("operator", "/api/entered-scores", ENTRY)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["name"], body["score"], body["previous"], body["entered_by"]) == ("市公安局", 8.5, None, "operator")
    r = api.post("admin", "/api/entered-scores", ENTRY | {"score": 9})
    assert r.status_code == 201 and r.json()["previous"] == 8.5 and r.json()["id"] == body["id"]
    county = {"month": "2022-10", "subject": "county", "name": "湘乡市", "input": "entered.dispatch_satisfaction",
              "score": 36.13}
    assert api.post("operator", "/api/entered-scores", county).status_code == 201

    listed = api.get("analyst", "/api/entered-scores", params={"month": "2022-10"}).json()
    assert [(e["subject"], e["name"], e["input"], e["score"]) for e in listed] == [
        ("county", "湘乡市", "entered.dispatch_satisfaction", 36.13), ("unit", "市公安局", "entered.data_quality", 9.0)]
    assert len(api.get("operator", "/api/entered-scores", params={"subject": "county"}).json()) == 1
    log = api.get("admin", "/api/audit", params={"entity": "entered_score"}).json()["items"]
    assert [e["action"] for e in log] == ["entered_score.create", "entered_score.update", "entered_score.create"]


def test_who_may(api):
    assert api.post("analyst", "/api/entered-scores", ENTRY).status_code == 403
    assert api.post("liaison_a", "/api/entered-scores", ENTRY).status_code == 403
    assert api.get("liaison_a", "/api/entered-scores").status_code == 403
    assert api.get("analyst", "/api/entered-scores").status_code == 200


def test_bad_entries_refused_with_the_reason(api):
    for change, reason in (({"name": "市公安"}, "承办单位不存在：市公安"),
                           ({"input": "entered.reply_norms"}, "不是方案《承办单位月度考核》的录入项"),
                           ({"score": 12}, "超出「数据质量」的分值 0–10"),
                           ({"subject": "county", "name": "韶山", "input": "entered.data_accuracy"}, "县级平台不存在")):
        r = api.post("operator", "/api/entered-scores", ENTRY | change)
        assert r.status_code == 422 and reason in r.json()["detail"], (change, r.text)
    for change in ({"input": "data_quality"}, {"subject": "street"}, {"month": "2022-13"}, {"score": -1}):
        assert api.post("operator", "/api/entered-scores", ENTRY | change).status_code == 422, change
    assert api.get("analyst", "/api/entered-scores").json() == []
