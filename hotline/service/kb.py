"""The knowledge base (知识库): entries with an owner unit and a review date, stale ones flagged, searchable.

Why our own search: Chinese has no spaces, so word-based full-text engines (SQLite FTS5's default tokenizer,
PostgreSQL's `to_tsvector('simple')`) find nothing for "核酸检测" inside a sentence. Overlapping character
bigrams are the classic answer for CJK text; scoring them with portable LIKE expressions gives the same ranking
on SQLite and PostgreSQL, and a hotline's knowledge base (hundreds to a few thousand entries) is small enough
to scan. An entry is stale (需复核) once `updated_at + review_days` has passed — the seed's 疫情防控 case.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, insert, literal, select, update

from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Forbidden, Invalid, NotFound
from hotline.service.paging import check_page
from hotline.store.schema import kb_entries, subcategories, units

WRITERS = ("admin", "liaison")  # a liaison only for its own unit's entries
DEFAULT_REVIEW_DAYS = 90
MAX_PAGE_SIZE = 100
_SPLIT = re.compile(r"[\s,，。；;、:：!！?？()（）\"'“”‘’《》]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


def search_terms(query: str, limit: int = 24) -> list[str]:
    """Character bigrams of the CJK runs and whole words of the rest, deduplicated, in order."""
    terms: list[str] = []
    for seg in _SPLIT.split(query or ""):
        if not seg:
            continue
        if _CJK.search(seg):
            grams = [seg] if len(seg) == 1 else [seg[i:i + 2] for i in range(len(seg) - 1)]
        else:
            grams = [seg.lower()]
        for g in grams:
            if g not in terms:
                terms.append(g)
    return terms[:limit]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def is_stale(updated_at: datetime, review_days: int, now: datetime) -> bool:
    return updated_at + timedelta(days=int(review_days)) < now


def _public(row: dict, now: datetime, score: int | None = None) -> dict[str, Any]:
    review_at = row["updated_at"] + timedelta(days=int(row["review_days"]))
    out = {k: row[k] for k in ("id", "title", "body", "subcategory_id", "owner_unit_id", "updated_at", "review_days")}
    out.update(subcategory=row.get("subcategory"), owner_unit=row.get("owner_unit"), review_at=review_at,
               stale=review_at < now)
    if score is not None:
        out["score"] = score
    return out


def _select():
    return (select(kb_entries, subcategories.c.name.label("subcategory"), units.c.name.label("owner_unit"))
            .outerjoin(subcategories, subcategories.c.id == kb_entries.c.subcategory_id)
            .join(units, units.c.id == kb_entries.c.owner_unit_id))


def search(conn: Connection, now: datetime, *, q: str | None = None, owner_unit_id: int | None = None,
           stale: bool | None = None, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    check_page(page, page_size, MAX_PAGE_SIZE)
    query = _select()
    terms = search_terms(q) if q else []
    score = None
    if terms:
        title, body = func.lower(kb_entries.c.title), func.lower(kb_entries.c.body)
        parts = [case((title.like(_like(t), escape="\\"), 2), else_=0) + case((body.like(_like(t), escape="\\"), 1),
                                                                              else_=0) for t in terms]
        score = parts[0]
        for p in parts[1:]:
            score = score + p
        query = query.add_columns(score.label("score")).where(score > 0)
    else:
        query = query.add_columns(literal(0).label("score"))
    if owner_unit_id is not None:
        query = query.where(kb_entries.c.owner_unit_id == owner_unit_id)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    if stale is not None:
        rows = [r for r in rows if is_stale(r["updated_at"], r["review_days"], now) == stale]
    rows.sort(key=lambda r: (-r["score"], -r["updated_at"].timestamp(), r["id"]))
    page_rows = rows[(page - 1) * page_size: page * page_size]
    return {"items": [_public(r, now, r["score"] if terms else None) for r in page_rows], "total": len(rows),
            "page": page, "page_size": page_size}


def get(conn: Connection, entry_id: int, now: datetime) -> dict[str, Any]:
    row = conn.execute(_select().where(kb_entries.c.id == entry_id)).mappings().first()
    if row is None:
        raise NotFound(f"知识条目不存在（id={entry_id}）")
    return _public(dict(row), now)


def _check_writer(principal: Principal, owner_unit_id: int) -> None:
    if principal.role not in WRITERS:
        raise Forbidden("只有管理员和提供单位的联络员可以维护知识库")
    if principal.role == "liaison" and principal.unit_id != owner_unit_id:
        raise Forbidden("联络员只能维护本单位提供的知识条目")


def _validate(conn: Connection, data: dict[str, Any]) -> None:
    if "title" in data and not (data["title"] or "").strip():
        raise Invalid("缺少必填项：知识标题")
    if "body" in data and not (data["body"] or "").strip():
        raise Invalid("缺少必填项：答复口径")
    if data.get("review_days") is not None and not 1 <= int(data["review_days"]) <= 3650:
        raise Invalid("复核周期须为 1 至 3650 天")
    if data.get("owner_unit_id") is not None and conn.execute(
            select(units.c.id).where(units.c.id == data["owner_unit_id"])).first() is None:
        raise Invalid(f"提供单位不存在（owner_unit_id={data['owner_unit_id']}）")
    if data.get("subcategory_id") is not None and conn.execute(
            select(subcategories.c.id).where(subcategories.c.id == data["subcategory_id"])).first() is None:
        raise Invalid(f"诉求小类不存在（subcategory_id={data['subcategory_id']}）")


def create(conn: Connection, principal: Principal, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    owner = data.get("owner_unit_id") or (principal.unit_id if principal.role == "liaison" else None)
    if owner is None:
        raise Invalid("缺少必填项：提供单位")
    _check_writer(principal, owner)
    row = {"title": (data.get("title") or "").strip(), "body": (data.get("body") or "").strip(),
           "subcategory_id": data.get("subcategory_id"), "owner_unit_id": owner, "updated_at": now,
           "review_days": data.get("review_days") or DEFAULT_REVIEW_DAYS}
    _validate(conn, row)
    entry_id = conn.execute(insert(kb_entries).values(**row).returning(kb_entries.c.id)).scalar_one()
    audit.record(conn, principal, "kb.create", "kb_entry", entry_id, now, {"title": row["title"], "owner_unit_id": owner})
    return get(conn, entry_id, now)


def update_entry(conn: Connection, principal: Principal, entry_id: int, data: dict[str, Any], now: datetime) -> dict:
    """Edit (or just confirm, with no fields) an entry: either way it counts as reviewed now."""
    current = get(conn, entry_id, now)
    _check_writer(principal, current["owner_unit_id"])
    changes = {k: v for k, v in data.items() if k in ("title", "body", "subcategory_id", "review_days") and v is not None}
    if "owner_unit_id" in data and data["owner_unit_id"] is not None and data["owner_unit_id"] != current["owner_unit_id"]:
        if principal.role != "admin":
            raise Forbidden("只有管理员可以变更提供单位")
        changes["owner_unit_id"] = data["owner_unit_id"]
    _validate(conn, changes)
    conn.execute(update(kb_entries).where(kb_entries.c.id == entry_id).values(updated_at=now, **changes))
    audit.record(conn, principal, "kb.update", "kb_entry", entry_id, now, {"fields": sorted(changes)})
    return get(conn, entry_id, now)
