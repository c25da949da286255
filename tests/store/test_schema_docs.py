"""docs/schema.md documents the canonical schema honestly, and the Alembic migration builds exactly that schema.

The page has one section per table (`## name — 中文`), each holding a column table whose header starts with
`列 column`. Its rows are the table's columns in schema order, and its type cell carries the SQLAlchemy type,
`PK`, `FK target`, `非空` and `唯一`. Optional "### `column` 取值" subsections list a code column's values
(`取值 value` tables); for CHECK-constrained columns the list must be exactly the allowed set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Column, inspect

from hotline.domain import codes
from hotline.store.db import migrate, open_engine
from hotline.store.schema import metadata

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"

SECTION = re.compile(r"^##\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s+[—-]+\s+\S")
VALUES = re.compile(r"^###\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s+取值")
IN_LIST = re.compile(r"(\w+)\s+IN\s*\(([^)]*)\)", re.IGNORECASE)


@dataclass
class Section:
    name: str
    text: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # the column table, header and separator dropped
    values: dict[str, list[str]] = field(default_factory=dict)  # column -> documented code values


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _bare(cell: str) -> str:
    return cell.strip().strip("`").strip()


def _tables(lines: list[str]) -> list[tuple[int, list[list[str]]]]:
    """Markdown tables in `lines` as (index of the header line, rows including the header)."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            start, rows = i, []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            out.append((start, rows))
        else:
            i += 1
    return out


def parse(text: str) -> tuple[dict[str, Section], list[str]]:
    """Table sections by name, and the headings of `##` sections that hold a column table but name no table."""
    sections: dict[str, Section] = {}
    current: Section | None = None
    strays: list[str] = []
    chunks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            chunks.append((line, []))
        elif chunks:
            chunks[-1][1].append(line)
    for heading, body in chunks:
        m = SECTION.match(heading)
        column_tables = [rows for _, rows in _tables(body) if rows and rows[0][0].startswith("列 column")]
        if not m:
            if column_tables:
                strays.append(heading)
            continue
        current = Section(m.group(1), body)
        assert current.name not in sections, f"docs/schema.md: section {current.name!r} appears twice"
        sections[current.name] = current
        assert len(column_tables) == 1, f"docs/schema.md: section {current.name!r} needs exactly one '列 column' table"
        current.rows = [r for r in column_tables[0][1:] if not set("".join(r)) <= set("-: ")]
        # value subsections: `### `col` 取值 …` followed by a `取值 value` table
        sub = None
        for line in body:
            vm = VALUES.match(line)
            if vm:
                sub = vm.group(1)
                assert sub not in current.values, f"{current.name}.{sub}: values listed twice"
                current.values[sub] = []
            elif line.startswith("### "):
                sub = None
            elif sub and line.lstrip().startswith("|"):
                cells = _cells(line)
                if cells[0].startswith("取值 value") or set("".join(cells)) <= set("-: "):
                    continue
                current.values[sub].append(_bare(cells[0]))
    return sections, strays


@pytest.fixture(scope="module")
def doc() -> dict[str, Section]:
    sections, strays = parse(DOC.read_text(encoding="utf-8"))
    assert not strays, f"docs/schema.md: column tables under headings that name no table: {strays}"
    return sections


def type_token(col: Column) -> str:
    name = type(col.type).__name__
    length = getattr(col.type, "length", None)
    return f"{name}({length})" if length else name


def check_lists(table) -> dict[str, set[str]]:
    """Column -> allowed values, from the table's `col IN (...)` CHECK constraints."""
    out: dict[str, set[str]] = {}
    for c in table.constraints:
        if isinstance(c, CheckConstraint):
            for col, vals in IN_LIST.findall(str(c.sqltext)):
                out[col] = {v.strip().strip("'\"") for v in vals.split(",")}
    return out


def test_every_table_has_a_section(doc):
    missing = [t for t in metadata.tables if t not in doc]
    extra = [s for s in doc if s not in metadata.tables]
    assert not missing, f"docs/schema.md lacks sections for tables {missing}"
    assert not extra, f"docs/schema.md documents tables the schema lacks: {extra}"


@pytest.mark.parametrize("table", list(metadata.tables))
def test_columns_documented_in_order(doc, table):
    documented = [_bare(r[0]) for r in doc[table].rows]
    actual = [c.name for c in metadata.tables[table].columns]
    assert not set(documented) - set(actual), f"{table}: docs name columns the schema lacks: {set(documented) - set(actual)}"
    assert not set(actual) - set(documented), f"{table}: columns not documented: {set(actual) - set(documented)}"
    assert documented == actual, f"{table}: documented order {documented} differs from schema order {actual}"


