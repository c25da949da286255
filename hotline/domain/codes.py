"""The closed code lists of the store, with the Chinese word for each code: one vocabulary for every layer.

Why one place: the store's CHECK constraints, the import's accepted wording and the export's column values, the
API's enums, the work-order service's refusals and the report's words all speak of the same appeal types,
channels, visit results and event kinds. They used to be listed five times, and the lists drifted (the export
knew 7 of the 11 lifecycle states and wrote ``archived`` untranslated). The codes and labels are data
(``hotline/data/codes.yaml``; the states come from ``hotline/data/lifecycle.yaml``), read once here.

Codes are English (``../shared/GLOSSARY.md``); what users read is the label.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hotline.data import load_yaml


def _read() -> dict[str, Mapping[str, str]]:
    doc = load_yaml("codes.yaml")
    lists = {name: MappingProxyType({str(code): str(label) for code, label in codes.items()})
             for name, codes in doc.items()}
    lists["state"] = MappingProxyType({str(k): str(v) for k, v in load_yaml("lifecycle.yaml")["states"].items()})
    return lists


LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(_read())
"""code list name → (code → Chinese label), in the order the lists are shown."""

APPEAL_TYPES: tuple[str, ...] = tuple(LABELS["appeal_type"])
CHANNELS: tuple[str, ...] = tuple(LABELS["channel"])
RESOLUTIONS: tuple[str, ...] = tuple(LABELS["resolution"])
UNIT_GROUPS: tuple[str, ...] = tuple(LABELS["unit_group"])
VISIT_METHODS: tuple[str, ...] = tuple(LABELS["visit_method"])
VISIT_RESULTS: tuple[str, ...] = tuple(LABELS["visit_result"])
EVENT_KINDS: tuple[str, ...] = tuple(LABELS["event_kind"])
ROLES: tuple[str, ...] = tuple(LABELS["role"])
PLATFORM_LEVELS: tuple[str, ...] = tuple(LABELS["platform_level"])
SPOT_CHECK_OUTCOMES: tuple[str, ...] = tuple(LABELS["spot_check_outcome"])
STATES: tuple[str, ...] = tuple(LABELS["state"])


def label(code_list: str, code: str | None) -> str:
    """The Chinese word for ``code`` in ``code_list``; an unknown code is shown as it is (never hidden)."""
    if code is None:
        return ""
    return LABELS[code_list].get(code, code)


def listing(code_list: str) -> str:
    """``consult 咨询、help 求助、…``: the codes with their words, for a message that says what is accepted."""
    return "、".join(f"{code} {word}" for code, word in LABELS[code_list].items())
