"""Bearer tokens: issuing, revoking, and who a token belongs to. Tokens are random, shown once, and stored only
as their SHA-256 digest. (Adding and finding users: hotline.service.users.)

Why tokens and not passwords: the API's clients are the hotline's own desk software, the units' liaison
terminals and cron jobs; a revocable token per client is what those need, and a stolen database holds no secret.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from hotline.service import audit
from hotline.service.context import Principal
from hotline.store.schema import api_tokens, users

TOKEN_PREFIX = "hl_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
