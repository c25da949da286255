"""Helpers for the import tests: a fresh store, an import call, and a fingerprint of the whole database.

The fingerprint (every row of every table, in order) is how the tests prove that a failed file left the
database exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from hotline.ingest.mapping import load_mapping
from hotline.ingest.pipeline import ImportOptions, import_files
from hotline.store.db import migrate, open_engine

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
TIPDM = DATA / "tipdm2020c" / "附件3_留言_点赞反对.xlsx"
NYC_NIGHT = DATA / "nyc311-samples" / "nyc311_2022-05-01_pyboot_924rows.csv"
NYC_ANIMALS = DATA / "nyc311-samples" / "nyc311_DOHMH_illegal-animal_2010-2025_5895rows.csv"


def new_store(path: Path) -> str:
    """URL of a new, migrated, empty SQLite store at `path`."""
    url = f"sqlite:///{path}"
    engine = open_engine(url, create=True)
    migrate(engine)
    engine.dispose()
    return url


@pytest.fixture
def db(tmp_path) -> str:
    """URL of a new, migrated, empty SQLite store."""
    return new_store(tmp_path / "store.sqlite")


def load(url: str, files, mapping: str = "platform_12345", out: Path | None = None, **options):
    """Import `files`; returns the list of FileSummary."""
    engine = open_engine(url)
    try:
        opts = ImportOptions(load_mapping(mapping) if isinstance(mapping, str) else mapping,
                             out_dir=out or Path(url.removeprefix("sqlite:///")).parent / "imports", **options)
        return import_files(engine, [Path(f) for f in (files if isinstance(files, (list, tuple)) else [files])], opts)
    finally:
        engine.dispose()


def fingerprint(url: str) -> str:
    """A digest of every row of every table: equal digests, identical databases."""
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    h = hashlib.sha256()
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        for row in con.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
            h.update(repr(row).encode())
    for (sql,) in con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"):
        # line by line, sorted: a migration that rebuilds a table (Alembic's batch mode on SQLite) lists its
        # constraints in no fixed order, so two stores migrated alike may differ in that order only
        h.update("\n".join(sorted(line.strip().rstrip(",") for line in sql.splitlines())).encode())
    con.close()
    return h.hexdigest()


def rows(url: str, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def write_csv(path: Path, header: list[str], body: list[list], encoding: str = "utf-8", title: str | None = None) -> Path:
    import csv

    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        if title:
            w.writerow([title])
        w.writerow(header)
        w.writerows(body)
    return path


# a small platform export: every column the platform_12345 mapping knows about, three tickets
HEADER = ["事件编号", "受理时间", "受理渠道", "诉求类型", "诉求大类", "诉求小类", "诉求内容", "来电人", "来电号码", "诉求发生地",
          "承办单位", "派发时间", "是否联系诉求人", "反馈结果", "办结时间", "办理状态", "回访时间", "回访方式", "回访结果"]
ROWS = [
    ["22100810001099", "2022/10/8 9:32:09", "电话", "咨询", "人力资源与社会保障类", "社会保险", "咨询社保缴费基数。", "谭女士",
     "13812345678", "雨湖区", "", "", "", "", "", "直接办结", "", "", ""],
    ["22100810002099", "2022/10/8 10:01:00", "微信", "投诉", "社会治安类", "停车管理", "小区门口车辆乱停。", "刘先生",
     "13912345678", "岳塘区", "湘潭市公安局", "2022/10/8 10:30:00", "是", "已劝离并告知市民。", "2022/10/9 15:00:00",
     "已回访", "2022/10/10 9:00:00", "电话", "非常满意"],
    ["22100910003099", "2022-10-09 08:00:00", "电话", "求助", "资源环境类", "生活噪音", "楼上装修噪音。", "李女士",
     "13712345678", "雨湖区", "湘潭市雨湖区人民政府", "2022-10-09 08:20:00", "否", "已协调。", "2022-10-11 10:00:00", "已回访",
     "2022-10-12 10:00:00", "短信", "不满意"],
]
