"""Every history the importer writes is a path the declared lifecycle allows (hotline/data/lifecycle.yaml).

Each sample — the typical platform export and variants with columns dropped (no 签收时间, no 办结时间, no 回访
columns, online tickets only), and the real nyc311 and tipdm files when ../shared/data is there — is imported
through the reference path, the column-at-a-time path and the second-process path; every ticket's events are
read back in the order they were written (by id) and checked with `check_history(…, imported=True)`. A row that
carries every milestone must give the exact path, written out here by hand from the lifecycle: 受理 → 派发 → 签收
→ 联系 → 反馈 → 办结 → 回访; an online ticket 受理 → 在线办结.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from hotline.domain.history import check_history
from hotline.domain.lifecycle import declared_lifecycle
from hotline.generator.vendor_export import HEADERS
from hotline.generator.vendor_export import rows as sample_rows
from hotline.ingest.options import REFERENCE, Speed
from tests.ingest.conftest import NYC_NIGHT, TIPDM, load, new_store, rows, write_csv

PATHS = {"reference": (REFERENCE, 20_000), "columns": (Speed(second_process=False), 20_000),
         "second process": (Speed(), 100)}  # (chunks of 100: the other process takes over after the first one)
FULL = ["accept", "dispatch", "sign", "contact", "feedback", "complete", "visit"]
ONLINE = ["accept", "resolve_online"]
MILESTONES = ("承办单位", "派发时间", "签收时间", "办结时间", "回访时间")


def _sample(tmp_path: Path, name: str, drop: tuple[str, ...] = (), online_only: bool = False) -> Path:
    body = [[str(c) for c in r] for r in sample_rows(1500, seed=4)]
    if online_only:
        body = [r for r in body if not r[HEADERS.index("承办单位")]]
    keep = [i for i, h in enumerate(HEADERS) if h not in drop]
    return write_csv(tmp_path / f"{name}.csv", [HEADERS[i] for i in keep], [[r[i] for i in keep] for r in body])


def _source_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def histories(url: str) -> dict[str, list[tuple]]:
    """Each ticket's events (kind, from_state, to_state) in the order they were written."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for no, kind, before, after in rows(url, "SELECT t.ticket_no, e.kind, e.from_state, e.to_state FROM ticket_events e "
                                             "JOIN tickets t ON t.id = e.ticket_id ORDER BY e.id"):
        out[no].append((kind, before, after))
    return out


def _problems(found: dict[str, list[tuple]], imported: bool = True) -> dict[str, list[str]]:
    lc = declared_lifecycle()
    return {no: p for no, events in found.items() if (p := check_history(lc, events, imported=imported))}


def _import(tmp_path: Path, name: str, files: list[Path], mapping: str, way: str) -> dict[str, list[tuple]]:
    speed, chunk = PATHS[way]
    folder = tmp_path / f"{name}-{way.replace(' ', '-')}"
    folder.mkdir()
    url = new_store(folder / "store.sqlite")
    for s in load(url, files, mapping, out=folder / "imports", chunk=chunk, speed=speed):
        assert s.status == "loaded", s.error
    return histories(url)


VARIANTS = {"full": {}, "no 签收时间": {"drop": ("签收时间",)}, "no 办结时间": {"drop": ("办结时间",)},
            "no 回访": {"drop": ("回访时间", "回访方式", "回访结果")}, "online only": {"online_only": True}}


@pytest.mark.parametrize("way", PATHS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_sample_histories_are_paths_the_lifecycle_allows(tmp_path, variant, way):
    path = _sample(tmp_path, "工单", **VARIANTS[variant])
    found = _import(tmp_path, "sample", [path], "platform_12345", way)
    source = _source_rows(path)
    assert len(found) == len(source)  # every ticket has a history
    assert _problems(found) == {}
    exact = 0
    for r in source:  # the rows whose milestones are all there: the exact path, nothing lacking
        events = found[r["事件编号"]]
        if not r.get("承办单位"):
            assert [e[0] for e in events] == ONLINE
        elif all(r.get(h) for h in MILESTONES) and r["是否联系诉求人"] == "是":
            assert [e[0] for e in events] == FULL
            assert check_history(declared_lifecycle(), events) == []
            exact += 1
    assert exact > 150 if variant == "full" else exact == 0
    kinds = {e[0] for events in found.values() for e in events}
    dropped = VARIANTS[variant].get("drop", ())
    assert ("sign" in kinds) == ("签收时间" not in dropped and variant != "online only")  # the variant bites
    assert ("visit" in kinds) == ("回访时间" not in dropped and variant != "online only")
    if {"签收时间", "办结时间"} & set(dropped):  # the histories lack steps: allowed only because they are imported
        assert _problems(found, imported=False) != {}


@pytest.mark.skipif(not NYC_NIGHT.exists(), reason="../shared/data is not beside the repository")
@pytest.mark.parametrize("way", PATHS)
def test_nyc311_histories(tmp_path, way):
    found = _import(tmp_path, "nyc", [NYC_NIGHT], "nyc311", way)
    assert len(found) == 924 and _problems(found) == {}
    assert any(e[0] == "complete" for events in found.values() for e in events)


@pytest.mark.skipif(not TIPDM.exists(), reason="../shared/data is not beside the repository")
@pytest.mark.parametrize("way", ["reference", "columns"])  # an Excel file: never in a second process
def test_tipdm_histories(tmp_path, way):
    found = _import(tmp_path, "tipdm", [TIPDM], "tipdm", way)
    assert len(found) == 4326 and _problems(found) == {}


def test_the_check_reports_a_history_out_of_order(tmp_path):
    """The check above can fail: an imported history shuffled, cut or turned around is reported."""
    found = _import(tmp_path, "one", [_sample(tmp_path, "工单")], "platform_12345", "reference")
    full = next(events for events in found.values() if [e[0] for e in events] == FULL)
    lc = declared_lifecycle()
    assert check_history(lc, full) == []
    swapped = [full[0], full[2], full[1]] + full[3:]  # signed before it was dispatched
    no_dispatch = [full[0]] + full[2:]  # 派发 is not a step an import may lack
    for bad in (swapped, no_dispatch, full[::-1]):
        assert check_history(lc, bad, imported=True) != []
    assert check_history(lc, [e for e in full if e[0] != "sign"]) != []  # lacking 签收: only allowed when imported


def test_a_broken_expansion_would_be_caught(tmp_path, monkeypatch):
    """Were the importer to write a dispatched ticket's events in another order, the histories above would fail."""
    from hotline.ingest import derive

    expand = derive.RowEvents.dispatched

    def backwards(self, *a, **k):
        events, state = expand(self, *a, **k)
        return events[:1] + events[1:][::-1], state
    monkeypatch.setattr(derive.RowEvents, "dispatched", backwards)
    found = _import(tmp_path, "broken", [_sample(tmp_path, "工单")], "platform_12345", "reference")
    bad = _problems(found)
    assert bad and all(found[no][-1][0] == "dispatch" for no in bad)
