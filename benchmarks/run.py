"""Benchmarks: one month's report model at 1M and 10M tickets (DuckDB over Parquet vs plain pandas), and the
seed month from the embedded SQLite store.

    python benchmarks/run.py                       # 1M and 10M tickets, then the seed month (make bench)
    python benchmarks/run.py --sizes 1000000       # one size
    python benchmarks/run.py --quick               # 100k tickets, a smoke run (does not touch README.md)

Every measurement runs in a fresh Python process; the parent reads that process's peak RSS from the kernel
(os.wait4 → ru_maxrss of exactly that child). Module imports happen before the clock starts: the times are
connect → report model. Synthetic data is generated once per size into benchmarks/data/ (gitignored) and
reused while the generator version and seed match. The pandas implementation must give the same numbers as
the metric engine (headline figures, 附件1 table, top lists, overdue, county figures): any difference fails
the run.
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
ROOT = HERE.parent
DATA = HERE / "data"
README = HERE / "README.md"
MONTH = "2022-10"
TARGET_S, TARGET_RSS_MB, TARGET_SPEEDUP, TARGET_SEED_S = 5.0, 2048, 3.0, 3.0
HEADLINE = ("accepted", "dispatched", "answer_rate", "on_time_rate", "satisfaction_rate", "overdue_total")
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"


# =====================================================================================================
# Comparable figures: the same dict from the report model and from the pandas implementation
# =====================================================================================================

def figures_from_model(m) -> dict:
    h, c, a = m.handling, m.calls, m.annex1

    def unit_row(r):
        return [r.unit, r.valid, r.completed, r.late, r.on_time_rate, r.contact_rate, r.visits, r.satisfied_total,
                r.unrated, r.dissatisfied, r.satisfaction_rate]

    return {
        "calls": c.calls, "answered": c.answered, "answer_rate": c.answer_rate, "calls_mom": c.calls_mom.delta,
        "accepted": c.accepted, "by_type": [[s.label, s.count, s.share] for s in c.by_type],
        "online": h.online, "dispatched": h.dispatched, "online_resolution_rate": h.online_resolution_rate,
        "online_resolution_rate_mom": h.online_resolution_rate_mom.delta, "dispatched_mom": h.dispatched_mom.delta,
        "civility": m.hotspots.civility,
        "categories": [[s.label, s.count, s.share] for s in m.hotspots.categories],
        "subcategories": [[s.label, s.count, s.share] for s in m.hotspots.subcategories],
        "on_time_rate": h.on_time_rate, "on_time_rate_mom": h.on_time_rate_mom.delta,
        "contact_rate": a.total.contact_rate, "visits": h.visits,
        "satisfaction_rate": h.dispatch_satisfaction_rate, "online_satisfaction_rate": h.online_satisfaction_rate,
        "overall_satisfaction_rate": h.overall_satisfaction_rate,
        "visit_satisfied": h.visit_satisfied, "visit_fairly_satisfied": h.visit_fairly_satisfied,
        "visit_dissatisfied": h.visit_dissatisfied,
        "overdue_total": h.overdue_total, "overdue_units": [[o.unit, o.count, o.topics] for o in h.overdue_units],
        "annex1": [[g.group, [unit_row(r) for r in g.rows]] for g in a.groups], "annex1_total": unit_row(a.total),
        "county": [h.county.calls, h.county.answer_rate, h.county.online_resolution_rate, h.county.on_time_rate,
                   h.county.visit_rate, h.county.satisfaction_rate, [[s.label, s.count] for s in h.county.by_county]],
    }


def pandas_figures(folder: Path, month: str) -> dict:
    """The report's metric part, written the straightforward way: read the Parquet files with pandas, derive
    each ticket's facts from its events with groupby, filter and count. No Ibis, no SQL."""
    import pandas as pd

    from hotline.domain.month import Month
    from hotline.domain.numbers import pct, round2
    from hotline.domain.registry import unit_registry
    from hotline.report.build import APPEAL_LABELS, GROUP_TITLES

    def read(name, cols=None):
        return pd.read_parquet(folder / f"{name}.parquet", columns=cols)

    calls = read("calls", ["platform", "called_at", "answered"])
    tickets = read("tickets", ["id", "platform", "accepted_at", "appeal_type", "subcategory_id", "civility",
                               "resolution", "unit_id"])
    ev = read("ticket_events", ["ticket_id", "kind", "at", "due_at"])
    visits = read("return_visits", ["ticket_id", "visited_at", "result"])
    subs = read("subcategories").rename(columns={"id": "subcategory_id", "name": "subcategory",
                                                 "sort_order": "sub_order", "topic": "sub_topic"})
    cats = read("categories").rename(columns={"id": "category_id", "name": "category", "sort_order": "cat_order"})
    units = read("units").rename(columns={"id": "unit_id", "name": "unit", "region": "unit_region",
                                          "sort_order": "unit_order"})

    # ---- ticket facts from the event log ----
    facts = ev.groupby("ticket_id")[["due_at"]].max()
    for kind, col in (("dispatch", "dispatched_at"), ("sign", "signed_at"), ("feedback", "feedback_at"),
                      ("complete", "completed_at")):
        facts[col] = ev.loc[ev["kind"] == kind].groupby("ticket_id")["at"].min()
    for kind, col in (("contact", "contacted"), ("visit", "visited")):
        facts[col] = facts.index.isin(ev.loc[ev["kind"] == kind, "ticket_id"].unique())
    del ev
    t = (tickets.merge(subs[["subcategory_id", "category_id", "subcategory", "sub_order", "sub_topic"]], on="subcategory_id")
         .merge(cats[["category_id", "category", "cat_order"]], on="category_id")
         .merge(units[["unit_id", "unit", "unit_group", "unit_region", "unit_order"]], on="unit_id", how="left")
         .merge(facts, left_on="id", right_index=True, how="left"))
    del tickets, facts
    t["contacted"] = t["contacted"].fillna(False).astype(bool)
    t["visited"] = t["visited"].fillna(False).astype(bool)
    t["completed"] = t["completed_at"].notna()
    t["late"] = (t["completed"] & t["due_at"].notna() & (t["completed_at"] > t["due_at"])).fillna(False).astype(bool)
    v = visits.merge(t, left_on="ticket_id", right_on="id")
    del visits

    def month_of(df, col, mon):
        s, e = Month.of(mon).bounds
        return df[(df[col] >= s) & (df[col] < e)]

    prev = str(Month.parse(month).previous())
    start, end = Month.parse(month).bounds

    # ---- calls ----
    def call_stats(mon, city=True):
        c = month_of(calls, "called_at", mon)
        c = c[c["platform"] == "city"] if city else c[c["platform"] != "city"]
        return len(c), int(c["answered"].sum()), c
    n_calls, n_answered, _ = call_stats(month)
    p_calls, _, _ = call_stats(prev)

    # ---- acceptance basis (city) ----
    def accepted_city(mon):
        a = month_of(t, "accepted_at", mon)
        return a[a["platform"] == "city"]
    acc, acc_prev = accepted_city(month), accepted_city(prev)
    n_acc = len(acc)
    online, dispatched = int((acc["resolution"] == "online").sum()), int((acc["resolution"] == "dispatched").sum())
    p_online, p_dispatched = int((acc_prev["resolution"] == "online").sum()), int((acc_prev["resolution"] == "dispatched").sum())
    by_type = acc.groupby("appeal_type").size()

    def top(df, key, order, n, share_of):
        g = df.groupby([key, order]).size().reset_index(name="n")
        g = g[g["n"] > 0].sort_values(["n", order], ascending=[False, True]).head(n)
        return [[k, int(c), pct(int(c), share_of)] for k, c in zip(g[key], g["n"])]

    # ---- visit basis (附件1), city dispatched ----
    def visit_window(mon):
        w = month_of(v, "visited_at", mon)
        return w[(w["platform"] == "city") & (w["resolution"] == "dispatched")]
    vw, vw_prev = visit_window(month), visit_window(prev)

    def annex_counts(df):
        sat = df["result"].isin(["satisfied", "fairly_satisfied", "unrated"])
        return pd.DataFrame({
            "valid": 1, "completed": df["completed"].astype(int), "late": df["late"].astype(int),
            "on_time": (df["completed"] & ~df["late"]).astype(int), "contacted": df["contacted"].astype(int),
            "sat": sat.astype(int), "unrated": (df["result"] == "unrated").astype(int),
            "dis": (df["result"] == "dissatisfied").astype(int), "satisfied": (df["result"] == "satisfied").astype(int),
            "fairly": df["result"].isin(["fairly_satisfied", "unrated"]).astype(int)}, index=df.index)

    def unit_row(name, r):
        return [name, int(r["valid"]), int(r["completed"]), int(r["late"]), pct(int(r["on_time"]), int(r["valid"])),
                pct(int(r["contacted"]), int(r["valid"])), int(r["valid"]), int(r["sat"]), int(r["unrated"]),
                int(r["dis"]), pct(int(r["sat"]), int(r["valid"]))]

    counts = annex_counts(vw)
    per_unit = counts.join(vw[["unit", "unit_group", "unit_order"]]).groupby(["unit", "unit_group", "unit_order"]).sum().reset_index()
    annex1 = []
    for code in GROUP_TITLES:
        g = per_unit[per_unit["unit_group"] == code].sort_values(["valid", "unit_order"], ascending=[False, True])
        annex1.append([code, [unit_row(r["unit"], r) for _, r in g.iterrows()]])
    tot = counts.sum()
    tot_prev = annex_counts(vw_prev).sum()

    # ---- online evaluations (acceptance basis) ----
    ow = month_of(v, "accepted_at", month)
    ow = ow[(ow["platform"] == "city") & (ow["resolution"] == "online")]
    online_sat = int(ow["result"].isin(["satisfied", "fairly_satisfied", "unrated"]).sum())

    # ---- overdue at the month's end (snapshot) ----
    od = t[(t["platform"] == "city") & (t["resolution"] == "dispatched") & (t["accepted_at"] < end)
           & (t["due_at"] < end) & (t["feedback_at"].isna() | (t["feedback_at"] >= end))]
    og = od.groupby(["unit", "unit_order", "subcategory", "sub_order"]).size().reset_index(name="n")
    overdue_units = []
    for (unit, _order), cells in sorted(og.groupby(["unit", "unit_order"]), key=lambda kv: (-kv[1]["n"].sum(), kv[0][1])):
        cells = cells.sort_values(["n", "sub_order"], ascending=[False, True])
        overdue_units.append([unit, int(cells["n"].sum()), "、".join(cells["subcategory"].head(2))])

    # ---- county platforms ----
    platforms = unit_registry().platforms
    c_calls, c_answered, cc = call_stats(month, city=False)
    ca = month_of(t, "accepted_at", month)
    ca = ca[ca["platform"] != "city"]
    cd = ca[ca["resolution"] == "dispatched"]
    cv = month_of(v, "accepted_at", month)
    cv = cv[(cv["platform"] != "city") & (cv["resolution"] == "dispatched")]
    by_platform = cc.groupby("platform").size()
    names = {p.code: p.short_name for p in platforms}
    by_county = [[names[p.code], int(by_platform.get(p.code, 0))] for p in platforms if p.level == "county"]

    def mom_count(cur, prv):
        return pct(cur - prv, prv) if prv else None

    def mom_rate(cur, prv):
        return round2(cur - prv) if cur is not None and prv is not None else None

    on_time, on_time_prev = pct(int(tot["on_time"]), int(tot["valid"])), pct(int(tot_prev["on_time"]), int(tot_prev["valid"]))
    return {
        "calls": n_calls, "answered": n_answered, "answer_rate": pct(n_answered, n_calls),
        "calls_mom": mom_count(n_calls, p_calls),
        "accepted": n_acc, "by_type": [[label, int(by_type.get(code, 0)), pct(int(by_type.get(code, 0)), n_acc)]
                                       for code, label in APPEAL_LABELS.items()],
        "online": online, "dispatched": dispatched, "online_resolution_rate": pct(online, n_acc),
        "online_resolution_rate_mom": mom_rate(pct(online, n_acc), pct(p_online, len(acc_prev))),
        "dispatched_mom": mom_count(dispatched, p_dispatched),
        "civility": int(acc["civility"].sum()),
        "categories": top(acc, "category", "cat_order", 5, n_acc),
        "subcategories": top(acc, "subcategory", "sub_order", 10, n_acc),
        "on_time_rate": on_time, "on_time_rate_mom": mom_rate(on_time, on_time_prev),
        "contact_rate": pct(int(tot["contacted"]), int(tot["valid"])), "visits": int(tot["valid"]),
        "satisfaction_rate": pct(int(tot["sat"]), int(tot["valid"])),
        "online_satisfaction_rate": pct(online_sat, len(ow)),
        "overall_satisfaction_rate": pct(online_sat + int(tot["sat"]), len(ow) + int(tot["valid"])),
        "visit_satisfied": int(tot["satisfied"]), "visit_fairly_satisfied": int(tot["fairly"]),
        "visit_dissatisfied": int(tot["dis"]),
        "overdue_total": len(od), "overdue_units": overdue_units,
        "annex1": annex1, "annex1_total": unit_row("总计", tot),
        "county": [c_calls, pct(c_answered, c_calls), pct(int((ca["resolution"] == "online").sum()), len(ca)),
                   pct(int((cd["completed"] & ~cd["late"]).sum()), len(cd)), pct(int(cd["visited"].sum()), len(cd)),
                   pct(int(cv["result"].isin(["satisfied", "fairly_satisfied", "unrated"]).sum()), len(cv)), by_county],
    }


