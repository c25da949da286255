"""What every command shares: the store URL (`--db`), errors users can fix, atomic writes, the Ibis connection.

Why apart from main.py: each command group (cli/datasets.py, cli/reports.py, cli/service.py) needs these few
helpers, and main.py only assembles the groups.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from hotline.store.db import DEFAULT_URL

state = {"db": os.environ.get("HOTLINE_DB", DEFAULT_URL)}


class UserError(Exception):
    """Anything the user can fix: printed without a traceback, exit code 2."""


def fail(message: str) -> None:
    typer.secho(f"错误 / error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


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
