"""The ticket lifecycle, declared once in `hotline/data/lifecycle.yaml` and checked when loaded.

Why a declaration and a checker rather than `if state == …` in handlers: the office changes its rules (who may
return a ticket, whether 延期 needs approval) and a typo in a rule must fail at start-up — an unreachable state,
a role nobody has, a guard nobody wrote — not months later on the one ticket that takes that path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from hotline.store.schema import EVENT_KINDS, ROLES

SAME = "same"
SYSTEM_ROLE = "system"  # the SLA job; not a login role
REQUIREMENTS = ("note", "unit_id", "days", "contacted", "result", "method")


class LifecycleError(ValueError):
    """The declaration is inconsistent; the message names every problem found."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str  # a state, or SAME
    kind: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()

    @property
    def changes_state(self) -> bool:
        return self.target != SAME

    def target_from(self, state: str) -> str:
        return state if self.target == SAME else self.target


@dataclass(frozen=True)
class Lifecycle:
    initial: str
    final: frozenset[str]
    states: Mapping[str, str]  # code → 中文名
    transitions: Mapping[str, Transition]

    def label(self, state: str | None) -> str:
        return self.states.get(state or "", state or "")

    def available(self, state: str, role: str | None = None) -> list[Transition]:
        """Transitions that may fire in `state` (for `role`, when given), in declaration order."""
        return [t for t in self.transitions.values()
                if state in t.sources and (role is None or role in t.roles)]

    def transition(self, name: str) -> Transition | None:
        return self.transitions.get(name)


def _list(spec: Mapping[str, Any], key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = spec.get(key) or []
    if isinstance(value, str) or not isinstance(value, Iterable):
        problems.append(f"{where}: {key} must be a list")
        return ()
    return tuple(str(v) for v in value)


def parse_lifecycle(doc: Mapping[str, Any], *, guards: Iterable[str], effects: Iterable[str]) -> Lifecycle:
    """Build and check a lifecycle from its YAML document; raises LifecycleError listing every problem."""
    problems: list[str] = []
    known_guards, known_effects = set(guards), set(effects)
    initial = str(doc.get("initial") or "")
    states = {str(k): str(v) for k, v in (doc.get("states") or {}).items()}
    final = set(_list(doc, "final", "lifecycle", problems))
    if not initial:
        problems.append("lifecycle: no initial state")
    if initial in states:
        problems.append(f"initial pseudo-state {initial!r} must not be declared as a state")
    for f in final - set(states):
        problems.append(f"final state {f!r} is not declared")
    roles_known = set(ROLES) | {SYSTEM_ROLE}

    transitions: dict[str, Transition] = {}
    for name, spec in (doc.get("transitions") or {}).items():
        where = f"transition {name}"
        if not isinstance(spec, Mapping):
            problems.append(f"{where}: must be a mapping")
            continue
        unknown_keys = set(spec) - {"label", "from", "to", "kind", "roles", "requires", "guards", "effects"}
        if unknown_keys:
            problems.append(f"{where}: unknown keys {sorted(unknown_keys)}")
        sources = _list(spec, "from", where, problems)
        target = str(spec.get("to") or "")
        kind = str(spec.get("kind") or "")
        roles = _list(spec, "roles", where, problems)
        requires = _list(spec, "requires", where, problems)
        gs = _list(spec, "guards", where, problems)
        es = _list(spec, "effects", where, problems)
        if not sources:
            problems.append(f"{where}: no source states")
        for s in sources:
            if s != initial and s not in states:
                problems.append(f"{where}: unknown source state {s!r}")
            if s in final:
                problems.append(f"{where}: fires from final state {s!r}")
        if target != SAME and target not in states:
            problems.append(f"{where}: unknown target state {target!r}")
        if target == SAME and initial in sources:
            problems.append(f"{where}: cannot stay in the pseudo-state {initial!r}")
        if kind not in EVENT_KINDS:
            problems.append(f"{where}: unknown event kind {kind!r}")
        if not roles:
            problems.append(f"{where}: no role may fire it")
        for r in roles:
            if r not in roles_known:
                problems.append(f"{where}: unknown role {r!r}")
        for r in requires:
            if r not in REQUIREMENTS:
                problems.append(f"{where}: unknown requirement {r!r}")
        for g in gs:
            if g not in known_guards:
                problems.append(f"{where}: unknown guard {g!r}")
        for e in es:
            if e not in known_effects:
                problems.append(f"{where}: unknown effect {e!r}")
        transitions[str(name)] = Transition(
            name=str(name), label=str(spec.get("label") or name), sources=frozenset(sources), target=target,
            kind=kind, roles=frozenset(roles), requires=requires, guards=gs, effects=es)

    # reachability from the initial pseudo-state
    seen, queue = {initial}, deque([initial])
    while queue:
        s = queue.popleft()
        for t in transitions.values():
            if s in t.sources:
                nxt = t.target_from(s)
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    for s in states:
        if s not in seen:
            problems.append(f"state {s!r} is unreachable from {initial!r}")
    # every non-final state needs a way to move on (a state-changing transition)
    for s in states:
        if s not in final and not any(s in t.sources and t.changes_state for t in transitions.values()):
            problems.append(f"state {s!r} is a dead end (not final, no transition leaves it)")
    if problems:
        raise LifecycleError("工单流程定义有误 / lifecycle declaration is inconsistent:\n- " + "\n- ".join(problems))
    return Lifecycle(initial=initial, final=frozenset(final), states=states, transitions=transitions)


@cache
def default_lifecycle() -> Lifecycle:
    """The shipped lifecycle, checked against the guards and effects the code provides (read once)."""
    from hotline.data import load_yaml
    from hotline.service.effects import EFFECTS
    from hotline.service.guards import GUARDS

    return parse_lifecycle(load_yaml("lifecycle.yaml"), guards=GUARDS, effects=EFFECTS)
