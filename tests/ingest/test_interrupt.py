"""A real Ctrl-C and a real crash (SIGKILL) in the middle of a long import: the store is as it was before
the file. The import runs in a child process; it is interrupted once it has written to the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline.generator.vendor_export import write_csv
from tests.ingest.conftest import HEADER, ROWS, fingerprint, load
from tests.ingest.conftest import write_csv as write_rows

ROOT = Path(__file__).resolve().parents[2]


def _start(db: str, path: Path, out: Path, group: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline.cli.main", "--db", db, "import", str(path), "--mapping", "platform_12345",
         "--report-dir", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=group)


def _wait_for_progress(proc: subprocess.Popen, timeout: float = 120) -> str:
    """Until the import reports progress (printed after chunks have been handed to the database)."""
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        if b"\xe5\xb7\xb2\xe5\xa4\x84\xe7\x90\x86" in line:  # 已处理
            return seen.decode()
        if not line and proc.poll() is not None:
            break
    pytest.fail("no progress before the import ended: " + seen.decode())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupt_or_kill_leaves_the_store_as_it_was(db, tmp_path, sig):
    load(db, write_rows(tmp_path / "first.csv", HEADER, ROWS))
    before = fingerprint(db)
    big = write_csv(tmp_path / "big.csv", 150_000)
    proc = _start(db, big, tmp_path / "out")
    _wait_for_progress(proc)
    os.kill(proc.pid, sig)
    output = proc.communicate(timeout=120)[0].decode()
    assert "完成" not in output  # it was stopped before the end
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "Traceback" not in output
    else:
        assert proc.returncode == -signal.SIGKILL
    assert fingerprint(db) == before
    assert not list((tmp_path / "out").glob("big.csv.rejects*"))


def test_ctrl_c_at_a_terminal_stops_both_processes(db, tmp_path):
    """A terminal sends Ctrl-C to the whole process group: the import and the process converting its CSV
    (hotline.ingest.fast.parallel). The command still ends with 130, no traceback, the store as it was, and no
    process left behind."""
    load(db, write_rows(tmp_path / "first.csv", HEADER, ROWS))
    before = fingerprint(db)
    big = write_csv(tmp_path / "big.csv", 150_000)
    proc = _start(db, big, tmp_path / "out", group=True)
    _wait_for_progress(proc)
    os.killpg(proc.pid, signal.SIGINT)
    output = proc.communicate(timeout=120)[0].decode()  # (ends when every process holding its pipe has ended)
    assert proc.returncode == 130 and "Traceback" not in output and "完成" not in output
    assert fingerprint(db) == before
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # nothing left in the group