# =====================================================================================================
# Workers: one measurement per fresh process
# =====================================================================================================

def worker(kind: str, target: str, month: str, out: Path) -> None:
    # imports first: the clock measures connect → model, not Python start-up (see README)
    t_import = time.perf_counter()
    import duckdb  # noqa: F401
    import ibis  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import hotline.report.build as build_mod
    from hotline.domain.month import Month
    from hotline.metrics.engine import MetricEngine
    from hotline.metrics.parquet import duckdb_over_parquet
    from hotline.report.build import ReportBuilder

    # Ibis loads a backend, its SQL compilers and its result conversion on first use: warm them up on a
    # throwaway in-memory connection so that the clock below sees the work, not the imports.
    if kind in ("duckdb", "duckdb-derived", "sqlite"):
        warm = ibis.memtable({"x": [1, 2]})
        getattr(ibis, kind.split("-")[0]).connect().execute(warm.filter(warm.x > 1).aggregate(n=warm.x.sum()))
    t_import = time.perf_counter() - t_import

    res: dict = {"kind": kind, "import_s": round(t_import, 3)}
    if kind == "pandas":
        t0, c0 = time.perf_counter(), time.process_time()
        res["figures"] = pandas_figures(Path(target), month)
        res["total_s"] = time.perf_counter() - t0
        res["total_cpu_s"] = time.process_time() - c0
        res["metrics_s"] = res["total_s"]
    else:
        timings = {"narratives_s": 0.0}

        def timed(step):
            def run(*a, **k):
                t = time.perf_counter()
                try:
                    return step(*a, **k)
                finally:
                    timings["narratives_s"] += time.perf_counter() - t
            return run

        # the narratives: their facts gathered from the store, then drafted
        build_mod.gather_narrative_input = timed(build_mod.gather_narrative_input)
        build_mod.draft_narratives = timed(build_mod.draft_narratives)
        t0, c0 = time.perf_counter(), time.process_time()
        # "duckdb": reads the facts persisted beside the export; "duckdb-derived": ignores them and derives the
        # facts from the event log, as the other engines do
        con = (ibis.sqlite.connect(target) if kind == "sqlite"
               else duckdb_over_parquet(Path(target), facts=kind == "duckdb"))
        queries = {"n": 0, "s": 0.0}
        execute = con.execute

        def counted(*a, **k):
            t = time.perf_counter()
            try:
                return execute(*a, **k)
            finally:
                queries["n"] += 1
                queries["s"] += time.perf_counter() - t

        con.execute = counted
        t1 = time.perf_counter()
        # materialises the ticket and visit facts the report's two months can touch (as `hotline report` does)
        engine = MetricEngine(con, months=(Month.parse(month).previous(), month))
        t2 = time.perf_counter()
        model = ReportBuilder(con, engine).build(month)
        t3 = time.perf_counter()
        res["persisted_facts"] = engine.sources.persisted_facts
        res.update(total_s=t3 - t0, total_cpu_s=time.process_time() - c0, connect_s=t1 - t0, sources_s=t2 - t1, sections_s=t3 - t2 - timings["narratives_s"],
                   narratives_s=timings["narratives_s"], metrics_s=t3 - t0 - timings["narratives_s"],
                   queries=queries["n"], query_s=queries["s"], figures=figures_from_model(model),
                   narrative_paragraphs=sum(len(getattr(model, s).paragraphs) for s in
                                            ("typical_cases", "difficult_cases", "leader_days", "difficulties")))
    out.write_text(json.dumps(res, ensure_ascii=False, default=str))


