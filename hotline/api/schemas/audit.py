"""The audit log: AuditPublic (one row; `detail` is the change's JSON as written)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditPublic(BaseModel):
    id: int
    at: datetime
    user_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: str | None
