"""Mapping errors to HTTP answers with Chinese messages; nothing a client sends may produce a 500.

Service errors carry their status; request validation becomes 422 with a Chinese summary plus pydantic's details;
database refusals that still slip through (a foreign key, a value PostgreSQL rejects) become 409/422 rather than
a stack trace; a lock that cannot be had in time is 503 (try again).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from hotline.domain.codes import label
from hotline.service.errors import ServiceError


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError):
        body = {"detail": exc.message}
        if "state" in exc.extra:
            body.update(state=exc.extra["state"], state_label=label("state", exc.extra["state"]),
                        version=exc.extra.get("version"))
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str, bytes: lambda b: b.decode("utf-8", "replace")})
        fields = "、".join(".".join(str(p) for p in e.get("loc", ())[1:]) or str(e.get("loc")) for e in errors[:5])
        return JSONResponse({"detail": f"请求参数有误：{fields}", "errors": errors}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError):
        return JSONResponse({"detail": "数据冲突：引用的记录不存在或与已有记录重复"}, status_code=409)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError):
        return JSONResponse({"detail": "数据格式有误，数据库拒绝保存"}, status_code=422)

    @app.exception_handler(OperationalError)
    async def _busy(_: Request, exc: OperationalError):
        if "locked" in str(exc).lower() or "timeout" in str(exc).lower():
            return JSONResponse({"detail": "系统繁忙，请稍后重试"}, status_code=503, headers={"Retry-After": "1"})
        raise exc
