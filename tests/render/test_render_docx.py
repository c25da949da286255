"""The DOCX opened with python-docx: structure, the annex tables against the seed's values, fonts and page layout.

Expected cell values are typed from ../shared/seeds/000_8e8a56a9f14bf8eb.txt (the seed prints 30 where the
annex 2 score is 30.00, and 77.6% / 25% where other rates have two decimals: the renderer prints two).
"""

import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hotline.render import render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def doc(report):
    return Document(io.BytesIO(render(report, ["docx"])["docx"]))


def texts(row):
    return [c.text for c in row.cells]


def near(a, b, tol=Mm(0.2)):
    return abs(int(a) - int(b)) <= tol


def test_title_and_headings_in_order(doc):
    paras = doc.paragraphs
    assert [p.text for p in paras[:2]] == ["湘潭市 12345 政务服务便民热线", "2022 年 10 月运行情况分析报告"]
    assert paras[0].style.name == "Report Title"
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    assert h1 == ["一、接听情况分析", "二、办理情况分析", "三、领导接听日工作情况", "四、存在的困难", "五、下一步工作要求"]
    headings = [p.text for p in paras if p.style.name.startswith("Heading")]
    expected = ["一、接听情况分析", "（一）总体情况", "（二）诉求热点情况", "1.诉求大类情况", "2.诉求小类情况", "3.热点事件情况",
                "4.诉求涉及单位分布情况", "5.文明创建诉求情况", "二、办理情况分析", "（一）市级热线办理情况", "1.在线办结工单",
                "2.转办工单", "3.回访满意率", "4.超期未反馈工单", "（二）县（市）热线平台工单办理情况", "（三）案例分析",
                "1.典型案例", "2.疑难问题", "三、领导接听日工作情况", "四、存在的困难", "五、下一步工作要求"]
    assert headings == expected


def test_paragraphs_read_like_the_seed(doc):
    body = "\n".join(p.text for p in doc.paragraphs)
    for phrase in ["10 月份，市 12345 热线接听群众来电 67236 通，话务量环比上升 60.66%；接通率为 82.39%，环比下降 8.08%。",
                   "共受理诉求 54792 件，其中：咨询类 33523 件，占比 61.18%；",
                   "其中在线办结 47322 件，派发工单 7470 件",
                   "按时办结率 99.75%，环比上升 0.06%。",
                   "回访结果为满意 1812 件，基本满意 4850 件，不满意 808 件，回访满意率 89.18%。",
                   "仍有 281 件工单超期未反馈，涉及 4 家承办单位，分别为：市资规局 277 件、",
                   "韶山市（92.58 分）、湘乡市（90.71 分）、湘潭县（85.62 分）分列第 1、2、3 名。",
                   "附件：1.10月份市本级 12345热线平台工单办理情况统计表",
                   "2.10月份县级 12345热线综合排名情况表", "3.1-9月份省 12345监管平台工单抽查回访不满意情况统计表"]:
        assert phrase in body, phrase
    tail = [p.text for p in doc.paragraphs if p.text]
    office = tail.index("湘潭市市民服务热线和市长信箱工作协调小组办公室")
    assert tail[office + 1] == "2022 年 11 月 10 日"


def test_figures_are_eleven_inline_pictures_with_the_seed_captions(doc):
    assert len(doc.inline_shapes) == 11
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["图1：12345 热线来电分类占比", "图2：全市 12345 热线诉求热点（大类）", "图3：全市 12345 热线诉求热点（小类）",
                        "图4：各县市区 12345 热线诉求受理量前三", "图5：承办量前五单位诉求受理量统计", "图6：文明创建诉求情况统计",
                        "图7：在线咨询热点诉求统计", "图8：转办热点诉求统计（单位：件）", "图9：不满意热点诉求统计",
                        "图10：超期未反馈工单统计", "图11：县级平台得分情况"]
    # a picture in a fixed-height line is clipped: picture paragraphs are single-spaced
    pictures = [p for p in doc.paragraphs if p._p.xpath(".//pic:pic")]
    assert len(pictures) == 11
    for p in pictures:
        assert p.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
        assert p.paragraph_format.line_spacing is None  # nothing overrides the style


