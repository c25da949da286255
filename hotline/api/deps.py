"""Request dependencies: the service objects, the authenticated principal, role checks — and their typed
aliases (`Service`, `AnyRole`, `Admin`, …) that routes declare their parameters with.

Authentication is a bearer token (`Authorization: Bearer hl_…`); anonymous or unknown tokens get 401 with a
Chinese message. Role checks are declared per route with an alias built on `require(...)`, so the OpenAPI page
and the code say the same thing about who may call what; where a route fires a lifecycle transition, its roles
are the lifecycle's (`firing`), not a second list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hotline.domain.codes import ROLES, label
from hotline.service.auth import authenticate
from hotline.service.context import Principal
from hotline.service.reporting import Reporting
from hotline.service.transactions import read_tx
from hotline.service.workflow import WorkOrderService, default_lifecycle

bearer = HTTPBearer(auto_error=False, description="访问令牌：hotline user add 或 POST /api/users 签发")


# Dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in the thread pool, and a hop
# there per dependency per request cost more than the whole transaction (benchmarks/service/README.md).
async def service(request: Request) -> WorkOrderService:
    return request.app.state.service


async def reporting(request: Request) -> Reporting:
    return request.app.state.reporting


async def token_cache(request: Request) -> TokenCache:
    return request.app.state.tokens


class TokenCache:
    """Recently verified tokens, for `ttl` seconds: saves a database round trip on every request.

    Revoking through the API clears it at once; a revocation made elsewhere (the CLI, another process) takes
    effect within `ttl` seconds. Unknown tokens are never cached."""

    def __init__(self, ttl: float = 10.0, size: int = 1024):
        self.ttl, self.size = ttl, size
        self._items: dict[str, tuple[float, Principal]] = {}

    def get(self, token: str) -> Principal | None:
        hit = self._items.get(token)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        return None

    def put(self, token: str, who: Principal) -> None:
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[token] = (time.monotonic() + self.ttl, who)

    def clear(self) -> None:
        self._items.clear()


def _lookup(svc: WorkOrderService, token: str) -> Principal | None:
    with read_tx(svc.engine) as conn:
        return authenticate(conn, token)


async def principal(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise HTTPException(401, "未登录：请在 Authorization 头中提供访问令牌（Bearer）",
                            headers={"WWW-Authenticate": "Bearer"})
    cache: TokenCache = request.app.state.tokens
    who = cache.get(creds.credentials)
    if who is not None:
        return who
    who = await run_in_threadpool(_lookup, request.app.state.service, creds.credentials)
    if who is not None:
        cache.put(creds.credentials, who)
    if who is None:
        raise HTTPException(401, "访问令牌无效、已吊销或用户已停用", headers={"WWW-Authenticate": "Bearer"})
    return who


def require(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only `roles` (403 with the role's Chinese name otherwise)."""

    async def check(who: Principal = Depends(principal)) -> Principal:
        if who.role not in roles:
            allowed = "、".join(label("role", r) for r in roles)
            raise HTTPException(403, f"{label('role', who.role)}无权执行此操作（仅限：{allowed}）")
        return who

    return check


def firing(*transitions: str) -> tuple[str, ...]:
    """The login roles the lifecycle lets fire any of `transitions`, in the order codes.yaml lists roles."""
    allowed = set().union(*(default_lifecycle().transitions[t].roles for t in transitions))
    return tuple(r for r in ROLES if r in allowed)


ANY_ROLE = ROLES
OFFICE = tuple(r for r in ROLES if r != "liaison")  # the hotline office: everyone but the units' liaisons

Service = Annotated[WorkOrderService, Depends(service)]
Reports = Annotated[Reporting, Depends(reporting)]
Tokens = Annotated[TokenCache, Depends(token_cache)]
CurrentUser = Annotated[Principal, Depends(principal)]
AnyRole = Annotated[Principal, Depends(require(*ANY_ROLE))]
Office = Annotated[Principal, Depends(require(*OFFICE))]
Admin = Annotated[Principal, Depends(require("admin"))]
AnalystOrAdmin = Annotated[Principal, Depends(require("analyst", "admin"))]  # records test calls, spot checks
ScoreEntrant = Annotated[Principal, Depends(require("operator", "admin"))]  # enters assessment scores
KbWriter = Annotated[Principal, Depends(require("admin", "liaison"))]  # a liaison: its own unit's entries
Acceptor = Annotated[Principal, Depends(require(*firing("accept", "accept_for_dispatch")))]
Visitor = Annotated[Principal, Depends(require(*firing("visit")))]
