"""The office's records that are not tickets: test-call sheets (拨测), the knowledge base, the leader hotline day,
spot checks, the provincial assessment figures of the county platforms (附件2's 五率一度 inputs) and the
scores the office entered for them (数据准确度, 交办工单 sub-scores: table entered_scores).

Why apart from the tickets: these are what the office keeps by hand, not what callers create, and the report
quotes them as they are (附件2, 拨测, 抽查, 知识库); the seed's values are written here, or read from
hotline/data/seed_*.yaml, so that those parts of the report reproduce the seed.
"""

from __future__ import annotations

from datetime import datetime

from hotline.data import load_yaml

# 拨测: four calls per county in October 2022; item scores chosen so the averages are 附件2's
# (湘潭县 10/10/23.25/11.25/10, 湘乡市 10/10/35/21.25/10, 韶山市 10/7.5/32.75/26.25/10).
TEST_CALLS = {
    "xiangtan_county": [
        (12, 10, 10, 28, 30, 10, "十字服务用语欠佳，未使用尊称"),
        (8, 10, 10, 20, 15, 10, "直接告知拨测人员咨询其他单位电话，有推诿嫌疑，首问责任制得分为0"),
        (15, 10, 10, 20, 0, 10, "未进行答复，业务知识得分为0；直接告知咨询其他单位电话，首问责任制得分为0"),
        (10, 10, 10, 25, 0, 10, "未进行答复，业务知识得分为0；直接告知咨询其他单位电话，首问责任制得分为0"),
    ],
    "xiangxiang": [
        (9, 10, 10, 40, 30, 10, "服务规范，答复准确"),
        (11, 10, 10, 40, 30, 10, "服务规范，答复准确"),
        (14, 10, 10, 30, 25, 10, "直接告知拨测人员咨询其他单位电话，有推诿嫌疑，首问责任制得分为0"),
        (7, 10, 10, 30, 0, 10, "未进行答复，业务知识得分为0"),
    ],
    "shaoshan": [
        (10, 10, 10, 35, 30, 10, "答复准确"),
        (93, 10, 0, 32, 30, 10, "等待1分33秒后才接通，接通率得分为0；十字服务用语欠佳"),
        (12, 10, 10, 32, 30, 10, "未使用尊称，未在有效时间内询问市民姓氏"),
        (9, 10, 10, 32, 15, 10, "十字服务用语欠佳，答复不完整"),
    ],
}

# 附件2 inputs the city receives rather than computes: the provincial platform's assessed rates for each
# county's own platform, the entered 数据准确度 score, and the office's 交办工单 sub-scores (see docs).
COUNTY_ASSESSMENTS = {
    "shaoshan": (94.61, 94.92, 100.00, 100.00, 86.60, 30, 30.00, 30.00, 38.89),
    "xiangxiang": (86.20, 77.47, 99.52, 98.23, 85.51, 30, 30.00, 30.00, 36.13),
    "xiangtan_county": (82.55, 83.75, 99.93, 99.34, 91.05, 30, 30.00, 30.00, 40.00),
}

