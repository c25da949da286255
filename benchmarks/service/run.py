"""Work-order service benchmark: sustained transitions per second and latency with concurrent clients.

    python benchmarks/service/run.py                              # SQLite and PostgreSQL, 8 clients, 20 s each
    python benchmarks/service/run.py --stores sqlite --clients 16 --seconds 10
    python benchmarks/service/run.py --write-readme               # also rewrite the results in README.md
    python benchmarks/service/run.py --stores postgres-async-commit   # PostgreSQL without waiting for fsync

The server is the real thing (`hotline.api.app` under uvicorn, one process) on a fresh store, started as a child
process on 127.0.0.1 only; the clients are asyncio tasks in this process, each on its own keep-alive connection —
by default a minimal HTTP/1.1 client (`RawClient`, below), because httpx2 cost as much CPU per request as a third
of the server and shares its two cores (`--client httpx2` measures with it). Each client plays whole ticket
lives on its own tickets — the operator accepts and dispatches, the unit's liaison signs, contacts the citizen and
completes, the operator visits and archives — so every request is a real transaction that writes events, the
version and the audit log. A "transition" is one POST to /transitions or /visits; ticket creation is counted apart.
Runs are bounded in time (warm-up + measured window) and stop by themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
README = HERE / "README.md"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARK_START, MARK_END = "<!-- results:start -->", "<!-- results:end -->"
UNITS = [9, 10, 11, 12, 13, 14, 15, 16]  # 市公安局 … 市城管局
TARGET_TPS, TARGET_P99_MS = 300, 100
STEPS = [("liaison", "sign", {}), ("liaison", "contact", {"note": "电话联系市民"}),
         ("liaison", "complete", {"note": "已现场处理并答复市民", "contacted": True}),
         ("operator", "visit", {"result": "satisfied", "method": "sms"}), ("operator", "archive", {})]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_store(kind: str, folder: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from hotline.service.devstore import clone_sqlite, prepare_postgres, sqlite_template

    if kind == "sqlite":
        return clone_sqlite(sqlite_template(folder), folder / "bench.sqlite")
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text('DROP DATABASE IF EXISTS "hotline_service_bench"'))
        c.execute(text('CREATE DATABASE "hotline_service_bench"'))
    admin.dispose()
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/hotline_service_bench"
    prepare_postgres(url)
    return url


def make_tokens(url: str) -> dict[str, str]:
    from hotline.service.devstore import make_user
    from hotline.service.transactions import service_engine

    engine = service_engine(url, upgrade=False)
    tokens = {"operator": make_user(engine, "bench_op", "operator")[1]}
    for unit in UNITS:
        tokens[f"liaison_{unit}"] = make_user(engine, f"bench_li_{unit}", "liaison", unit)[1]
    engine.dispose()
    return tokens


SERVER = """
import uvicorn
from hotline.api.app import create_app
from hotline.api.settings import ApiSettings
uvicorn.run(create_app(ApiSettings(db={url!r})), host="127.0.0.1", port={port}, log_level="error",
            access_log=False)
"""


def start_server(url: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", SERVER.format(url=url, port=port)], cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("server exited during start-up") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


class RawResponse:
    def __init__(self, status_code: int, body: bytes):
        self.status_code, self._body = status_code, body

    def json(self):
        return json.loads(self._body)


class RawClient:
    """HTTP/1.1 over one keep-alive connection, just enough for the benchmark: JSON POST, Content-Length or chunked
    responses. A load generator should cost little next to the server it measures: per request this spends a
    tenth of httpx2's CPU, which on a 2-core machine is CPU the server and PostgreSQL get back."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def __aenter__(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc):
        self.writer.close()

    async def post(self, path: str, headers: dict[str, str], json: dict) -> RawResponse:
        import json as _json

        body = _json.dumps(json, ensure_ascii=False).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        raw_head = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if "content-length" in fields:
            data = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            raise RuntimeError(f"response without a length: {fields}")
        return RawResponse(status, data)


async def client_loop(client, tokens, i: int, stop_at: float, measure_from: float, out: dict) -> None:
    unit = UNITS[i % len(UNITS)]
    op = {"Authorization": f"Bearer {tokens['operator']}"}
    li = {"Authorization": f"Bearer {tokens[f'liaison_{unit}']}"}
    while time.perf_counter() < stop_at:
        t0 = time.perf_counter()
        r = await client.post("/api/tickets", headers=op, json={
            "appeal_type": "complaint", "subcategory_id": 1 + i % 5, "content": "市民来电反映：小区夜间施工噪音扰民。",
            "caller_phone": "13800000000", "unit_id": unit})
        if t0 >= measure_from:
            out["create_ms"].append((time.perf_counter() - t0) * 1000)
        if r.status_code != 201:
            out["errors"].append(r.status_code)
            continue
        tid, version = r.json()["id"], r.json()["version"]
        for who, action, extra in STEPS:
            if time.perf_counter() >= stop_at:
                return
            headers = li if who == "liaison" else op
            t0 = time.perf_counter()
            if action == "visit":
                r = await client.post(f"/api/tickets/{tid}/visits", headers=headers, json={**extra, "version": version})
            else:
                r = await client.post(f"/api/tickets/{tid}/transitions", headers=headers,
                                      json={"action": action, "version": version, **extra})
            ms = (time.perf_counter() - t0) * 1000
            if r.status_code not in (200, 201):
                out["errors"].append(r.status_code)
                break
            version = r.json()["version"]
            if t0 >= measure_from:
                out["transition_ms"].append(ms)


