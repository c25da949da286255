"""Synthetic exports in the typical 12345 platform layout, for tests, benchmarks and the import docs.

Why synthetic: no real platform export may be shipped (citizens' data), yet the importer must be measured on
a million rows and tested on the layout a hotline office really gets: a title row, 2022/10/8 9:32:09
times, units written in full (湘潭市公安局), unmasked phone numbers, 满意度 wording. The values come from the
shipped taxonomy and unit registry, so the file imports with the `platform_12345` mapping as is.

`python -m hotline.generator.vendor_export OUT.csv|OUT.xlsx ROWS` writes one.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from hotline.domain.codes import LABELS
from hotline.domain.registry import taxonomy, unit_registry
from hotline.generator.content import ticket_content

HEADERS = ["序号", "事件编号", "受理时间", "受理渠道", "诉求类型", "诉求大类", "诉求小类", "诉求内容", "来电人", "来电号码",
           "诉求发生地", "承办单位", "派发时间", "签收时间", "是否联系诉求人", "反馈结果", "办结时间", "办理状态", "回访时间",
           "回访方式", "回访结果"]
TITLE = "湘潭市12345政务服务便民热线工单明细表"
_TYPES = [("咨询", 61), ("求助", 25), ("投诉", 13), ("建议", 1)]
_CHANNELS = [("电话", 86), ("网站", 5), ("微信", 6), ("APP", 3)]
_RESULTS = [("满意", 24), ("非常满意", 2), ("基本满意", 30), ("未评价", 30), ("不满意", 11), ("一般", 3)]
_APPEAL_CODE = {word: code for code, word in LABELS["appeal_type"].items()}  # 咨询 → consult
_NAMES = ["谭女士", "刘先生", "李女士", "彭先生", "周女士", "易先生", "曾女士", "某市民"]


def _when(dt: datetime) -> str:
    """The platform's own spelling: no zero padding (2022/10/8 9:32:09)."""
    return f"{dt.year}/{dt.month}/{dt.day} {dt.hour}:{dt.minute:02d}:{dt.second:02d}"


def rows(n: int, seed: int = 12345, start: datetime = datetime(2022, 10, 1)) -> Iterator[list]:
    rng = random.Random(seed)
    _, subs = taxonomy()
    reg = unit_registry()
    regions, units = list(reg.regions), reg.units
    sub_names = [s for s in subs if s not in ("无效来电",)]
    unit_names = list(units)
    pool = {}
    types = [t for t, w in _TYPES for _ in range(w)]
    channels = [c for c, w in _CHANNELS for _ in range(w)]
    results = [r for r, w in _RESULTS for _ in range(w)]
    span = 31 * 86400
    for i in range(n):
        acc = start + timedelta(seconds=int(i * span / max(n, 1)) + rng.randrange(60))
        sub = sub_names[rng.randrange(len(sub_names))]
        appeal = types[rng.randrange(len(types))]
        key = (sub, appeal, i % 7)
        if key not in pool:
            pool[key] = ticket_content(rng, sub, _APPEAL_CODE[appeal], "雨湖区", "谭女士")
        no = f"{acc:%y%m%d}{(i % 99999) + 1:05d}{99 + i // 99999 % 900:03d}"
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        row = [i + 1, no, _when(acc), channels[i % len(channels)], appeal, subs[sub].category, sub, pool[key],
               _NAMES[i % len(_NAMES)], phone]
        if rng.random() < 0.15:  # dispatched to a unit, as about 14 % of the seed month's tickets were
            unit = unit_names[rng.randrange(len(unit_names))]
            spelled = f"湘潭{unit}" if unit.startswith("市") and rng.random() < 0.3 else unit
            region = units[unit].region or regions[rng.randrange(len(regions))]
            d = acc + timedelta(minutes=rng.randrange(10, 90))
            s = d + timedelta(minutes=rng.randrange(20, 600))
            done = s + timedelta(hours=rng.randrange(4, 60))
            v = done + timedelta(hours=rng.randrange(2, 48))
            row += [region, spelled, _when(d), _when(s), "是" if rng.random() < 0.98 else "否",
                    "经核实，已按规定处理并电话告知市民。", _when(done), "已回访", _when(v),
                    "短信" if rng.random() < 0.7 else "电话", results[rng.randrange(len(results))]]
        else:
            row += [regions[rng.randrange(len(regions))], "", "", "", "", "", "", "直接办结", "", "", ""]
        yield row


def write_csv(path: Path, n: int, *, encoding: str = "utf-8-sig", seed: int = 12345, title: bool = False) -> Path:
    with Path(path).open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        if title:
            w.writerow([TITLE])
        w.writerow(HEADERS)
        w.writerows(rows(n, seed))
    return Path(path)


def write_xlsx(path: Path, n: int, *, seed: int = 12345, title: bool = True, shared_strings: bool = False) -> Path:
    """Inline strings by default (written in constant memory, as streaming exporters such as POI's SXSSF do);
    `shared_strings` writes the shared-string table that Excel and WPS write when a user saves the file."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings, "strings_to_numbers": False})
    ws = wb.add_worksheet("工单明细")
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(HEADERS) - 1, TITLE)
        r = 1
    ws.write_row(r, 0, HEADERS)
    for i, row in enumerate(rows(n, seed), start=r + 1):
        for c, v in enumerate(row):
            if v == "":
                continue
            if isinstance(v, int):
                ws.write_number(i, c, v)
            else:
                ws.write_string(i, c, v)
    wb.close()
    return Path(path)


if __name__ == "__main__":  # pragma: no cover
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    (write_xlsx if out.suffix == ".xlsx" else write_csv)(out, count)
    print(f"wrote {count:,} rows to {out}")
