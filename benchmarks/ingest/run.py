"""Import benchmarks: a 1M-row CSV and a 100k-row XLSX of the typical 12345 platform layout, plus other sizes
to show how peak memory behaves as the file grows (XLSX up to 600k rows, with inline strings as streaming
exporters write them and with the shared-string table Excel and WPS write), and a re-import (every row unchanged).

    .venv/bin/python benchmarks/ingest/run.py                 # the full set (about 10 minutes on two busy cores)
    .venv/bin/python benchmarks/ingest/run.py --quick         # 100k CSV + 25k XLSX, leaves README.md alone
    .venv/bin/python benchmarks/ingest/run.py --against TREE --runs 3   # this code and another checkout's,
                                                              # alternating on the same files (1M CSV, 100k XLSX)

Each import runs in a fresh process into a new SQLite store (`hotline import` as a user runs it, minus the
terminal); the parent reads that child's own peak RSS from the kernel (os.wait4). The data is synthetic
(hotline.generator.vendor_export: taxonomy and unit registry values, 2022/10/8 9:32:09 times, a merged title row in
the XLSX, about 15 % of rows dispatched with the full chain of milestones and a return visit) and is
written once into benchmarks/data/ingest/ (gitignored). The machine's load average is recorded with every
result, because this 2-core machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "benchmarks" / "data" / "ingest"
README = HERE / "README.md"
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"
TARGETS = {"csv": (1_000_000, 30.0), "xlsx": (100_000, 20.0)}


def worker(path: str, mapping: str, reimport: bool) -> None:
    """Import one file into a new store; print a JSON line (times measured inside the process)."""
    sys.path.insert(0, str(ROOT))
    from hotline.ingest.mapping import load_mapping
    from hotline.ingest.pipeline import ImportOptions, import_files
    from hotline.store.db import migrate, open_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/store.sqlite", create=True)
        migrate(engine)
        options = ImportOptions(load_mapping(mapping), out_dir=Path(tmp) / "imports")
        runs = []
        for _ in range(2 if reimport else 1):
            load0, c0, t0 = os.getloadavg()[0], os.times(), time.perf_counter()
            s, = import_files(engine, [Path(path)], options)
            t1, c1 = time.perf_counter(), os.times()
            assert s.status == "loaded", s.error
            rows = sum(sh.rows for sh in s.sheets)
            runs.append({"rows": rows, "seconds": round(t1 - t0, 2), "rows_per_s": round(rows / (t1 - t0)),
                         # CPU of the import and of the process it forks to convert a big CSV (hotline.ingest.fast.parallel)
                         "cpu_s": round(c1.user - c0.user + c1.system - c0.system + c1.children_user - c0.children_user
                                        + c1.children_system - c0.children_system, 2), "counts": s.counts,
                         "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2)})
        print(json.dumps(runs[-1] if not reimport else {**runs[-1], "first": runs[0]}))


def measure(path: Path, mapping: str = "platform_12345", reimport: bool = False, tree: Path = ROOT) -> dict:
    """Import `path` in a fresh process running the code of `tree` (this checkout, or another one: its own
    run.py's worker, with the tree first on the path)."""
    script = tree / "benchmarks" / "ingest" / "run.py"
    proc = subprocess.Popen([sys.executable, str(script), "--worker", str(path), mapping] + (["--reimport"] if reimport else []),
                            stdout=subprocess.PIPE, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"worker failed on {path}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    result["file"] = path.name
    result["file_mb"] = round(path.stat().st_size / 2**20, 1)
    return result


def data_file(kind: str, rows: int) -> Path:
    """kind: csv, xlsx (inline strings, as streaming exporters write) or sst.xlsx (a shared-string table, as
    Excel and WPS write when a user saves the file)."""
    from hotline.generator.vendor_export import write_csv, write_xlsx

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"platform_{rows}.{kind}"
    if not path.exists():
        t = time.perf_counter()
        if kind == "csv":
            write_csv(path, rows)
        else:
            write_xlsx(path, rows, shared_strings=kind == "sst.xlsx")
        print(f"  generated {path.name} ({time.perf_counter() - t:.0f} s)", flush=True)
    return path


def table(results: list[dict]) -> str:
    lines = ["| file | rows | seconds | rows/s | CPU s | peak RSS MB | load avg (before → after) | target |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        kind = r["file"].rsplit(".", 1)[1]
        n, limit = TARGETS[kind]
        target = ""
        if r["rows"] == n and not r.get("first"):
            target = f"{'met' if r['seconds'] < limit else 'missed'} (< {limit:.0f} s)"
        label = r["file"] + (" — re-import, all unchanged" if r.get("first") else "")
        lines.append(f"| {label} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows_per_s']:,} | {r['cpu_s']:.1f} | "
                     f"{r['peak_rss_mb']} | {r['load_before']} → {r['load_after']} | {target} |")
    return "\n".join(lines)


def against(other: Path, runs: int) -> None:
    """Alternate imports by this code and `other`'s on the same files, `runs` each; print the medians."""
    from statistics import median

    files = [data_file("csv", 1_000_000), data_file("xlsx", 100_000)]
    seen: dict = {}
    for i in range(runs):
        for path in files:
            for name, tree in (("before", other), ("after", ROOT)) if i % 2 == 0 else (("after", ROOT), ("before", other)):
                r = measure(path, tree=tree)
                seen.setdefault((path.name, name), []).append(r)
                print(f"  {path.name} {name}: {r['seconds']} s, {r['cpu_s']} CPU s, load {r['load_before']}", flush=True)
    # each alternation is a pair run back to back: the median of the pairs' ratios cancels most of the host's drift
    print(f"\n{runs} runs each, alternating; medians of all runs, and of each pair's after/before\n")
    print("| file | before s (runs) | after s (runs) | before CPU s | after CPU s | after/before: s | CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in files:
        b, a = seen[(path.name, "before")], seen[(path.name, "after")]
        ratio = {k: median(y[k] / x[k] for x, y in zip(b, a)) - 1 for k in ("seconds", "cpu_s")}
        print(f"| {path.name} | {median(r['seconds'] for r in b):.1f} ({', '.join(str(r['seconds']) for r in b)}) | "
              f"{median(r['seconds'] for r in a):.1f} ({', '.join(str(r['seconds']) for r in a)}) | "
              f"{median(r['cpu_s'] for r in b):.1f} | {median(r['cpu_s'] for r in a):.1f} | "
              f"{ratio['seconds']:+.1%} | {ratio['cpu_s']:+.1%} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=2)
    ap.add_argument("--reimport", action="store_true")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-readme", action="store_true")
    ap.add_argument("--against", type=Path, help="another checkout of the project to compare with")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker[0], a.worker[1], a.reimport)
    sys.path.insert(0, str(ROOT))
    if a.against:
        return against(a.against.resolve(), a.runs)
    cases = ([("csv", 100_000), ("xlsx", 25_000)] if a.quick else
             [("csv", 100_000), ("csv", 300_000), ("csv", 1_000_000), ("xlsx", 25_000), ("xlsx", 100_000),
              ("xlsx", 300_000), ("xlsx", 600_000), ("sst.xlsx", 25_000), ("sst.xlsx", 100_000),
              ("sst.xlsx", 300_000)])
    results = []
    for kind, rows in cases:
        path = data_file(kind, rows)
        print(f"importing {path.name} …", flush=True)
        results.append(measure(path))
        print(f"  {results[-1]}", flush=True)
    if not a.quick:
        print("re-importing platform_100000.csv …", flush=True)
        results.append(measure(data_file("csv", 100_000), reimport=True))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    meta = {"when": stamp, "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}
    (DATA / f"results-{stamp}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    text = table(results)
    print(text)
    if not a.quick and not a.no_readme:
        doc = README.read_text(encoding="utf-8")
        head, rest = doc.split(MARK_START)
        _, tail = rest.split(MARK_END)
        README.write_text(f"{head}{MARK_START}\nRun {stamp} (Python {meta['python']}, {meta['cpus']} CPUs):\n\n"
                          f"{text}\n{MARK_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