async def drive(port: int, tokens: dict, clients: int, warmup: float, seconds: float, kind: str = "raw") -> dict:
    out = {"transition_ms": [], "create_ms": [], "errors": []}
    if kind == "httpx2":
        import httpx2

        limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:
            start = time.perf_counter()
            measure_from, stop_at = start + warmup, start + warmup + seconds
            await asyncio.gather(*(client_loop(client, tokens, i, stop_at, measure_from, out) for i in range(clients)))
        return out

    async def one(i: int, start: float) -> None:
        async with RawClient(port) as client:
            await client_loop(client, tokens, i, start + warmup + seconds, start + warmup, out)

    start = time.perf_counter()
    await asyncio.gather(*(one(i, start) for i in range(clients)))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all processes: server, clients, PostgreSQL, anything else)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def run_one(kind: str, clients: int, warmup: float, seconds: float, client: str = "raw") -> dict:
    async_commit = kind == "postgres-async-commit"
    with tempfile.TemporaryDirectory(prefix="hotline_bench_") as tmp:
        url = prepare_store("postgres" if async_commit else kind, Path(tmp))
        tokens = make_tokens(url)
        if async_commit:  # not durable: shown only to separate the disk's fsync cost from the service's own
            url += "?options=-csynchronous_commit%3Doff"
        port = free_port()
        proc = start_server(url, port)
        try:
            cpu0, own0, wall0 = cpu_seconds(proc.pid), time.process_time(), time.perf_counter()
            busy0 = machine_busy_seconds()
            out = asyncio.run(drive(port, tokens, clients, warmup, seconds, client))
            wall = time.perf_counter() - wall0
            server_cpu = round((cpu_seconds(proc.pid) - cpu0) / wall, 2)
            client_cpu = round((time.process_time() - own0) / wall, 2)
            machine = round((machine_busy_seconds() - busy0) / wall, 2)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    t = out["transition_ms"]
    return {"store": kind, "clients": clients, "client": client, "seconds": seconds, "transitions": len(t),
            "transitions_per_s": round(len(t) / seconds, 1), "tickets_created": len(out["create_ms"]),
            "requests_per_s": round((len(t) + len(out["create_ms"])) / seconds, 1),
            "p50_ms": round(pct(t, 50), 1), "p95_ms": round(pct(t, 95), 1), "p99_ms": round(pct(t, 99), 1),
            "max_ms": round(max(t), 1) if t else None, "mean_ms": round(statistics.fmean(t), 1) if t else None,
            "create_p99_ms": round(pct(out["create_ms"], 99), 1), "errors": len(out["errors"]),
            "server_cores": server_cpu, "client_cores": client_cpu, "machine_busy_cores": machine, "load_avg_1m": round(os.getloadavg()[0], 2),
            "error_codes": sorted(set(out["errors"]))}


def table(results: list[dict]) -> str:
    lines = ["| store | clients (HTTP client) | transitions/s | p50 ms | p95 ms | p99 ms | max ms | tickets created/s | create p99 ms | errors | cores busy: server / client / whole machine | load avg | target |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ok = r["transitions_per_s"] >= TARGET_TPS and r["p99_ms"] < TARGET_P99_MS and not r["errors"]
        lines.append(f"| {r['store']} | {r['clients']} ({r.get('client', 'httpx2')}) | {r['transitions_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
                     f"{r['p99_ms']} | {r['max_ms']} | {round(r['tickets_created'] / r['seconds'], 1)} | "
                     f"{r['create_p99_ms']} | {r['errors']} | {r['server_cores']} / {r['client_cores']} / {r['machine_busy_cores']} | "
                     f"{r['load_avg_1m']} | {'met' if ok else 'MISSED'} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stores", default="sqlite,postgres")
    ap.add_argument("--clients", default="8", help="comma-separated client counts, e.g. 4,8,16")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--client", default="raw", choices=["raw", "httpx2"],
                    help="HTTP client of the load generator (raw: minimal keep-alive client, the default)")
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    results = []
    for kind in args.stores.split(","):
        for n in (int(c) for c in args.clients.split(",")):
            r = run_one(kind, n, args.warmup, args.seconds, args.client)
            print(json.dumps(r, ensure_ascii=False), flush=True)
            results.append(r)
    md = table(results)
    print(md)
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    if args.write_readme and README.exists():
        text = README.read_text(encoding="utf-8")
        block = f"{MARK_START}\nMeasured {time.strftime('%Y-%m-%d')} on {machine}, {args.seconds:g} s per run " \
                f"after {args.warmup:g} s warm-up:\n\n{md}\n{MARK_END}"
        start, end = text.index(MARK_START), text.index(MARK_END) + len(MARK_END)
        README.write_text(text[:start] + block + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
