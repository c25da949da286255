"""Entered scores as the office writes them down: one entry is a month, a subject (county or unit), its name, the
scheme's `entered.*` input, the score and an optional note — typed on the command line, listed in a records file
(CSV or YAML), or sent to the API.

Why one check for all three: an entry must be refused the same way wherever it comes from, before anything is
written — a month that is not YYYY-MM, a subject that is neither county nor unit, an input the scheme in force
does not read (a typo would otherwise be stored and silently never used), a score outside the indicator's
points. Whether the named county or unit exists only the store can tell: that check is the service's
(`hotline.service.entered_scores`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from hotline.domain.month import Month, MonthError
from hotline.domain.profile import Profile
from hotline.scoring.names import SUBJECT_WORDS, SUBJECTS
from hotline.scoring.scheme import Scheme, profile_schemes

FIELDS = ("month", "subject", "name", "input", "score", "note")
REQUIRED = FIELDS[:-1]
MAX_ERRORS = 20  # a records file with more bad rows lists the first ones


class EntryError(ValueError):
    """An entry (or records file) that cannot be recorded; the message names the row and key (Chinese first)."""


@dataclass(frozen=True)
class Entry:
    month: str
    subject: str
    name: str
    input: str
    score: float
    note: str | None = None


def in_force(profile: Profile, schemes: Iterable[Scheme] = ()) -> dict[str, Scheme]:
    """The schemes entries are checked against, per subject: the store's profile's, unless `schemes` gives another
    (a subject with neither takes no entered score)."""
    out = profile_schemes(profile)
    out.update({s.subject: s for s in schemes})
    return out


def _score(value) -> float:
    if isinstance(value, bool):
        raise ValueError
    number = float(value.strip() if isinstance(value, str) else value)
    if not math.isfinite(number):
        raise ValueError
    return number


def check_entry(raw: Mapping, schemes: Mapping[str, Scheme]) -> Entry:
    """An `Entry` from a mapping of FIELDS, or EntryError naming the first key at fault."""
    missing = [k for k in REQUIRED if raw.get(k) is None or str(raw.get(k)).strip() == ""]
    if missing:
        raise EntryError(f"缺少 {'、'.join(missing)} / missing {', '.join(missing)}")
    try:
        month = str(Month.parse(str(raw["month"])))
    except MonthError as exc:
        raise EntryError(f"month：{exc}") from None
    subject = str(raw["subject"]).strip()
    if subject not in SUBJECTS:
        raise EntryError(f"subject = {subject!r}，应为 county（县级平台）或 unit（承办单位） / must be county or unit")
    scheme = schemes.get(subject)
    if scheme is None:
        raise EntryError(f"本库的城市配置没有{SUBJECT_WORDS[subject]}考核方案（schemes.{subject}），无处录入得分 / "
                         f"the store's profile has no {subject} scheme to enter scores for")
    entered = scheme.entered()
    name = str(raw["input"]).strip()
    if name not in entered:
        known = "、".join(entered) or "（无）"
        raise EntryError(f"input = {name!r} 不是方案《{scheme.name}》的录入项，可录入：{known} / "
                         f"not an entered input of the {SUBJECT_WORDS[subject]} scheme")
    try:
        score = _score(raw["score"])
    except (TypeError, ValueError):
        raise EntryError(f"score = {raw['score']!r} 不是数字 / not a number") from None
    label, points = entered[name]
    if not 0 <= score <= points:
        raise EntryError(f"score = {score:g} 超出「{label}」的分值 0–{points:g} / outside 0–{points:g}")
    note = None if raw.get("note") is None else (str(raw["note"]).strip() or None)
    return Entry(month, subject, str(raw["name"]).strip(), name, score, note)


def _rows(path: Path) -> list[tuple[str, Mapping]]:
    """(where, row) for each record of a CSV (header row first) or YAML (a list of mappings) file."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # a CSV saved by Excel on a Chinese Windows
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = yaml.safe_load(text)
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise EntryError(f"{path}: 应为录入记录的列表（每条含 {'、'.join(FIELDS)}） / must be a list of records")
        return [(f"第 {i} 条", r) for i, r in enumerate(doc, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    absent = [k for k in REQUIRED if k not in (reader.fieldnames or [])]
    if absent:
        raise EntryError(f"{path}: 表头缺少列 {'、'.join(absent)}（应有 {','.join(FIELDS)}） / header lacks {absent}")
    return [(f"第 {reader.line_num} 行", row) for row in reader]


def read_entries(path: Path, schemes: Mapping[str, Scheme]) -> list[tuple[str, Entry]]:
    """Every record of the file checked; all bad rows in one EntryError (`file: 第 3 行 score = …`), so a file is
    either recorded whole or not at all. Returns (where, entry) for the service to name rows in its own errors."""
    if not path.is_file():
        raise EntryError(f"录入文件不存在：{path} / records file not found")
    try:
        rows = _rows(path)
    except (yaml.YAMLError, csv.Error, UnicodeDecodeError) as exc:
        raise EntryError(f"{path}: 无法解析 / cannot parse: {exc}") from None
    if not rows:
        raise EntryError(f"{path}: 没有录入记录 / no records")
    entries, errors, seen = [], [], {}
    for where, row in rows:
        try:
            entry = check_entry(row, schemes)
        except EntryError as exc:
            errors.append(f"{where} {exc}")
            continue
        key = (entry.month, entry.subject, entry.name, entry.input)
        if key in seen:
            errors.append(f"{where} 与{seen[key]}重复（同月、同对象、同录入项） / duplicates an earlier record")
        seen.setdefault(key, where)
        entries.append((where, entry))
    if errors:
        more = f"；另有 {len(errors) - MAX_ERRORS} 处" if len(errors) > MAX_ERRORS else ""
        raise EntryError(f"{path}: " + "；".join(errors[:MAX_ERRORS]) + more + "（未录入任何一条 / nothing recorded）")
    return entries
