"""Entered scores (考核录入得分): what the office enters for a scheme's `entered.*` inputs — a county's 数据准确度,
a unit's 答复规范 deduction — recorded with an audit row each, and read back by the scoring.

Why in the service: the API and the command line (`hotline score enter`, one score or a records file) must record
the same way. Each entry is checked against the schemes in force (`hotline.scoring.entries`), its subject looked
up in the store (a unit by its name or an alias, a county by its name or its platform's code), and the month's
earlier score for the same input replaced, the previous score kept in the audit row. All of it happens in the
caller's one transaction, and every entry is checked before the first is written: a records file is recorded
whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from hotline.scoring.entries import Entry, EntryError, check_entry
from hotline.scoring.names import SUBJECTS
from hotline.scoring.scheme import Scheme
from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid
from hotline.service.periods import month_window
from hotline.service.users import resolve_unit
from hotline.store.schema import entered_scores, platforms, units


def county_names(conn: Connection) -> dict[str, str]:
    """platform code → the county's name (湘潭县…): the region of the units the platform serves."""
    rows = conn.execute(select(units.c.platform, units.c.region).where(units.c.platform.is_not(None))
                        .order_by(units.c.sort_order))
    names: dict[str, str] = {}
    for platform, region in rows:
        names.setdefault(platform, region)
    return names


def _county_codes(conn: Connection) -> dict[str, str]:
    """A county platform's code by its code or by its county's name (韶山市 → shaoshan)."""
    codes = conn.execute(select(platforms.c.code).where(platforms.c.level == "county")).scalars().all()
    return {code: code for code in codes} | {name: code for code, name in county_names(conn).items()}


def _subject(conn: Connection, entry: Entry, counties: dict[str, str]) -> tuple[dict[str, Any], str]:
    """({platform, unit_id}, the subject's own name) of the entry; Invalid when the store does not know it."""
    if entry.subject == "unit":
        unit_id = resolve_unit(conn, entry.name)
        return {"platform": None, "unit_id": unit_id}, conn.execute(
            select(units.c.name).where(units.c.id == unit_id)).scalar_one()
    if entry.name not in counties:
        names = sorted(set(counties) - set(counties.values()))
        raise Invalid(f"县级平台不存在：{entry.name}（可填：{'、'.join(names) or '无'}）")
    code = counties[entry.name]
    return {"platform": code, "unit_id": None}, next((n for n, c in counties.items() if c == code and n != c), code)


def _same(key: Mapping[str, Any], month: str, name: str):
    column = entered_scores.c.platform if key["platform"] is not None else entered_scores.c.unit_id
    value = key["platform"] if key["platform"] is not None else key["unit_id"]
    return and_(entered_scores.c.month == month, column == value, entered_scores.c.input == name)


def _write(conn: Connection, row: dict[str, Any], key: Mapping[str, Any]) -> tuple[int, float | None]:
    """Insert the score, or replace the month's earlier one; returns (id, previous score or None)."""
    where = _same(key, row["month"], row["input"])
    old = conn.execute(select(entered_scores.c.id, entered_scores.c.score).where(where)).first()
    if old is None:
        try:
            with conn.begin_nested():  # a concurrent writer may insert the same score first
                return conn.execute(insert(entered_scores).values(**row).returning(entered_scores.c.id)).scalar_one(), None
        except IntegrityError:
            old = conn.execute(select(entered_scores.c.id, entered_scores.c.score).where(where)).one()
    conn.execute(update(entered_scores).where(entered_scores.c.id == old.id).values(**row))
    return old.id, old.score


def record(conn: Connection, principal: Principal, entries: list[tuple[str, Entry]], now: datetime
           ) -> list[dict[str, Any]]:
    """Record checked entries ((where, entry): `where` names a records file's row in errors); every subject is
    looked up before anything is written. Returns the recorded rows, each with `previous` (None if new)."""
    counties = _county_codes(conn)
    subjects, errors = [], []
    for where, entry in entries:
        try:
            subjects.append(_subject(conn, entry, counties))
        except Invalid as exc:
            errors.append(f"{where} name：{exc.message}" if where else exc.message)
    if errors:
        raise Invalid("；".join(errors[:20]) + ("（未录入任何一条）" if len(entries) > 1 else ""))
    out = []
    for (_, entry), (key, name) in zip(entries, subjects):
        row = {"month": entry.month, **key, "input": entry.input, "score": entry.score, "note": entry.note,
               "entered_by": principal.username[:64], "entered_at": now}
        new_id, previous = _write(conn, row, key)
        action = "entered_score.create" if previous is None else "entered_score.update"
        audit.record(conn, principal, action, "entered_score", new_id, now,
                     {"month": entry.month, "subject": entry.subject, "name": name, "input": entry.input,
                      "score": entry.score, "previous": previous})
        out.append(_public(row, new_id, entry.subject, name) | {"previous": previous})
    return out


def record_one(conn: Connection, principal: Principal, data: Mapping[str, Any], now: datetime,
               schemes: Mapping[str, Scheme]) -> dict[str, Any]:
    """One entry as the API sends it (month, subject, name, input, score, note)."""
    try:
        entry = check_entry(data, schemes)
    except EntryError as exc:
        raise Invalid(str(exc)) from None
    return record(conn, principal, [("", entry)], now)[0]


def _public(row: Mapping[str, Any], row_id: int, subject: str, name: str) -> dict[str, Any]:
    return {"id": row_id, "month": row["month"], "subject": subject, "name": name, "input": row["input"],
            "score": row["score"], "note": row["note"], "entered_by": row["entered_by"], "entered_at": row["entered_at"]}


def list_scores(conn: Connection, month: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
    """The entered scores by month, counties first, then units in 附件1 order; a county under its name, a unit
    under its 附件1 name."""
    month_window(month)
    if subject is not None and subject not in SUBJECTS:
        raise Invalid(f"subject 应为 county（县级平台）或 unit（承办单位）：{subject}")
    q = (select(entered_scores, units.c.name.label("unit_name"))
         .outerjoin(units, entered_scores.c.unit_id == units.c.id)
         .order_by(entered_scores.c.month, entered_scores.c.platform.is_(None), entered_scores.c.platform,
                   units.c.sort_order, entered_scores.c.input))
    if month:
        q = q.where(entered_scores.c.month == month)
    if subject == "county":
        q = q.where(entered_scores.c.platform.is_not(None))
    elif subject == "unit":
        q = q.where(entered_scores.c.unit_id.is_not(None))
    counties = county_names(conn)
    out = []
    for r in conn.execute(q).mappings():
        if r["platform"] is not None:
            out.append(_public(r, r["id"], "county", counties.get(r["platform"], r["platform"])))
        else:
            out.append(_public(r, r["id"], "unit", r["unit_name"]))
    return out
