"""`hotline serve`, `hotline user …`, `hotline sla run`: the work-order service, its users and tokens, the SLA job."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline.cli.common import fail, state
from hotline.store.db import StoreError

app = typer.Typer()  # its commands and groups are added to the main app by hotline/cli/main.py

user_app = typer.Typer(help="工单服务的用户与访问令牌。", no_args_is_help=True)
sla_app = typer.Typer(help="办理时限：催办与超期未反馈（供 cron 定时执行）。", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(sla_app, name="sla")


def _service_engine(create: bool = False):
    """The store, migrated to the service's schema (SQLite must exist unless `create`)."""
    from hotline.service.transactions import service_engine

    engine = service_engine(state["db"], create=create)
    if create:
        from hotline.store.reference import ensure_reference_store

        ensure_reference_store(engine)
    return engine


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="端口")] = 8345,
    host: Annotated[str, typer.Option(help="监听地址（默认仅本机）")] = "127.0.0.1",
    init: Annotated[bool, typer.Option("--init", help="数据库不存在时新建空库（含单位与分类名录）")] = False,
) -> None:
    """启动工单服务 REST API（接口文档 /docs，OpenAPI /openapi.json）。"""
    import uvicorn

    from hotline.api.app import create_app
    from hotline.api.settings import ApiSettings

    try:
        engine = _service_engine(create=init)
        api = create_app(ApiSettings(db=state["db"], host=host, port=port), engine=engine, url=state["db"])
    except StoreError as exc:
        fail(str(exc))
    typer.echo(f"工单服务：http://{host}:{port}/docs（数据库 {state['db']}；Ctrl+C 停止）")
    uvicorn.run(api, host=host, port=port, log_level="warning")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="登录名")],
    role: Annotated[str, typer.Option(help="角色：operator 话务员 / liaison 联络员 / analyst 分析员 / admin 管理员")],
    unit: Annotated[str | None, typer.Option(help="联络员所属承办单位（名称或 ID）")] = None,
    name: Annotated[str | None, typer.Option(help="姓名")] = None,
) -> None:
    """新增用户并签发访问令牌（令牌只显示这一次）。"""
    from hotline.service.auth import CLI, issue_token
    from hotline.service.clock import beijing_now
    from hotline.service.errors import ServiceError
    from hotline.service.transactions import write_tx
    from hotline.service.users import add_user

    try:
        engine = _service_engine()
        with write_tx(engine) as conn:
            uid = add_user(conn, CLI, username=username, role=role, now=beijing_now(), display_name=name, unit=unit)
            token = issue_token(conn, CLI, uid, beijing_now(), label="cli")
    except (StoreError, ServiceError) as exc:
        fail(getattr(exc, "message", str(exc)))
    typer.echo(f"已新增用户 {username}（{role}）。访问令牌（请妥善保存，只显示这一次）：")
    typer.echo(token)


@user_app.command("token")
def user_token(username: Annotated[str, typer.Argument(help="登录名")]) -> None:
    """为已有用户签发新的访问令牌。"""
    from hotline.service.auth import CLI, issue_token
    from hotline.service.clock import beijing_now
    from hotline.service.errors import ServiceError
    from hotline.service.transactions import write_tx
    from hotline.service.users import find_user

    try:
        with write_tx(_service_engine()) as conn:
            token = issue_token(conn, CLI, find_user(conn, username)["id"], beijing_now(), label="cli")
    except (StoreError, ServiceError) as exc:
        fail(getattr(exc, "message", str(exc)))
    typer.echo(token)


@user_app.command("revoke")
def user_revoke(username: Annotated[str, typer.Argument(help="登录名")]) -> None:
    """吊销用户的全部访问令牌。"""
    from hotline.service.auth import CLI, revoke_tokens
    from hotline.service.clock import beijing_now
    from hotline.service.errors import ServiceError
    from hotline.service.transactions import write_tx
    from hotline.service.users import find_user

    try:
        with write_tx(_service_engine()) as conn:
            n = revoke_tokens(conn, CLI, find_user(conn, username)["id"], beijing_now())
    except (StoreError, ServiceError) as exc:
        fail(getattr(exc, "message", str(exc)))
    typer.echo(f"已吊销 {username} 的 {n} 个令牌")


@user_app.command("list")
def user_list() -> None:
    """列出用户。"""
    from hotline.domain.codes import label
    from hotline.service.transactions import read_tx
    from hotline.service.users import list_users

    try:
        engine = _service_engine()
    except StoreError as exc:
        fail(str(exc))
    with read_tx(engine) as conn:
        rows = list_users(conn, unit_names=True)
    for r in rows:
        typer.echo(f"{r['username']:<16}{label('role', r['role']):<6}{r['display_name']:<10}"
                   f"{r['unit'] or ''}{'' if r['active'] else '（已停用）'}")


@sla_app.command("run")
def sla_run(now: Annotated[str | None, typer.Option(help="按此时刻检查（ISO 格式，如 2022-11-01T09:00；默认当前北京时间）")] = None) -> None:
    """检查办理时限：对超期未反馈、超时未签收的工单写入催办（重复执行不会重复催办），并汇总超期未反馈工单。"""
    from datetime import datetime

    from hotline.domain.calendar import CalendarNotConfigured
    from hotline.service.clock import beijing_now, frozen
    from hotline.service.sla_job import run_sla
    from hotline.service.workflow import WorkOrderService

    try:
        at = datetime.fromisoformat(now) if now else beijing_now()
    except ValueError:
        fail(f"时间格式应为 ISO，如 2022-11-01T09:00：{now!r} / --now must be ISO 8601")
    try:
        summary = run_sla(WorkOrderService(_service_engine(), clock=frozen(at.replace(tzinfo=None))))
    except (StoreError, CalendarNotConfigured) as exc:
        fail(str(exc))
    for line in summary.lines():
        typer.echo(line)
