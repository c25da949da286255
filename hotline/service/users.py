"""Users of the work-order service: adding one (with its role and, for a liaison, its unit), finding, listing.

Why apart from auth.py: administering people (who exists, in which role, for which unit) is a different concern
from proving who is calling (tokens); the API's /users routes and `hotline user …` both come here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from hotline.domain.codes import ROLES, listing
from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid, NotFound
from hotline.store.schema import unit_aliases, units, users


def resolve_unit(conn: Connection, unit: str | int | None) -> int | None:
    """A unit id from an id or a name (the 附件1 name or an alias)."""
    if unit is None or unit == "":
        return None
    if isinstance(unit, int) or str(unit).isdigit():
        row = conn.execute(select(units.c.id).where(units.c.id == int(unit))).first()
    else:
        row = conn.execute(select(units.c.id).where(units.c.name == unit)).first() or conn.execute(
            select(unit_aliases.c.unit_id).where(unit_aliases.c.alias == unit)).first()
    if row is None:
        raise Invalid(f"承办单位不存在：{unit}")
    return int(row[0])


def add_user(conn: Connection, by: Principal, *, username: str, role: str, now: datetime,
             display_name: str | None = None, unit: str | int | None = None) -> int:
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise Invalid("登录名不能为空，且不超过 64 个字符")
    if role not in ROLES:
        raise Invalid(f"未知角色：{role}（可选：{listing('role')}）")
    unit_id = resolve_unit(conn, unit)
    if role == "liaison" and unit_id is None:
        raise Invalid("联络员必须指定所属承办单位（--unit）")
    try:
        with conn.begin_nested():
            uid = conn.execute(insert(users).values(
                username=username, display_name=(display_name or username)[:64], role=role, unit_id=unit_id,
                active=True, created_at=now).returning(users.c.id)).scalar_one()
    except IntegrityError:
        raise Invalid(f"登录名已存在：{username}") from None
    audit.record(conn, by, "user.add", "user", uid, now, {"username": username, "role": role, "unit_id": unit_id})
    return int(uid)


def find_user(conn: Connection, username: str) -> dict[str, Any]:
    """The user named `username`; NotFound (用户不存在) otherwise."""
    row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        raise NotFound(f"用户不存在：{username}")
    return dict(row)


def get_user(conn: Connection, user_id: int) -> dict[str, Any]:
    """The user with id `user_id` (one the caller has just added or read: it exists)."""
    return dict(conn.execute(select(users).where(users.c.id == user_id)).mappings().one())


def list_users(conn: Connection, *, unit_names: bool = False) -> list[dict[str, Any]]:
    """Every user in id order; with `unit_names`, each also with its unit's name (`unit`, None for none)."""
    if not unit_names:
        return [dict(r) for r in conn.execute(select(users).order_by(users.c.id)).mappings()]
    query = (select(users, units.c.name.label("unit")).outerjoin(units, units.c.id == users.c.unit_id)
             .order_by(users.c.id))
    return [dict(r) for r in conn.execute(query).mappings()]
