"""The `hotline` command line. Thin: parse, call the library, print in Chinese, exit non-zero on bad input."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from hotline.store.db import DEFAULT_URL, StoreError

app = typer.Typer(help="12345 政务服务便民热线：数据生成、运行分析报告。", no_args_is_help=True, add_completion=False)
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
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def generate(
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同数据）")] = 20221010,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有数据库")] = False,
) -> None:
    """生成湘潭市 2022 年 9–10 月的演示数据（按 2022 年 10 月分析报告校准）。"""
    from hotline.generator.build import build_dataset
    from hotline.store.db import migrate, open_engine, sqlite_path
    from hotline.store.load import write_dataset

    url = state["db"]
    path = sqlite_path(url)
    if path is not None and path.exists() and not force:
        fail(f"数据库已存在：{path}（加 --force 覆盖）/ database exists, use --force")
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
    try:
        engine = open_engine(target, create=True)
        migrate(engine)
        write_dataset(engine, ds.tables, progress=lambda t, n: typer.echo(f"  写入 {t}：{n:,} 行"))
        engine.dispose()
        if tmp_path is not None:
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(tmp_path, path)
    except BaseException:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        raise
    typer.echo(f"完成：{url}（{time.time() - started:.1f} 秒）")


@app.command()
def report(
    month: Annotated[str, typer.Option(help="报告月份 YYYY-MM")],
    out: Annotated[Path, typer.Option(help="输出目录")] = Path("out"),
    overrides: Annotated[Optional[Path], typer.Option(help="人工修改的章节（YAML：章节 → 段落列表）")] = None,
    engine: Annotated[str, typer.Option(help="查询引擎：sqlite（数据库）或 duckdb（Parquet 目录，用 --parquet）")] = "sqlite",
    parquet: Annotated[Optional[Path], typer.Option(help="Parquet 目录（--engine duckdb 时）")] = None,
) -> None:
    """计算某月运行情况分析报告，写出 report-YYYY-MM.json。"""
    import yaml

    from hotline.metrics.engine import MetricError
    from hotline.report.build import ReportBuilder, ReportError

    started = time.time()
    try:
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
    target = out / f"report-{month}.json"
    atomic_write(target, json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8"))
    typer.echo(f"已写出 {target}（{time.time() - started:.1f} 秒）")


@app.command()
def score(
    month: Annotated[str, typer.Option(help="考核月份 YYYY-MM")],
    scheme: Annotated[Optional[Path], typer.Option(help="考核方案文件（YAML/TOML）；默认内置方案")] = None,
    subject: Annotated[str, typer.Option(help="county 县级平台 / unit 承办单位（方案文件自带时以文件为准）")] = "county",
    explain: Annotated[bool, typer.Option("--explain", help="逐项显示规则、输入与扣分")] = False,
) -> None:
    """按考核方案计算县级平台排名或承办单位得分（附件2）。"""
    from hotline.metrics.engine import MetricEngine, MetricError, month_bounds
    from hotline.report.build import data_months
    from hotline.scoring.engine import ScoringError, rank, red_black
    from hotline.scoring.inputs import county_inputs, known_inputs, unit_inputs
    from hotline.scoring.scheme import SchemeError, builtin_scheme, load_scheme

    try:
        month_bounds(month)
        if scheme is not None:
            sch = load_scheme(scheme)
            sch = load_scheme(scheme, known_inputs(sch.subject))
        else:
            if subject not in ("county", "unit"):
                raise UserError(f"subject 应为 county 或 unit：{subject}")
            sch = builtin_scheme("county_monthly" if subject == "county" else "unit_monthly", known_inputs(subject))
        con = connect("sqlite", None)
        months = data_months(con)
        if month not in months:
            raise UserError(f"{month} 不在数据覆盖范围 / outside the data ({months[0] if months else '无'} – {months[-1] if months else '无'})")
        engine = MetricEngine(con)
        if sch.subject == "county":
            inputs, _ = county_inputs(engine, month)
        else:
            inputs = unit_inputs(engine, month, int(sch.ranking.get("min_volume", 0)))
        ranked = rank(sch, inputs)
    except (StoreError, MetricError, SchemeError, ScoringError, UserError) as exc:
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
    from hotline.store.parquet import export_tables

    try:
        con = connect("sqlite", None)
        n = export_tables(con, out)
    except (StoreError, UserError) as exc:
        fail(str(exc))
    typer.echo(f"已导出 {n} 张表到 {out}")


def connect(engine: str, parquet: Path | None):
    """An Ibis connection for the chosen engine: the store itself, or DuckDB over a Parquet folder."""
    from hotline.store.db import open_engine, require_schema, sqlite_path

    if engine == "duckdb":
        from hotline.store.parquet import duckdb_over_parquet

        if parquet is None or not parquet.is_dir():
            raise UserError(f"Parquet 目录不存在：{parquet} / parquet folder not found")
        return duckdb_over_parquet(parquet)
    if engine != "sqlite":
        raise UserError(f"未知引擎 {engine}（可选 sqlite、duckdb）/ unknown engine")
    url = state["db"]
    sa = open_engine(url)
    require_schema(sa)
    sa.dispose()
    path = sqlite_path(url)
    import ibis

    if path is not None:
        return ibis.sqlite.connect(str(path))
    return ibis.connect(url.replace("postgresql+psycopg://", "postgres://").replace("postgresql://", "postgres://"))


def run() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.secho("已中断 / interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
