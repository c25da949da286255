"""The generated work-order text: complete for the taxonomy, realistic in shape, deterministic.

Expected values (the taxonomy, the regions, masking examples) come from the data files and the brief, not
from the module under test.
"""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest
import yaml

from hotline.generator import content

APPEAL_TYPES = ("consult", "help", "complaint", "suggestion", "invalid", "other")
REGIONS = ("雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市", "高新区", "湘潭经开区", "岳塘经开区", "市本级")
PLACES = REGIONS[:-1]
CJK = re.compile(r"[\u4e00-\u9fff]")
PHONE = re.compile(r"^1[3-9]\d\*{4}\d{4}$")
DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
DAYS_IN_MONTH_2022 = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
UNITS = ("岳塘区人民政府", "湘潭县人民政府", "湘潭高新区管委会", "市公安局", "市卫健委", "国网湘潭供电公司",
         "湘潭中环水务公司", "市公积金中心", "市消防支队", "湘潭医卫职院", "市人防办", "湘潭广电")


def taxonomy_subcategories() -> list[str]:
    doc = yaml.safe_load(resources.files("hotline.data").joinpath("taxonomy.yaml").read_text(encoding="utf-8"))
    return [s["name"] for c in doc["categories"] for s in c["subcategories"]]


SUBS = taxonomy_subcategories()


def test_every_taxonomy_subcategory_has_its_own_templates():
    assert len(SUBS) >= 80
    assert set(SUBS) == set(content.SUBCATEGORIES)
    for sub in SUBS:
        texts = content.TEXTS[sub]  # the data table: several problems per subcategory, with slots
        assert len(texts.issue) >= 4, sub
        assert sum("{" in t or "[" in t for t in texts.issue) >= 3, sub  # slots: dates, places, amounts...
        if sub not in ("无效来电", "表扬感谢"):
            assert texts.ask and texts.suggest, sub
        assert len(texts.reply) >= 2, sub


def test_every_subcategory_appeal_type_and_region_gives_complete_chinese_text():
    rng = random.Random(2022)
    for sub in SUBS:
        for appeal in APPEAL_TYPES:
            for region in REGIONS:
                for _ in range(2):
                    text = content.ticket_content(rng, sub, appeal, region, "王女士")
                    where = f"{sub}/{appeal}/{region}: {text}"
                    assert len(text) >= 12 and CJK.search(text), where
                    assert not set("{}[]") & set(text), where
                    assert text[-1] in "。！？", where
                    if region == "市本级":
                        assert not any(p in text for p in PLACES), where
                        assert "市本级" not in text, where
                    else:
                        assert region in text, where


def test_appeal_type_changes_the_wording():
    rng = random.Random(5)
    for sub in SUBS:
        for _ in range(3):
            region = rng.choice(REGIONS)
            consult = content.ticket_content(rng, sub, "consult", region, "李先生")
            complaint = content.ticket_content(rng, sub, "complaint", region, "李先生")
            suggestion = content.ticket_content(rng, sub, "suggestion", region, "李先生")
            help_ = content.ticket_content(rng, sub, "help", region, "李先生")
            invalid = content.ticket_content(rng, sub, "invalid", region, "李先生")
            other = content.ticket_content(rng, sub, "other", region, "李先生")
            assert invalid.startswith("来电") and "李先生" not in invalid, invalid
            if sub == "无效来电":  # whole-ticket kinds stay what they are whatever the type says
                assert all(t.startswith("来电") for t in (consult, complaint, suggestion, help_, other))
                continue
            if sub == "表扬感谢":
                for t in (consult, complaint, suggestion, help_, other):
                    assert t.startswith("市民李先生来电") and any(w in t for w in ("表扬", "致谢", "感谢", "感激", "满意")), t
                continue
            assert consult.startswith("市民李先生来电咨询："), consult
            assert complaint.startswith(("市民李先生来电反映：", "市民李先生来电投诉：")), complaint
            assert "建议" in suggestion and "来电" in suggestion and "建议" in suggestion.split("：", 1)[1]
            assert any(w in help_ for w in ("求助", "帮助", "协助", "帮忙")), help_
            assert any(w in other for w in ("表扬", "致谢", "感谢", "撤回", "催办", "重新办理")), other


def test_anonymous_caller_is_written_as_citizen():
    text = content.ticket_content(random.Random(1), "供水服务", "complaint", "雨湖区", "某市民")
    assert text.startswith("市民来电")


def test_same_seed_same_text_and_no_global_random():
    def draw() -> list[str]:
        rng = random.Random(123)
        out = []
        for sub in SUBS[:20]:
            name, phone = content.caller(rng)
            out.append(name + phone)
            out.append(content.ticket_content(rng, sub, rng.choice(APPEAL_TYPES), rng.choice(REGIONS), name))
            out.append(content.unit_feedback(rng, sub, rng.choice(UNITS), rng.random() < 0.5, rng.random() < 0.3))
        return out

    random.seed(0)
    first = draw()
    random.seed(99)  # the global generator must not matter
    assert draw() == first
    rng_a, rng_b = random.Random(1), random.Random(2)
    a = [content.ticket_content(rng_a, "物业管理", "complaint", "岳塘区", "王女士") for _ in range(5)]
    b = [content.ticket_content(rng_b, "物业管理", "complaint", "岳塘区", "王女士") for _ in range(5)]
    assert a != b


