"""Charts draw every glyph; the narrative template types no number; the wording follows the model."""

import io
import re
import warnings
from importlib import resources

import pytest

from hotline.render import fonts
from hotline.render.charts import render_charts
from hotline.render.text import FIGURES, document, mom
from hotline.report import model as M

pytestmark = pytest.mark.slow


def strict_glyphs():
    """matplotlib's "Glyph N (...) missing from font(s)" warning becomes an error."""
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.filterwarnings("error", message=r"Glyph .* missing from font", category=UserWarning)
    return ctx


def test_all_charts_render_with_every_glyph(report):
    ctx = strict_glyphs()
    try:
        charts = render_charts(report)
    finally:
        ctx.__exit__(None, None, None)
    assert list(charts) == list(FIGURES)
    for key, png in charts.items():
        assert png[:8] == b"\x89PNG\r\n\x1a\n", key
        assert len(png) > 10_000, key


def test_a_missing_glyph_fails_the_chart(report):
    broken = report.model_copy(deep=True)
    broken.hotspots.categories[0].label = "突发事件管理类🀄"  # a mahjong tile: not in Noto Sans SC
    ctx = strict_glyphs()
    try:
        with pytest.raises(UserWarning, match="missing from font"):
            render_charts(broken, ["categories"])
    finally:
        ctx.__exit__(None, None, None)


def test_the_fonts_cover_the_whole_document(report):
    text = document(report).text()
    assert fonts.missing_chars(fonts.SERIF, text) == []
    assert fonts.missing_chars(fonts.SANS, text) == []
    assert fonts.missing_chars(fonts.SERIF, "🀄") == ["🀄"]


def test_the_template_types_no_number():
    source = resources.files("hotline.render").joinpath("templates", "report.j2").read_text(encoding="utf-8")
    literal = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.S)
    literal = re.sub(r"(?m)^::(?:fig|annex)::\s*\w+\s*\|", "", literal)  # keys of figures and annexes
    literal = re.sub(r"(?m)^::\w+::", "", literal)  # the markup (::h1:: …)
    literal = literal.replace("12345", "")  # the hotline's name
    assert not re.findall(r"[0-9０-９]", literal)
    assert not re.findall(r"[一二三四五六七八九十百]+(?:个|家|件|名|项)|前[一二三四五六七八九十]", literal)


def numbers_shifted(report: M.Report) -> M.Report:
    """Every numeric field of the model moved, so a number typed anywhere in a renderer would show."""
    def shift(value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return value + 100000
        if isinstance(value, float):
            return round(value + 0.01, 2)
        if isinstance(value, dict):
            return {k: shift(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shift(v) for v in value]
        return value

    return M.Report.model_validate(shift(report.model_dump(mode="python")))


def test_every_printed_figure_comes_from_the_model(report):
    seed_text = document(report).text()
    shifted_text = document(numbers_shifted(report)).text()
    def has(figure, text):
        return re.search(rf"(?<![0-9.]){re.escape(figure)}(?![0-9])", text) is not None

    for figure in ["67236", "60.66%", "82.39%", "54792", "47322", "89.18%", "92.58", "18730", "44.59%", "7238"]:
        assert has(figure, seed_text), figure
        assert not has(figure, shifted_text), figure
    assert "167236" in shifted_text and "60.67%" in shifted_text


def test_mom_wording_from_the_model():
    assert mom(M.MoM(current=2, previous=1, delta=100.0, direction="上升", wording="上升100.00%")) == "上升 100.00%"
    assert mom(M.MoM(current=1, previous=2, delta=-8.08, direction="下降", wording="下降8.08%")) == "下降 8.08%"
    assert mom(M.MoM(current=1, previous=1, delta=0.0, direction="持平", wording="持平")) == "持平"
    assert mom(M.MoM(current=1, previous=None, delta=None, direction="无上月数据", wording="无上月数据")) == "无上月数据"


def test_missing_parts_renumber_figures_and_annexes(report):
    lean = report.model_copy(deep=True)
    lean.annex2 = None
    lean.handling.overdue_units = []
    lean.handling.overdue_total = 0
    doc = document(lean)
    captions = [b.text for b in doc.blocks if b.kind == "figure"]
    assert [c.split("：")[0] for c in captions] == [f"图{i}" for i in range(1, 10)]
    assert "超期未反馈工单统计" not in "".join(captions) and "县级平台得分情况" not in "".join(captions)
    assert [a.key for a in doc.annexes] == ["annex1", "annex3"] and [a.number for a in doc.annexes] == [1, 2]
    paras = "".join(b.text for b in doc.blocks)
    assert "热线系统内无超期未反馈工单" in paras and "分列第" not in paras


def test_narrative_sections_come_from_the_model(report):
    edited = report.model_copy(deep=True)
    edited.requirements = M.Narrative(title="下一步工作要求", paragraphs=["（一）改写后的工作要求。"], source="override")
    blocks = document(edited).blocks
    i = next(i for i, b in enumerate(blocks) if b.text == "五、下一步工作要求")
    assert blocks[i + 1].text == "（一）改写后的工作要求。"


@pytest.mark.parametrize("child", [True, False])
def test_background_subsets_match_the_text(tmp_path, monkeypatch, child):
    """Fonts are subset in a child process, or here when the child cannot start; either way every glyph is kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if not child:
        monkeypatch.setattr("sys.executable", str(tmp_path / "no-python"))
    job = fonts.BackgroundSubset("湘潭市热线——附件", "接听情况分析")
    serif, sans = job.result()
    from fontTools.ttLib import TTFont

    assert {ord(c) for c in "湘潭市热线—附件"} <= set(TTFont(io.BytesIO(serif)).getBestCmap())
    assert {ord(c) for c in "接听情况分析"} <= set(TTFont(io.BytesIO(sans)).getBestCmap())
    assert ord("政") not in TTFont(io.BytesIO(serif)).getBestCmap()  # a subset, not the whole font
    assert fonts.is_cached(fonts.SERIF, "湘潭市热线——附件")


def test_a_mom_clause_only_against_a_previous_month():
    from hotline.render.text import vs

    up = M.MoM(current=2, previous=1, delta=100.0, direction="上升", wording="上升100.00%")
    flat = M.MoM(current=1, previous=1, delta=0.0, direction="持平", wording="持平")
    none = M.MoM(current=1, previous=None, delta=None, direction="无上月数据", wording="无上月数据")
    assert (vs(up, "，环比"), vs(flat, "，环比")) == ("，环比上升 100.00%", "，环比持平")
    assert vs(none, "，环比") == "" and vs(None, "，环比") == ""


def test_data_notes_close_the_body_numbered(report):
    noted = report.model_copy(update={"missing": ["来电：甲", "回访：乙"]})
    blocks = document(noted).blocks
    assert [b.kind for b in blocks[-3:]] == ["sign", "date", "notes"]
    assert (blocks[-1].text, blocks[-1].items) == ("数据说明：", ["1.来电：甲；", "2.回访：乙。"])
    assert "notes" not in [b.kind for b in document(report).blocks]  # the seed month lacks nothing


def test_the_seed_month_lacks_nothing(report):
    """The demo store holds every input: every section is drawn, nothing is said to be missing."""
    flags = report.coverage.model_dump()
    assert (flags.pop("basis"), flags.pop("regions")) == ("visited", "units")
    assert all(flags.values()), flags
    assert report.missing == [] and report.annexes == ["annex1", "annex2", "annex3"]
    text = document(report).text()
    assert "本月无" not in text and "数据说明" not in text and "—" not in text.split("附件：")[0]
