"""The ticket lifecycle, declared once in `hotline/data/lifecycle.yaml`, checked when loaded, and the one rule
every writer of events obeys.

Why a declaration and a checker rather than `if state == …` in handlers: the office changes its rules (who may
return a ticket, whether 延期 needs approval) and a typo in a rule must fail at start-up — an unreachable state,
a role nobody has, a guard nobody wrote — not months later on the one ticket that takes that path.

Three writers put events into `ticket_events`: the work-order service (hotline/service, firing transitions), the
importer (hotline/ingest, expanding an export row into the events it implies) and the demo generator. All three
obey this declaration, and `hotline.domain.history.check_history` says whether a ticket's events are a path it
allows:
- a history written by the service or the generator must be an exact path;
- a history imported from another platform may lack the steps `imported_may_lack` names (an export without a 签收
  column, a ticket whose 办结时间 cell is empty) but never has an event in an order the lifecycle forbids.

Guards and effects are named here and written in hotline/service (guards.py, effects.py); `parse_lifecycle`
checks the names against the code when it is given them (the service does, at start-up).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from hotline.data import load_yaml
from hotline.domain.codes import EVENT_KINDS, ROLES

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
    also_records: tuple[str, ...] = ()  # event kinds its effects write before its own event (complete: feedback)

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
    imported_may_lack: frozenset[str] = frozenset()  # transitions an imported history may have no event for

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


def parse_lifecycle(doc: Mapping[str, Any], *, guards: Iterable[str] | None = None,
                    effects: Iterable[str] | None = None) -> Lifecycle:
    """Build and check a lifecycle from its YAML document; raises LifecycleError listing every problem.

    `guards` and `effects`: the names the code provides; when given, every name the YAML uses must be one."""
    problems: list[str] = []
    known_guards = set(guards) if guards is not None else None
    known_effects = set(effects) if effects is not None else None
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
        unknown_keys = set(spec) - {"label", "from", "to", "kind", "roles", "requires", "guards", "effects",
                                       "also_records"}
        if unknown_keys:
            problems.append(f"{where}: unknown keys {sorted(unknown_keys)}")
        sources = _list(spec, "from", where, problems)
        target = str(spec.get("to") or "")
        kind = str(spec.get("kind") or "")
        roles = _list(spec, "roles", where, problems)
        requires = _list(spec, "requires", where, problems)
        gs = _list(spec, "guards", where, problems)
        es = _list(spec, "effects", where, problems)
        also = _list(spec, "also_records", where, problems)
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
            if known_guards is not None and g not in known_guards:
                problems.append(f"{where}: unknown guard {g!r}")
        for e in es:
            if known_effects is not None and e not in known_effects:
                problems.append(f"{where}: unknown effect {e!r}")
        for k in also:
            if k not in EVENT_KINDS:
                problems.append(f"{where}: also_records names an unknown event kind {k!r}")
        transitions[str(name)] = Transition(
            name=str(name), label=str(spec.get("label") or name), sources=frozenset(sources), target=target,
            kind=kind, roles=frozenset(roles), requires=requires, guards=gs, effects=es, also_records=also)

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
    may_lack = set(_list(doc, "imported_may_lack", "lifecycle", problems))
    for name in may_lack - set(transitions):
        problems.append(f"imported_may_lack: unknown transition {name!r}")
    if problems:
        raise LifecycleError("工单流程定义有误 / lifecycle declaration is inconsistent:\n- " + "\n- ".join(problems))
    return Lifecycle(initial=initial, final=frozenset(final), states=states, transitions=transitions,
                     imported_may_lack=frozenset(may_lack))


@cache
def declared_lifecycle() -> Lifecycle:
    """The shipped lifecycle (read once). Its guard and effect names are checked against the code by the service
    (`hotline.service.workflow.default_lifecycle`), which is the only one to run them."""
    return parse_lifecycle(load_yaml("lifecycle.yaml"))
