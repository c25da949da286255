"""The docs name files that exist, and the README's folder table is the package's folder list.

Why: a newcomer finds their way through README.md ("How it is built") and docs/; a file renamed without its
mention leaves them at a dead end. Every backquoted path under hotline/, tests/, benchmarks/ or docs/ in the
project's Markdown must exist, and the README's table must list each folder of hotline/ exactly once.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "benchmarks").rglob("README.md"))]
GENERATED = ("benchmarks/data",)  # made by the benchmarks, ignored by git: named in docs, absent on a clean checkout
PATH = re.compile(r"(?<!then )`((?:hotline|tests|benchmarks|docs)/[\w./*-]+?)(?::\d+)?`")  # "then `x`": where it was


def mentioned_paths(text: str) -> set[str]:
    out = set()
    for m in PATH.finditer(text):
        path = m.group(1).rstrip("/.")
        if "*" not in path and "<" not in path and not path.startswith(GENERATED):
            out.add(path)
    return out


def test_every_mentioned_path_exists():
    missing = []
    for doc in DOCS:
        for path in sorted(mentioned_paths(doc.read_text(encoding="utf-8"))):
            if not (ROOT / path).exists():
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert missing == [], "\n".join(missing)


def readme_folders() -> list[str]:
    """The first column of the README's folder table ("| `hotline/x` | … |")."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How it is built", 1)[1]
    return re.findall(r"^\| `(hotline/[\w/]+)` \|", section, flags=re.M)


def test_readme_table_lists_every_package_folder():
    listed = readme_folders()
    actual = sorted(f"hotline/{p.parent.relative_to(ROOT / 'hotline')}" for p in (ROOT / "hotline").glob("*/__init__.py"))
    assert sorted(set(listed)) == sorted(listed), "a folder is listed twice"
    top = [f for f in listed if f.count("/") == 1]
    assert sorted(top) == actual, f"README lists {sorted(top)}, the package has {actual}"
    assert all((ROOT / f).is_dir() for f in listed)


def test_the_checks_read_what_they_claim():
    assert mentioned_paths("see `hotline/domain/month.py` and `hotline/ingest/` or `docs/x.md:12`") == {
        "hotline/domain/month.py", "hotline/ingest", "docs/x.md"}
    assert mentioned_paths("`hotline/data/*.yaml` `var/imports/<file>`") == set()
    assert mentioned_paths("(then `hotline/ingest/fast.py`, now `hotline/ingest/fast/columns.py`)") == {
        "hotline/ingest/fast/columns.py"}
