"""Parsing the cell values real hotline exports contain, into canonical Python values.

Why a module of its own: the same few value shapes (dates in five spellings, 14-digit numbers that Excel
turned into floats, 是/否, full-width digits, phone numbers) appear in every platform's export, and each
rule must behave identically whichever mapping is used. Every parser either returns a value — with an
optional note when it had to repair the input — or raises `Bad` with the reason in Chinese, which becomes a
line of the rejects workbook the user corrects.

Speed matters (a million rows must load in under 30 s), so the common shapes take a C-speed fast path
(`datetime.fromisoformat`) and the rest one precompiled regular expression; nothing here calls strptime.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from hotline.domain.masking import mask_phone, phone_digits


class Bad(ValueError):
    """A value that cannot be loaded; the message is the reason shown to the user (Chinese)."""


EXCEL_EPOCH = datetime(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1990, 2100

_SPACES = re.compile(r"\s+")
_YMD = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T\s]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:[.,](\d{1,6}))?\s*秒?)?\s*(?:分)?)?\s*$")
_DMY = re.compile(
    r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})"
    r"(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6}))?)?\s*([AaPp][Mm])?)?\s*$")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})(\d{2})(\d{2})?)?$")
_SERIAL = re.compile(r"\d{4,5}(?:\.\d+)?$")
_TICKET_SCI = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+$")


def key(text: str) -> str:
    """Matching key for names and codes: NFKC (full-width → half-width), no whitespace, lower case.

    Only for *matching* (headers, units, regions, value maps); stored text keeps its own punctuation,
    because NFKC would turn the Chinese comma of a citizen's appeal into an ASCII one."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


def cell_text(value) -> str | None:
    """A raw cell (str from CSV; str/int/float/bool/datetime from Excel) as stripped text, None when empty.

    Integral floats lose their '.0' (Excel stores 188006 as 188006.0); datetimes keep full precision."""
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        return s or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return str(value).strip() or None


def clean_text(value) -> str | None:
    """Free text (诉求内容, 反馈内容): trim every line, drop blank lines.

    Scraped exports (the tipdm message board) start cells with '\\n\\t\\t\\t'; those are layout, not content."""
    s = cell_text(value)
    if s is None:
        return None
    if "\n" in s or "\t" in s or "\r" in s:
        lines = [ln.strip() for ln in s.replace("\r", "\n").split("\n")]
        s = "\n".join(ln for ln in lines if ln)
    return s or None


def round_excel(dt: datetime) -> datetime:
    """Excel stores times as fractions of a day; 9:32:09 can come back as 9:32:08.999998. Snap to the second
    when within a millisecond of it, keep real sub-second values."""
    us = dt.microsecond
    if us and (us < 1000 or us > 999_000):
        dt = dt.replace(microsecond=0) + (timedelta(seconds=1) if us > 999_000 else timedelta(0))
    return dt


def _make(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise Bad(f"年份 {y} 不合理（应在 {MIN_YEAR}–{MAX_YEAR} 之间）")
    try:
        return datetime(y, mo, d, h, mi, s, us)
    except ValueError:
        if not 1 <= mo <= 12:
            raise Bad(f"月份 {mo} 不存在") from None
        if h > 23 or mi > 59 or s > 59:
            raise Bad(f"时间 {h}:{mi:02d}:{s:02d} 不存在") from None
        raise Bad(f"日期不存在（{y} 年 {mo} 月没有 {d} 日）") from None


_DATE_PARTS: dict[str, tuple[int, int, int] | None] = {}
_TIME_PARTS: dict[str, tuple[int, int, int] | None] = {}


def _date_part(text: str, sep: str):
    ymd = text.split(sep)
    if len(ymd) != 3 or not all(p.isdigit() and p.isascii() for p in ymd):
        return None
    y, m, d = int(ymd[0]), int(ymd[1]), int(ymd[2])
    _make(y, m, d)  # raises Bad for 2022/2/30 (not cached: the error must reach every such row)
    return y, m, d


def _time_part(text: str):
    hms = text.split(":")
    if not 2 <= len(hms) <= 3 or not all(p.isdigit() and p.isascii() for p in hms):
        return None
    h, mi, sec = int(hms[0]), int(hms[1]), int(hms[2]) if len(hms) == 3 else 0
    if h > 23 or mi > 59 or sec > 59:
        raise Bad(f"时间 {h}:{mi:02d}:{sec:02d} 不存在")
    return h, mi, sec


def _fast_ymd(text: str) -> datetime | None:
    """2022/10/8 9:32:09, 2022-10-08 09:32:09 or a bare date by splitting, with the date and the time of day
    parsed once each and remembered (a month of tickets has 31 dates and at most 86,400 times of day)."""
    date_text, _, time_text = text.partition(" ")
    ymd = _DATE_PARTS.get(date_text)
    if ymd is None:
        ymd = _date_part(date_text, text[4])
        if ymd is None:
            return None
        if len(_DATE_PARTS) < 100_000:
            _DATE_PARTS[date_text] = ymd
    if not time_text:
        return datetime(*ymd)
    hms = _TIME_PARTS.get(time_text)
    if hms is None:
        hms = _time_part(time_text)
        if hms is None:
            return None
        if len(_TIME_PARTS) < 100_000:
            _TIME_PARTS[time_text] = hms
    return datetime(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2])