def test_fifty_draws_give_at_least_twenty_distinct_texts():
    rng = random.Random(7)
    texts = {content.ticket_content(rng, "生活噪音", "complaint", "雨湖区", "张先生") for _ in range(50)}
    assert len(texts) >= 20
    for sub in SUBS:  # and no subcategory is thin
        for region in ("岳塘区", "市本级"):
            texts = {content.ticket_content(rng, sub, rng.choice(APPEAL_TYPES[:4]), region, "张先生")
                     for _ in range(50)}
            assert len(texts) >= 20, (sub, region)


def test_dates_are_real_calendar_days():
    rng = random.Random(11)
    seen = 0
    for _ in range(3000):
        sub = rng.choice(SUBS)
        text = content.ticket_content(rng, sub, rng.choice(APPEAL_TYPES), rng.choice(REGIONS), "王女士")
        text += content.unit_feedback(rng, sub, rng.choice(UNITS), True)
        for m, d in DATE.findall(text):
            seen += 1
            assert 1 <= int(d) <= DAYS_IN_MONTH_2022[int(m)], text
    assert seen > 500


def test_unknown_names_are_rejected():
    rng = random.Random(0)
    with pytest.raises(ValueError, match="不存在的小类"):
        content.ticket_content(rng, "不存在的小类", "complaint", "雨湖区", "王女士")
    with pytest.raises(ValueError, match="不存在的小类"):
        content.unit_feedback(rng, "不存在的小类", "市公安局", True)
    with pytest.raises(ValueError, match="praise"):
        content.ticket_content(rng, "供水服务", "praise", "雨湖区", "王女士")
    with pytest.raises(ValueError, match="长沙市"):
        content.ticket_content(rng, "供水服务", "complaint", "长沙市", "王女士")


# ---------------------------------------------------------------------------------------------- feedback

def feedback_samples(contacted: bool, praise: bool, per: int = 3):
    rng = random.Random(10 * contacted + praise)
    for sub in SUBS:
        for _ in range(per):
            yield content.unit_feedback(rng, sub, rng.choice(UNITS), contacted, praise)


def test_phrase_tables_are_defined():
    assert content.CONTACT_PHRASES and all(isinstance(p, str) and p for p in content.CONTACT_PHRASES)
    assert content.PRAISE_PHRASES and all(isinstance(p, str) and p for p in content.PRAISE_PHRASES)
    assert "联系" in content.CONTACT_PHRASES and "告知" in content.CONTACT_PHRASES


@pytest.mark.parametrize("praise", [False, True])
def test_feedback_without_contact_claims_none(praise):
    for text in feedback_samples(False, praise):
        assert not [p for p in content.CONTACT_PHRASES if p in text], text
        assert not set("{}[]") & set(text) and text.endswith("。"), text


@pytest.mark.parametrize("praise", [False, True])
def test_feedback_with_contact_says_so(praise):
    for text in feedback_samples(True, praise):
        assert any(p in text for p in content.CONTACT_PHRASES), text


@pytest.mark.parametrize("contacted", [False, True])
def test_praise_only_when_asked(contacted):
    for text in feedback_samples(contacted, True):
        assert any(p in text for p in content.PRAISE_PHRASES), text
    for text in feedback_samples(contacted, False):
        assert not any(p in text for p in content.PRAISE_PHRASES), text


def test_feedback_speaks_as_the_unit():
    rng = random.Random(3)
    assert all("我区" in content.unit_feedback(rng, "道路养护", "岳塘区人民政府", True) for _ in range(10))
    assert all("我县" in content.unit_feedback(rng, "农村建房", "湘潭县人民政府", True) for _ in range(10))
    assert all("我公司" in content.unit_feedback(rng, "供电服务", "国网湘潭供电公司", True) for _ in range(10))
    assert all("我局" in content.unit_feedback(rng, "治安管理", "市公安局", False) for _ in range(10))
    texts = [content.unit_feedback(rng, "道路养护", "岳塘区人民政府", True) for _ in range(40)]
    assert any("书院路街道" in t or "建设路街道" in t or "岳塘街道" in t or "东坪街道" in t for t in texts)


# ---------------------------------------------------------------------------------------------- callers

def test_caller_formats():
    rng = random.Random(42)
    names = []
    for _ in range(3000):
        name, phone = content.caller(rng)
        assert PHONE.match(phone), phone
        assert name == "某市民" or re.fullmatch(r"[\u4e00-\u9fff]{1,2}(女士|先生)", name), name
        names.append(name)
    anonymous = names.count("某市民")
    assert 0 < anonymous < 300
    surnames = {n[:-2] for n in names if n != "某市民"}
    assert len(surnames) >= 30 and {"刘", "李", "王", "谭"} <= surnames
    assert sum(n.endswith("女士") for n in names) > 1000 and sum(n.endswith("先生") for n in names) > 1000
