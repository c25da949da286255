"""/api/me, /api/users: who am I, user and token administration (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from hotline.api.deps import Admin, CurrentUser, Service, Tokens
from hotline.api.schemas.common import Problem
from hotline.api.schemas.users import MePublic, TokenPublic, UserCreate, UserPublic
from hotline.domain.codes import label
from hotline.service import auth, users
from hotline.service.transactions import read_tx, write_tx

router = APIRouter(tags=["users 用户与令牌"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}}
Username = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]


@router.get("/me", response_model=MePublic, responses=ERRORS, summary="当前用户")
def me(who: CurrentUser):
    return MePublic(username=who.username, display_name=who.display_name, role=who.role,
                    role_label=label("role", who.role), unit_id=who.unit_id)


@router.get("/users", response_model=list[UserPublic], responses=ERRORS, summary="用户列表")
def list_users(_: Admin, svc: Service):
    with read_tx(svc.engine) as conn:
        return users.list_users(conn)


@router.post("/users", response_model=TokenPublic, status_code=201, responses=ERRORS, summary="新增用户并签发令牌")
def add_user(body: UserCreate, who: Admin, svc: Service):
    now = svc.clock()
    with write_tx(svc.engine) as conn:
        uid = users.add_user(conn, who, username=body.username, role=body.role, now=now,
                             display_name=body.display_name, unit=body.unit_id)
        token = auth.issue_token(conn, who, uid, now, label="api")
        user = users.get_user(conn, uid)
    return {"user": user, "token": token}


@router.post("/users/{username}/tokens", response_model=TokenPublic, status_code=201, responses=ERRORS,
             summary="为用户签发新令牌")
def new_token(username: Username, who: Admin, svc: Service):
    with write_tx(svc.engine) as conn:
        user = users.find_user(conn, username)
        token = auth.issue_token(conn, who, user["id"], svc.clock(), label="api")
    return {"user": user, "token": token}


@router.post("/users/{username}/revoke", response_model=UserPublic, responses=ERRORS, summary="吊销用户全部令牌")
def revoke(username: Username, who: Admin, svc: Service, tokens: Tokens):
    with write_tx(svc.engine) as conn:
        user = users.find_user(conn, username)
        auth.revoke_tokens(conn, who, user["id"], svc.clock())
    tokens.clear()
    return user
