"""The slots that code fills: a region's places, dates, names, plates, large amounts — and the slot table.

Why code for these and data for the rest: a place slot draws from structured data (a region's streets and the
communities of each; a small town's compounds named after the town), {date2} is 1–6 days after the {date} of
the same text, a plate has at most two letters. Those are rules. Everything that is only a list of words (shop
types, banks, times of day) or a range of numbers (ages, wages) is declared in
``hotline/data/texts/vocabulary.yaml`` and becomes a slot here without code; places are in ``places.yaml``.

`COMPILER` compiles templates against this table (hotline/generator/templates.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

from hotline.generator.templates import Compiler, Context, load_texts

NO_PLACE_REGION = "市本级"
# the seed data covers September–November 2022; most events the citizens mention are recent
MONTHS = (8, 9, 9, 10, 10, 10)
MONTH_DAYS = {7: 31, 8: 31, 9: 30, 10: 31, 11: 30}
PLATE_REGION = "湘C"  # 湘潭's licence-plate prefix
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_DIGITS = "0123456789"

_SURNAMES = load_texts("callers.yaml")["surnames"]
_SURNAME_NAMES = tuple(_SURNAMES)
_SURNAME_CUM = tuple(accumulate(_SURNAMES.values()))


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_NAMES, cum_weights=_SURNAME_CUM)[0]


# ---- places --------------------------------------------------------------------------------------------


class Region(NamedTuple):
    """A region's place vocabulary, flattened once so that a draw is a single rng.choice."""

    display: str  # how the operator writes it: 高新区 → 湘潭高新区
    pairs: tuple[tuple[str, str], ...]  # (street, community/village)
    rural: tuple[tuple[str, str], ...]  # the pairs that are villages (村)
    compounds: tuple[str, ...]
    roads: tuple[str, ...]
    hospitals: tuple[str, ...]
    parks: tuple[str, ...]
    streets: tuple[str, ...]
    hall: str  # the region's 政务服务中心
    towns: frozenset[str]  # rural 镇/乡 whose compounds are named after the town, not from the list


def _region(name: str, d: dict) -> Region:
    pairs = tuple((s, c) for s, cs in d["streets"].items() for c in cs)
    display = d.get("display", name)
    towns = frozenset(s for s in d["streets"] if s.endswith(("镇", "乡")) and s not in d.get("seats", ()))
    return Region(display, pairs, tuple(p for p in pairs if p[1].endswith("村")), tuple(d["compounds"]),
                  tuple(d["roads"]), tuple(d["hospitals"]), tuple(d["parks"]), tuple(d["streets"]),
                  display + "政务服务中心", towns)


_PLACES = load_texts("places.yaml")
REGIONS: dict[str, Region | None] = {name: _region(name, d) for name, d in _PLACES["regions"].items()}
REGIONS[NO_PLACE_REGION] = None
_CITY_HOSPITALS = tuple(_PLACES["city_hospitals"])
_TOWN_COMPOUNDS = tuple(_PLACES["town_compounds"])


def _pair(c: Context) -> tuple[str, str]:
    p = c.cache.get("_pair")
    if p is None:
        p = c.cache["_pair"] = c.rng.choice(c.region.pairs)
    return p


def _road_name(c: Context) -> str:
    r = c.cache.get("_road")
    if r is None:
        r = c.cache["_road"] = c.rng.choice(c.region.roads)
    return r


def _community(c: Context, street: str, comm: str) -> str:
    if comm.endswith("村") and c.rng.random() < 0.4:
        return f"{c.region.display}{street}{comm}{c.rng.randint(1, 12)}组"
    return c.region.display + street + comm


