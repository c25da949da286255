"""Masking of citizens' phone and ID numbers (个人信息脱敏): one rule for every layer.

Where it applies: the store's ``tickets.caller_phone`` column is always masked (generated, imported or accepted by
the service); the full number lives only in ``ticket_contacts``. Who sees what is by role: 话务员 and 管理员 see
everything; a 联络员 sees the phone (the unit must call the citizen back, which the contact rate measures) but not
the ID number; a 分析员 sees neither. Free text (the appeal, the unit's reply) is scrubbed too, because citizens
dictate numbers into it.

The phone rule: separators (spaces, hyphens, brackets) and a +86 prefix are dropped; a number of fewer than 8
digits is a public service number (110, 12345, 95588), not personal, and is shown as it is; any longer number keeps
its first 3 and last 4 digits (138****5621, 073*****1234). Text that is not a phone number shows nothing of itself.
"""

from __future__ import annotations

import re

SEES_PHONE = frozenset({"operator", "liaison", "admin"})
SEES_ID_NUMBER = frozenset({"operator", "admin"})

_ID = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3}-?)\d{3,4}(\d{4})(?![0-9])")


_PHONE_SEPARATORS = str.maketrans("", "", " -()")


def phone_digits(text: str) -> str | None:
    """The digits of a phone number as written (``0731-5858 1234``, ``+86 138…``), or None if it is not one."""
    digits = text.strip().translate(_PHONE_SEPARATORS)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if digits and digits.isascii() and digits.isdigit() else None


def mask_phone(phone: str | None) -> str | None:
    """13812345678 → 138****5678; 12345 stays 12345; 138****5678 stays as it is; text that is not a phone
    number → as many * as it has characters."""
    if not phone:
        return phone
    digits = phone_digits(phone)
    if digits is None:
        if "*" in phone and phone_digits(phone.replace("*", "0")) is not None:
            return phone.strip()  # masked already (138****5678): masking again changes nothing
        return "*" * len(phone.strip())
    if len(digits) < 8:
        return digits
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(value: str | None) -> str | None:
    """430302199001011234 → 430302********1234 (region code and last 4 kept)."""
    if not value:
        return value
    v = value.strip()
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) > 10 else "*" * len(v)


def scrub_text(text: str | None, role: str) -> str | None:
    """Mask numbers inside free text according to `role`."""
    if not text:
        return text
    if role not in SEES_ID_NUMBER:
        text = _ID.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    if role not in SEES_PHONE:
        text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
        text = _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return text


def phone_for(role: str, phone: str | None) -> str | None:
    return phone if role in SEES_PHONE else mask_phone(phone)


def id_number_for(role: str, value: str | None) -> str | None:
    return value if role in SEES_ID_NUMBER else mask_id_number(value)
