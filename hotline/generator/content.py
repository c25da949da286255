"""Realistic Chinese text for generated 12345 work orders (工单): the ticket's content and the unit's reply.

The seeded data generator creates ~100k tickets; their `content` and the units' replies must read like what
a 12345 operator and a handling unit actually write, because the report quotes them (典型案例, 热点事项) and
people judge the demo by them. So every subcategory of ``hotline/data/taxonomy.yaml`` has its own problem
descriptions, questions, suggestions and unit replies, written as templates with slots in
``hotline/data/texts/subcategories/`` (one file per category). The appeal type chooses the frame
(``frames.yaml``: 咨询 asks, 投诉 complains, 建议 suggests, 求助 asks for help, 无效 is a silent or misdialled
call, 其他 praises or withdraws); a unit's reply is framed by ``replies.yaml``.

This module holds what the texts cannot: which frame goes with which appeal type, the grammar that joins
them (a place lead-in before a text that names no place, 其 not said twice), and the checks that keep the
data honest — run once, at import: enough texts per subcategory, suggestions that start with 建议, replies
that name no place and claim no contact, frames that claim contact or praise only where they should.
The template syntax and the engine are in hotline/generator/templates.py, the computed slots in slots.py.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import NamedTuple

from hotline.domain import codes
from hotline.domain.masking import mask_phone
from hotline.generator.slots import COMPILER, NO_PLACE_REGION, PLACE_SLOTS, REGIONS, surname
from hotline.generator.templates import Context, Template, load_text_folder, load_texts, render

__all__ = [
    "APPEAL_TYPES",
    "CONTACT_PHRASES",
    "NO_PLACE_REGION",
    "PRAISE_PHRASES",
    "REGIONS",
    "SUBCATEGORIES",
    "TEXTS",
    "caller",
    "ticket_content",
    "unit_feedback",
]

APPEAL_TYPES = codes.APPEAL_TYPES  # the frames below are written per appeal type, in this order

# ---- callers -----------------------------------------------------------------------------------------------

_MOBILE_PREFIXES = tuple(load_texts("callers.yaml")["mobile_prefixes"])


def caller(rng: random.Random) -> tuple[str, str]:
    """(masked name, masked phone), e.g. ('谭女士', '138****5621'); about 1 in 20 callers stay anonymous."""
    if rng.random() < 0.05:
        name = "某市民"
    else:
        name = surname(rng) + ("女士" if rng.random() < 0.5 else "先生")
    phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
    return name, mask_phone(phone)


# ---- the subcategories' texts -------------------------------------------------------------------------------


class Texts(NamedTuple):
    """Templates of one subcategory (hotline/data/texts/subcategories/*.yaml: the header says what each is)."""

    topic: str
    staff: str
    issue: tuple[str, ...]
    ask: tuple[str, ...]
    suggest: tuple[str, ...]
    reply: tuple[str, ...]
    help: tuple[str, ...] = ()


def _load_subcategories() -> dict[str, Texts]:
    out: dict[str, Texts] = {}
    for doc in load_text_folder("subcategories"):
        for name, e in doc["subcategories"].items():
            if name in out:
                raise ValueError(f"{name}: texts given twice (hotline/data/texts/subcategories)")
            out[name] = Texts(e["topic"], e["staff"], *(tuple(e.get(k) or ()) for k in
                                                         ("issue", "ask", "suggest", "reply", "help")))
    return out


TEXTS: dict[str, Texts] = _load_subcategories()
SUBCATEGORIES: tuple[str, ...] = tuple(TEXTS)
_INVALID_SUB = "无效来电"
_PRAISE_SUB = "表扬感谢"
_SPECIAL_SUBS = (_INVALID_SUB, _PRAISE_SUB)  # whole-ticket kinds: their issues are the full record


class _Compiled(NamedTuple):
    texts: Texts
    given: dict[str, str]  # the {topic} and {staff} of its texts
    issue: tuple[Template, ...]
    help: tuple[Template, ...]  # issue + help-only problems
    ask: tuple[Template, ...]
    suggest: tuple[Template, ...]
    reply: tuple[Template, ...]


def _compile_sub(name: str, t: Texts) -> _Compiled:
    if len(t.issue) < 4 or len(t.reply) < 2:
        raise ValueError(f"{name}: needs at least 4 problems and 2 replies")
    if name not in _SPECIAL_SUBS and (not t.ask or not t.suggest):
        raise ValueError(f"{name}: needs questions and suggestions")
    for s in t.suggest:
        if not s.startswith("建议"):
            raise ValueError(f"{name}: a suggestion starts with 建议: {s}")
    _claims_nothing(t.reply, CONTACT_PHRASES + PRAISE_PHRASES, f"{name}: a reply")
    issue = COMPILER.compile_all(t.issue, need_region=name in _SPECIAL_SUBS)
    return _Compiled(t, {"topic": t.topic, "staff": t.staff}, issue, issue + COMPILER.compile_all(t.help),
                     COMPILER.compile_all(t.ask), COMPILER.compile_all(t.suggest),
                     COMPILER.compile_all(t.reply, forbid=PLACE_SLOTS | {"topic"}))


def _claims_nothing(texts, phrases: tuple[str, ...], what: str) -> None:
    for text in texts:
        found = [p for p in phrases if p in text]
        if found:
            raise ValueError(f"{what} may not say {found}: {text}")


def _claims(texts, phrases: tuple[str, ...], what: str) -> None:
    for text in texts:
        if not any(p in text for p in phrases):
            raise ValueError(f"{what} must say one of {list(phrases)}: {text}")


# ---- frames: how the operator opens and closes each appeal type, and the unit's reply -----------------------

_F = load_texts("frames.yaml")
_VERBS = {k: tuple(v) for k, v in _F["verbs"].items()}
_CLOSINGS = {k: tuple(v) for k, v in _F["closings"].items()}
_EXTRAS = {k: COMPILER.pieces(v) for k, v in _F["extras"].items()}
_CONSULT_LEADS = tuple(_F["consult_leads"])
_SUGGEST_TAILS = tuple(_F["suggest_tails"])
_PLACE_LEADS = COMPILER.pieces(_F["place_leads"])
_INVALID = COMPILER.compile_all(_F["invalid"], need_region=True)
_INVALID_PLAIN = tuple(t for src, t in zip(_F["invalid"], _INVALID) if "{topic}" not in src)  # for 无效来电 itself
_INVALID_CLOSINGS = tuple(_F["invalid_closings"])
_PRAISE_VERBS = tuple(_F["praise_verbs"])
_PRAISE_CLOSINGS = tuple(_F["praise_closings"])
_OTHER = tuple((o["verb"], t, tuple(o["closings"])) for o, t in
               zip(_F["other"], COMPILER.compile_all((o["body"] for o in _F["other"]), need_region=True)))

_R = load_texts("replies.yaml")
# A reply that did not reach the citizen must not claim it did: none of these may appear when contacted=False.
CONTACT_PHRASES: tuple[str, ...] = tuple(_R["contact_phrases"])
# A praised reply carries one of these; an ordinary one carries none (praise is counted by the report).
PRAISE_PHRASES: tuple[str, ...] = tuple(_R["praise_phrases"])
_claims_nothing(_R["opens"] + _R["region_opens"] + _R["finding_leads"] + _R["next"],
                CONTACT_PHRASES + PRAISE_PHRASES, "replies.yaml: an opening, finding lead or next step")
_claims_nothing(_R["silent"] + _R["silent_praise"], CONTACT_PHRASES, "replies.yaml: silent")
_claims(_R["contacted"] + _R["contacted_praise"], CONTACT_PHRASES, "replies.yaml: contacted")
_claims_nothing(_R["contacted"] + _R["silent"], PRAISE_PHRASES, "replies.yaml: a reply without praise")
_claims(_R["contacted_praise"] + _R["silent_praise"], PRAISE_PHRASES, "replies.yaml: a praised reply")
_FB_OPENS = COMPILER.pieces(_R["opens"])
_FB_REGION_OPENS = COMPILER.pieces(_R["region_opens"])
_FB_FINDING_LEADS = tuple(_R["finding_leads"])
_FB_NEXT = COMPILER.pieces(_R["next"])
_FB_CLOSE = {(True, False): COMPILER.pieces(_R["contacted"]), (True, True): COMPILER.pieces(_R["contacted_praise"]),
             (False, False): COMPILER.pieces(_R["silent"]), (False, True): COMPILER.pieces(_R["silent_praise"])}

_COMPILED: dict[str, _Compiled] = {name: _compile_sub(name, t) for name, t in TEXTS.items()}


# ---- the public functions -----------------------------------------------------------------------------------


def _lookup(subcategory: str) -> _Compiled:
    try:
        return _COMPILED[subcategory]
    except KeyError:
        raise ValueError(f"unknown subcategory: {subcategory!r}") from None


def _who(name: str) -> str:
    """'王女士' → '市民王女士'; anonymous callers ('某市民', '') are just 市民."""
    name = name.strip()
    if not name or name.startswith("某"):
        return "市民"
    return name if name.startswith("市民") else "市民" + name


def _body(c: Context, t: Template, lead: str = "") -> str:
    """The template, preceded by a place lead-in when it names no place (and the region has one)."""
    if t.regional or c.region is None:
        return lead + render(t.pieces, c)
    intro = render(c.rng.choice(_PLACE_LEADS), c)
    if t.qi and not lead:
        return intro + render(t.stripped, c)
    return intro + lead + render(t.pieces, c)


def ticket_content(rng: random.Random, subcategory: str, appeal_type: str, region: str, caller: str) -> str:
    """Work-order text as a 12345 operator writes it.

    e.g. '市民王女士来电反映：岳塘区书院路街道晓塘社区……，希望相关部门核实处理，请相关单位处理，谢谢！'.
    appeal_type (consult/help/complaint/suggestion/invalid/other) chooses the frame; region (a name of
    REGIONS) chooses the places, and 市本级 names none. Unknown subcategory, appeal type or region → ValueError.
    """
    comp = _lookup(subcategory)
    if appeal_type not in APPEAL_TYPES:
        raise ValueError(f"unknown appeal type: {appeal_type!r}")
    try:
        reg = REGIONS[region]
    except KeyError:
        raise ValueError(f"unknown region: {region!r}") from None
    c = Context(rng, reg, comp.given)

    if appeal_type == "invalid" or subcategory == _INVALID_SUB:
        if subcategory == _INVALID_SUB:
            pool = comp.issue + _INVALID_PLAIN
        else:
            pool = _INVALID_PLAIN if subcategory == _PRAISE_SUB else _INVALID
        return render(rng.choice(pool).pieces, c) + "。" + rng.choice(_INVALID_CLOSINGS)

    who = _who(caller)
    if subcategory == _PRAISE_SUB:
        body = render(rng.choice(comp.issue).pieces, c)
        return f"{who}{rng.choice(_PRAISE_VERBS)}：{body}。{rng.choice(_PRAISE_CLOSINGS)}"
    if appeal_type == "other":
        verb, t, closings = rng.choice(_OTHER)
        return f"{who}{verb}：{render(t.pieces, c)}。{rng.choice(closings)}"

    if appeal_type == "consult":
        t = rng.choice(comp.ask)
        lead = "" if t.qi or t.yes_no else rng.choice(_CONSULT_LEADS)
        end = "。" if lead else "？"
        text = _body(c, t, lead) + end
    elif appeal_type == "suggestion":
        if rng.random() < 0.4:  # a problem, then a general suggestion
            text = _body(c, rng.choice(comp.issue)) + "，" + rng.choice(_SUGGEST_TAILS) + "。"
        else:
            text = _body(c, rng.choice(comp.suggest)) + "。"
    else:  # complaint, help
        pool = comp.help if appeal_type == "help" else comp.issue
        text = _body(c, rng.choice(pool)) + render(rng.choice(_EXTRAS[appeal_type]), c) + "。"
    return f"{who}{rng.choice(_VERBS[appeal_type])}：{text}{rng.choice(_CLOSINGS[appeal_type])}"


@lru_cache(maxsize=256)
def _unit_voice(unit: str) -> tuple[str, str | None]:
    """How a unit names itself in a reply (我局, 我公司, 我区…) and its region when it is a local government."""
    for name, reg in REGIONS.items():
        if reg is not None and name in unit:
            return "我" + name[-1], name
    for suffix, org in (("公司", "公司"), ("集团", "集团"), ("委", "委"), ("中心", "中心"), ("支队", "支队"),
                        ("局", "局"), ("办", "办"), ("工会", "会"), ("职院", "院"), ("广电", "台")):
        if unit.endswith(suffix):
            return "我" + org, None
    return "我单位", None


def unit_feedback(rng: random.Random, subcategory: str, unit: str, contacted: bool, praise: bool = False) -> str:
    """The handling unit's written reply (办结反馈).

    e.g. '我局于10月9日接到工单后，立即安排工作人员到现场核实。经查，……。已电话联系市民告知处理结果，
    市民表示认可。' With contacted=False the text claims no contact (none of CONTACT_PHRASES); with
    praise=True the citizen's praise is recorded (one of PRAISE_PHRASES), otherwise none is.
    """
    comp = _lookup(subcategory)
    voice, region = _unit_voice(unit)
    reg = REGIONS[region] if region else None
    c = Context(rng, reg, {**comp.given, "org": voice[1:], "street": ""})
    if reg is not None and rng.random() < 0.5:
        c.cache["street"] = rng.choice(reg.streets)
        opening = render(rng.choice(_FB_REGION_OPENS), c)
    else:
        opening = render(rng.choice(_FB_OPENS), c)
    reply = render(rng.choice(comp.reply).pieces, c)
    lead = "" if reply.startswith("经") else rng.choice(_FB_FINDING_LEADS)
    nxt = render(rng.choice(_FB_NEXT), c)
    tail = render(rng.choice(_FB_CLOSE[(bool(contacted), bool(praise))]), c)
    return f"{opening}{lead}{reply}。{nxt}{tail}"
