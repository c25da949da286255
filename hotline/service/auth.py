"""Users and bearer tokens. Tokens are random, shown once, and stored only as their SHA-256 digest.

Why tokens and not passwords: the API's clients are the hotline's own desk software, the units' liaison
terminals and cron jobs; a revocable token per client is what those need, and a stolen database holds no secret.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from hotline.domain.codes import ROLES, listing
from hotline.service import audit
from hotline.service.context import Principal
from hotline.service.errors import Invalid, NotFound
from hotline.store.schema import api_tokens, units, users

TOKEN_PREFIX = "hl_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def resolve_unit(conn: Connection, unit: str | int | None) -> int | None:
    """A unit id from an id or a name (the 附件1 name or an alias)."""
    if unit is None or unit == "":
        return None
    if isinstance(unit, int) or str(unit).isdigit():
        row = conn.execute(select(units.c.id).where(units.c.id == int(unit))).first()
    else:
        from hotline.store.schema import unit_aliases

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


def find_user(conn: Connection, username: str) -> dict:
    row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        raise NotFound(f"用户不存在：{username}")
    return dict(row)


def issue_token(conn: Connection, by: Principal, user_id: int, now: datetime, label: str | None = None) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tid = conn.execute(insert(api_tokens).values(user_id=user_id, token_hash=hash_token(token), label=label,
                                                 created_at=now).returning(api_tokens.c.id)).scalar_one()
    audit.record(conn, by, "token.issue", "token", tid, now, {"user_id": user_id, "label": label})
    return token


def revoke_tokens(conn: Connection, by: Principal, user_id: int, now: datetime) -> int:
    n = conn.execute(update(api_tokens).where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
                     .values(revoked_at=now)).rowcount
    audit.record(conn, by, "token.revoke", "user", user_id, now, {"revoked": n})
    return n


def authenticate(conn: Connection, token: str | None) -> Principal | None:
    """The active user owning an unrevoked `token`, or None."""
    if not token:
        return None
    row = conn.execute(
        select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.unit_id)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None),
               users.c.active.is_(True))).first()
    if row is None:
        return None
    return Principal(username=row.username, role=row.role, user_id=row.id, unit_id=row.unit_id,
                     display_name=row.display_name)


CLI = Principal(username="cli", role="admin")
SLA_JOB = Principal(username="sla", role="system")
