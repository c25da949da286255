"""Finding the header row of a sheet and deciding which canonical field each column holds.

Why it is needed: exports are rarely a clean table. Offices put a title (湘潭市12345热线工单明细表) and an
export date above the header, some platforms write a two-level header (回访情况 over 回访时间 | 回访结果),
and column names vary (事件编号 / 工单编号 / 编号). So the header is *found*: among the first rows, the
row (or pair of rows) whose cells match the most synonyms of one of the mapping's tables, and that has
every field that table requires. The same scoring tells a 工单 sheet from a 回访 sheet in one workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hotline.ingest.fields import REQUIRED, TABLES
from hotline.ingest.mapping import Mapping
from hotline.ingest.values import cell_text, key

SCAN_ROWS = 30
_TEMPLATE_NAME = re.compile(r"\{([^{}:!]+)[^{}]*\}")


@dataclass
class Layout:
    kind: str
    header_row: int  # the row number users see
    headers: list[str]  # header text of every column (for the rejects workbook)
    columns: dict[str, int]  # canonical field → column index
    header_index: dict[str, int]  # header text → column index (for compose templates)
    unused: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # mapped fields the file does not have

    def provides(self, name: str, mapping: Mapping) -> bool:
        spec = mapping.tables[self.kind]
        return name in self.columns or name in spec.compose or name in spec.constants


def _norm_header(value) -> str:
    text = cell_text(value) or ""
    k = key(text)
    for junk in ("*", "（必填）", "(必填)"):
        k = k.replace(key(junk), "")
    return k


def template_headers(template: str) -> list[str]:
    return [m.strip() for m in _TEMPLATE_NAME.findall(template)]


def _score(cells: list, kind: str, mapping: Mapping) -> tuple[int, dict[str, int], set[str]]:
    spec = mapping.tables[kind]
    wanted: dict[str, tuple[str, int]] = {}
    for f, synonyms in spec.columns.items():
        for prio, s in enumerate(synonyms):
            wanted.setdefault(key(s), (f, prio))
    found: dict[str, tuple[int, int]] = {}  # field → (priority, column)
    names = set()
    for col, cell in enumerate(cells):
        h = _norm_header(cell)
        if not h:
            continue
        names.add(h)
        hit = wanted.get(h)
        if hit and (hit[0] not in found or hit[1] < found[hit[0]][0]):
            found[hit[0]] = (hit[1], col)
    composed = {key(h) for tpl in spec.compose.values() for h in template_headers(tpl)}
    score = len(found) + len(composed & names)
    return score, {f: c for f, (_, c) in found.items()}, composed - names


def _combine(upper: list, lower: list) -> list:
    """A two-level header: each column's lower cell, or the upper one where the lower is empty."""
    n = max(len(upper), len(lower))
    return [(lower[i] if i < len(lower) and cell_text(lower[i]) else (upper[i] if i < len(upper) else None))
            for i in range(n)]


def detect(rows: list[tuple[int, list]], mapping: Mapping, kinds: list[str] | None = None
           ) -> tuple[Layout | None, int, str]:
    """(layout or None, index in `rows` of the first data row, diagnosis when not found)."""
    best = None
    near = (0, None, None)
    kinds = kinds or list(mapping.tables)
    for i, (row_no, cells) in enumerate(rows[:SCAN_ROWS]):
        candidates = [cells] + ([_combine(rows[i - 1][1], cells)] if i else [])
        for cand in candidates:
            for kind in kinds:
                spec = mapping.tables[kind]
                score, cols, absent = _score(cand, kind, mapping)
                if score > near[0]:
                    near = (score, row_no, kind)
                have = set(cols) | set(spec.compose) | set(spec.constants)
                if absent or not set(REQUIRED[kind]) <= have:
                    continue
                if best is None or score > best[0]:
                    best = (score, i, row_no, kind, cand, cols)
    if best is None:
        need = "、".join(TABLES[k][f].label for k in kinds[:1] for f in REQUIRED[k])
        hint = f"；最接近的是第 {near[1]} 行" if near[1] else ""
        return None, 0, f"未找到表头：前 {SCAN_ROWS} 行中没有一行同时含有 {need} 等必需列{hint}"
    _, i, row_no, kind, cells, cols = best
    headers = [cell_text(c) or "" for c in cells]
    index = {}
    for col, h in enumerate(headers):
        if h:
            index.setdefault(key(h), col)
    used = set(cols.values()) | {index.get(key(h)) for tpl in mapping.tables[kind].compose.values()
                                 for h in template_headers(tpl)}
    spec = mapping.tables[kind]
    layout = Layout(kind, row_no, headers, cols, index,
                    unused=[h for c, h in enumerate(headers) if h and c not in used],
                    missing=[TABLES[kind][f].label for f in spec.columns if f not in cols])
    return layout, i + 1, ""
