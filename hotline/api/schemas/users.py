"""Users and tokens: UserCreate, UserPublic, TokenPublic (the token is shown once), MePublic."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.codes import Role
from hotline.api.schemas.common import Id, text


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")
    display_name: text(64, 1) | None = None
    role: Role
    unit_id: Id | None = Field(None, description="联络员所属承办单位")


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    active: bool
    created_at: datetime


class TokenPublic(BaseModel):
    user: UserPublic
    token: str = Field(description="访问令牌，只显示这一次")


class MePublic(BaseModel):
    username: str
    display_name: str | None
    role: str
    role_label: str
    unit_id: int | None

