"""The package's imports follow the documented flow (README "How it is built"): no upward arrow, no cycle.

Data flows one way — sources → canonical tables → metrics → report model → renderers — and the edges (service,
API, CLI) sit on top. This test reads every module's imports (lazy ones inside functions included: an import
inside a function is still an arrow) and fails on:
- an arrow from a lower layer to a higher one, or between two packages of the same layer;
- a cycle between modules, anywhere;
- a renderer that reads anything but the report model;
- SQL in an HTTP router (routers go through the service).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hotline"

# Bottom to top. A package may import its own modules and the packages of lower layers only.
LAYERS: list[tuple[str, ...]] = [
    ("data",),                  # shipped YAML and templates; imports nothing of hotline
    ("domain",),                # the shared vocabulary: Month, codes, calendar, registries, lifecycle, SLA, masking
    ("store",),                 # the canonical schema, migrations, opening and writing the store
    ("generator", "ingest"),    # sources: the demo generator and the importer write canonical tables
    ("metrics",),               # metrics declared as data, compiled to Ibis over the canonical tables
    ("scoring",),               # assessment schemes applied to metric inputs
    ("report",),                # the typed report model, its builder and the drafted narratives
    ("render",),                # the report model as DOCX, HTML, PDF
    ("service",),               # the work-order service: transitions, users, SLA job, queries
    ("api",),                   # HTTP: one router per resource
    ("cli",),                   # the command line
]
RANK = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}

# Arrows that are known to be wrong and are being removed (issue 12). This list only shrinks.
KNOWN: set[tuple[str, str]] = {
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports (hotline modules resolved to the module, others to their top package)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name if a.name.startswith("hotline") else a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("hotline"):
                out.add(target.split(".")[0])
                continue
            for alias in node.names:  # `from hotline.ingest import pipeline` imports the module pipeline
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    out.discard(name)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "hotline" else None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def violations(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for src, targets in sorted(edges.items()):
        here = package_of(src)
        for dst in sorted(targets):
            if (src, dst) in KNOWN:
                continue
            there = package_of(dst)
            if here == "render" and there is not None and there != "render" and dst != "hotline.report.model":
                problems.append(f"{src} → {dst}: a renderer reads the report model and nothing else")
            elif src.startswith("hotline.api.routers") and (dst == "sqlalchemy" or dst.startswith("hotline.store")):
                problems.append(f"{src} → {dst}: a router runs no SQL; it calls the service")
            elif here and there and here != there and RANK[there] >= RANK[here]:
                kind = "same layer" if RANK[there] == RANK[here] else "upward"
                problems.append(f"{src} → {dst}: {kind} arrow ({here} is below or beside {there})")
    return problems


def test_every_package_has_a_layer():
    packages = {package_of(m) for m in modules()} - {None}
    assert packages <= set(RANK), f"packages without a layer in LAYERS: {sorted(packages - set(RANK))}"


def test_no_arrow_against_the_layers():
    assert violations(graph()) == []


def test_no_import_cycles():
    edges = {src: {d for d in dsts if (src, d) not in KNOWN} for src, dsts in graph().items()}
    assert cycles(edges) == []


def test_known_exceptions_are_still_real():
    # an exception fixed in the code must leave KNOWN too, so the list only ever shrinks
    edges = graph()
    stale = sorted((src, dst) for src, dst in KNOWN if dst not in edges.get(src, set()))
    assert stale == [], f"remove from KNOWN: {stale}"


def test_the_checker_catches_what_it_claims():
    # the checker itself, on made-up arrows: upward, sideways, a renderer reading the store, SQL in a router
    made_up = {"hotline.store.db": {"hotline.metrics.engine", "hotline.domain.month", "sqlalchemy"},
               "hotline.ingest.read": {"hotline.generator.build"},
               "hotline.render.docx": {"hotline.report.model", "hotline.store.schema"},
               "hotline.api.routers.x": {"sqlalchemy", "hotline.service.queries"}}
    found = violations(made_up)
    assert len(found) == 4, found
    assert any("upward" in p and "metrics" in p for p in found)
    assert any("same layer" in p and "generator" in p for p in found)
    assert any("renderer" in p for p in found) and any("no SQL" in p for p in found)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
