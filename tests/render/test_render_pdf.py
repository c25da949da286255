"""The PDF read back with pypdf and pypdfium2: key figures in its text, every font embedded with no missing glyph,
A4 pages, GB/T 9704 margins and "— N —" page numbers. The HTML it is made from is one self-contained file."""

import io
import re

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from hotline.render import render

pytestmark = pytest.mark.slow

MM = 72 / 25.4
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def files(report):
    return render(report, ["html", "pdf"])


@pytest.fixture(scope="module")
def pdf(files):
    return PdfReader(io.BytesIO(files["pdf"]))


@pytest.fixture(scope="module")
def text(pdf):
    return "\n".join(p.extract_text() for p in pdf.pages)


def test_key_figures_and_sections_in_the_text(text):
    for figure in ["67236", "82.39%", "54792", "47322", "7470", "89.18%", "99.75%", "18730", "92.58", "90.71", "85.62",
                   "湘潭市市民服务热线和市长信箱工作协调小组办公室", "2022 年 11 月 10 日", "21123034505099"]:
        assert figure in text, figure
    flat = re.sub(r"\s+", "", text)
    assert "湘潭市12345政务服务便民热线2022年10月运行情况分析报告" in flat
    positions = [flat.index(h) for h in ["一、接听情况分析", "二、办理情况分析", "三、领导接听日工作情况", "四、存在的困难",
                                        "五、下一步工作要求", "附件110月份", "附件210月份", "附件31-9月份"]]
    assert positions == sorted(positions)
    for caption in ["图1：12345热线来电分类占比", "图4：各县市区12345热线诉求受理量前三", "图11：县级平台得分情况"]:
        assert caption in flat


def fonts_of(resources, found):
    if resources is None:
        return found
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts_of(xobject.get("/Resources"), found)
    return found


def test_every_font_is_embedded_with_no_missing_glyph(pdf):
    fonts = []
    for page in pdf.pages:
        fonts_of(page.get("/Resources"), fonts)
    assert fonts
    names = set()
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        # WeasyPrint switches to its own CMap (WP-Encod) only when a glyph is missing and drawn as .notdef
        assert font.get("/Encoding") == "/Identity-H", font["/BaseFont"]
        names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert names == {"HotlineSerif", "HotlineSans"}  # the shipped Noto fonts, no system fallback


def test_pages_are_a4_with_page_numbers(pdf):
    sizes = [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in pdf.pages]
    portrait, landscape = (round(A4[0], 1), round(A4[1], 1)), (round(A4[1], 1), round(A4[0], 1))
    assert set(sizes) <= {portrait, landscape}
    assert sizes[0] == portrait and sizes[-1] == landscape  # 附件3 is landscape
    for i, page in enumerate(pdf.pages, 1):
        assert re.search(rf"—\s*{i}\s*—", page.extract_text()), i


def char_boxes(page):
    tp = page.get_textpage()
    return [(tp.get_text_range(i, 1), tp.get_charbox(i)) for i in range(tp.count_chars())]


def test_text_stays_inside_the_gbt9704_margins(files):
    doc = pdfium.PdfDocument(files["pdf"])
    left_edges, tops = [], []
    for n in range(3):  # body pages (portrait)
        page = doc[n]
        width, height = page.get_size()
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
        for ch, (left, bottom, right, top) in char_boxes(page):
            if ch.isspace() or right <= left:
                continue
            if top < 35 * MM:  # the page number sits below the text block
                assert ch in "—0123456789"
                continue
            assert left >= 28 * MM - 1 and right <= (210 - 26) * MM + 1, (n, ch, left, right)
            assert bottom >= 35 * MM - 1 and top <= (297 - 37) * MM + 1, (n, ch, bottom, top)
            left_edges.append(left)
            tops.append(top)
    assert min(left_edges) < 28 * MM + 2 * MM  # lines start at the left margin
    assert max(tops) > (297 - 37) * MM - 8 * MM  # and the text block starts at the top margin


def test_html_is_one_self_contained_file(files):
    html = files["html"].decode("utf-8")
    assert html.count('<img src="data:image/png;base64,') == 11
    assert html.count("url(data:font/otf;base64,") == 2
    assert "<link" not in html and "<script" not in html
    assert not re.findall(r'(?:src|href)="(?!data:)', html)
    assert "话务量环比上升 60.66%" in html and "附件1" in html
