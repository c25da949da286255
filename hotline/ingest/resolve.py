"""Resolving names in a file to the store's reference rows: units, subcategories, platforms, regions.

Why: a ticket stores `unit_id` and `subcategory_id`, but an export says 湘潭市公安局 or ＂市公安局 ＂ (full-width,
stray spaces) and 疫情防控. Every spelling must land on the one canonical row — or be rejected with a reason
the user can fix — because the per-unit annex ranks units by these ids. Resolution order for a unit:

1. the exact name in `units`, then an alias in `unit_aliases`;
2. the same after normalising (full-width → half-width, no spaces);
3. the mapping's `units.aliases` and the user's `--aliases` file;
4. the mapping's `units.rewrite` rules (e.g. ^湘潭市 → 市), looked up again;
5. otherwise create the unit (`units.unknown: create`, e.g. NYC agencies) or reject the row.

Every spelling resolved by 3–5 is written to `unit_aliases` in the same transaction, so it is reviewable
in the store, and is listed on the 单位对照 sheet of the import's rejects workbook with how it was matched.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from sqlalchemy import Connection, func, select

from hotline.ingest.mapping import Mapping
from hotline.ingest.values import Bad, cell_text, key
from hotline.store.schema import categories, platforms, subcategories, unit_aliases, units

OTHER_SUBCATEGORY = "其他诉求"


def unit_spelling(value) -> str:
    """A unit as written, trimmed and with inner runs of spaces collapsed (matching uses `key`)."""
    return " ".join((cell_text(value) or "").split())


def _text(value) -> str:
    return " ".join(unicodedata.normalize("NFKC", cell_text(value) or "").split())


class Refs:
    """Lookups (cached) against the reference tables, inside the import's transaction."""

    def __init__(self, conn: Connection, mapping: Mapping, extra_aliases: dict[str, str] | None = None):
        self.conn, self.mapping = conn, mapping
        self.unit_by_key: dict[str, int] = {}
        self.unit_name: dict[int, str] = {}
        self.unit_region: dict[int, str | None] = {}
        for uid, name, region in conn.execute(select(units.c.id, units.c.name, units.c.region)):
            self.unit_by_key[key(name)] = uid
            self.unit_name[uid], self.unit_region[uid] = name, region
        self.alias_by_key = {key(a): uid for a, uid in conn.execute(select(unit_aliases.c.alias, unit_aliases.c.unit_id))}
        self.known_aliases = {a for a, in conn.execute(select(unit_aliases.c.alias))}
        self.extra = {key(k): v for k, v in {**mapping.unit_aliases, **(extra_aliases or {})}.items()}
        self.sub_by_key: dict[str, tuple[int, str]] = {}
        self.cat_of_sub: dict[int, str] = {}
        cat_names = dict(conn.execute(select(categories.c.id, categories.c.name)).all())
        self.cat_keys = {key(n) for n in cat_names.values()}
        for sid, name, cid in conn.execute(select(subcategories.c.id, subcategories.c.name, subcategories.c.category_id)):
            self.sub_by_key[key(name)] = (sid, name)
            self.cat_of_sub[sid] = cat_names.get(cid, "")
        self.platform_by_key = {}
        for code, name in conn.execute(select(platforms.c.code, platforms.c.name)):
            self.platform_by_key[key(code)] = code
            self.platform_by_key[key(name)] = code
            self.platform_by_key[key(name.replace("12345热线", ""))] = code
        self.how: dict[str, tuple[str, str]] = {}  # spelling → (unit name, how it was matched)
        self.uses: Counter = Counter()  # spelling → rows (counted by the converter, which caches)
        self.created_units: list[str] = []
        # ids of units created by this file are assigned here
        self.next_unit = (conn.execute(select(func.max(units.c.id))).scalar() or 0) + 1
        self.next_order = (conn.execute(select(func.max(units.c.sort_order))).scalar() or 0) + 1
        self.learned_aliases: list[tuple[str, str]] = []

    # ---- units --------------------------------------------------------------------------------------------
    def unit(self, value) -> int:
        raw = unit_spelling(value)
        if not raw:
            raise Bad("承办单位为空")
        k = key(raw)
        uid = self.unit_by_key.get(k)
        how = None
        if uid is None:
            uid = self.alias_by_key.get(k)
            how = "别名表" if uid is not None else None
        if uid is None and k in self.extra:
            target = key(self.extra[k])
            uid = self.unit_by_key.get(target) or self.alias_by_key.get(target)
            how = "映射/对照表别名"
            if uid is None:
                raise Bad(f"对照表把“{raw}”对应到“{self.extra[k]}”，但单位名录中没有“{self.extra[k]}”")
        if uid is None:
            for pattern, repl in self.mapping.unit_rewrite:
                k2 = key(pattern.sub(repl, raw))
                uid = self.unit_by_key.get(k2) or self.alias_by_key.get(k2)
                if uid is not None:
                    how = f"改写规则 {pattern.pattern} → {repl}"
                    break
        if uid is None:
            if self.mapping.units_unknown != "create":
                raise Bad(f"承办单位“{raw}”不在单位名录中（可在映射的 units.aliases 或 --aliases 对照表中补充别名）")
            if len(raw) > 64:
                raise Bad(f"承办单位名称超过 64 个字：{raw[:20]}…")
            uid = self._create_unit(raw)
            self.unit_by_key[k] = uid
            how = "新建单位"
        elif how and how != "别名表":
            self._learn_alias(raw, uid)
            self.alias_by_key[k] = uid
        self.how[raw] = (self.unit_name[uid], how or "单位名称")
        return uid

    def known_unit(self, value) -> tuple[str, int, str] | None:
        """(spelling, unit id, how) when `unit` would find the spelling as it is — a unit's name or a stored
        alias (steps 1–2), so resolving it writes nothing; None for any other (an alias to learn, a unit to
        create, a rejection). The converting process (hotline.ingest.fast.parallel) resolves only these."""
        raw = unit_spelling(value)
        if not raw:
            return None
        k = key(raw)
        uid = self.unit_by_key.get(k)
        if uid is not None:
            return raw, uid, "单位名称"
        uid = self.alias_by_key.get(k)
        if uid is not None:
            return raw, uid, "别名表"
        return None

    def add_unit(self, uid: int, name: str, region: str | None, order: int = 0) -> None:
        """A unit the file itself brought (the 承办单位 sheet of the project's own export)."""
        self.next_unit, self.next_order = max(self.next_unit, uid + 1), max(self.next_order, order + 1)
        self.unit_by_key[key(name)] = uid
        self.unit_name[uid], self.unit_region[uid] = name, region

    def _create_unit(self, name: str) -> int:
        uid, order = self.next_unit, self.next_order
        self.next_unit, self.next_order = uid + 1, order + 1
        row = dict(id=uid, name=name, unit_group=self.mapping.units_group, region=None, platform=None, sort_order=order)
        self.conn.execute(units.insert().values(**row))
        self.unit_name[uid], self.unit_region[uid] = name, None
        self.created_units.append(name)
        return uid

    def _learn_alias(self, alias: str, uid: int) -> None:
        if alias in self.known_aliases or len(alias) > 64 or key(alias) == key(self.unit_name[uid]):
            return
        self.conn.execute(unit_aliases.insert().values(alias=alias, unit_id=uid))
        self.known_aliases.add(alias)
        self.learned_aliases.append((alias, self.unit_name[uid]))

    # ---- taxonomy, platforms, regions ---------------------------------------------------------------------
    def subcategory(self, value) -> tuple[int, str | None]:
        raw = _text(value)
        k = key(raw)
        hit = self.sub_by_key.get(k)
        if hit is None and k in self.mapping.subcategory_aliases:
            hit = self.sub_by_key.get(key(self.mapping.subcategory_aliases[k]))
        if hit is not None:
            return hit[0], None
        if self.mapping.subcategory_unknown == "other" and key(OTHER_SUBCATEGORY) in self.sub_by_key:
            return self.sub_by_key[key(OTHER_SUBCATEGORY)][0], f"诉求小类“{raw}”不在分类体系中，已归入{OTHER_SUBCATEGORY}"
        raise Bad(f"诉求小类“{raw}”不在分类体系中（可在映射的 subcategories.aliases 中对应到已有小类）")

    def category_matches(self, sub_id: int, category) -> bool:
        k = key(_text(category))
        return not k or k not in self.cat_keys or key(self.cat_of_sub.get(sub_id, "")) == k

    def category_known(self, category) -> bool:
        return key(_text(category)) in self.cat_keys

    def platform(self, value) -> str:
        raw = _text(value)
        k = key(raw)
        code = self.platform_by_key.get(k) or self.mapping.platform_aliases.get(k)
        if code is None:
            raise Bad(f"受理平台“{raw}”不存在（可用：{'、'.join(sorted(set(self.platform_by_key.values())))}）")
        return code

    def region(self, value) -> tuple[str, str | None]:
        raw = _text(value)
        region = self.mapping.region_aliases.get(key(raw), raw)
        if len(region) > 16:
            return region[:16], f"诉求发生地超过 16 个字，已截断为“{region[:16]}”"
        return region, None