def test_annex1_three_groups_54_units_and_totals(doc):
    tables = doc.tables
    groups = tables[:3]
    assert [texts(t.rows[0])[:2] for t in groups] == [["序号", "地区"], ["序号", "部门（单位）"], ["序号", "部门（单位）"]]
    assert texts(groups[0].rows[0])[2:] == ["有效工单量", "已办结量", "超时办结量", "按时办结率", "联系反馈当事人率", "回访总量",
                                          "回访总满意量", "未评价量", "不满意量", "回访满意率"]
    units = [r for t in groups for r in t.rows[1:] if texts(r)[0] != "总计"]
    assert [len(t.rows) - 1 for t in groups] == [8, 32, 15]  # the last group carries the totals row
    assert len(units) == 54
    assert [texts(r)[0] for r in units] == [str(i) for i in range(1, 55)]
    rows = {texts(r)[1]: texts(r)[2:] for r in units}
    assert rows["岳塘区人民政府"] == ["1537", "1537", "0", "100.00%", "99.93%", "1537", "1391", "707", "146", "90.50%"]
    assert rows["韶山市人民政府"] == ["45", "45", "1", "97.78%", "100.00%", "45", "40", "23", "5", "88.89%"]
    assert rows["市税务局"] == ["12", "12", "3", "75.00%", "83.33%", "12", "8", "1", "4", "66.67%"]
    assert rows["市人防办"] == ["1", "1", "1", "0.00%", "100.00%", "1", "1", "1", "0", "100.00%"]
    assert rows["联通湘潭分公司"] == ["86", "86", "4", "95.35%", "94.19%", "86", "57", "32", "29", "66.28%"]
    assert rows["湘潭广电"] == ["1", "1", "0", "100.00%", "100.00%", "1", "1", "1", "0", "100.00%"]
    total = texts(groups[2].rows[-1])
    assert total == ["总计", "总计", "7470", "7470", "19", "99.75%", "98.94%", "7470", "6662", "3469", "808", "89.18%"]
    body = [p.text for p in doc.paragraphs]
    for title in ["县市区、园区（示范区）（合计 8 家）", "市直、驻潭单位（合计 32 家）", "承担公共服务的企事业单位（合计 14 家）",
                  "附件1", "10月份市本级 12345热线平台工单办理情况统计表"]:
        assert title in body
    assert any(p.startswith("注：1.以上成员单位按受理工单数量排序") for p in body)


def test_annex2_two_level_header_and_county_rows(doc):
    t = doc.tables[3]
    head = {c.text for r in t.rows[:3] for c in r.cells}
    for label in ["排名", "县（市）", "市本级工单办理情况", "县级热线平台办理情况", "交办工单办理评分（10%）", "五率一度评分（60%）",
                  "拨测评分（30%）", "按时办结率（30分）", "联系反馈当事人率（30分）", "回访满意率（40分）", "接通率（20分）",
                  "在线办结率（10分）", "回访率（10分）", "满意率（20分）", "数据准确度（30分）", "语音导航（10分）",
                  "接通情况（10分）", "服务规范（40分）", "业务知识（30分）", "回访服务（10分）", "折合得分", "总分（100分）"]:
        assert label in head, label
    body = t.rows[3:]
    assert len(body) == 6  # two rows per county: rates above, scores below
    counties = [(texts(body[i])[0], texts(body[i])[1], texts(body[i])[-1]) for i in range(0, 6, 2)]
    assert counties == [("1", "韶山市", "92.58"), ("2", "湘乡市", "90.71"), ("3", "湘潭县", "85.62")]
    assert texts(body[0])[2:] == ["97.78%", "100.00%", "88.89%", "9.89", "94.61%", "94.92%", "100.00%", "100.00%", "86.60%",
                                  "30.00", "56.74", "10.00", "7.50", "32.75", "26.25", "10.00", "25.95", "92.58"]
    assert texts(body[1])[2:5] == ["30.00", "30.00", "38.89"]
    assert texts(body[1])[6:11] == ["19.92", "10.00", "10.00", "10.00", "14.64"]
    assert texts(body[5])[6:11] == ["17.51", "10.00", "9.99", "9.87", "16.42"]


def test_annex3_seventeen_spot_checks(doc):
    t = doc.tables[4]
    assert texts(t.rows[0]) == ["序号", "月份", "事件编号", "承办单位", "事件内容", "反馈结果"]
    rows = [texts(r) for r in t.rows[1:]]
    assert len(rows) == 17
    assert rows[0][:4] == ["1", "1月", "21123034505099", "湘潭县人民政府"]
    assert rows[15][:4] == ["16", "9月", "22083197594099", "市住建局"]
    assert rows[16][:4] == ["17", "9月", "22090200690099", "湘潭县人民政府"]


def east_asia(style):
    rfonts = style.element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None
    return rfonts.get(qn("w:eastAsia"))


def test_office_fonts_on_the_east_asian_attribute(doc):
    s = doc.styles
    assert east_asia(s["Normal"]) == "仿宋_GB2312"
    assert east_asia(s["Report Title"]) == "方正小标宋简体"
    assert east_asia(s["Heading 1"]) == "黑体"
    assert east_asia(s["Heading 2"]) == "楷体_GB2312"
    assert east_asia(s["Heading 3"]) == "仿宋_GB2312"
    assert s["Normal"].font.size == Pt(16) and s["Report Title"].font.size == Pt(22)
    pf = s["Normal"].paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing == Pt(28.95)
    assert pf.first_line_indent == Pt(32)


def test_page_size_margins_and_page_numbers(doc):
    first = doc.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert near(first.page_width, Mm(210)) and near(first.page_height, Mm(297))
    assert near(first.top_margin, Mm(37)) and near(first.bottom_margin, Mm(35))
    assert near(first.left_margin, Mm(28)) and near(first.right_margin, Mm(26))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]  # 附件2、3 landscape
    assert near(doc.sections[1].page_width, Mm(297))
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (first.footer, first.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
