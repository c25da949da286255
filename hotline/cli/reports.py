"""`hotline report`, `hotline score`, `hotline export-parquet`: the month's figures, documents and rankings."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import UserError, atomic_write, connect, fail
from hotline.store.db import StoreError

app = typer.Typer()  # its commands are added to the main app by hotline/cli/main.py

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
