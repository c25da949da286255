"""The template engine of the generated texts: Chinese sentences kept as data, compiled once into pieces.

Why data and an engine: the generator's texts — problem descriptions, questions, suggestions and unit replies
for every subcategory, the operator's frames, place names, some 2,000 sentences — are what people read and judge
the demo by, and they are edited by people who write Chinese, not Python. So they live in YAML files under
``hotline/data/texts/`` and this module is the small piece of code that makes them fast to draw from.

Syntax of a template (every text file's header repeats it):

* ``{name}`` — a slot, filled by the function the slot table gives for ``name``; within one text a slot is
  drawn once and reused, so "{xq}…{xq}" names the same compound twice.
* ``[...]`` — a part that names a place; it is dropped when the text has no region (市本级).

A template is compiled once, when the generator is imported, into a tuple of pieces (a literal string, a
`Slot`, or a tuple for a ``[...]`` part), so the hot path — some 200,000 texts for the default dataset — is
plain tuple walking: no regexes, no parsing. A template naming an unknown slot, or with a bracket left open,
fails at import with the text in the message.

Determinism: every draw goes through the ``random.Random`` of the `Context`; nothing reads the clock or the
global generator, and compiled tables are tuples (stable order).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from hotline.data import load_yaml

TEXTS = "texts"  # the folder of hotline/data holding the text files


@cache
def load_texts(name: str) -> Any:
    """The parsed text file ``hotline/data/texts/<name>`` (read once)."""
    return load_yaml(f"{TEXTS}/{name}")


def load_text_folder(folder: str) -> list[Any]:
    """Every ``*.yaml`` of ``hotline/data/texts/<folder>``, in file-name order."""
    names = sorted(p.name for p in resources.files("hotline.data").joinpath(TEXTS, folder).iterdir()
                   if p.name.endswith(".yaml"))
    return [load_texts(f"{folder}/{name}") for name in names]


class Context:
    """Per-text state: the rng, the region (None: the text names no place) and the slots already drawn.

    `given`: slot values fixed by the caller for this text (the subcategory's topic, the replying unit's name
    for itself); a slot found here is never drawn."""

    __slots__ = ("rng", "region", "cache")

    def __init__(self, rng: random.Random, region: Any, given: Mapping[str, str] | None = None):
        self.rng = rng
        self.region = region
        self.cache: dict[str, Any] = dict(given) if given else {}

    def get(self, slot: Slot) -> str:
        v = self.cache.get(slot.name)
        if v is None:
            v = slot.fn(self)
            self.cache[slot.name] = v
        return v


class Slot:
    """A compiled ``{name}``: the filler function, its value cached per text under its name."""

    __slots__ = ("name", "fn")

    def __init__(self, name: str, fn: Callable[[Context], str]):
        self.name = name
        self.fn = fn


def render(pieces: tuple, c: Context) -> str:
    out = []
    for p in pieces:
        if p.__class__ is str:
            out.append(p)
        elif p.__class__ is tuple:  # [...] place-only part
            if c.region is not None:
                out.append(render(p, c))
        else:
            out.append(c.get(p))
    return "".join(out)


class Template(NamedTuple):
    pieces: tuple
    stripped: tuple  # the same without a leading 其 (when a lead-in already says 其…)
    regional: bool  # names the region somewhere (so no place lead-in is needed)
    qi: bool  # starts with 其 (not 其家…): after '其居住在…，' the 其 is dropped
    yes_no: bool  # a question ending in 吗/呢: asked directly, never as '想了解…吗。'


class Compiler:
    """Compiles templates against one slot table. `region_slots`: the slots that name the text's region."""

    def __init__(self, slots: Mapping[str, Callable[[Context], str]], region_slots: Iterable[str]):
        self.slots = {name: Slot(name, fn) for name, fn in slots.items()}
        self.region_slots = frozenset(region_slots)
        unknown = self.region_slots - set(self.slots)
        if unknown:
            raise ValueError(f"region slots without a filler: {sorted(unknown)}")

    def parse(self, text: str) -> tuple[tuple, set[str]]:
        """The pieces of a template (str | Slot | tuple for [...]) and the names of the slots it uses."""
        names: set[str] = set()

        def parse_flat(s: str) -> list:
            out: list = []
            i = 0
            while i < len(s):
                j = s.find("{", i)
                if j < 0:
                    out.append(s[i:])
                    break
                if j > i:
                    out.append(s[i:j])
                k = s.find("}", j)
                if k < 0:
                    raise ValueError(f"unclosed slot in template: {text}")
                name = s[j + 1:k]
                if name not in self.slots:
                    raise ValueError(f"unknown slot {{{name}}} in template: {text}")
                names.add(name)
                out.append(self.slots[name])
                i = k + 1
            return out

        pieces: list = []
        i = 0
        while i < len(text):
            j = text.find("[", i)
            if j < 0:
                pieces += parse_flat(text[i:])
                break
            pieces += parse_flat(text[i:j])
            k = text.find("]", j)
            if k < 0:
                raise ValueError(f"unclosed [ in template: {text}")
            pieces.append(tuple(parse_flat(text[j + 1:k])))
            i = k + 1
        literals = [p for p in pieces if p.__class__ is str] + [q for p in pieces if p.__class__ is tuple
                                                                for q in p if q.__class__ is str]
        if any(ch in lit for lit in literals for ch in "{}[]"):
            raise ValueError(f"stray bracket in template: {text}")
        return tuple(pieces), names

    def pieces(self, texts: Iterable[str]) -> tuple[tuple, ...]:
        """Templates rendered as they are (frames, lead-ins): just their pieces."""
        return tuple(self.parse(t)[0] for t in texts)

    def compile(self, text: str) -> Template:
        pieces, names = self.parse(text)
        qi = text.startswith("其") and not text.startswith("其家")
        stripped = self.parse(text[1:])[0] if qi else pieces
        return Template(pieces, stripped, bool(names & self.region_slots), qi, text.endswith(("吗", "呢")))

    def compile_all(self, texts: Iterable[str], *, need_region: bool = False,
                    forbid: frozenset[str] = frozenset()) -> tuple[Template, ...]:
        """Compile `texts`; with `need_region` each must name the region, and none may use a slot of `forbid`."""
        out = []
        for text in texts:
            t = self.compile(text)
            if need_region and not t.regional:
                raise ValueError(f"template must name the region: {text}")
            used = self.parse(text)[1] & forbid
            if used:
                raise ValueError(f"template may not use {sorted(used)}: {text}")
            out.append(t)
        return tuple(out)