def _frac(text: str | None) -> int:
    return int((text or "0").ljust(6, "0")[:6])


def parse_datetime(value, order: str = "ymd") -> tuple[datetime, str | None]:
    """(datetime, repair note or None). Accepts Excel datetimes and serial numbers, ISO, 2022/10/8 9:32:09,
    2022年10月8日 9时32分, 20221008, and day-first / month-first forms (`order` = dmy or mdy, for '05/01/2022').

    Raises Bad with the reason for anything else, for dates that do not exist (2022-02-30) and for years
    outside 1990–2100."""
    if isinstance(value, datetime):
        return value, None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(float(value)), "Excel 日期序列号已转换"
    text = value.strip() if isinstance(value, str) else str(value)
    if len(text) > 9 and text[4] in "/-" and text[:4].isdigit():
        fast = _fast_ymd(text)
        if fast is not None:
            return fast, None
    try:
        dt = datetime.fromisoformat(text)
        if dt.tzinfo is not None:
            dt = dt.replace(tzinfo=None)
        if not MIN_YEAR <= dt.year <= MAX_YEAR:
            raise Bad(f"年份 {dt.year} 不合理（应在 {MIN_YEAR}–{MAX_YEAR} 之间）")
        return dt, None
    except ValueError as exc:
        if isinstance(exc, Bad):
            raise
    t = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    m = _YMD.match(t)
    if m:
        y, mo, d, h, mi, s, f = m.groups()
        return _make(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), _frac(f)), None
    m = _DMY.match(t)
    if m:
        a, b, y, h, mi, s, f, ampm = m.groups()
        mo, d = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
        hh = int(h or 0)
        if ampm:
            if not 1 <= hh <= 12:
                raise Bad(f"12 小时制的钟点 {hh} 不存在")
            hh = hh % 12 + (12 if ampm.lower() == "pm" else 0)
        return _make(int(y), mo, d, hh, int(mi or 0), int(s or 0), _frac(f)), None
    m = _COMPACT.match(t)
    if m:
        y, mo, d, h, mi, s = m.groups()
        return _make(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0)), None
    if _SERIAL.match(t):
        return _serial(float(t)), "Excel 日期序列号已转换"
    raise Bad("无法识别的日期格式")


def _serial(days: float) -> datetime:
    if not 20_000 <= days <= 80_000:  # 1954 … 2119: anything else is not a plausible date serial
        raise Bad(f"数字 {days:g} 不是合理的 Excel 日期序列号")
    return EXCEL_EPOCH + timedelta(seconds=round(days * 86400))


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有", "已联系", "已", "对", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "未联系", "未", "不", "f"}


def parse_bool(value, extra: dict[str, bool] | None = None) -> bool:
    if isinstance(value, bool):
        return value
    k = key(cell_text(value) or "")
    if extra and k in extra:
        return extra[k]
    if k in TRUE_WORDS:
        return True
    if k in FALSE_WORDS:
        return False
    raise Bad("应为 是/否")


def parse_int(value) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = key(cell_text(value) or "")
    try:
        f = float(text.removesuffix("秒"))
    except ValueError:
        raise Bad("应为整数") from None
    if not f.is_integer():
        raise Bad("应为整数")
    return int(f)


def parse_ticket_no(value) -> tuple[str, str | None]:
    """The raw 事件编号 as text of digits, undoing Excel's damage where that is possible.

    A 14-digit number kept as a number comes back as a float (22101610007099.0): exact, so repaired. One that
    went through Excel's scientific notation (2.21016E+13) has lost digits for good: rejected with that reason."""
    if value.__class__ is str and len(value) == 14 and value.isdigit() and value.isascii():
        return value, None
    note = None
    if isinstance(value, float):
        if not value.is_integer():
            raise Bad("事件编号不是整数")
        return str(int(value)), None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    text = cell_text(value)
    if text is None:
        raise Bad("事件编号为空")
    raw = text
    text = unicodedata.normalize("NFKC", text).strip().lstrip("'`").replace(" ", "")
    if _TICKET_SCI.match(text):
        raise Bad("事件编号被 Excel 转成了科学计数法，位数已丢失（请把该列设为文本后重新导出）")
    if text != raw:
        note = "事件编号去除了全角字符、空格或引号"
    return text, note


def phone(value) -> tuple[str | None, str | None]:
    """A caller's number, masked as the hotline shows it (138****5621). Already-masked numbers are kept."""
    if value.__class__ is str and len(value) == 11 and value.isdigit() and value.isascii():
        return value[:3] + "****" + value[7:], None
    text = cell_text(value)
    if text is None:
        return None, None
    t = unicodedata.normalize("NFKC", text)
    if "*" in t:
        return t.replace(" ", "").replace("-", "")[:16], None
    digits = phone_digits(t)
    if digits is None:
        return None, f"联系电话“{text}”不是电话号码，已置空"
    return mask_phone(digits), None


_ANON = ("先生", "女士", "某", "市民", "匿名", "*")


def person(value) -> str | None:
    """A caller's name, masked: 张三 → 张*; names that are already anonymous (谭女士, 某市民) are kept."""
    text = cell_text(value)
    if text is None:
        return None
    if any(a in text for a in _ANON) or not text[0].isalpha():
        return text[:32]
    return (text[0] + "*" * min(len(text) - 1, 3)) if len(text) > 1 else text + "*"
