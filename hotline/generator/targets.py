"""Calibration of the demo data: the October 2022 Xiangtan report, turned into integer cell counts.

Nothing here is a metric: these are the *inputs* a generator needs so that the ticket-level data it
writes, once measured by the metric engine, gives back the figures the seed report printed. Each block
says which seed figure it serves and, where the seed only printed a share, the denominator that the
share implies (see docs/seed-arithmetic.md for the arithmetic).

Bases (口径) modelled explicitly:
- acceptance month (受理时间): appeal counts, types, categories, 图4/图5 shares, dispatch counts;
- return-visit month (回访时间): 附件1 and the visit results (its note 2);
- the carry-over between them: tickets accepted in September and visited in October, and tickets accepted
  late in October and visited in November.
"""

from __future__ import annotations

from hotline.domain.month import Month

MONTH = "2022-10"
PREV_MONTH = "2022-09"
SEP_START, OCT_START = Month.parse(PREV_MONTH).bounds
NOV_START = Month.parse(MONTH).end

# ---- the city's shape: where appeals without a handling unit come from (shares of the regions, in %), and the
# epidemic, which drove October's volume (its appeals surge from 6 October)
REGION_WEIGHTS = {"雨湖区": 20, "岳塘区": 22, "高新区": 8, "湘潭经开区": 9, "岳塘经开区": 1, "湘潭县": 14,
                  "湘乡市": 10, "韶山市": 2, "市本级": 14}
EPIDEMIC = "疫情等突发公共卫生事件"

# ---- calls (一（一）): 67,236 calls, 82.39% answered; 话务量环比上升 60.66%, 接通率环比下降 8.08 个百分点
CALLS = {"2022-10": (67236, 55396), "2022-09": (41850, 37862)}

# ---- accepted appeals by type, October (一（一）)
APPEAL_TYPES_OCT = {"consult": 33523, "help": 13605, "complaint": 7238, "suggestion": 276, "invalid": 73, "other": 77}
# dispatched tickets of October by type (the rest are resolved online)
APPEAL_TYPES_DISPATCHED_OCT = {"consult": 50, "help": 2700, "complaint": 4600, "suggestion": 120}
# subcategories whose appeal type is fixed by their nature
FIXED_TYPE_SUBCATEGORIES = {"无效来电": "invalid", "表扬感谢": "other"}

# ---- October acceptance totals per subcategory (online + dispatched). Top-10 and the five largest
# categories are the seed's (一（二）); every other subcategory stays below the 10th (420) and every other
# category below the 5th (1,758).
SUBCATEGORY_TOTALS_OCT = {
    "疫情等突发公共卫生事件": 25939, "安全生产事故": 10, "自然灾害": 8,
    "社会保险": 3622, "劳动维权": 885, "医疗/生育保险": 827, "退休服务": 543, "社保卡": 513, "就业创业": 410,
    "人事人才": 398, "殡葬服务": 390, "工伤保险": 380, "失业保险": 300, "职业技能培训": 148,
    "消费维权": 2938, "工商管理": 260, "食品安全": 150, "无照/超范围经营": 100, "价格监管": 30, "特种设备": 20,
    "药品监管": 20, "网络交易": 30, "金融服务": 20, "税费服务": 14, "广告监管": 10, "计量质量": 10, "知识产权": 10,
    "停车管理": 423, "身份证与户籍服务": 340, "投诉公安机关": 200, "违章处罚": 250, "治安管理": 250,
    "出入境服务": 150, "交通秩序": 200, "电信网络诈骗": 200, "交通事故处理": 138,
    "公交服务": 419, "公交IC卡": 250, "线路咨询": 220, "出租车管理": 220, "道路运输": 220, "驾培管理": 200,
    "道路养护": 229,
    "物业管理": 420, "违章搭建": 230, "私搭乱建": 150, "房产交易": 210, "老旧小区改造": 200, "契税补贴": 50,
    "公租房保障": 120, "住房公积金": 100, "房屋安全": 120,
    "生活噪音": 400, "建筑施工噪音": 300, "水、大气污染": 200, "工业生产噪音": 100, "油烟污染": 150, "国土资源": 50,
    "通信管理": 520, "宽带网络": 400, "邮政快递": 300, "广播电视": 80,
    "占道经营": 300, "道路清扫": 200, "井盖设施": 150, "园林绿化": 150, "垃圾清运": 300,
    "供水服务": 410, "供电服务": 410, "燃气服务": 400,
    "医疗服务": 410, "疫苗接种": 400, "爱国卫生": 300, "医疗纠纷": 390,
    "投诉学校": 300, "招生入学": 300, "文化旅游": 400, "体育设施": 150, "职业院校": 150,
    "社会救助": 400, "养老服务": 300, "优待政策": 100, "婚姻登记": 150, "法律服务": 150,
    "农业生产": 300, "农村建房": 200, "水利设施": 100,
    "政务办事": 410, "政策咨询": 410, "消防安全": 300, "人防工程": 100, "政务公开": 208,
    "无效来电": 73, "表扬感谢": 77, "其他诉求": 400,
}

