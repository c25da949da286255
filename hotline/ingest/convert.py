"""Turning one raw row into canonical values, collecting every problem of the row at once.

Why collect rather than stop at the first error: the user corrects the rejects workbook by hand, and a
row that comes back three times with one new complaint each time wastes an afternoon. So each field is
parsed independently; a row is rejected when any field fails, and the rejects workbook lists them all.

Speed: per field, a prepared (column, parser) pair; parsers of low-cardinality fields (units, codes,
categories, 是/否, names) are memoised by raw value, so a million rows cost a million dictionary lookups there.
(Generating a specialised function per layout was tried: 17 % faster here, 2 % of an import — not worth
the indirection.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hotline.ingest.fields import LABELS, OPEN_CODES, TABLES, Field
from hotline.ingest.header import Layout, template_headers
from hotline.ingest.mapping import Mapping
from hotline.ingest.resolve import Refs, unit_spelling
from hotline.ingest.values import (
    Bad,
    cell_text,
    clean_text,
    key,
    parse_bool,
    parse_datetime,
    parse_int,
    parse_ticket_no,
    person,
    phone,
)

CACHE_LIMIT = 50_000
TEXT_LIMITS = {"actor": 64, "name": 64, "region": 16}


class Row:
    """One row of a sheet on its way in: raw cells, parsed values, problems, and what will be loaded."""

    __slots__ = ("sheet", "row_no", "cells", "rec", "errors", "repairs", "item")

    def __init__(self, sheet: str, row_no: int, cells: list, rec: dict | None = None):
        self.sheet, self.row_no, self.cells = sheet, row_no, cells
        self.rec = {} if rec is None else rec
        self.errors: list = []  # (field label, value, reason)
        self.repairs: list = []  # (field label, value, note)
        self.item: Any = None  # what the writer loads, set by records.finish_*

    def error(self, f: Field | str, value, reason: str) -> None:
        self.errors.append((f.label if isinstance(f, Field) else f, shown(value), reason))

    def repair(self, f: Field | str, value, note: str) -> None:
        self.repairs.append((f.label if isinstance(f, Field) else f, shown(value), note))


def shown(value) -> str:
    text = cell_text(value)
    return "" if text is None else text[:200]


def _cached(fn: Callable, cache: dict) -> Callable:
    def parse(raw):
        try:
            hit = cache[raw]
        except (KeyError, TypeError):
            try:
                hit = (fn(raw), None)
            except Bad as exc:
                hit = (None, exc)
            if len(cache) < CACHE_LIMIT:
                try:
                    cache[raw] = hit
                except TypeError:
                    pass
        if hit[1] is not None:
            raise hit[1]
        return hit[0]
    parse.cache = cache  # raw → (result, exception): read by the column-at-a-time path (hotline.ingest.fast.columns)
    return parse


def _code_parser(f: Field, mapping: Mapping) -> Callable:
    table = f.codes

    def parse(raw):
        text = cell_text(raw) or ""
        code = mapping.code(table, text)
        if code is None:
            if table in OPEN_CODES and text.replace("_", "").isalpha() and text.isascii() and text.islower():
                return text, None
            known = "、".join(LABELS[table].values())
            raise Bad(f"无法识别的{f.label}“{text}”（可用：{known}；或在映射的 values.{table} 中补充）")
        return code, None
    return parse


def parser_for(f: Field, mapping: Mapping, refs: Refs, counts: dict) -> Callable[[Any], tuple[Any, str | None]]:
    """A function raw cell → (value, repair note or None); raises Bad."""
    t = f.type
    if t == "ticket_no":
        return parse_ticket_no
    if t == "datetime":
        order = mapping.date_order
        return lambda raw: parse_datetime(raw, order)
    if t == "code":
        return _cached(_code_parser(f, mapping), {})
    if t == "bool":
        return _cached(lambda raw: (parse_bool(raw, mapping.bools), None), {})
    if t == "int":
        return lambda raw: (parse_int(raw), None)
    if t == "longtext":
        if not mapping.clean_text:
            return lambda raw: (raw if raw.__class__ is str else cell_text(raw), None)
        return lambda raw: (clean_text(raw), None)
    if t == "text":
        limit = TEXT_LIMITS.get(f.name)

        def text(raw):
            s = cell_text(raw)
            if limit and s and len(s) > limit:
                return s[:limit], f"超过 {limit} 个字，已截断"
            return s, None
        return text
    if t == "unit":
        uses = counts.setdefault("unit", {})
        cached = _cached(lambda raw: (refs.unit(raw), None), {})

        def unit(raw):
            value = cached(raw)
            spelling = unit_spelling(raw)
            uses[spelling] = uses.get(spelling, 0) + 1
            return value
        unit.resolve, unit.uses = cached, uses  # resolving without counting, and the counts (hotline.ingest.fast.columns)
        return unit
    if t == "subcategory":
        return _cached(refs.subcategory, {})
    if t == "category":
        return _cached(lambda raw: (cell_text(raw), None), {})
    if t == "platform":
        return _cached(lambda raw: (refs.platform(raw), None), {})
    if t == "region":
        return _cached(refs.region, {})
    if t == "phone":
        return phone
    if t == "person":
        return _cached(lambda raw: (person(raw), None), {})
    raise AssertionError(t)


class Converter:
    """Parses the rows of one sheet whose layout (header) is known."""

    def __init__(self, sheet: str, layout: Layout, mapping: Mapping, refs: Refs):
        self.sheet, self.layout, self.mapping, self.refs = sheet, layout, mapping, refs
        self.kind = layout.kind
        spec = mapping.tables[self.kind]
        self.counts: dict = {}
        fields = TABLES[self.kind]
        self.plan = []
        for name, col in layout.columns.items():
            self.plan.append((fields[name], col, None, parser_for(fields[name], mapping, refs, self.counts)))
        for name, tpl in spec.compose.items():
            if name in layout.columns:
                continue
            cols = {h: layout.header_index[key(h)] for h in template_headers(tpl)}
            self.plan.append((fields[name], None, (tpl, cols), parser_for(fields[name], mapping, refs, self.counts)))
        self.constants = {}
        for name, value in spec.constants.items():
            if name not in layout.columns and name not in spec.compose:
                value_parser = parser_for(fields[name], mapping, refs, self.counts)
                self.constants[name] = value_parser(value)[0]

    def compose_columns(self) -> list[tuple[str, int]]:
        """(header, column) of every column the compose templates read."""
        return [hc for _, col, compose, _ in self.plan if col is None for hc in compose[1].items()]

    def convert(self, row_no: int, cells: list) -> Row:
        row = Row(self.sheet, row_no, cells, dict(self.constants))
        rec = row.rec
        n = len(cells)
        for f, col, compose, parse in self.plan:
            raw = (cells[col] if col < n else None) if col is not None else _fill(compose[0], compose[1], cells)
            if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
                continue
            try:
                value, note = parse(raw)
            except Bad as exc:
                row.error(f, raw, str(exc))
                continue
            if value is not None:
                rec[f.name] = value
            if note:
                row.repair(f, raw, note)
        return row


def _fill(template: str, cols: dict[str, int], cells: list) -> str | None:
    values = {}
    for h, c in cols.items():
        text = cell_text(cells[c]) if c < len(cells) else None
        values[h] = text or ""
    if not any(values.values()):
        return None
    return template.format_map(values).strip()


def is_blank(cells: list) -> bool:
    for c in cells:
        if c is not None and c != "" and not (c.__class__ is str and not c.strip()):
            return False
    return True


def blank_test(used: list[int]) -> Callable[[list], bool]:
    """`is_blank` of the cells in columns `used` (those a mapping reads), without building a list per row.

    A row whose every cell is blank has its used cells blank too, so this alone decides a blank row."""
    def blank(cells: list) -> bool:
        n = len(cells)
        for c in used:
            if c < n:
                v = cells[c]
                if v is not None and v != "" and not (v.__class__ is str and not v.strip()):
                    return False
        return True
    return blank