KB = [  # (title, subcategory, owner unit, last update, review period in days)
    ("外地来（返）潭人员报备及核酸检测要求", "疫情等突发公共卫生事件", "市卫健委", datetime(2022, 9, 20), 3),
    ("健康码、行程码异常处理流程", "疫情等突发公共卫生事件", "市卫健委", datetime(2022, 9, 26), 3),
    ("密切接触者隔离管控政策", "疫情等突发公共卫生事件", "市卫健委", datetime(2022, 9, 12), 3),
    ("全市核酸检测采样点及开放时间", "疫情等突发公共卫生事件", "市卫健委", datetime(2022, 10, 3), 3),
    ("新冠疫苗接种点及预约方式", "疫苗接种", "市卫健委", datetime(2022, 10, 20), 7),
    ("城乡居民养老保险缴费档次及标准", "社会保险", "市人社局", datetime(2022, 10, 12), 90),
    ("灵活就业人员参保登记办理", "社会保险", "市人社局", datetime(2022, 9, 1), 90),
    ("退休人员养老金资格认证", "退休服务", "市人社局", datetime(2022, 8, 15), 90),
    ("社保卡申领、挂失及补换", "社保卡", "市人社局", datetime(2022, 7, 30), 180),
    ("丧葬补助金、抚恤金申领条件", "殡葬服务", "市人社局", datetime(2022, 6, 1), 180),
    ("医保异地就医备案办理", "医疗/生育保险", "市医保局", datetime(2022, 9, 28), 90),
    ("消费纠纷投诉受理范围及12315转办", "消费维权", "市市场监管局", datetime(2022, 10, 10), 90),
    ("个体工商户设立登记材料", "工商管理", "市市场监管局", datetime(2022, 5, 10), 180),
    ("居民身份证办理、补领及临时身份证", "身份证与户籍服务", "市公安局", datetime(2022, 8, 2), 180),
    ("违停处罚查询及申诉", "停车管理", "市公安局", datetime(2022, 9, 9), 180),
    ("公交线路调整及首末班时间", "公交服务", "湘潭交发集团", datetime(2022, 10, 15), 30),
    ("公交IC卡办理、充值及老年卡", "公交IC卡", "湘潭交发集团", datetime(2022, 4, 20), 180),
    ("物业服务投诉处理流程", "物业管理", "市住建局", datetime(2022, 8, 18), 180),
    ("契税补贴申领条件及材料", "契税补贴", "市住建局", datetime(2022, 3, 1), 180),
    ("住房公积金提取条件", "住房公积金", "市公积金中心", datetime(2022, 9, 5), 180),
    ("建筑施工夜间作业许可及噪音投诉", "建筑施工噪音", "市生态环境局", datetime(2022, 7, 8), 180),
    ("供水停水通知查询", "供水服务", "湘潭中环水务公司", datetime(2022, 10, 18), 30),
    ("燃气开户、过户及安全检查", "燃气服务", "湘潭新奥燃气公司", datetime(2022, 6, 22), 180),
    ("义务教育阶段招生入学政策", "招生入学", "市教育局", datetime(2022, 6, 30), 365),
    ("退役军人优待证申领", "优待政策", "市退役军人事务局", datetime(2022, 8, 1), 180),
]


def write_records(builder) -> None:
    ds = builder.ds
    for platform, calls in TEST_CALLS.items():
        for i, (wait, nav, conn, norms, know, visit, remark) in enumerate(calls):
            ds.add("test_calls", {"platform": platform, "called_at": datetime(2022, 10, 11 + 4 * i, 10 + i, 17),
                                  "wait_seconds": wait, "voice_navigation": nav, "connection": conn,
                                  "service_norms": norms, "knowledge": know, "visit_service": visit, "remark": remark})
    rates = ("answer_rate", "online_resolution_rate", "on_time_rate", "visit_rate", "satisfaction_rate")
    entered = ("entered.data_accuracy", "entered.dispatch_on_time", "entered.dispatch_contact",
               "entered.dispatch_satisfaction")
    for platform, vals in COUNTY_ASSESSMENTS.items():
        ds.add("county_assessments", {"platform": platform, "month": "2022-10", **dict(zip(rates, vals))})
        for name, score in zip(entered, vals[len(rates):]):
            ds.add("entered_scores", {"month": "2022-10", "platform": platform, "unit_id": None, "input": name,
                                      "score": score, "note": None, "entered_by": "demo",
                                      "entered_at": datetime(2022, 11, 1, 9)})
    for title, sub, unit, updated, review in KB:
        ds.add("kb_entries", {"title": title, "body": f"{title}：答复口径由{unit}提供，以最新政策为准。",
                              "subcategory_id": builder.sub_id[sub], "owner_unit_id": builder.unit_id[unit],
                              "updated_at": updated, "review_days": review})
    seed = load_yaml("seed_records.yaml")
    for d in seed["leader_days"]:
        ds.add("leader_days", {"day": d["day"], "person": d["person"], "title": d["title"],
                               "unit_id": builder.unit_id[d["unit"]], "calls_answered": d["calls_answered"],
                               "topics": "、".join(d["topics"])})
    for r in load_yaml("seed_spot_checks.yaml")["spot_checks"]:
        ds.add("spot_checks", {"month": str(r["month"]), "ticket_no": str(r["ticket_no"]), "unit_name": r["unit"],
                               "content": r["content"], "feedback": r["feedback"], "outcome": r["outcome"]})
