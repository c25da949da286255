"""`hotline init`, `hotline generate`, `hotline import`, `hotline export`: making a store, data into and out of it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import UserError, fail, state
from hotline.store.db import StoreError

app = typer.Typer()  # its commands are added to the main app by hotline/cli/main.py

@app.command()
def generate(
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同数据）")] = 20221010,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有数据库（保留用户、访问令牌与审计日志）")] = False,
    reset_users: Annotated[bool, typer.Option("--reset-users", help="覆盖时连同用户、访问令牌与审计日志一并清空")] = False,
) -> None:
    """生成湘潭市 2022 年 9–10 月的演示数据（按 2022 年 10 月分析报告校准）。

    --force 重新生成时保留工单服务的用户、访问令牌与审计日志；若保留用户所属的承办单位在新数据中不存在，则不做任何修改。"""
    from hotline.generator.build import build_dataset
    from hotline.store.db import sqlite_path
    from hotline.store.load import KEPT_ON_REGENERATE, KeptRowsOrphaned, replace_dataset

    url = state["db"]
    path = sqlite_path(url)
    if path is not None and path.exists() and not force:
        fail(f"数据库已存在：{path}（加 --force 覆盖）/ database exists, use --force")
    started = time.time()
    typer.echo("正在生成工单数据…")
    ds = build_dataset(seed)
    typer.echo(f"  已生成 {len(ds.tables['tickets']):,} 件工单、{len(ds.tables['ticket_events']):,} 条流转记录、"
               f"{len(ds.tables['calls']):,} 通来电（{time.time() - started:.1f} 秒）")
    try:
        kept = replace_dataset(url, ds.tables, keep=() if reset_users else KEPT_ON_REGENERATE,
                               progress=lambda t, n: typer.echo(f"  写入 {t}：{n:,} 行"),
                               warn=lambda m: typer.secho(f"警告 / warning: {m}", fg=typer.colors.YELLOW, err=True))
    except KeptRowsOrphaned as exc:
        fail(str(exc))
    if kept:
        typer.echo(f"  保留用户 {kept.get('users', 0):,} 个、访问令牌 {kept.get('api_tokens', 0):,} 个、审计日志 "
                   f"{kept.get('audit_log', 0):,} 条 / kept users, API tokens and the audit log")
    typer.echo(f"完成：{url}（{time.time() - started:.1f} 秒）")


@app.command()
def init(
    profile: Annotated[str, typer.Option(help="城市配置：内置名称（如 xiangtan）、profile.yaml 文件或其所在目录")],
    force: Annotated[bool, typer.Option("--force", help="数据库已有工单时仍重建（清空原有数据）")] = False,
) -> None:
    """按城市配置新建空库：写入城市配置、热线平台、承办单位名录与诉求分类（docs/profile.md）。"""
    from hotline.domain.profile import ProfileError, load_profile
    from hotline.report.wording import WordingError, parse_wording
    from hotline.scoring.scheme import SchemeError, parse_scheme
    from hotline.store.init import init_store

    try:
        city = load_profile(profile)
        if city.report is not None:  # the sections read by the report and the scoring are checked now, not later
            parse_wording(city.report.content, city.report.source)
        for scheme in city.schemes.values():
            parse_scheme(scheme.content, scheme.source)
        summary = init_store(state["db"], city, force=force)
    except (StoreError, ProfileError, WordingError, SchemeError) as exc:
        fail(str(exc))
    for line in summary:
        typer.echo(line)


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
