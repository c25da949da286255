"""Who was late, who was contacted, who was dissatisfied: per-ticket outcomes that add up to 附件1 and 图9.

Works on plain lists of (ticket key, unit, subcategory) so it stays testable without a database.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from hotline.generator import targets as T


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    wsum = sum(weights.values())
    if wsum == 0:
        return {k: 0 for k in weights}
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def dissatisfied_quota(visited: dict[str, Counter], rng: random.Random) -> dict[str, Counter]:
    """How many dissatisfied visits each unit has in each subcategory.

    Per unit the total is 附件1's 不满意量; per subcategory the five 图9 hotspots get exactly their count and
    every other subcategory at most `DISSATISFIED_OTHER_CAP`, so the hotspot table ranks as the seed's.
    """
    budget = {u: row[5] for u, row in T.ANNEX1.items()}
    quota: dict[str, Counter] = defaultdict(Counter)
    # 1. the hotspots, spread over the units that have such visits, in proportion to their budgets
    for sub, want in T.DISSATISFIED_BY_SUBCATEGORY.items():
        holders = {u: min(c[sub], budget[u]) for u, c in visited.items() if c[sub] and budget[u]}
        weights = {u: budget[u] * visited[u][sub] for u in holders}
        alloc = largest_remainder(want, weights)
        short = 0
        for u, n in alloc.items():
            take = min(n, holders[u], budget[u])
            quota[u][sub] += take
            budget[u] -= take
            short += n - take
        for u in sorted(holders, key=lambda u: -budget[u]):
            if short == 0:
                break
            take = min(short, budget[u], visited[u][sub] - quota[u][sub])
            quota[u][sub] += take
            budget[u] -= take
            short -= take
        if short:
            raise ValueError(f"cannot place {short} dissatisfied visits of {sub}")
    # 2. the rest of each unit's budget over its other subcategories, one at a time, under a global cap
    used = Counter()
    def options(u: str) -> int:
        return sum(1 for s in visited[u] if s not in T.DISSATISFIED_BY_SUBCATEGORY)

    for u in sorted(budget, key=lambda u: (options(u), -budget[u])):
        subs = [s for s in visited[u] if s not in T.DISSATISFIED_BY_SUBCATEGORY]
        rng.shuffle(subs)
        subs.sort(key=lambda s: -visited[u][s])
        while budget[u] > 0:
            placed = False
            for s in subs:
                if budget[u] == 0:
                    break
                if used[s] < T.DISSATISFIED_OTHER_CAP and quota[u][s] < visited[u][s]:
                    quota[u][s] += 1
                    used[s] += 1
                    budget[u] -= 1
                    placed = True
            if not placed:
                raise ValueError(f"{u}: {budget[u]} dissatisfied visits left with nowhere to go")
    return quota


def split_satisfied(total_satisfied: int) -> dict[str, int]:
    """满意 per unit: the month's 1,812 shared in proportion to each unit's rated, satisfied visits."""
    rated = {u: row[3] - row[4] for u, row in T.ANNEX1.items()}
    return largest_remainder(total_satisfied, rated)
