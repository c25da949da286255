"""The bodies of `hotline import` and `hotline export`, kept out of hotline/cli/main.py.

Why separate: the command line module is shared by several engineers; it only declares the options and
turns errors into messages. What an import prints (per file: encoding, header, counts, rejects, what the
report will lack) is decided here, next to the code that produces it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from hotline.ingest.fields import TABLE_LABELS
from hotline.ingest.mapping import load_mapping
from hotline.ingest.pipeline import ImportOptions, import_files
from hotline.ingest.progress import Progress, Silent
from hotline.ingest.summary import FileSummary

COUNT_WORDS = (("inserted", "新增"), ("updated", "更新"), ("unchanged", "未变"), ("skipped", "重复跳过"),
               ("rejected", "拒绝"), ("removed", "删除"))
TABLE_WORDS = {"tickets": "工单", "ticket_events": "流转记录", "return_visits": "回访", "calls": "来电", "units": "承办单位"}


def read_aliases(path: Path) -> dict[str, str]:
    """A unit alias table (原始写法/别名 → 对应单位/规范单位) from CSV or Excel, e.g. an edited 单位对照 sheet."""
    from hotline.ingest.read import open_source
    from hotline.ingest.values import cell_text, key

    src = open_source(path)
    out: dict[str, str] = {}
    for name in src.sheet_names:
        rows = iter(src.sheet(name).rows)
        cols = None
        for _, cells in rows:
            heads = [key(cell_text(c) or "") for c in cells]
            if cols is None:
                a = next((i for i, h in enumerate(heads) if h in ("原始写法", "别名", "alias")), None)
                b = next((i for i, h in enumerate(heads) if h in ("对应单位", "规范单位", "单位名称", "unit")), None)
                if a is not None and b is not None:
                    cols = (a, b)
                continue
            if max(cols) < len(cells):
                alias, unit = cell_text(cells[cols[0]]), cell_text(cells[cols[1]])
                if alias and unit:
                    out[alias] = unit
    if not out:
        raise ValueError(f"单位对照表 {path} 中没有找到“原始写法”和“对应单位”两列 / no alias columns found")
    return out


def describe(s: FileSummary) -> list[str]:
    lines = []
    name = Path(s.file).name
    if s.status == "failed":
        return [f"✗ {name}：导入失败，数据库未改动。{s.error}"]
    enc = f"，编码 {s.encoding}" if s.encoding else ""
    lines.append(f"✓ {name}（{s.format}{enc}，{s.seconds:.1f} 秒，{s.rows_per_second:,.0f} 行/秒）")
    for sh in s.sheets:
        if sh.kind is None:
            lines.append(f"  工作表“{sh.name}”：已跳过，{'；'.join(sh.notes)}")
            continue
        extra = f"，空行 {sh.blank_rows}" if sh.blank_rows else ""
        lines.append(f"  工作表“{sh.name}”：{TABLE_LABELS[sh.kind]}，表头在第 {sh.header_row} 行，{sh.rows:,} 行{extra}")
        if sh.unused:
            lines.append(f"    未使用的列：{'、'.join(sh.unused[:15])}" + ("…" if len(sh.unused) > 15 else ""))
        lines.extend(f"    注意：{n}" for n in sh.notes)
    for table, counts in s.counts.items():
        parts = [f"{word} {counts[k]:,}" for k, word in COUNT_WORDS if counts.get(k)]
        if parts:
            lines.append(f"  {TABLE_WORDS.get(table, table)}：{'，'.join(parts)}")
    if s.reference_added:
        lines.append(f"  新数据库：已写入内置的{'、'.join(s.reference_added)}")
    if s.units_created:
        lines.append(f"  新建承办单位 {len(s.units_created)} 个：{'、'.join(s.units_created[:10])}")
    if s.aliases_learned:
        lines.append(f"  记入单位别名 {len(s.aliases_learned)} 条（请在 {s.rejects_file} 的“单位对照”表中核对）：" +
                     "、".join(f"{a}→{u}" for a, u in s.aliases_learned[:5]))
    if s.rejected or s.repaired:
        lines.append(f"  拒绝 {s.rejected:,} 行、修正 {s.repaired:,} 行，明细见 {s.rejects_file}（改正后可直接重新导入）")
    if s.report_gaps:
        lines.append("  分析报告中将缺少：" + "；".join(s.report_gaps))
    return lines


def run_import(db: str, files: list[Path], mapping: str, *, sheet=None, encoding="auto", aliases=None,
               report_dir=Path("var/imports"), rejects_format="xlsx", quiet=False, echo: Callable = print) -> int:
    """Import the files; returns the exit code: 0 all loaded, 1 some rows rejected, 2 a file failed."""
    from hotline.store.db import migrate, open_engine

    if rejects_format not in ("xlsx", "csv"):
        raise ValueError(f"--rejects-format 只能是 xlsx 或 csv：{rejects_format}")
    m = load_mapping(mapping)
    extra = read_aliases(aliases) if aliases else {}
    engine = open_engine(db, create=True)
    migrate(engine)
    options = ImportOptions(m, sheet=sheet, encoding=encoding, aliases=extra, out_dir=report_dir,
                            rejects_format=rejects_format, progress=Silent if quiet else Progress)
    started = time.monotonic()
    summaries = import_files(engine, files, options)
    engine.dispose()
    for s in summaries:
        for line in describe(s):
            echo(line)
    failed = sum(s.status == "failed" for s in summaries)
    rejected = sum(s.rejected for s in summaries)
    echo(f"完成：{len(summaries) - failed}/{len(summaries)} 个文件导入成功，用时 {time.monotonic() - started:.1f} 秒；"
         f"摘要见 {report_dir}")
    return 2 if failed else 1 if rejected else 0


def run_export(db: str, out: Path, month: str | None, fmt: str | None, echo: Callable = print) -> None:
    from hotline.ingest.export import export
    from hotline.store.db import open_engine, require_schema

    fmt = fmt or out.suffix.lstrip(".").lower()
    engine = open_engine(db)
    require_schema(engine)
    written = export(engine, month, fmt, out)
    engine.dispose()
    for kind, (path, n) in written.items():
        echo(f"  {TABLE_LABELS[kind]}：{n:,} 行 → {path}")
    echo(f"已导出{f' {month} ' if month else '全部'}数据到 {out}")