# ---- October dispatched tickets per handling unit, by acceptance month (图4/图5 denominators).
# Each entry: total, fixed cells, cap for every other cell (keeps the published top-3 on top), and the
# subcategories the rest is spread over. Totals of the 13 units in 图4/图5 are the denominators implied by
# their shares (e.g. 市公安局 45/387 = 11.63%); the rest are chosen so the month sums to 7,470.
_REGION_FILL = ["违章搭建", "老旧小区改造", "房屋安全", "占道经营", "道路清扫", "井盖设施", "垃圾清运", "园林绿化",
                "社会救助", "养老服务", "招生入学", "投诉学校", "供水服务", "道路养护", "政务办事", "食品安全",
                "无照/超范围经营", "农村建房", "就业创业", "宽带网络", "医疗服务", "社保卡",
                "私搭乱建", "公租房保障", "优待政策", "燃气服务", "供电服务", "疫苗接种", "爱国卫生"]

DISPATCH_PLAN_OCT: dict[str, dict] = {
    "雨湖区人民政府": dict(total=1427, cap=50, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 332, "消费维权": 184, "生活噪音": 51, "劳动维权": 45, "物业管理": 45, "社会保险": 45,
        "退休服务": 40, "医疗/生育保险": 20, "殡葬服务": 10, "建筑施工噪音": 15, "水、大气污染": 10, "油烟污染": 20}),
    "岳塘区人民政府": dict(total=1685, cap=62, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 572, "消费维权": 308, "物业管理": 63, "劳动维权": 55, "社会保险": 55, "退休服务": 50,
        "生活噪音": 45, "医疗/生育保险": 25, "殡葬服务": 10, "建筑施工噪音": 20, "油烟污染": 20}),
    "湘潭高新区管委会": dict(total=379, cap=30, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 99, "劳动维权": 56, "物业管理": 31, "消费维权": 25, "社会保险": 20, "退休服务": 15,
        "生活噪音": 10}),
    "湘潭经开区管委会": dict(total=839, cap=85, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 242, "劳动维权": 128, "物业管理": 86, "消费维权": 62, "社会保险": 50, "退休服务": 40,
        "生活噪音": 30, "医疗/生育保险": 10, "建筑施工噪音": 10, "工业生产噪音": 8}),
    "岳塘经开区管委会": dict(total=23, cap=1, fill=_REGION_FILL, fixed={
        "劳动维权": 5, "退休服务": 3, "疫情等突发公共卫生事件": 2, "社会保险": 1}),
    "湘潭县人民政府": dict(total=381, cap=23, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 41, "消费维权": 39, "水、大气污染": 24, "劳动维权": 20, "社会保险": 20, "退休服务": 15,
        "物业管理": 12, "生活噪音": 8, "工业生产噪音": 10, "医疗/生育保险": 5}),
    "湘乡市人民政府": dict(total=192, cap=15, fill=_REGION_FILL, fixed={
        "疫情等突发公共卫生事件": 20, "通信管理": 17, "消费维权": 16, "劳动维权": 12, "社会保险": 14, "退休服务": 10,
        "物业管理": 6, "生活噪音": 5, "水、大气污染": 8}),
    "韶山市人民政府": dict(total=44, cap=4, fill=_REGION_FILL, fixed={
        "消费维权": 11, "疫情等突发公共卫生事件": 10, "劳动维权": 5, "社会保险": 3, "退休服务": 2}),
    "市公安局": dict(total=387, cap=38, fixed={
        "停车管理": 45, "投诉公安机关": 45, "违章处罚": 39, "生活噪音": 15, "疫情等突发公共卫生事件": 15},
        fill=["治安管理", "交通秩序", "身份证与户籍服务", "出入境服务", "电信网络诈骗", "交通事故处理", "占道经营"]),
    "市市场监管局": dict(total=308, cap=4, fixed={
        "消费维权": 239, "食品安全": 30, "无照/超范围经营": 5, "疫情等突发公共卫生事件": 4},
        fill=["工商管理", "价格监管", "特种设备", "药品监管", "网络交易", "广告监管", "计量质量", "知识产权"]),
    "湘潭交发集团": dict(total=278, cap=21, fixed={
        "公交服务": 179, "线路咨询": 29, "公交IC卡": 22, "疫情等突发公共卫生事件": 10},
        fill=["出租车管理", "道路运输", "道路养护"]),
    "市人社局": dict(total=243, cap=47, fixed={"社会保险": 72, "退休服务": 63, "殡葬服务": 48, "劳动维权": 20},
        fill=["社保卡", "就业创业", "人事人才", "工伤保险", "失业保险", "职业技能培训"]),
    "市生态环境局": dict(total=199, cap=21, fixed={
        "建筑施工噪音": 117, "水、大气污染": 41, "工业生产噪音": 22, "生活噪音": 10}, fill=["油烟污染", "国土资源"]),
    "市卫健委": dict(total=136, fixed={"疫情等突发公共卫生事件": 121}, fill=["医疗服务", "疫苗接种", "爱国卫生", "医疗纠纷"]),
    "市住建局": dict(total=96, fixed={"物业管理": 12}, fill=["房产交易", "老旧小区改造", "契税补贴", "公租房保障", "房屋安全"]),
    "市交通局": dict(total=84, fixed={"疫情等突发公共卫生事件": 20}, fill=["出租车管理", "道路运输", "驾培管理", "道路养护"]),
    "市城管局": dict(total=53, fill=["占道经营", "道路清扫", "井盖设施", "垃圾清运", "园林绿化", "油烟污染"]),
    "市医保局": dict(total=53, fill=["医疗/生育保险"]),
    "市邮政管理局": dict(total=38, fixed={"消费维权": 6}, fill=["邮政快递"]),
    "市教育局": dict(total=37, fixed={"疫情等突发公共卫生事件": 10}, fill=["投诉学校", "招生入学"]),
    "市资规局": dict(total=12, fill=["违章搭建", "私搭乱建", "国土资源"]),
    "市文旅广体局": dict(total=12, fill=["文化旅游", "体育设施"]),
    "市民政局": dict(total=11, fill=["社会救助", "养老服务", "婚姻登记"]),
    "市税务局": dict(total=9, fill=["税费服务"]),
    "湘潭银保监分局": dict(total=9, fill=["金融服务"]),
    "市商务局": dict(total=7, fixed={"疫情等突发公共卫生事件": 2, "消费维权": 4}, fill=["价格监管"]),
    "市财政局": dict(total=6, fill=["政务办事"]),
    "市消防支队": dict(total=6, fill=["消防安全"]),
    "市公积金中心": dict(total=6, fill=["住房公积金"]),
    "市工信局": dict(total=4, fill=["政策咨询"]),
    "市总工会": dict(total=4, fixed={"劳动维权": 4}),
    "市发改委": dict(total=3, fill=["价格监管"]),
    "市机关事务局": dict(total=2, fill=["政务办事"]),
    "韶灌局": dict(total=2, fill=["水利设施"]),
    "市退役军人事务局": dict(total=2, fill=["优待政策"]),
    "市司法局": dict(total=1, fill=["法律服务"]),
    "市应急管理局": dict(total=1, fill=["安全生产事故"]),
    "市农业农村局": dict(total=1, fill=["农业生产"]),
    "市科技局": dict(total=1, fill=["政策咨询"]),
    "市人防办": dict(total=1, fill=["人防工程"]),
    "市优居中心": dict(total=1, fill=["公租房保障"]),
    "湘潭交发集团_": None,  # placeholder removed below (keeps diff small when reordering)
    "移动湘潭分公司": dict(total=113, fill=["通信管理", "宽带网络", "广播电视"]),
    "湘潭中环水务公司": dict(total=94, fill=["供水服务"]),
    "联通湘潭分公司": dict(total=62, fill=["通信管理", "宽带网络", "广播电视"]),
    "湘潭城发集团": dict(total=59, fixed={"劳动维权": 2, "物业管理": 5}, fill=["老旧小区改造", "道路养护", "园林绿化"]),
    "湘潭新奥燃气公司": dict(total=47, fill=["燃气服务"]),
    "电信湘潭分公司": dict(total=31, fill=["通信管理", "宽带网络", "广播电视"]),
    "湘潭医卫职院": dict(total=30, fill=["职业院校"]),
    "湘盾集团": dict(total=27, fill=["治安管理"]),
    "国网湘潭供电公司": dict(total=12, fill=["供电服务"]),
    "湘潭邮政分公司": dict(total=9, fill=["邮政快递"]),
    "湘潭产业集团": dict(total=1, fill=["政策咨询"]),
    "国安网络公司": dict(total=1, fill=["宽带网络"]),
    "湘潭广电": dict(total=1, fill=["广播电视"]),
}
del DISPATCH_PLAN_OCT["湘潭交发集团_"]

