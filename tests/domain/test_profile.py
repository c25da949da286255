"""The city profile: two lines are enough, every section is checked with file and key, and the built-in `xiangtan`
profile is exactly the demo's registry; docs/profile.md's examples load."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from hotline.domain.codes import LABELS
from hotline.domain.profile import DEFAULT_LEGAL_BASIS, ProfileError, load_profile
from hotline.domain.registry import taxonomy, unit_registry
from hotline.domain.sla import default_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "profile.md"


def write(folder: Path, text: str, name: str = "profile.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_two_lines_are_a_profile(tmp_path):
    p = load_profile(write(tmp_path, "city: 某市\noffice: 某市热线办\n"))
    assert (p.city, p.office, p.name) == ("某市", "某市热线办", tmp_path.name)
    assert [(x.code, x.level, x.name) for x in p.platforms] == [("city", "city", "某市12345热线")]
    assert p.counties == () and p.regions == () and p.units == {}
    assert p.open_taxonomy and p.categories == ()
    assert p.legal_basis == DEFAULT_LEGAL_BASIS and "湖南" not in p.legal_basis
    assert p.sla == default_rules() and p.schemes == {} and p.report is None
    assert dict(p.channels) == dict(LABELS["channel"])
    assert p.ticket_no.problem("NYC-311-54049402") is None  # free text by default
    assert p.ticket_no.problem("x" * 65) is not None


def test_the_folder_or_the_file(tmp_path):
    write(tmp_path, "city: 某市\noffice: 某办\n")
    assert load_profile(tmp_path).city == load_profile(tmp_path / "profile.yaml").city == "某市"


def test_the_built_in_profile_is_the_demo_registry():
    p = load_profile("xiangtan")
    reg = unit_registry()
    cats, subs = taxonomy()
    assert p.city == "湘潭市" and p.office == "湘潭市市民服务热线和市长信箱工作协调小组办公室"
    assert p.platforms == reg.platforms and p.regions == reg.regions and dict(p.units) == reg.units
    assert list(p.categories) == cats and dict(p.subcategories) == subs
    assert [c.code for c in p.counties] == ["xiangtan_county", "xiangxiang", "shaoshan"]
    assert p.ticket_no.problem("22100810001099") is None and p.ticket_no.problem("2210081000109") is not None
    assert set(p.schemes) == {"county", "unit"} and p.report is not None
    assert "湖南省" in p.legal_basis  # the seed's own first sentence


def test_the_documented_examples_load(tmp_path):
    blocks = yaml_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    for i, block in enumerate(blocks):
        p = load_profile(write(tmp_path, block, f"example{i}.yaml"))
        assert p.city and p.office
    full = load_profile(write(tmp_path, blocks[1], "full.yaml"))
    assert [c.code for c in full.counties] == ["east_county"]
    assert full.units["东县人民政府"].platform == "east_county" and full.unit_groups["city_dept"] == "市直单位"
    assert full.subcategories["违章建筑"].civility_theme == "市容环境" and full.channels["walk_in"] == "窗口来访"
    assert full.sla.deadline_days("consult") == 2 and full.sla.deadline_days("complaint") == 5
    assert full.ticket_no.problem("AB12345678") is None and full.ticket_no.problem("AB1234567") is not None


BAD = [
    ("office: 某办\n", "city", "缺失"),
    ("city: 某市\n", "office", "缺失"),
    ("city: 某市\noffice: 某办\ncolour: red\n", "colour", "未知的配置项"),
    ("city: 某市\noffice: 某办\nplatforms: [{code: city, name: 市, level: town}]\n", "platforms[0].level", "city、county"),
    ("city: 某市\noffice: 某办\nplatforms: [{code: a, name: A, level: county}]\n", "platforms", "只有一个"),
    ("city: 某市\noffice: 某办\nplatforms: [{code: city, name: A, level: city}, {code: city, name: B, level: county}]\n",
     "platforms[1].code", "不重复"),
    ("city: 某市\noffice: 某办\nunits: [{name: 甲局, group: ministry}]\n", "units[0]", "group"),
    ("city: 某市\noffice: 某办\nunits: [{name: 甲县政府, group: region, platform: nowhere}]\n", "units[0].platform",
     "nowhere"),
    ("city: 某市\noffice: 某办\nunit_groups: {agency: 机构}\n", "unit_groups.agency", "未知的单位分组"),
    ("city: 某市\noffice: 某办\ntaxonomy: {categories: [{name: 甲类}]}\n", "taxonomy.categories[0]", "subcategories"),
    ("city: 某市\noffice: 某办\nchannels: {Walk In: 窗口}\n", "channels.Walk In", "小写"),
    ("city: 某市\noffice: 某办\ncalendar: lunar\n", "calendar", "weekdays"),
    ("city: 某市\noffice: 某办\nsla: {deadlines: {by_appeal_type: {complaint: 0}}}\n", "sla", "正整数"),
    ("city: 某市\noffice: 某办\nticket_no: {pattern: '[0-9'}\n", "ticket_no.pattern", "正则"),
    ("city: 某市\noffice: 某办\nticket_no: {max_length: 200}\n", "ticket_no.max_length", "64"),
    ("city: 某市\noffice: 某办\nunits: units.yaml\n", "units", "文件不存在"),
    ("city: [某市]\noffice: 某办\n", "city", "应为文字"),
    ("- city\n", "profile.yaml", "键值结构"),
]


@pytest.mark.parametrize("text, key, words", BAD, ids=[b[1] for b in BAD])
def test_every_error_names_the_file_and_the_key(tmp_path, text, key, words):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    assert str(path) in message and key in message and words in message, message


def test_unknown_built_in_profile_lists_the_known_ones():
    with pytest.raises(ProfileError, match="xiangtan"):
        load_profile("atlantis")


def test_a_section_file_may_hold_several_sections(tmp_path):
    write(tmp_path, "platforms: [{code: city, name: 乙市热线, level: city}]\nregions: [东区, 西区]\n"
                    "units: [{name: 东区政府, group: region, region: 东区}]\n", "units.yaml")
    p = load_profile(write(tmp_path, "city: 乙市\noffice: 乙办\nplatforms: units.yaml\nregions: units.yaml\n"
                                     "units: units.yaml\n"))
    assert p.regions == ("东区", "西区") and list(p.units) == ["东区政府"] and p.platforms[0].name == "乙市热线"


def test_calendars(tmp_path):
    weekdays = load_profile(write(tmp_path, "city: 甲\noffice: 乙\ncalendar: weekdays\n")).working_days()
    assert weekdays.is_workday(date(2022, 10, 3))  # a Monday, though China's National Day holiday
    assert not weekdays.is_workday(date(2022, 10, 8))  # a Saturday, though China worked it in lieu
    assert weekdays.add(datetime(2022, 9, 30, 10), 3) == datetime(2022, 10, 5, 23, 59, 59)
    chinese = load_profile(write(tmp_path, "city: 甲\noffice: 乙\n", "c.yaml")).working_days()
    assert not chinese.is_workday(date(2022, 10, 3)) and chinese.is_workday(date(2022, 10, 8))
    write(tmp_path, "years:\n  2024:\n    holidays: [2024-07-04]\n", "holidays.yaml")
    own = load_profile(write(tmp_path, "city: 甲\noffice: 乙\ncalendar: {file: holidays.yaml}\n", "h.yaml"))
    cal = own.working_days()
    assert not cal.is_workday(date(2024, 7, 4)) and cal.is_workday(date(2024, 7, 5))
    with pytest.raises(ValueError, match="2025"):
        cal.is_workday(date(2025, 1, 2))  # a year the file does not know is an error, not a guess


def test_the_document_is_self_contained(tmp_path):
    # what a store keeps: every file inlined, so the profile loads again without its folder
    from hotline.domain.profile import profile_from_document

    write(tmp_path, "years:\n  2024:\n    holidays: [2024-07-04]\n", "holidays.yaml")
    write(tmp_path, "units: [{name: 东区政府, group: region, region: 东区}]\n", "units.yaml")
    original = load_profile(write(tmp_path, "city: 甲\noffice: 乙\nunits: units.yaml\ncalendar: {file: holidays.yaml}\n"))
    for f in tmp_path.iterdir():
        f.unlink()
    again = profile_from_document(original.document, "store:profile")
    assert list(again.units) == ["东区政府"] and not again.working_days().is_workday(date(2024, 7, 4))
    built_in = load_profile("xiangtan")
    copy = profile_from_document(built_in.document, "store:profile")
    assert copy.units == built_in.units and copy.subcategories == built_in.subcategories
    assert copy.sla == built_in.sla and {k: d.content for k, d in copy.schemes.items()} == {
        k: d.content for k, d in built_in.schemes.items()}
    assert copy.report.content == built_in.report.content and copy.platforms == built_in.platforms
