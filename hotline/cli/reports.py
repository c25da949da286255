"""`hotline report`, `hotline score` (and `score enter` / `score entered`: the scores the office enters),
`hotline export-parquet`: the month's figures, documents and rankings."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import UserError, atomic_write, connect, fail, state
from hotline.store.db import StoreError

app = typer.Typer()  # its commands are added to the main app by hotline/cli/main.py


def _store_profile():
    """The city profile of the store named by --db (its schemes are the ones in force)."""
    from hotline.store.db import open_engine, require_schema
    from hotline.store.profile import read_profile

    engine = open_engine(state["db"])
    try:
        require_schema(engine)
        return read_profile(engine)
    finally:
        engine.dispose()

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


score_app = typer.Typer(help="考核排名与录入得分：hotline score --month …（附件2 / 红黑榜）；hotline score enter …（录入）。")
app.add_typer(score_app, name="score")


@score_app.callback(invoke_without_command=True)
def score(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="考核月份 YYYY-MM（计算排名时必填）")] = None,
    scheme: Annotated[Path | None, typer.Option(help="考核方案文件（YAML/TOML）；默认内置方案")] = None,
    subject: Annotated[str, typer.Option(help="county 县级平台 / unit 承办单位（方案文件自带时以文件为准）")] = "county",
    explain: Annotated[bool, typer.Option("--explain", help="逐项显示规则（按方案原文）、输入与计算")] = False,
) -> None:
    """按考核方案计算县级平台排名或承办单位得分（附件2）；子命令 enter / entered 录入与查看录入得分。"""
    if ctx.invoked_subcommand is not None:
        return
    from hotline.domain.month import Month, MonthError
    from hotline.metrics.engine import MetricEngine, MetricError
    from hotline.report.build import data_months
    from hotline.scoring.engine import ScoringError, rank, red_black
    from hotline.scoring.inputs import county_inputs, unit_inputs
    from hotline.scoring.scheme import SchemeError, load_scheme, profile_schemes

    try:
        if month is None:
            raise UserError("缺少 --month（考核月份 YYYY-MM） / --month is required")
        Month.parse(month)
        if scheme is not None:
            sch = load_scheme(scheme)
        else:
            if subject not in ("county", "unit"):
                raise UserError(f"subject 应为 county 或 unit：{subject}")
            sch = profile_schemes(_store_profile()).get(subject)
            if sch is None:
                raise UserError(f"本库的城市配置没有{'县级平台' if subject == 'county' else '承办单位'}考核方案"
                                f"（schemes.{subject}），请用 --scheme 指定方案文件 / the store's profile has no "
                                f"{subject} scheme; give one with --scheme")
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
    typer.echo(f"{sch.name}（{month}，满分 {sch.total:g} 分）")
    share = {p.key: f"{p.full:g}分" if p.by_points else f"{p.weight:g}%" for p in sch.parts}
    typer.echo(f"{'排名':<4}{'对象':<14}{'总分':>8}  " + "  ".join(f"{p.label}({share[p.key]})" for p in sch.parts))
    for sc in ranked:
        typer.echo(f"{sc.rank:<5}{sc.subject:<14}{sc.total:>8.2f}  " + "  ".join(f"{p.weighted:.2f}" for p in sc.parts))
        if explain:
            for p in sc.parts:
                typer.echo(f"      {p.label}：{p.explanation}")
                for i in p.indicators:
                    typer.echo(f"        {i.label}（{i.points:g} 分，输入 {i.input}）：{i.explanation}")
                    typer.echo(f"          规则：{i.rule_words}")
    if sch.subject == "unit" and sch.ranking.get("list_size"):
        red, black = red_black(ranked, int(sch.ranking["list_size"]))
        typer.echo("红榜：" + "、".join(f"{s.subject}（{s.total:.2f}）" for s in red))
        typer.echo("黑榜：" + "、".join(f"{s.subject}（{s.total:.2f}）" for s in black))


@score_app.command("enter")
def score_enter(
    month: Annotated[str | None, typer.Option(help="考核月份 YYYY-MM")] = None,
    subject: Annotated[str | None, typer.Option(help="county 县级平台 / unit 承办单位")] = None,
    name: Annotated[str | None, typer.Option(help="县市名（或平台代码）/ 承办单位名称（或别名）")] = None,
    input: Annotated[str | None, typer.Option("--input", help="方案中的录入项，如 entered.data_quality")] = None,
    score: Annotated[str | None, typer.Option("--score", "--value", help="得分（0 至该项分值）")] = None,
    note: Annotated[str | None, typer.Option(help="说明，如扣分理由")] = None,
    file: Annotated[Path | None, typer.Option(help="录入记录文件：CSV（表头 month,subject,name,input,score,note）或 YAML 列表")] = None,
    scheme: Annotated[Path | None, typer.Option(help="按此方案检查录入项与分值（默认内置方案）")] = None,
) -> None:
    """录入考核得分（方案的 entered.* 录入项）：一条，或一个记录文件（逐行检查，有错则一条也不录入）。"""
    from hotline.scoring.entries import EntryError, check_entry, in_force, read_entries
    from hotline.scoring.scheme import SchemeError, load_scheme
    from hotline.service.auth import CLI
    from hotline.service.clock import beijing_now
    from hotline.service.entered_scores import record
    from hotline.service.errors import ServiceError
    from hotline.service.transactions import service_engine, write_tx

    single = {"month": month, "subject": subject, "name": name, "input": input, "score": score, "note": note}
    try:
        schemes = in_force(_store_profile(), [load_scheme(scheme)] if scheme is not None else [])
        if file is not None:
            if any(v is not None for v in single.values()):
                raise UserError("--file 与单条录入的选项不能同时使用 / give either --file or one score's options")
            entries = read_entries(file, schemes)
        else:
            entries = [("", check_entry(single, schemes))]
        engine = service_engine(state["db"])
        with write_tx(engine) as conn:
            recorded = record(conn, CLI, entries, beijing_now())
        engine.dispose()
    except ServiceError as exc:
        fail(f"{file}: {exc.message}" if file is not None else exc.message)
    except (StoreError, SchemeError, EntryError, UserError) as exc:
        fail(str(exc))
    for r in recorded:
        was = "新录入" if r["previous"] is None else f"替换原 {r['previous']:g} 分"
        typer.echo(f"已录入 {r['month']} {r['name']} {r['input']} = {r['score']:g} 分（{was}）")
    if len(recorded) > 1:
        typer.echo(f"共 {len(recorded)} 条")


@score_app.command("entered")
def score_entered(
    month: Annotated[str | None, typer.Option(help="考核月份 YYYY-MM（默认全部）")] = None,
    subject: Annotated[str | None, typer.Option(help="county 县级平台 / unit 承办单位（默认全部）")] = None,
) -> None:
    """列出已录入的考核得分。"""
    from hotline.service.entered_scores import list_scores
    from hotline.service.errors import ServiceError
    from hotline.service.transactions import read_tx, service_engine

    try:
        engine = service_engine(state["db"])
        with read_tx(engine) as conn:
            rows = list_scores(conn, month, subject)
        engine.dispose()
    except ServiceError as exc:
        fail(exc.message)
    except StoreError as exc:
        fail(str(exc))
    for r in rows:
        note = f"（{r['note']}）" if r["note"] else ""
        typer.echo(f"{r['month']}  {r['name']:<14}{r['input']:<32}{r['score']:>7g}  {r['entered_by']} "
                   f"{r['entered_at']:%Y-%m-%d %H:%M}{note}")
    if not rows:
        typer.echo("没有录入得分 / no entered scores")


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