def measure(kind: str, target: str | Path, month: str, repeat: int = 1) -> dict:
    """Best of `repeat` fresh-process runs (by connect → model time), with the highest peak RSS seen."""
    runs = [measure_once(kind, target, month) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["total_s"])
    best.update(runs=len(runs), all_total_s=[round(r["total_s"], 2) for r in runs],
                all_others=[round(r["others_cpu_s"] or 0, 1) for r in runs],
                peak_rss_mb=max(r["peak_rss_mb"] for r in runs))
    return best


def busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat), or None off Linux."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = f[3] + (f[4] if len(f) > 4 else 0)  # idle + iowait
    return (sum(f[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure_once(kind: str, target: str | Path, month: str) -> dict:
    """Run one worker in a fresh process; return its result with its peak RSS (MB) and process wall time, and
    how much CPU other processes on the machine used meanwhile (a shared 2-core box makes that matter)."""
    busy0 = busy_cpu_s()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--worker", kind, "--target", str(target), "--month", month,
                                 "--out", str(out)], cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"{kind} worker on {target} failed (exit {proc.returncode})")
        res = json.loads(out.read_text())
    res["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    res["process_s"] = wall
    res["process_cpu_s"] = usage.ru_utime + usage.ru_stime  # CPU time of the whole process, imports included
    busy1 = busy_cpu_s()
    res["others_cpu_s"] = max(0.0, busy1 - busy0 - res["process_cpu_s"]) if busy0 is not None else None
    return res


# =====================================================================================================
# Data, comparison, report
# =====================================================================================================

def ensure_data(n: int, regen: bool) -> tuple[Path, dict]:
    sys.path.insert(0, str(HERE))
    import synth

    folder = DATA / f"n{n}"
    manifest = folder / "manifest.json"
    if not regen and manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("generator_version") == synth.GENERATOR_VERSION and m.get("n") == n:
            synth.complete(folder)  # tables added to the schema since the data was written: empty files
            m["reused"] = True
            return folder, m
    print(f"generating {n:,} tickets into {folder} …", flush=True)
    # a separate process, so the generator's memory does not count against anything measured later
    subprocess.run([sys.executable, str(HERE / "synth.py"), "--n", str(n), "--out", str(folder)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    m = json.loads(manifest.read_text())
    m["reused"] = False
    return folder, m


def compare(a: dict, b: dict) -> list[str]:
    """Differences between two figure dicts (exact: both sides print the same rounded numbers)."""
    return [f"{k}: engine={a.get(k)!r} pandas={b.get(k)!r}" for k in a if not k.startswith("_") and a.get(k) != b.get(k)]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 ** 2:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    import duckdb
    import ibis
    import pandas
    import pyarrow
    return (f"{cpu}, {cores} cores{mem}; {platform.system()} {platform.release()}; Python {platform.python_version()}, "
            f"ibis {ibis.__version__}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}")


def fmt_s(x):
    return "—" if x is None else f"{x:.2f} s"


def fmt_mb(x):
    return "—" if x is None else f"{x:,.0f} MB"


def render(results: dict) -> str:
    lines = [f"Run {results['when']} on {results['machine']}. Each time is the best of {results['repeat']} "
             f"fresh-process run(s); peak RSS is the highest seen.", "",
             "| data | engine | connect → model | CPU time (all threads) | of which narratives | peak RSS | speed-up vs pandas | queries |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results["sizes"]:
        d, p = r["duckdb"], r["pandas"]
        label = f"{r['n']:,} tickets"
        lines.append(f"| {label} | MetricEngine, DuckDB/Parquet, persisted facts (full model) | {fmt_s(d['total_s'])} | "
                     f"{fmt_s(d['total_cpu_s'])} | {fmt_s(d['narratives_s'])} | {fmt_mb(d['peak_rss_mb'])} | {p['total_s'] / d['total_s']:.2f}× | "
                     f"{d['queries']} |")
        lines.append(f"| {label} | MetricEngine, DuckDB/Parquet, persisted facts (metrics only) | {fmt_s(d['metrics_s'])} | | — | — | "
                     f"{p['total_s'] / d['metrics_s']:.2f}× | |")
        dd = r.get("duckdb_derived")
        if dd:
            lines.append(f"| {label} | MetricEngine, DuckDB/Parquet, facts derived from the events (full model) | "
                         f"{fmt_s(dd['total_s'])} | {fmt_s(dd['total_cpu_s'])} | {fmt_s(dd['narratives_s'])} | "
                         f"{fmt_mb(dd['peak_rss_mb'])} | {p['total_s'] / dd['total_s']:.2f}× | {dd['queries']} |")
        lines.append(f"| {label} | pandas (metrics only) | {fmt_s(p['total_s'])} | {fmt_s(p['total_cpu_s'])} | — | "
                     f"{fmt_mb(p['peak_rss_mb'])} | 1.00× | |")
    s = results.get("seed")
    if s and "error" not in s:
        lines.append(f"| seed month ({s['tickets']:,} tickets) | MetricEngine, SQLite (full model) | {fmt_s(s['total_s'])} | "
                     f"{fmt_s(s['total_cpu_s'])} | {fmt_s(s['narratives_s'])} | {fmt_mb(s['peak_rss_mb'])} | | {s['queries']} |")
    elif s:
        lines.append(f"| seed month | MetricEngine, SQLite | failed: {s['error']} | | | | | |")
    lines += ["", "Breakdown of the best run (seconds): connect; materialising the ticket/visit facts (`Sources`); "
              "report sections; narratives; time inside `execute` (all queries); the worker process's wall and CPU "
              "time (imports and warm-up included); imports and warm-up alone; every run's connect → model time; "
              "the CPU seconds other processes on the machine used during each run (the machine is shared: "
              "anything well above zero slowed the run down).", "",
              "| data | engine | connect | sources | sections | narratives | in queries | process wall | process CPU | imports | all runs (s) | others' CPU during each run (s) |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    rows = [(f"{r['n']:,} tickets", eng, r[key]) for r in results["sizes"]
            for eng, key in (("DuckDB, persisted facts", "duckdb"), ("DuckDB, derived facts", "duckdb_derived")) if key in r]
    if s and "error" not in s:
        rows.append(("seed month", "SQLite", s))
    for label, eng, d in rows:
        lines.append(f"| {label} | {eng} | {d['connect_s']:.2f} | {d['sources_s']:.2f} | {d['sections_s']:.2f} | "
                     f"{d['narratives_s']:.2f} | {d['query_s']:.2f} | {d['process_s']:.2f} | {d['process_cpu_s']:.2f} | "
                     f"{d['import_s']:.2f} | {', '.join(f'{x:.2f}' for x in d['all_total_s'])} | "
                     f"{', '.join(f'{x:.1f}' for x in d['all_others'])} |")
    for r in results["sizes"]:
        p = r["pandas"]
        lines.append(f"| {r['n']:,} tickets | pandas | | | | | | {p['process_s']:.2f} | {p['process_cpu_s']:.2f} | "
                     f"{p['import_s']:.2f} | {', '.join(f'{x:.2f}' for x in p['all_total_s'])} | "
                     f"{', '.join(f'{x:.1f}' for x in p['all_others'])} |")
    gen = [r for r in results["sizes"]]
    if gen:
        lines += ["", "Synthetic data: " + "; ".join(
            f"{r['n']:,} tickets → {r['data']['rows']['ticket_events']:,} events, {r['data']['rows']['return_visits']:,} "
            f"visits, {r['data']['rows']['calls']:,} calls, {r['data']['bytes'] / 1e6:,.0f} MB Parquet, generated in "
            f"{r['data']['seconds']:.0f} s, facts persisted in {r['data'].get('facts_seconds', float('nan')):.0f} s "
            f"(once per export, as `hotline export-parquet` does)" for r in gen) + "."]
    if s and "error" not in s:
        lines.append(f"Seed store: `hotline generate` took {s['generate_s']:.1f} s.")
    lines += ["", "Targets:", ""]
    if not results["targets"]:
        lines.append("- none apply to the sizes of this run (the targets are for 10M tickets and the seed month)")
    for t in results["targets"]:
        lines.append(f"- {'met' if t['met'] else '**not met**'}: {t['what']} — {t['actual']}")
    return "\n".join(lines)


def targets(results: dict) -> list[dict]:
    out = []
    big = [r for r in results["sizes"] if r["n"] >= 10_000_000]
    for r in big:
        d, p = r["duckdb"], r["pandas"]
        dd = r.get("duckdb_derived")
        out.append({"what": f"{r['n']:,} tickets on DuckDB/Parquet under {TARGET_S:.0f} s",
                    "met": d["total_s"] < TARGET_S,
                    "actual": f"{d['total_s']:.2f} s with the persisted facts (metrics only {d['metrics_s']:.2f} s)"
                              + (f"; {dd['total_s']:.2f} s deriving the facts from the events" if dd else "")})
        out.append({"what": f"{r['n']:,} tickets on DuckDB/Parquet under {TARGET_RSS_MB / 1024:.0f} GB peak RSS",
                    "met": d["peak_rss_mb"] < TARGET_RSS_MB, "actual": f"{d['peak_rss_mb']:,.0f} MB"})
        out.append({"what": f"{r['n']:,} tickets at least {TARGET_SPEEDUP:.0f}× faster than pandas",
                    "met": p["total_s"] / d["total_s"] >= TARGET_SPEEDUP,
                    "actual": f"{p['total_s'] / d['total_s']:.2f}× (full model vs pandas metrics), "
                              f"{p['total_s'] / d['metrics_s']:.2f}× (metrics vs metrics)"})
    s = results.get("seed")
    if s:
        ok = "error" not in s and s["total_s"] < TARGET_SEED_S
        out.append({"what": f"seed month from SQLite under {TARGET_SEED_S:.0f} s", "met": ok,
                    "actual": s.get("error") or f"{s['total_s']:.2f} s"})
    return out


def run_seed(month: str, repeat: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.sqlite"
        started = time.perf_counter()
        p = subprocess.run([str(Path(sys.executable).parent / "hotline"), "--db", f"sqlite:///{db}", "generate", "--force"],
                           cwd=ROOT, capture_output=True, text=True)
        gen_s = time.perf_counter() - started
        if p.returncode != 0:
            tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["?"]
            print(f"!! hotline generate failed: {tail[0]}", flush=True)
            return {"error": f"`hotline generate` failed ({tail[0]})"}
        import sqlite3

        with sqlite3.connect(db) as c:
            tickets = c.execute("SELECT count(*) FROM tickets").fetchone()[0]
        res = measure("sqlite", db, month, repeat)
        res.update(generate_s=gen_s, tickets=tickets)
        return res


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    if MARK_START not in text or MARK_END not in text:
        raise SystemExit(f"{README} lacks the {MARK_START} / {MARK_END} markers")
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    README.write_text(f"{head}{MARK_START}\n{block}\n{MARK_END}{tail}", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description="hotline benchmarks")
    ap.add_argument("--sizes", default="1000000,10000000", help="comma-separated ticket counts")
    ap.add_argument("--quick", action="store_true", help="100k tickets only; README.md is left alone")
    ap.add_argument("--month", default=MONTH)
    ap.add_argument("--regen", action="store_true", help="regenerate the synthetic data even if present")
    ap.add_argument("--repeat", type=int, default=1, help="fresh-process runs per measurement; the best is reported")
    ap.add_argument("--no-seed", action="store_true", help="skip the seed month (SQLite)")
    ap.add_argument("--no-readme", action="store_true", help="do not write the results into benchmarks/README.md")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.target, a.month, a.out)
        return

    sizes = [100_000] if a.quick else [int(x) for x in a.sizes.split(",") if x.strip()]
    results = {"when": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "month": a.month, "repeat": a.repeat,
               "sizes": []}
    failures = []
    for n in sizes:
        folder, manifest = ensure_data(n, a.regen)
        how = "reused" if manifest["reused"] else f"generated in {manifest['seconds']} s"
        print(f"[{n:,}] data: {manifest['bytes'] / 1e6:,.0f} MB ({how})", flush=True)
        d = measure("duckdb", folder, a.month, a.repeat)
        print(f"[{n:,}] DuckDB/Parquet: {d['total_s']:.2f} s (metrics {d['metrics_s']:.2f} s, narratives "
              f"{d['narratives_s']:.2f} s), peak RSS {d['peak_rss_mb']:,.0f} MB, {d['queries']} queries", flush=True)
        dd = measure("duckdb-derived", folder, a.month, a.repeat)
        print(f"[{n:,}] DuckDB/Parquet deriving the facts: {dd['total_s']:.2f} s, peak RSS {dd['peak_rss_mb']:,.0f} MB",
              flush=True)
        if not d["persisted_facts"] or dd["persisted_facts"]:
            failures.append(f"{n:,} tickets: the persisted facts were not used (stale?) or not ignored as asked")
        diff = compare(d["figures"], dd["figures"])
        if diff:
            failures.append(f"{n:,} tickets: persisted and derived facts disagree:\n  " + "\n  ".join(diff))
        p = measure("pandas", folder, a.month, a.repeat)
        print(f"[{n:,}] pandas: {p['total_s']:.2f} s, peak RSS {p['peak_rss_mb']:,.0f} MB", flush=True)
        diff = compare(d["figures"], p["figures"])
        head = [x for x in diff if x.split(":")[0] in HEADLINE]
        if diff:
            failures.append(f"{n:,} tickets: engine and pandas disagree:\n  " + "\n  ".join(diff))
            print(f"!! [{n:,}] MISMATCH ({len(head)} headline):\n  " + "\n  ".join(diff), flush=True)
        else:
            print(f"[{n:,}] engine and pandas agree on all {len(d['figures'])} figures "
                  f"(accepted {d['figures']['accepted']:,}, dispatched {d['figures']['dispatched']:,})", flush=True)
        results["sizes"].append({"n": n, "data": manifest, "duckdb": d, "duckdb_derived": dd, "pandas": p, "agree": not diff})
    if not a.no_seed:
        s = run_seed(a.month, a.repeat)
        if "error" not in s:
            print(f"[seed] SQLite: {s['total_s']:.2f} s (metrics {s['metrics_s']:.2f} s), peak RSS "
                  f"{s['peak_rss_mb']:,.0f} MB, {s['queries']} queries", flush=True)
        results["seed"] = s
    results["targets"] = targets(results)
    block = render(results)
    print("\n" + block)
    DATA.mkdir(exist_ok=True)
    slim = {**results, "sizes": [{**r, **{key: {k: v for k, v in r[key].items() if k != "figures"}
                                          for key in ("duckdb", "duckdb_derived", "pandas")}}
                                 for r in results["sizes"]]}
    if "seed" in slim and "figures" in slim["seed"]:
        slim["seed"] = {k: v for k, v in slim["seed"].items() if k != "figures"}
    (DATA / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(slim, indent=2, ensure_ascii=False, default=str))
    if not a.quick and not a.no_readme:
        write_readme(block)
    if failures:
        raise SystemExit("\n".join(failures))


if __name__ == "__main__":
    main()