@pytest.mark.parametrize("table", list(metadata.tables))
def test_rows_match_column_definitions(doc, table):
    cols = metadata.tables[table].columns
    for row in doc[table].rows:
        assert len(row) == 5, f"{table}: row {row[0]} should have 5 cells (列, 类型, 中文名, 含义, 口径)"
        col = cols[_bare(row[0])]
        where = f"{table}.{col.name}"
        type_cell = row[1]
        ticks = re.findall(r"`([^`]+)`", type_cell)
        assert ticks and ticks[0] == type_token(col), f"{where}: type {ticks[:1]} should be `{type_token(col)}`"
        assert ("PK" in type_cell.split()) == col.primary_key, f"{where}: PK marker wrong"
        fks = set(re.findall(r"FK\s+`?([A-Za-z_]+\.[A-Za-z_]+)`?", type_cell))
        assert fks == {fk.target_fullname for fk in col.foreign_keys}, f"{where}: FK targets {fks} wrong"
        not_null = not col.nullable and not col.primary_key
        assert ("非空" in type_cell) == not_null, f"{where}: 非空 marker should be {not_null}"
        assert ("唯一" in type_cell) == bool(col.unique), f"{where}: 唯一 marker wrong"
        assert all(cell.strip() for cell in row), f"{where}: empty cell (write — when there is nothing to say)"
        if col.comment:
            assert col.comment in " ".join(row), f"{where}: the row should quote the column comment {col.comment!r}"


@pytest.mark.parametrize("table", list(metadata.tables))
def test_code_values_documented(doc, table):
    section = doc[table]
    allowed = check_lists(metadata.tables[table])
    for col, values in allowed.items():
        assert col in section.values, f"{table}.{col}: CHECK-constrained code without a '### `{col}` 取值' list"
        assert set(section.values[col]) == values, (
            f"{table}.{col}: documented values {sorted(section.values[col])} differ from allowed {sorted(values)}")
        assert len(section.values[col]) == len(values), f"{table}.{col}: a value is listed twice"
    for col in section.values:
        assert col in metadata.tables[table].columns, f"{table}: value list for unknown column {col!r}"


def test_schema_code_tuples_appear_in_docs(doc):
    text = DOC.read_text(encoding="utf-8")
    for name in ("APPEAL_TYPES", "UNIT_GROUPS", "VISIT_RESULTS", "VISIT_METHODS", "EVENT_KINDS", "CHANNELS"):
        for value in getattr(codes, name):
            assert f"`{value}`" in text, f"{name} value {value!r} is not in docs/schema.md"
    # each tuple is listed in the section of the table it constrains
    where = {"APPEAL_TYPES": ("tickets", "appeal_type"), "CHANNELS": ("tickets", "channel"),
             "UNIT_GROUPS": ("units", "unit_group"), "VISIT_RESULTS": ("return_visits", "result"),
             "VISIT_METHODS": ("return_visits", "method"), "EVENT_KINDS": ("ticket_events", "kind")}
    for name, (table, col) in where.items():
        assert doc[table].values.get(col) == list(getattr(codes, name)), f"{name}: list in schema order under {table}"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema_docs") / "migrated.sqlite"
    engine = open_engine(f"sqlite:///{path}", create=True)
    migrate(engine)
    yield engine
    engine.dispose()


def test_migration_creates_exactly_the_metadata_tables(migrated):
    insp = inspect(migrated)
    names = set(insp.get_table_names()) - {"alembic_version"}
    assert names == set(metadata.tables), (
        f"migration vs metadata: only in migration {names - set(metadata.tables)}, "
        f"only in metadata {set(metadata.tables) - names}")
    for name, table in metadata.tables.items():
        db_cols = {c["name"]: c for c in insp.get_columns(name)}
        assert set(db_cols) == {c.name for c in table.columns}, f"{name}: migrated columns differ from metadata"
        for col in table.columns:
            assert db_cols[col.name]["nullable"] == col.nullable, f"{name}.{col.name}: nullability differs"
        db_indexes = {ix["name"] for ix in insp.get_indexes(name)}
        assert db_indexes == {ix.name for ix in table.indexes}, f"{name}: migrated indexes differ from metadata"


def test_migration_has_no_pending_autogenerate_diff(migrated):
    with migrated.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"metadata changed without a migration: {diff}"
