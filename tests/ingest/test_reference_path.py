"""The reference path alone (`options.REFERENCE`: no part of hotline.ingest.fast) gives the same store as the
import with every speed-up on.

test_fast.py and test_parallel.py compare one speed-up at a time; this compares the two ends — row by row, one
INSERT parameter set per row, SQLite checking every constraint itself, against columns, bulk inserts and the
second process — on damaged files (every kind of rejection and repair), then on the same file again (every row
compared with what is stored, the update path)."""

from __future__ import annotations

import pytest

from hotline.ingest import pipeline
from hotline.ingest.options import REFERENCE, Speed
from tests.ingest.conftest import fingerprint, load, new_store, write_csv
from tests.ingest.test_fast import _summary, _workbook, damaged


class _Absent:
    """The fast wing as if it were deleted: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the reference path used hotline.ingest.fast.{name}")


def _run(tmp_path, name: str, path, speed: Speed) -> list:
    folder = tmp_path / name
    folder.mkdir()
    url = new_store(folder / "store.sqlite")
    seen = []
    for _ in range(2):
        s, = load(url, path, "platform_12345", out=folder / "imports", chunk=40, speed=speed)
        seen.append((_summary(s), _workbook(s.rejects_file), fingerprint(url)))
    return seen


@pytest.mark.parametrize("seed", [5, 6])
def test_reference_path_gives_the_same_store(tmp_path, monkeypatch, seed):
    header, body = damaged(400, seed, ["受理平台", "办理方式", "联系时间", "反馈时间"])
    path = write_csv(tmp_path / "工单.csv", header, body)
    sped_up = _run(tmp_path, "fast", path, Speed())
    monkeypatch.setattr(pipeline, "fast", _Absent())
    reference = _run(tmp_path, "reference", path, REFERENCE)
    for r, f in zip(reference, sped_up):
        assert r[0] == f[0]  # summary: counts, rejected/repaired, notes, units created, aliases learned
        assert r[1] == f[1]  # rejects workbook, cell by cell
        assert r[2] == f[2]  # every row of every table, and the schema (the indexes dropped and built again)
    first, again = reference[0][0], reference[1][0]
    assert first["counts"]["tickets"]["inserted"] > 200 and first["rejected"] > 20  # the damage did its job
    assert again["counts"]["tickets"]["unchanged"] > 200


def test_only_the_pipeline_reaches_into_the_fast_wing():
    """The reference modules stand alone: one import of hotline.ingest.fast, in the pipeline (its seam), and none
    of the wing's modules by name; the wing may use the reference modules, never the pipeline."""
    from tests.test_layering import graph

    edges = graph()
    wing = {m for m in edges if m == "hotline.ingest.fast" or m.startswith("hotline.ingest.fast.")}
    reference = {m for m in edges if m.startswith("hotline.ingest.") and m not in wing}
    assert {"hotline.ingest.fast.columns", "hotline.ingest.fast.bulk", "hotline.ingest.pipeline"} <= wing | reference
    reaching = {m: sorted(edges[m] & wing) for m in reference if edges[m] & wing}
    assert reaching == {"hotline.ingest.pipeline": ["hotline.ingest.fast"]}
    assert not any("hotline.ingest.pipeline" in edges[m] for m in wing)
