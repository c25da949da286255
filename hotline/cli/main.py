"""The `hotline` command line. Thin: parse, call the library, print in Chinese, exit non-zero on bad input."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from hotline.store.db import DEFAULT_URL, StoreError

app = typer.Typer(help="12345 政务服务便民热线：演示数据、运行分析报告、考核排名、导入导出与工单服务。", no_args_is_help=True, add_completion=False)
state = {"db": os.environ.get("HOTLINE_DB", DEFAULT_URL)}


class UserError(Exception):
    """Anything the user can fix: printed without a traceback, exit code 2."""


def fail(message: str) -> None:
    typer.secho(f"错误 / error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.callback()
def main(db: Annotated[str, typer.Option("--db", help="数据库 URL（默认内置 SQLite）")] = state["db"]) -> None:
    state["db"] = db


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def generate(
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同数据）")] = 20221010,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有数据库（保留用户、访问令牌与审计日志）")] = False,
    reset_users: Annotated[bool, typer.Option("--reset-users", help="覆盖时连同用户、访问令牌与审计日志一并清空")] = False,
) -> None:
    """生成湘潭市 2022 年 9–10 月的演示数据（按 2022 年 10 月分析报告校准）。

    --force 重新生成时保留工单服务的用户、访问令牌与审计日志；若保留用户所属的承办单位在新数据中不存在，则不做任何修改。"""
    from sqlalchemy import inspect
    from sqlalchemy.exc import DatabaseError

    from hotline.generator.build import build_dataset
    from hotline.store.db import migrate, open_engine, sqlite_path
    from hotline.store.load import KEPT_ON_REGENERATE, KeptRowsOrphaned, copy_kept, write_dataset

    url = state["db"]
    path = sqlite_path(url)
    if path is not None and path.exists() and not force:
        fail(f"数据库已存在：{path}（加 --force 覆盖）/ database exists, use --force")
    keep = () if reset_users else KEPT_ON_REGENERATE
    started = time.time()
    typer.echo("正在生成工单数据…")
    ds = build_dataset(seed)
    typer.echo(f"  已生成 {len(ds.tables['tickets']):,} 件工单、{len(ds.tables['ticket_events']):,} 条流转记录、"
               f"{len(ds.tables['calls']):,} 通来电（{time.time() - started:.1f} 秒）")
    target = url
    tmp_path = None
    if path is not None:  # build beside the target, then swap: a failure leaves the old database intact
        tmp_path = path.with_name(f".{path.name}.building")
        tmp_path.unlink(missing_ok=True)
        target = f"sqlite:///{tmp_path}"
    kept: dict[str, int] = {}
    try:
        engine = open_engine(target, create=True)
        migrate(engine)
        if path is None and keep:  # PostgreSQL: replaced in place, in one transaction
            with engine.connect() as conn:
                present = set(inspect(conn).get_table_names())
                kept = {t: conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{t}"').scalar() for t in keep if t in present}
        write_dataset(engine, ds.tables, progress=lambda t, n: typer.echo(f"  写入 {t}：{n:,} 行"), keep=keep)
        if tmp_path is not None and keep and path.exists():  # SQLite: carry the people over into the new file
            old = open_engine(url)
            try:
                kept = copy_kept(old, engine, ds.tables, keep)
            except DatabaseError as exc:
                typer.secho(f"警告 / warning: 旧数据库无法读取，未保留用户 / old database unreadable, users not kept: {exc}",
                            fg=typer.colors.YELLOW, err=True)
            finally:
                old.dispose()
        engine.dispose()
        if tmp_path is not None:
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(tmp_path, path)
    except KeptRowsOrphaned as exc:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        fail(str(exc))
    except BaseException:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        raise
    if kept:
        typer.echo(f"  保留用户 {kept.get('users', 0):,} 个、访问令牌 {kept.get('api_tokens', 0):,} 个、审计日志 "
                   f"{kept.get('audit_log', 0):,} 条 / kept users, API tokens and the audit log")
    typer.echo(f"完成：{url}（{time.time() - started:.1f} 秒）")


@app.command()
def report(
    month: Annotated[str, typer.Option(help="报告月份 YYYY-MM")],
    out: Annotated[Path, typer.Option(help="输出目录")] = Path("out"),
    overrides: Annotated[Path | None, typer.Option(help="人工修改的章节（YAML：章节 → 段落列表）")] = None,
    engine: Annotated[str, typer.Option(help="查询引擎：sqlite（数据库）或 duckdb（Parquet 目录，用 --parquet）")] = "sqlite",
    parquet: Annotated[Path | None, typer.Option(help="Parquet 目录（--engine duckdb 时）")] = None,
    formats: Annotated[str, typer.Option("--format", help="输出格式，逗号分隔：json,docx,html,pdf")] = "json",
) -> None:
    """计算某月运行情况分析报告，写出 report-YYYY-MM.json（及 .docx / .html / .pdf）。"""
    import yaml

    from hotline.metrics.engine import MetricError
    from hotline.render import RenderError, parse_formats, render
    from hotline.report.build import ReportBuilder, ReportError

    started = time.time()
    try:
        wanted = parse_formats(formats)
        con = connect(engine, parquet)
        edits = {}
        if overrides is not None:
            if not overrides.exists():
                raise UserError(f"覆盖文件不存在：{overrides} / overrides file not found")
            edits = yaml.safe_load(overrides.read_text(encoding="utf-8")) or {}
            if not isinstance(edits, dict):
                raise UserError(f"覆盖文件格式错误：{overrides} 应为 章节: [段落…] / overrides must be a mapping")
        model = ReportBuilder(con).build(month, overrides=edits)
    except (StoreError, ReportError, MetricError, UserError, ValueError) as exc:
        fail(str(exc))
    built = time.time()
    try:  # every format in memory first: a renderer that fails leaves no file behind, old or half-written
        files = render(model, wanted)
    except (RenderError, OSError) as exc:
        fail(f"报告渲染失败 / rendering failed: {exc}")
    targets = []
    for fmt, data in files.items():
        target = out / f"report-{month}.{fmt}"
        atomic_write(target, data)
        targets.append(str(target))
    typer.echo(f"已写出 {'、'.join(targets)}（计算 {built - started:.1f} 秒，渲染 {time.time() - built:.1f} 秒）")


@app.command()
def score(
    month: Annotated[str, typer.Option(help="考核月份 YYYY-MM")],
    scheme: Annotated[Path | None, typer.Option(help="考核方案文件（YAML/TOML）；默认内置方案")] = None,
    subject: Annotated[str, typer.Option(help="county 县级平台 / unit 承办单位（方案文件自带时以文件为准）")] = "county",
    explain: Annotated[bool, typer.Option("--explain", help="逐项显示规则、输入与扣分")] = False,
) -> None:
    """按考核方案计算县级平台排名或承办单位得分（附件2）。"""
    from hotline.domain.month import Month, MonthError
    from hotline.metrics.engine import MetricEngine, MetricError
    from hotline.report.build import data_months
    from hotline.scoring.engine import ScoringError, rank, red_black
    from hotline.scoring.inputs import county_inputs, unit_inputs
    from hotline.scoring.scheme import SchemeError, builtin_scheme, load_scheme

    try:
        Month.parse(month)
        if scheme is not None:
            sch = load_scheme(scheme)
        else:
            if subject not in ("county", "unit"):
                raise UserError(f"subject 应为 county 或 unit：{subject}")
            sch = builtin_scheme("county_monthly" if subject == "county" else "unit_monthly")
        con = connect("sqlite", None)
        months = data_months(con)
        if month not in months:
            raise UserError(f"{month} 不在数据覆盖范围 / outside the data ({months[0] if months else '无'} – {months[-1] if months else '无'})")
        engine = MetricEngine(con)
        if sch.subject == "county":
            inputs = county_inputs(engine, month)
        else:
            inputs = unit_inputs(engine, month, int(sch.ranking.get("min_volume", 0)))
        ranked = rank(sch, inputs)
    except (StoreError, MetricError, MonthError, SchemeError, ScoringError, UserError) as exc:
        fail(str(exc))
    typer.echo(f"{sch.name}（{month}）")
    typer.echo(f"{'排名':<4}{'对象':<14}{'总分':>8}  " + "  ".join(f"{p.label}({p.weight:g}%)" for p in sch.parts))
    for sc in ranked:
        typer.echo(f"{sc.rank:<5}{sc.subject:<14}{sc.total:>8.2f}  " + "  ".join(f"{p.weighted:.2f}" for p in sc.parts))
        if explain:
            for p in sc.parts:
                typer.echo(f"      {p.label}：小计 {p.raw:.2f} × {p.weight:g}% = {p.weighted:.2f}")
                for i in p.indicators:
                    typer.echo(f"        {i.label}（{i.points:g} 分，输入 {i.input}）：{i.explanation}")
    if sch.subject == "unit" and sch.ranking.get("list_size"):
        red, black = red_black(ranked, int(sch.ranking["list_size"]))
        typer.echo("红榜：" + "、".join(f"{s.subject}（{s.total:.2f}）" for s in red))
        typer.echo("黑榜：" + "、".join(f"{s.subject}（{s.total:.2f}）" for s in black))


@app.command("export-parquet")
def export_parquet(out: Annotated[Path, typer.Option(help="输出目录")] = Path("var/parquet")) -> None:
    """把规范表导出为 Parquet（供 DuckDB 引擎与大数据量分析）。"""
    from hotline.metrics.parquet import export_tables

    try:
        con = connect("sqlite", None)
        n = export_tables(con, out)
    except (StoreError, UserError) as exc:
        fail(str(exc))
    typer.echo(f"已导出 {n} 张表到 {out}，并写入派生事实表 ticket_facts、visit_facts（供 DuckDB 引擎直接读取）")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="要导入的文件（.xlsx/.xls/.ods/.csv/.parquet），可多个")],
    mapping: Annotated[str, typer.Option(help="映射：内置名称（platform_12345、hotline、tipdm、nyc311）或 YAML 文件路径")],
    sheet: Annotated[str | None, typer.Option(help="只读这个工作表（默认读所有能识别表头的工作表）")] = None,
    encoding: Annotated[str, typer.Option(help="CSV 编码：auto（自动识别 UTF-8/GBK/GB18030）、utf-8、gbk、gb18030")] = "auto",
    aliases: Annotated[Path | None, typer.Option(help="单位对照表（列：原始写法、对应单位），可用导入生成的“单位对照”表")] = None,
    report_dir: Annotated[Path, typer.Option(help="导入摘要与被拒绝行工作簿的输出目录")] = Path("var/imports"),
    rejects_format: Annotated[str, typer.Option(help="被拒绝行的格式：xlsx 或 csv")] = "xlsx",
    quiet: Annotated[bool, typer.Option("--quiet", help="不显示进度")] = False,
) -> None:
    """导入现有热线平台的导出文件（按映射对照列名与取值，逐行校验，按事件编号幂等更新）。"""
    from hotline.ingest.cli import run_import

    try:
        code = run_import(state["db"], files, mapping, sheet=sheet, encoding=encoding, aliases=aliases,
                          report_dir=report_dir, rejects_format=rejects_format, quiet=quiet, echo=typer.echo)
    except (StoreError, UserError, ValueError) as exc:
        fail(str(exc))
    raise typer.Exit(code)


@app.command("export")
def export_(
    out: Annotated[Path, typer.Option(help="输出文件（csv/parquet 时其余各表写在同一目录，如 x-流转记录.csv）")],
    month: Annotated[str | None, typer.Option(help="月份 YYYY-MM（按受理时间选工单、按来电时间选来电；缺省为全部）")] = None,
    format: Annotated[str | None, typer.Option("--format", help="xlsx、csv 或 parquet（缺省按 --out 的扩展名）")] = None,
) -> None:
    """按本项目的导出格式写出规范表（可用 hotline import --mapping hotline 原样导回）。"""
    from hotline.ingest.cli import run_export

    try:
        run_export(state["db"], out, month, format, echo=typer.echo)
    except (StoreError, UserError, ValueError) as exc:
        fail(str(exc))


# ---- the work-order service: serve the API, users and tokens, the SLA job ------------------------------------
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
    from sqlalchemy import select

    from hotline.domain.codes import label
    from hotline.store.schema import units, users

    try:
        engine = _service_engine()
    except StoreError as exc:
        fail(str(exc))
    with engine.connect() as conn:
        rows = conn.execute(select(users, units.c.name.label("unit")).outerjoin(units, units.c.id == users.c.unit_id)
                            .order_by(users.c.id)).mappings().all()
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


def connect(engine: str, parquet: Path | None):
    """An Ibis connection for the chosen engine: the store itself, or DuckDB over a Parquet folder."""
    from hotline.store.db import ibis_connect, open_engine, require_schema

    if engine == "duckdb":
        from hotline.metrics.parquet import duckdb_over_parquet

        if parquet is None or not parquet.is_dir():
            raise UserError(f"Parquet 目录不存在：{parquet} / parquet folder not found")
        return duckdb_over_parquet(parquet)
    if engine != "sqlite":
        raise UserError(f"未知引擎 {engine}（可选 sqlite、duckdb）/ unknown engine")
    url = state["db"]
    sa = open_engine(url)
    require_schema(sa)
    sa.dispose()
    return ibis_connect(url)


def run() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.secho("已中断 / interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