# ---- 附件1: October return visits per unit (回访时间口径). Columns: valid, late (超时办结), contacted
# (联系反馈当事人), satisfied-in-total (回访总满意量, includes unrated), unrated (未评价), dissatisfied.
ANNEX1 = {
    "岳塘区人民政府": (1537, 0, 1536, 1391, 707, 146), "雨湖区人民政府": (1331, 0, 1331, 1178, 605, 153),
    "湘潭经开区管委会": (788, 0, 786, 706, 366, 82), "湘潭县人民政府": (359, 0, 359, 318, 181, 41),
    "湘潭高新区管委会": (339, 0, 336, 309, 160, 30), "湘乡市人民政府": (212, 0, 212, 172, 96, 40),
    "韶山市人民政府": (45, 1, 45, 40, 23, 5), "岳塘经开区管委会": (30, 0, 30, 28, 19, 2),
    "市公安局": (379, 0, 379, 330, 152, 49), "市市场监管局": (301, 0, 287, 256, 115, 45),
    "市人社局": (225, 1, 219, 219, 96, 6), "市生态环境局": (193, 0, 165, 178, 92, 15),
    "市卫健委": (187, 0, 181, 170, 120, 17), "市住建局": (133, 0, 133, 109, 64, 24),
    "市交通局": (117, 0, 117, 109, 51, 8), "市城管局": (74, 0, 74, 71, 44, 3), "市医保局": (73, 0, 72, 67, 34, 6),
    "市邮政管理局": (53, 0, 52, 49, 28, 4), "市教育局": (51, 2, 50, 49, 25, 2), "市资规局": (17, 5, 17, 16, 2, 1),
    "市文旅广体局": (16, 0, 16, 16, 11, 0), "市民政局": (15, 0, 14, 15, 11, 0), "市税务局": (12, 3, 10, 8, 1, 4),
    "湘潭银保监分局": (12, 0, 12, 11, 6, 1), "市商务局": (10, 0, 10, 9, 5, 1), "市财政局": (9, 0, 9, 8, 3, 1),
    "市消防支队": (9, 0, 9, 9, 1, 0), "市公积金中心": (8, 0, 8, 8, 1, 0), "市工信局": (5, 0, 5, 5, 3, 0),
    "市总工会": (5, 0, 5, 5, 1, 0), "市发改委": (4, 0, 4, 4, 4, 0), "市机关事务局": (3, 2, 3, 3, 2, 0),
    "韶灌局": (3, 0, 3, 3, 2, 0), "市退役军人事务局": (3, 0, 3, 3, 2, 0), "市司法局": (2, 0, 2, 2, 2, 0),
    "市应急管理局": (2, 0, 2, 2, 0, 0), "市农业农村局": (2, 0, 2, 2, 1, 0), "市科技局": (1, 0, 1, 1, 1, 0),
    "市人防办": (1, 1, 1, 1, 1, 0), "市优居中心": (1, 0, 1, 1, 0, 0),
    "湘潭交发集团": (226, 0, 225, 217, 125, 9), "移动湘潭分公司": (157, 0, 157, 132, 67, 25),
    "湘潭中环水务公司": (131, 0, 131, 116, 58, 15), "联通湘潭分公司": (86, 4, 81, 57, 32, 29),
    "湘潭城发集团": (82, 0, 81, 75, 38, 7), "湘潭新奥燃气公司": (65, 0, 63, 52, 29, 13),
    "电信湘潭分公司": (43, 0, 40, 31, 18, 12), "湘潭医卫职院": (42, 0, 41, 37, 33, 5),
    "湘盾集团": (37, 0, 37, 34, 20, 3), "国网湘潭供电公司": (17, 0, 17, 14, 4, 3),
    "湘潭邮政分公司": (12, 0, 12, 11, 4, 1), "湘潭产业集团": (2, 0, 2, 2, 1, 0), "国安网络公司": (2, 0, 2, 2, 1, 0),
    "湘潭广电": (1, 0, 1, 1, 1, 0),
}
# 满意 1,812 / 基本满意 4,850 (of which 未评价 3,469 counted as 基本满意) / 不满意 808
VISITS_SATISFIED_OCT = 1812
# 图9: dissatisfied October visits by subcategory (top five); every other subcategory stays at or below 20
DISSATISFIED_BY_SUBCATEGORY = {"疫情等突发公共卫生事件": 76, "消费维权": 53, "通信管理": 46, "物业管理": 43, "水、大气污染": 21}
DISSATISFIED_OTHER_CAP = 20

