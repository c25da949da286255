"""The seed month's report model, built once per test module from the session's generated store."""

from __future__ import annotations

import ibis
import pytest

from hotline.report.build import ReportBuilder


@pytest.fixture(scope="module")
def report(seed_store):
    return ReportBuilder(ibis.sqlite.connect(str(seed_store))).build("2022-10")
