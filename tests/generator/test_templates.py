"""The template engine and the text files it reads: the syntax does what the files' headers say, a broken
template fails when loaded, every file is the category it claims and is shipped with the package.

Expected values come from the syntax as documented and from taxonomy.yaml / pyproject.toml read here, not from
the module under test.
"""

from __future__ import annotations

import random
import tomllib
from importlib import resources
from pathlib import Path, PurePosixPath

import pytest
import yaml

from hotline.generator import content
from hotline.generator.templates import Compiler, Context, render

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "hotline" / "data" / "texts"


def counter_slot():
    """A slot whose every draw is a new number: shows how often it was drawn."""
    calls = []

    def fill(c: Context) -> str:
        calls.append(1)
        return str(len(calls))

    return fill, calls


def engine() -> tuple[Compiler, list]:
    fill, calls = counter_slot()
    return Compiler({"n": fill, "place": lambda c: "雨湖区某地", "word": lambda c: c.rng.choice("甲乙")},
                    region_slots={"place"}), calls


def test_a_slot_is_drawn_once_per_text_and_reused():
    comp, calls = engine()
    t = comp.compile("第{n}次，仍是第{n}次")
    assert render(t.pieces, Context(random.Random(0), region="r")) == "第1次，仍是第1次"
    assert render(t.pieces, Context(random.Random(0), region="r")) == "第2次，仍是第2次"  # a new text draws anew
    assert len(calls) == 2


def test_a_bracketed_part_is_dropped_without_a_region():
    comp, _ = engine()
    t = comp.compile("路面破损[，位于{place}]")
    assert render(t.pieces, Context(random.Random(0), region="r")) == "路面破损，位于雨湖区某地"
    assert render(t.pieces, Context(random.Random(0), region=None)) == "路面破损"
    assert t.regional and not comp.compile("路面破损").regional


def test_given_values_are_not_drawn():
    comp, calls = engine()
    t = comp.compile("{n}")
    assert render(t.pieces, Context(random.Random(0), region=None, given={"n": "七"})) == "七" and not calls


@pytest.mark.parametrize("text, message", [
    ("{nope}的问题", "unknown slot {nope}"),
    ("问题{n", "unclosed slot"),
    ("问题[在{place}", "unclosed \\["),
    ("问题]了", "stray bracket"),
    ("问题}了", "stray bracket"),
])
def test_a_broken_template_fails_with_its_text(text, message):
    comp, _ = engine()
    with pytest.raises(ValueError, match=message) as e:
        comp.compile(text)
    assert text in str(e.value)


def test_rules_on_groups_of_templates():
    comp, _ = engine()
    with pytest.raises(ValueError, match="must name the region"):
        comp.compile_all(["无处可寻"], need_region=True)
    with pytest.raises(ValueError, match="may not use \\['place'\\]"):
        comp.compile_all(["已处理{place}"], forbid=frozenset({"place"}))
    assert len(comp.compile_all(["在{place}", "又在{place}"], need_region=True)) == 2


def test_grammar_flags():
    comp, _ = engine()
    qi = comp.compile("其反映{word}")
    assert qi.qi and render(qi.stripped, Context(random.Random(1), None)) in ("反映甲", "反映乙")
    assert not comp.compile("其家门口").qi
    assert comp.compile("可以办理吗").yes_no and not comp.compile("如何办理").yes_no


def test_the_data_checks_catch_a_reply_that_claims_contact():
    base = content.TEXTS["供水服务"]
    bad = base._replace(reply=base.reply[:1] + ("已电话联系市民说明情况",))
    with pytest.raises(ValueError, match="联系"):
        content._compile_sub("供水服务", bad)
    with pytest.raises(ValueError, match="建议"):
        content._compile_sub("供水服务", base._replace(suggest=("希望增加供水点",)))
    with pytest.raises(ValueError, match="may not use"):
        content._compile_sub("供水服务", base._replace(reply=base.reply + ("已修复{xq}的管道",)))
    content._compile_sub("供水服务", base)  # the shipped texts pass


def test_each_subcategory_file_holds_its_category():
    doc = yaml.safe_load((ROOT / "hotline" / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    category_of = {s["name"]: c["name"] for c in doc["categories"] for s in c["subcategories"]}
    seen = []
    for path in sorted((TEXTS / "subcategories").glob("*.yaml")):
        text = yaml.safe_load(path.read_text(encoding="utf-8"))
        for sub in text["subcategories"]:
            assert category_of.get(sub) == text["category"], (path.name, sub)
            seen.append(sub)
        assert path.read_text(encoding="utf-8").startswith("#"), path.name  # the header explains the syntax
    assert sorted(seen) == sorted(category_of)  # every subcategory once


def test_every_text_file_is_shipped_with_the_package():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["hotline"]
    package = resources.files("hotline")
    files = [PurePosixPath(p.relative_to(ROOT / "hotline").as_posix()) for p in TEXTS.rglob("*") if p.is_file()]
    assert len(files) >= 19
    for f in files:  # setuptools globs: '*' stays within one folder
        assert any(len(f.parts) == len(PurePosixPath(g).parts) and f.match(g) for g in globs), f
        assert package.joinpath(str(f)).is_file()
