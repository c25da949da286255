"""The seed month's whole report model is the same on the embedded SQLite store and on DuckDB over its Parquet
export — deriving the facts from the events, and reading the facts persisted beside the export."""

import ibis
import pytest

from hotline.metrics.parquet import duckdb_over_parquet, export_tables, facts_current
from hotline.report.build import ReportBuilder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference(seed_store):
    return ReportBuilder(ibis.sqlite.connect(str(seed_store))).build("2022-10").model_dump(mode="json")


@pytest.fixture(scope="module")
def parquet_folder(seed_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed_parquet")
    export_tables(ibis.sqlite.connect(str(seed_store)), folder)
    assert facts_current(folder) is True
    return folder


@pytest.mark.parametrize("facts", [True, False], ids=["persisted-facts", "derived-facts"])
def test_duckdb_report_equals_sqlite(reference, parquet_folder, facts):
    con = duckdb_over_parquet(parquet_folder, facts=facts)
    builder = ReportBuilder(con)
    got = builder.build("2022-10").model_dump(mode="json")
    assert builder.engine.sources.persisted_facts is facts
    assert got.keys() == reference.keys()
    for section in reference:
        assert got[section] == reference[section], section