def _street_base(street: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if street.endswith(suffix):
            return street[: -len(suffix)]
    return street


def _s_loc(c: Context) -> str:
    if c.region is None:
        return "其居住地附近"
    street, comm = _pair(c)
    return _community(c, street, comm)


def _s_xq(c: Context) -> str:
    if c.region is None:
        return "其所在小区"
    street = _pair(c)[0]
    if street in c.region.towns:  # a small town's compounds carry its name: 花石镇花石安置小区
        return c.region.display + street + _street_base(street) + c.rng.choice(_TOWN_COMPOUNDS)
    return c.region.display + street + c.rng.choice(c.region.compounds)


def _s_road(c: Context) -> str:
    if c.region is None:
        return "市区某路段"
    return c.region.display + _road_name(c)


def _s_cross(c: Context) -> str:
    if c.region is None:
        return "市区某路口"
    roads = c.region.roads
    a = _road_name(c)
    b = c.rng.choice(roads)
    if b == a:
        b = roads[(roads.index(a) + 1) % len(roads)]
    return f"{c.region.display}{a}与{b}交叉口"


def _s_addr(c: Context) -> str:
    if c.region is None:
        return "市区"
    return f"{c.region.display}{_road_name(c)}{c.rng.randint(1, 320)}号" + c.rng.choice(("", "附近", "旁"))


def _s_vill(c: Context) -> str:
    r = c.region
    if r is None:
        return "其所在村"
    street, comm = _pair(c)
    if not comm.endswith("村") and r.rural:
        street, comm = c.rng.choice(r.rural)
    return _community(c, street, comm)


def _s_hall(c: Context) -> str:
    return "市政务服务中心" if c.region is None else c.region.hall


def _s_pcs(c: Context) -> str:
    if c.region is None:
        return "辖区派出所"
    return _street_base(_pair(c)[0]) + "派出所"


def _s_hosp(c: Context) -> str:
    return c.rng.choice(_CITY_HOSPITALS if c.region is None else c.region.hospitals)


def _s_clinic(c: Context) -> str:
    """The primary-care clinic of the street or town: 书院路街道社区卫生服务中心, 花石镇卫生院."""
    if c.region is None:
        return "附近的社区卫生服务中心"
    street = _pair(c)[0]
    return street + ("卫生院" if street.endswith(("镇", "乡")) else "社区卫生服务中心")


def _s_park(c: Context) -> str:
    return "附近公园" if c.region is None else c.rng.choice(c.region.parks)


def _s_school(c: Context) -> str:
    if c.region is None:
        return "某学校"
    street, comm = _pair(c)
    if street.endswith(("镇", "乡")) and c.rng.random() < 0.5:
        return _street_base(street) + c.rng.choice(("中心小学", "中学"))
    base = comm[:-2] if comm.endswith("社区") else comm[:-1]
    return base + c.rng.choice(("小学", "小学", "中学", "实验学校"))


# ---- dates, names, things ------------------------------------------------------------------------------


def _draw_date(c: Context) -> tuple[int, int]:
    d = c.cache.get("_date")
    if d is None:
        m = c.rng.choice(MONTHS)
        d = c.cache["_date"] = (m, c.rng.randint(1, MONTH_DAYS[m]))
    return d


def _s_date(c: Context) -> str:
    m, d = _draw_date(c)
    return f"{m}月{d}日"


def _s_date2(c: Context) -> str:
    """A date 1–6 days after {date}: when something was done after it happened."""
    m, d = _draw_date(c)
    d += c.rng.randint(1, 6)
    if d > MONTH_DAYS[m]:
        d -= MONTH_DAYS[m]
        m += 1
    return f"{m}月{d}日"


def _s_bld(c: Context) -> str:
    b = c.rng.randint(1, 28)
    return f"{b}栋{c.rng.randint(1, 4)}单元" if c.rng.random() < 0.4 else f"{b}栋"


def _s_name3(c: Context) -> str:
    return surname(c.rng) + ("某" if c.rng.random() < 0.6 else "某某")


_WORDS = {k: tuple(v) for k, v in load_texts("vocabulary.yaml")["words"].items()}


def _s_company(c: Context) -> str:
    rng = c.rng
    return f"湘潭{rng.choice(_WORDS['company_words'])}{rng.choice(_WORDS['company_trades'])}有限公司"


def _s_site(c: Context) -> str:
    rng = c.rng
    return f"“{rng.choice(_WORDS['company_words'])}{rng.choice(_WORDS['estate_words'])}”项目工地"


def _s_eatery(c: Context) -> str:
    return f"“{surname(c.rng)}记{c.rng.choice(_WORDS['foods'])}”"


def _s_plate(c: Context) -> str:
    """湘C plates: five characters, mostly digits with at most two letters (湘C3B528, 湘CD7012)."""
    rng = c.rng
    chars = [rng.choice(PLATE_DIGITS) for _ in range(5)]
    for _ in range(rng.choice((0, 1, 1, 2))):
        chars[rng.randrange(5)] = rng.choice(PLATE_LETTERS)
    return PLATE_REGION + "".join(chars)


def _s_money_l(c: Context) -> str:
    """Large sums as written in tickets: 3.2万, 15万."""
    rng = c.rng
    wan = rng.randint(1, 30)
    tenth = rng.randint(0, 9)
    return f"{wan}.{tenth}万" if tenth else f"{wan}万"


# ---- the table -----------------------------------------------------------------------------------------


def _choice(options: tuple[str, ...]) -> Callable[[Context], str]:
    return lambda c: c.rng.choice(options)


def _int(lo: int, hi: int, step: int = 1) -> Callable[[Context], str]:
    return lambda c: str(c.rng.randrange(lo, hi + 1, step))


def _given(default: str) -> Callable[[Context], str]:
    """A slot the caller fills through `Context(given=…)`; `default` when it does not."""
    return lambda c: default


REGION_SLOTS = frozenset(("loc", "xq", "road", "cross", "addr", "vill", "hall"))  # they name the region
PLACE_SLOTS = REGION_SLOTS | {"pcs", "hosp", "clinic", "park", "school"}
# the subcategory's (topic, staff) and the replying unit's (org: 局, street: the street it passes the ticket to)
GIVEN_SLOTS = {"topic": "", "staff": "", "org": "单位", "street": ""}



def _table() -> dict[str, Callable[[Context], str]]:
    """Computed slots, then vocabulary.yaml's word lists and number ranges, then the given ones; a name twice
    is an error (a word list must not silently replace a computed slot)."""
    vocabulary = load_texts("vocabulary.yaml")
    parts = [
        {"loc": _s_loc, "xq": _s_xq, "road": _s_road, "cross": _s_cross, "addr": _s_addr, "vill": _s_vill,
         "hall": _s_hall, "pcs": _s_pcs, "hosp": _s_hosp, "clinic": _s_clinic, "park": _s_park,
         "school": _s_school, "date": _s_date, "date2": _s_date2, "bld": _s_bld, "money_l": _s_money_l,
         "name3": _s_name3, "company": _s_company, "site": _s_site, "eatery": _s_eatery, "plate": _s_plate},
        {name: _choice(tuple(str(v) for v in values)) for name, values in vocabulary["choices"].items()},
        {name: _int(*bounds) for name, bounds in vocabulary["numbers"].items()},
        {name: _given(default) for name, default in GIVEN_SLOTS.items()},
    ]
    table: dict[str, Callable[[Context], str]] = {}
    for part in parts:
        twice = sorted(table.keys() & part.keys())
        if twice:
            raise ValueError(f"slots defined twice (hotline/data/texts/vocabulary.yaml): {twice}")
        table.update(part)
    return table


SLOTS = _table()
COMPILER = Compiler(SLOTS, REGION_SLOTS)
