"""The `hotline` command line. Thin: parse, call the library, print in Chinese, exit non-zero on bad input.

The commands live by what they touch — `datasets.py` (generate, import, export), `reports.py` (report, score,
export-parquet), `service.py` (serve, user …, sla run) — and this module only assembles them under one `hotline`,
with the `--db` option they share (`common.py`).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hotline.cli import datasets, reports, service
from hotline.cli.common import state

app = typer.Typer(help="12345 政务服务便民热线：演示数据、运行分析报告、考核排名、导入导出与工单服务。", no_args_is_help=True,
                  add_completion=False)
for group in (datasets.app, reports.app, service.app):
    app.add_typer(group)  # no name: the group's commands join the top level


@app.callback()
def main(db: Annotated[str, typer.Option("--db", help="数据库 URL（默认内置 SQLite）")] = state["db"]) -> None:
    state["db"] = db


def run() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.secho("已中断 / interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    run()
