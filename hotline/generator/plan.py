"""From the calibration targets to integer cells: which tickets exist, before any is written.

Pure arithmetic on dictionaries, seeded where a choice is free. `check_plan` re-derives the published
orderings (top categories, dispatch hotspots, top-3 per unit) from the cells, so a bad edit of
`targets.py` fails here with a readable message instead of as a wrong figure in the report.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from hotline.generator import targets as T


def spread(total: int, keys: list[str], cap: int | None, rng: random.Random) -> dict[str, int]:
    """Split `total` over `keys` with random weights, no cell above `cap` (largest remainder)."""
    if total == 0:
        return {}
    if not keys:
        raise ValueError(f"nothing to spread {total} over")
    if cap is not None and cap * len(keys) < total:
        raise ValueError(f"cannot spread {total} over {len(keys)} cells capped at {cap}")
    weights = {k: rng.uniform(0.3, 1.7) for k in keys}
    out = {k: 0 for k in keys}
    left = total
    open_keys = list(keys)
    while left > 0:
        wsum = sum(weights[k] for k in open_keys)
        shares = {k: left * weights[k] / wsum for k in open_keys}
        base = {k: int(shares[k]) for k in open_keys}
        rem = left - sum(base.values())
        for k in sorted(open_keys, key=lambda k: shares[k] - base[k], reverse=True)[:rem]:
            base[k] += 1
        left = 0
        for k in open_keys:
            room = (cap - out[k]) if cap is not None else base[k]
            take = min(base[k], room)
            out[k] += take
            left += base[k] - take
        if cap is not None:
            open_keys = [k for k in open_keys if out[k] < cap]
    return {k: v for k, v in out.items() if v}


def dispatch_cells(seed: int) -> dict[str, dict[str, int]]:
    """October dispatched tickets per unit and subcategory, by acceptance month."""
    cells: dict[str, dict[str, int]] = {}
    for unit, spec in T.DISPATCH_PLAN_OCT.items():
        fixed = dict(spec.get("fixed", {}))
        rest = spec["total"] - sum(fixed.values())
        if rest < 0:
            raise ValueError(f"{unit}: fixed cells exceed the total")
        fill = [s for s in spec.get("fill", []) if s not in fixed]
        got = spread(rest, fill, spec.get("cap"), random.Random(f"{seed}:{unit}"))
        cells[unit] = {**fixed, **{k: v for k, v in got.items()}}
    return cells


@dataclass
class CarryOver:
    """Per unit: October tickets visited in November (out) and September tickets visited in October (in)."""

    out_oct: dict[str, int] = field(default_factory=dict)
    in_sep: dict[str, int] = field(default_factory=dict)


def carry_over(cells: dict[str, dict[str, int]]) -> CarryOver:
    """Choose the carry-over so that October visits per unit equal 附件1 exactly.

    visits(u) = accepted_oct(u) - out(u) + in(u). A small two-way flow (3% of the unit's visits) exists
    everywhere, as it does in a real month; the net flow is what the two bases differ by.
    """
    co = CarryOver()
    for unit, row in T.ANNEX1.items():
        acc = sum(cells.get(unit, {}).values())
        visits = row[0]
        base = visits * 3 // 100
        diff = visits - acc
        co.in_sep[unit] = base + max(diff, 0)
        co.out_oct[unit] = base + max(-diff, 0)
        if co.out_oct[unit] > acc:
            raise ValueError(f"{unit}: {co.out_oct[unit]} carried out of {acc} accepted")
    return co


def september_units(cells: dict[str, dict[str, int]], co: CarryOver) -> dict[str, int]:
    """September dispatched tickets per unit: proportional to October's visits, at least the carried-in ones."""
    total = T.DISPATCHED_SEP
    visits = {u: row[0] for u, row in T.ANNEX1.items()}
    vsum = sum(visits.values())
    raw = {u: total * v / vsum for u, v in visits.items()}
    out = {u: max(int(x), co.in_sep[u]) for u, x in raw.items()}
    diff = total - sum(out.values())
    order = sorted(raw, key=lambda u: raw[u] - int(raw[u]), reverse=True)
    i = 0
    while diff != 0:
        u = order[i % len(order)]
        if diff > 0:
            out[u] += 1
            diff -= 1
        elif out[u] > co.in_sep[u] and out[u] > 1:
            out[u] -= 1
            diff += 1
        i += 1
    return out


def september_cells(cells: dict[str, dict[str, int]], sep_units: dict[str, int], seed: int) -> dict[str, dict[str, int]]:
    """September subcategories per unit: October's profile without the epidemic surge (it began on 6 October)."""
    out = {}
    for unit, n in sep_units.items():
        profile = {s: c for s, c in cells.get(unit, {}).items() if s != T.EPIDEMIC} or cells.get(unit, {})
        if not profile:
            profile = {"政务办事": 1}
        rng = random.Random(f"{seed}:sep:{unit}")
        keys = sorted(profile, key=lambda s: -profile[s])
        weights = [profile[k] for k in keys]
        out[unit] = dict(Counter(rng.choices(keys, weights=weights, k=n)))
    return out


def check_plan(cells: dict[str, dict[str, int]], taxonomy: dict[str, str]) -> list[str]:
    """Problems with the plan, as readable sentences (empty when the plan reproduces the seed's orderings)."""
    problems: list[str] = []
    dispatched = Counter()
    for row in cells.values():
        dispatched.update(row)
    if sum(dispatched.values()) != 7470:
        problems.append(f"October dispatched total {sum(dispatched.values())} != 7470")
    for s, n in dispatched.items():
        if s not in T.SUBCATEGORY_TOTALS_OCT:
            problems.append(f"subcategory {s} not in the October totals")
        elif n > T.SUBCATEGORY_TOTALS_OCT[s]:
            problems.append(f"{s}: {n} dispatched > {T.SUBCATEGORY_TOTALS_OCT[s]} accepted")
    for s, want in {"疫情等突发公共卫生事件": 1500, "劳动维权": 352, "消费维权": 894, "物业管理": 260, "生活噪音": 174}.items():
        if dispatched[s] != want:
            problems.append(f"dispatched {s} = {dispatched[s]}, seed says {want}")
    by_cat: dict[str, Counter] = defaultdict(Counter)
    for s, n in dispatched.items():
        by_cat[taxonomy[s]][s] += n
    ranked = sorted(by_cat, key=lambda c: -sum(by_cat[c].values()))
    want_cats = ["突发事件管理类", "人力资源与社会保障类", "金融商贸财经类", "城乡规划建设及房屋土地类", "资源环境类"]
    if ranked[:5] != want_cats:
        problems.append(f"dispatch top categories {[(c, sum(by_cat[c].values())) for c in ranked[:7]]}")
    for cat, main in zip(want_cats, ["疫情等突发公共卫生事件", "劳动维权", "消费维权", "物业管理", "生活噪音"]):
        top = by_cat[cat].most_common(1)[0][0]
        if top != main:
            problems.append(f"{cat}: main dispatched subcategory is {top} ({by_cat[cat][top]}), not {main}")
    for unit, spec in T.DISPATCH_PLAN_OCT.items():
        if sum(cells[unit].values()) != spec["total"]:
            problems.append(f"{unit}: total {sum(cells[unit].values())} != {spec['total']}")
    return problems