# ---- September (the month before): 7,192 dispatched (转办环比上升 3.87%), online-resolution rate 80.63%
# (在线办结率环比上升 5.74 个百分点), on-time rate 99.69% on September visits (按时办结率环比上升 0.06 个百分点)
DISPATCHED_SEP = 7192
ONLINE_SEP = 29940
# late completions among September visits; with 6,540 visits, 20 late gives 99.69% (the month-over-month change
# of a rate is the difference of the published two-decimal rates, in percentage points: 99.75 - 99.69 = 0.06)
LATE_SEP = 20

# ---- 在线办结: online tickets are evaluated by SMS; 99.76% satisfied (unrated counts as satisfied)
ONLINE_DISSATISFIED_OCT = 114

# ---- 文明创建 (一（二）5): 24,690 October appeals touch the civility campaign
CIVILITY_OCT = 24690

# ---- 超期未反馈 backlog at the end of October (图10): older tickets still without feedback
OVERDUE_BACKLOG = {"市资规局": {"违章搭建": 150, "私搭乱建": 127}, "市教育局": {"投诉学校": 2},
                   "市住建局": {"契税补贴": 1}, "市退役军人事务局": {"优待政策": 1}}

# ---- county platforms' own figures (二（二）): valid calls 18,730 (环比上升 44.59%), answer rates per county
# are those of 附件2; the pooled online/on-time/visit/satisfaction rates are the counties' own statistics.
COUNTY_CALLS = {  # platform: (October calls, answered, September calls)
    "xiangtan_county": (9163, 7564, 6337), "xiangxiang": (7879, 6792, 5449), "shaoshan": (1688, 1597, 1168),
}
# per county: accepted, dispatched, dispatched-late, visited, visit satisfied. Pooled they give the seed's
# 在线办结率 77.82% (10,026/12,884), 按时办结率 99.76% (2,851/2,858), 回访率 97.52% (2,787/2,858) and
# 回访满意率 80.84% (2,253/2,787); the split between counties is ours (the seed gives only the pooled rates).
COUNTY_TICKETS = {
    "xiangtan_county": dict(accepted=6200, dispatched=1300, late=4, visited=1270, satisfied=1030),
    "xiangxiang": dict(accepted=5600, dispatched=1350, late=2, visited=1315, satisfied=1060),
    "shaoshan": dict(accepted=1084, dispatched=208, late=1, visited=202, satisfied=163),
}
