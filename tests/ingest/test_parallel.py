"""Converting in a second process (hotline.ingest.fast.parallel) changes nothing but the time it takes.

Each case imports the same files with and without the second process, into new stores, and compares the whole
database, the summaries and the rejects workbooks — and checks that both ways a chunk can take were taken:
written as laid out by the other process (`PreparedTickets.add_new`), or rebuilt here for `Writer.tickets` (updates,
duplicates, rows whose unit spelling only this process may resolve)."""

from __future__ import annotations

import pytest

from hotline.generator.vendor_export import HEADERS
from hotline.generator.vendor_export import rows as sample_rows
from hotline.ingest.fast import parallel
from hotline.ingest.fast.prepared import PreparedTickets
from hotline.ingest.options import Speed
from tests.ingest.conftest import fingerprint, load, new_store, write_csv
from tests.ingest.test_fast import _summary, _workbook, damaged


def _run(tmp_path, name: str, files: list, mapping: str, on: bool, monkeypatch, chunk: int = 40) -> tuple:
    speed = Speed(second_process=on)
    ways = {"laid out": 0, "rebuilt": 0}
    add_new, rebuild = PreparedTickets.add_new, parallel.rebuild

    def counted_add_new(self, *a, **k):
        ways["laid out"] += 1
        return add_new(self, *a, **k)

    def counted_rebuild(*a, **k):
        ways["rebuilt"] += 1
        return rebuild(*a, **k)
    monkeypatch.setattr(PreparedTickets, "add_new", counted_add_new)
    monkeypatch.setattr(parallel, "rebuild", counted_rebuild)
    folder = tmp_path / f"{name}-{'on' if on else 'off'}"
    folder.mkdir()
    url = new_store(folder / "store.sqlite")
    seen = []
    for path in files:
        s, = load(url, path, mapping, out=folder / "imports", chunk=chunk, speed=speed)
        seen.append((_summary(s), _workbook(s.rejects_file), fingerprint(url)))
    return seen, ways


def _same(tmp_path, name, files, mapping, monkeypatch, **options) -> dict:
    on, ways = _run(tmp_path, name, files, mapping, True, monkeypatch, **options)
    off, unused = _run(tmp_path, name, files, mapping, False, monkeypatch, **options)
    assert unused == {"laid out": 0, "rebuilt": 0}
    for a, b in zip(on, off):
        assert a[0] == b[0]  # summary: counts, rejected/repaired, notes, units created, aliases learned
        assert a[1] == b[1]  # rejects workbook, cell by cell
        assert a[2] == b[2]  # every row of every table
    return ways


def test_damaged_export_with_duplicates_across_chunks(tmp_path, monkeypatch):
    header, body = damaged(700, 21, ["受理平台", "涉及文明创建", "联系时间", "反馈时间"])
    # the same tickets again far from their first rows: identical (skipped) and changed (rejected)
    body += [list(r) for r in body[100:130]]
    changed = [list(r) for r in body[200:230]]
    for r in changed:
        if len(r) > HEADERS.index("诉求内容"):
            r[HEADERS.index("诉求内容")] = "内容改了。"
    body += changed
    path = write_csv(tmp_path / "工单.csv", header, body)
    ways = _same(tmp_path, "dups", [path, path], "platform_12345", monkeypatch)  # then the same file again
    assert ways["laid out"] and ways["rebuilt"]


def test_overlapping_exports_update_by_ticket_number(tmp_path, monkeypatch):
    header, body = damaged(900, 24, [])
    first = write_csv(tmp_path / "十月上.csv", header, body[:600])
    changed = [list(r) for r in body[300:900]]
    for r in changed[::7]:
        if len(r) > HEADERS.index("办理状态"):
            r[HEADERS.index("办理状态")] = "已回访"
    second = write_csv(tmp_path / "十月下.csv", header, changed)
    ways = _same(tmp_path, "overlap", [first, second], "platform_12345", monkeypatch)
    assert ways["laid out"] and ways["rebuilt"]


@pytest.mark.parametrize("late", [250, 900])
def test_unit_spellings_first_seen_late_are_resolved_here_in_file_order(tmp_path, monkeypatch, late):
    """New units (created) and spellings matched by a rewrite rule (aliases learned) that first appear after the
    second process has started: those rows come back unconverted, this process resolves them — in file order,
    so ids, aliases and the 单位对照 sheet are as before — and tells the other process what it learned, so the
    spellings do not keep sending chunks back."""
    mapping = tmp_path / "m.yaml"
    mapping.write_text("extends: platform_12345\nunits: {unknown: create}\n", encoding="utf-8")
    body = [[str(c) for c in r] for r in sample_rows(2400, seed=25)]
    unit = HEADERS.index("承办单位")
    spellings = ["新单位甲", "湘潭市公安局", " 新单位乙 ", "湘潭市  公安局", "新单位甲", "湘潭市民政局"]
    for n, i in enumerate(range(late, len(body), 23)):
        if body[i][unit]:
            body[i][unit] = spellings[n % len(spellings)]
    path = write_csv(tmp_path / "工单.csv", HEADERS, body, encoding="gbk")
    ways = _same(tmp_path, f"units{late}", [path], str(mapping), monkeypatch)
    assert 0 < ways["rebuilt"] < ways["laid out"] / 3  # (the spellings are in nearly every chunk)


def test_reading_error_after_many_chunks(tmp_path, monkeypatch):
    """The other process fails to decode a row: the rows before it are counted, nothing is loaded."""
    from hotline.generator.vendor_export import write_csv as write_sample

    path = write_sample(tmp_path / "工单.csv", 6000, encoding="utf-8")
    data = path.read_bytes().split(b"\r\n")
    data[5000] = data[5000].replace("谭女士".encode(), b"\xff\xfe", 1)
    path.write_bytes(b"\r\n".join(data))
    out = {}
    for on in (True, False):
        speed = Speed(second_process=on)
        url = new_store(tmp_path / f"{on}.sqlite")
        before = fingerprint(url)
        s, = load(url, path, chunk=700, out=tmp_path / f"out-{on}", speed=speed)
        assert s.status == "failed" and fingerprint(url) == before
        out[on] = (s.error, s.sheets[0].rows)
    assert out[True] == out[False]
