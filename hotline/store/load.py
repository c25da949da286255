"""Writing a whole dataset into the store in one transaction (nothing half-written on failure).

Regenerating demo data (`hotline generate --force`) replaces the data but keeps the service's people: users,
their API tokens and the audit log (`KEPT_ON_REGENERATE`), so the office is not locked out of the API. A kept
row that points at a row the new data no longer has — a liaison whose unit is not in the regenerated registry —
stops the whole write with a message naming it (`KeptRowsOrphaned`); nothing is changed then.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, delete, inspect, select, update
from sqlalchemy.exc import DatabaseError

from hotline.store.db import StoreError, migrate, open_engine, sqlite_path
from hotline.store.schema import metadata

CHUNK = 20_000
KEPT_ON_REGENERATE = ("users", "api_tokens", "audit_log")


class KeptRowsOrphaned(StoreError):
    """Kept rows (users) refer to rows the new dataset does not have; the message lists them."""


def write_dataset(engine: Engine, tables: Mapping[str, list[dict]], progress: Callable[[str, int], None] | None = None,
                  *, keep: Collection[str] = ()) -> None:
    """Replace the contents of every table named in `tables` (children first on delete, parents first on insert).

    Tables named in `keep` keep their rows. Rows they refer to (a user's unit) are updated in place rather than
    deleted and inserted again, which the foreign key would refuse; if the new data lacks one of them,
    `KeptRowsOrphaned` is raised before anything is written."""
    kept = [t for t in metadata.sorted_tables if t.name in keep]
    ordered = [t for t in metadata.sorted_tables if t.name in tables and t.name not in keep]
    with engine.begin() as conn:
        check_kept_references(conn, kept, tables)
        pinned = _pinned_keys(conn, kept)  # parent table → primary keys that kept rows still refer to
        for table in reversed(metadata.sorted_tables):
            if table.name in keep:
                continue
            col, keys = pinned.get(table, (None, set()))
            conn.execute(delete(table).where(col.not_in(keys)) if keys else delete(table))
        for table in ordered:
            rows = tables[table.name]
            col, keys = pinned.get(table, (None, set()))
            if keys:  # rows kept rows refer to were not deleted: give them the new values in place
                for r in (r for r in rows if r.get(col.name) in keys):
                    conn.execute(update(table).where(col == r[col.name]).values(**r))
                rows = [r for r in rows if r.get(col.name) not in keys]
            for i in range(0, len(rows), CHUNK):
                conn.execute(table.insert(), rows[i : i + CHUNK])
            if progress:
                progress(table.name, len(tables[table.name]))


def check_kept_references(conn: Connection, kept: list[Table], tables: Mapping[str, list[dict]]) -> None:
    """Raise `KeptRowsOrphaned` when a kept row refers to a key the new `tables` do not contain."""
    problems: list[str] = []
    for table in kept:
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent in kept or parent.name not in tables:
                continue
            new_keys = {r.get(fk.column.name) for r in tables[parent.name]}
            label = table.c.username if "username" in table.c else list(table.primary_key.columns)[0]
            for who, ref in conn.execute(select(label, fk.parent).where(fk.parent.is_not(None))):
                if ref not in new_keys:
                    problems.append(f"{table.name}.{label.name}={who} → {parent.name}.{fk.column.name}={ref}")
    if problems:
        listed = "；".join(problems[:20]) + ("…" if len(problems) > 20 else "")
        raise KeptRowsOrphaned(
            f"保留的用户引用了新数据中不存在的记录（{listed}），未做任何修改；请先停用或重建这些用户，"
            f"或加 --reset-users 一并清空用户、令牌与审计日志 / kept users refer to rows missing from the new data "
            f"({listed}); nothing was changed. Remove those users first, or pass --reset-users to clear users, "
            f"tokens and the audit log too")


def copy_kept(source: Engine, target: Engine, tables: Mapping[str, list[dict]],
              keep: Collection[str] = KEPT_ON_REGENERATE) -> dict[str, int]:
    """Copy the `keep` tables' rows (ids included) from `source` into `target`, which already holds the new data.

    Used when a new SQLite file is built beside the old one and swapped in. Only tables and columns both stores
    have are copied; `KeptRowsOrphaned` if a row would point at something `tables` (the new data) lacks."""
    present = set(inspect(source).get_table_names())
    kept = [t for t in metadata.sorted_tables if t.name in keep and t.name in present]
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        check_kept_references(src, [t for t in kept if _has_columns(source, t)], tables)
        for table in kept:
            present_columns = {col["name"] for col in inspect(source).get_columns(table.name)}
            columns = [c for c in table.columns if c.name in present_columns]
            rows = [dict(r) for r in src.execute(select(*columns)).mappings()]
            for i in range(0, len(rows), CHUNK):
                dst.execute(table.insert(), rows[i : i + CHUNK])
            counts[table.name] = len(rows)
    return counts


def _has_columns(engine: Engine, table: Table) -> bool:
    names = {c["name"] for c in inspect(engine).get_columns(table.name)}
    return all(fk.parent.name in names for fk in table.foreign_keys) and (
        "username" not in table.c or "username" in names)


def _pinned_keys(conn: Connection, kept: list[Table]) -> dict[Table, tuple]:
    """For each table that kept rows refer to: (the referenced column, the values still referred to)."""
    pinned: dict[Table, tuple] = {}
    for table in kept:
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent in kept:
                continue
            col, keys = pinned.setdefault(parent, (fk.column, set()))
            if col is not fk.column:
                raise StoreError(f"unsupported: kept rows refer to {parent.name} through two columns")
            keys.update(conn.execute(select(fk.parent).where(fk.parent.is_not(None)).distinct()).scalars())
    return pinned


def replace_dataset(url: str, tables: Mapping[str, list[dict]], *, keep: Collection[str] = KEPT_ON_REGENERATE,
                    progress: Callable[[str, int], None] | None = None,
                    warn: Callable[[str], None] | None = None) -> dict[str, int]:
    """Replace the store at `url` by `tables`, keeping the `keep` tables' rows; returns how many rows were kept.

    SQLite: the new store is built in a file beside the old one and swapped in at the end, so a failure (or
    `KeptRowsOrphaned`) leaves the old store as it was. PostgreSQL: replaced in place, in one transaction."""
    path = sqlite_path(url)
    target, building = url, None
    if path is not None:
        building = path.with_name(f".{path.name}.building")
        building.unlink(missing_ok=True)
        target = f"sqlite:///{building}"
    kept: dict[str, int] = {}
    try:
        engine = open_engine(target, create=True)
        migrate(engine)
        if path is None and keep:
            with engine.connect() as conn:
                present = set(inspect(conn).get_table_names())
                kept = {t: conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{t}"').scalar() for t in keep if t in present}
        write_dataset(engine, tables, progress=progress, keep=keep)
        if building is not None and keep and path.exists():  # carry the people over into the new file
            old = open_engine(url)
            try:
                kept = copy_kept(old, engine, tables, keep)
            except DatabaseError as exc:
                if warn:
                    warn(f"旧数据库无法读取，未保留用户 / old database unreadable, users not kept: {exc}")
            finally:
                old.dispose()
        engine.dispose()
        if building is not None:
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(building, path)
    except BaseException:
        if building is not None:
            building.unlink(missing_ok=True)
        raise
    return kept
