"""Materialise the plan into rows of the canonical tables (a `Dataset`), deterministically from a seed.

Every ticket gets a realistic life: acceptance, then either online resolution and an SMS evaluation, or
dispatch with a deadline from the SLA rules on the working-day calendar, signing, contact with the citizen,
feedback and a return visit. This module times those milestones; the events they imply come from
`hotline.domain.history.implied_events`, as the importer's do. It adds only what is its own: the hotline's
催办 of an overdue ticket, and the hand-told stories (stories.py: returns and reassignments). The report never
reads these calibration numbers: it measures the rows.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hotline.domain.calendar import WorkingDays, load_default_calendar
from hotline.domain.history import implied_events, liaison_of
from hotline.domain.month import Month
from hotline.domain.profile import load_profile
from hotline.domain.registry import taxonomy, unit_registry
from hotline.domain.sla import default_rules
from hotline.generator import content
from hotline.generator import targets as T
from hotline.generator.events import CONTACT_NOTE, EventWriter, after_signing, reminder
from hotline.generator.outcomes import dissatisfied_quota, split_satisfied
from hotline.generator.plan import (
    carry_over,
    check_plan,
    dispatch_cells,
    september_cells,
    september_units,
)
from hotline.store.profile import profile_row
from hotline.store.reference import reference_rows


@dataclass
class Dataset:
    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: dict) -> dict:
        self.tables[table].append(row)
        return row


class Builder:
    def __init__(self, seed: int = 20221010, calendar: WorkingDays | None = None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.cal = calendar or load_default_calendar()
        self.ds = Dataset()
        self.cats, self.subs = taxonomy()
        self.registry = unit_registry()
        self.units = self.registry.units
        self.rules = default_rules()
        self.unit_id = {name: i + 1 for i, name in enumerate(self.units)}
        self.sub_id = {name: s.sort_order + 1 for name, s in self.subs.items()}
        self.serial: Counter = Counter()
        self.events = EventWriter(self.ds.tables["ticket_events"])

    # ---- reference tables -------------------------------------------------------------------------
    def reference(self) -> None:
        """The built-in `xiangtan` profile and its registries' rows, as every store gets them (ids: `unit_id`,
        `sub_id` number them the same way)."""
        profile = load_profile("xiangtan")
        for table, rows in reference_rows(profile).items():
            self.ds.tables[table].extend(rows)
        self.ds.add("store_profile", profile_row(profile, datetime.now().replace(microsecond=0)))

    # ---- tickets ------------------------------------------------------------------------------------
    def ticket_no(self, platform: str, at: datetime) -> str:
        key = (platform, at.date())
        self.serial[key] += 1
        return f"{at:%y%m%d}{self.serial[key] * 7 + 10000:05d}{self.registry.ticket_suffix(platform)}"[:14]

    def random_time(self, start: datetime, end: datetime, sub: str | None = None) -> datetime:
        """A plausible acceptance time: daytime-heavy; epidemic appeals surge from 6 October."""
        rng = self.rng
        days = (end - start).days
        if sub == T.EPIDEMIC and start == T.OCT_START:
            day = min(days - 1, 5 + int(rng.random() ** 1.6 * (days - 5)))
        else:
            day = rng.randrange(days)
        hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 11, 13, 13, 12, 10, 9, 8, 6, 4, 2, 1])[0]
        return start + timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))

    def new_ticket(self, platform: str, sub: str, appeal_type: str, at: datetime, resolution: str,
                   unit: str | None, region: str | None = None) -> dict:
        rng = self.rng
        if region is None:
            u = self.units.get(unit) if unit else None
            if u and u.region:
                region = u.region
            else:
                region = rng.choices(list(T.REGION_WEIGHTS), weights=list(T.REGION_WEIGHTS.values()))[0]
        name, phone = content.caller(rng)
        row = {
            "id": len(self.ds.tables["tickets"]) + 1,
            "ticket_no": self.ticket_no(platform, at),
            "platform": platform,
            "accepted_at": at,
            "channel": rng.choices(["phone", "web", "wechat", "app"], weights=[86, 5, 6, 3])[0],
            "appeal_type": appeal_type,
            "subcategory_id": self.sub_id[sub],
            "region": region,
            "civility": False,
            "content": content.ticket_content(rng, sub, appeal_type, region, name),
            "caller_name": name,
            "caller_phone": phone,
            "resolution": resolution,
            "unit_id": self.unit_id[unit] if unit else None,
            "state": "accepted",
            "_sub": sub,
            "_unit": unit,
        }
        return self.ds.add("tickets", row)

    def typed(self, n: int, mix: dict[str, int]) -> list[str]:
        """Exactly `mix` appeal types (scaled when n differs), shuffled."""
        out = [t for t, k in mix.items() for _ in range(k)]
        if len(out) != n:
            total = sum(mix.values())
            out = [t for t, k in mix.items() for _ in range(round(n * k / total))]
            out = (out + ["consult"] * n)[:n]
        self.rng.shuffle(out)
        return out

    # ---- the city platform -------------------------------------------------------------------------
    def city(self) -> None:
        sub_cat = {n: s.category for n, s in self.subs.items()}
        cells = dispatch_cells(self.seed)
        problems = check_plan(cells, sub_cat)
        if problems:
            raise ValueError("calibration plan does not reproduce the seed: " + "; ".join(problems))
        co = carry_over(cells)
        sep_units = september_units(cells, co)
        sep_cells = september_cells(cells, sep_units, self.seed)

        # October dispatched, by acceptance month
        dispatched_types = self.typed(7470, T.APPEAL_TYPES_DISPATCHED_OCT)
        oct_by_unit: dict[str, list[dict]] = defaultdict(list)
        k = 0
        for unit, row in cells.items():
            for sub, n in row.items():
                for _ in range(n):
                    at = self.random_time(T.OCT_START, T.NOV_START, sub)
                    oct_by_unit[unit].append(self.new_ticket("city", sub, dispatched_types[k], at, "dispatched", unit))
                    k += 1
        # October online: the rest of each subcategory's volume
        dispatched = Counter()
        for row in cells.values():
            dispatched.update(row)
        online_mix = {t: T.APPEAL_TYPES_OCT[t] - T.APPEAL_TYPES_DISPATCHED_OCT.get(t, 0) for t in T.APPEAL_TYPES_OCT}
        for sub, fixed_type in T.FIXED_TYPE_SUBCATEGORIES.items():
            online_mix[fixed_type] -= T.SUBCATEGORY_TOTALS_OCT[sub]
        free_online = sum(T.SUBCATEGORY_TOTALS_OCT[s] - dispatched[s] for s in T.SUBCATEGORY_TOTALS_OCT
                          if s not in T.FIXED_TYPE_SUBCATEGORIES)
        online_types = self.typed(free_online, {t: n for t, n in online_mix.items() if n})
        k = 0
        oct_online = []
        for sub, total in T.SUBCATEGORY_TOTALS_OCT.items():
            for _ in range(total - dispatched[sub]):
                if sub in T.FIXED_TYPE_SUBCATEGORIES:
                    appeal = T.FIXED_TYPE_SUBCATEGORIES[sub]
                else:
                    appeal, k = online_types[k], k + 1
                at = self.random_time(T.OCT_START, T.NOV_START, sub)
                oct_online.append(self.new_ticket("city", sub, appeal, at, "online", None))
        self.online_life(oct_online, T.ONLINE_DISSATISFIED_OCT)
        self.civility([t for ts in oct_by_unit.values() for t in ts] + oct_online)

        # September: dispatched per unit, online by a pre-outbreak profile
        sep_by_unit: dict[str, list[dict]] = defaultdict(list)
        sep_types = self.typed(T.DISPATCHED_SEP, T.APPEAL_TYPES_DISPATCHED_OCT)
        k = 0
        for unit, row in sep_cells.items():
            for sub, n in row.items():
                for _ in range(n):
                    at = self.random_time(T.SEP_START, T.OCT_START)
                    sep_by_unit[unit].append(self.new_ticket("city", sub, sep_types[k], at, "dispatched", unit))
                    k += 1
        profile = {s: (n if s != T.EPIDEMIC else 300) for s, n in T.SUBCATEGORY_TOTALS_OCT.items()}
        subs = self.rng.choices(list(profile), weights=list(profile.values()), k=T.ONLINE_SEP)
        sep_online = []
        for sub in subs:
            appeal = T.FIXED_TYPE_SUBCATEGORIES.get(sub) or self.rng.choices(
                ["consult", "help", "complaint", "suggestion"], weights=[70, 23, 6, 1])[0]
            sep_online.append(self.new_ticket("city", sub, appeal, self.random_time(T.SEP_START, T.OCT_START), "online", None))
        self.online_life(sep_online, None)

        # which tickets are visited in which month
        visits_oct: dict[str, list[dict]] = {}
        visits_sep: list[dict] = []
        visits_nov: list[dict] = []
        for unit in T.ANNEX1:
            octs = sorted(oct_by_unit.get(unit, []), key=lambda t: t["accepted_at"])
            seps = sorted(sep_by_unit.get(unit, []), key=lambda t: t["accepted_at"])
            n_out, n_in = co.out_oct[unit], co.in_sep[unit]
            carried_in = seps[len(seps) - n_in:] if n_in else []
            visits_sep.extend(seps[: len(seps) - n_in])
            visits_nov.extend(octs[len(octs) - n_out:] if n_out else [])
            visits_oct[unit] = octs[: len(octs) - n_out] + carried_in
            if len(visits_oct[unit]) != T.ANNEX1[unit][0]:
                raise AssertionError(f"{unit}: {len(visits_oct[unit])} October visits, 附件1 says {T.ANNEX1[unit][0]}")
        self.visited_in_october(visits_oct)
        self.visited_in(visits_sep, datetime(2022, 9, 30, 20), late=self.late_for_september(len(visits_sep)))
        self.visited_in(visits_nov, datetime(2022, 11, 8, 20), late=0, earliest=T.NOV_START)
        self.special_cases(visits_oct)

    def late_for_september(self, n: int) -> int:
        if round(100 * (n - T.LATE_SEP) / n, 2) != 99.69:
            raise ValueError(f"{T.LATE_SEP} late of {n} September visits does not give 99.69%")
        return T.LATE_SEP

    def online_life(self, tickets: list[dict], dissatisfied: int | None) -> None:
        """Online resolution: the operator answers from the knowledge base; an SMS evaluation follows."""
        rng = self.rng
        n_bad = dissatisfied if dissatisfied is not None else round(len(tickets) * 0.0028)
        bad = set(rng.sample(range(len(tickets)), n_bad))
        for i, t in enumerate(tickets):
            done = t["accepted_at"] + timedelta(seconds=rng.randint(90, 600))
            events, t["state"] = implied_events(t["accepted_at"], dispatched=False, completed_at=done)
            self.events.write(t, events)
            if t["appeal_type"] in ("invalid",):
                continue
            result = "dissatisfied" if i in bad else rng.choices(
                ["satisfied", "fairly_satisfied", "unrated"], weights=[18, 4, 78])[0]
            self.ds.add("return_visits", {"ticket_id": t["id"], "visited_at": done + timedelta(minutes=rng.randint(5, 240)),
                                          "method": "sms", "result": result, "note": None})

    def civility(self, october: list[dict]) -> None:
        """Flag the civility-campaign appeals: every themed non-epidemic appeal, then epidemic ones up to the total."""
        themed = [t for t in october if self.subs[t["_sub"]].civility_theme and t["_sub"] != T.EPIDEMIC]
        epidemic = [t for t in october if t["_sub"] == T.EPIDEMIC]
        need = T.CIVILITY_OCT - len(themed)
        if need < 0 or need > len(epidemic):
            raise ValueError(f"civility calibration impossible: {len(themed)} themed appeals")
        for t in themed + self.rng.sample(epidemic, need):
            t["civility"] = True

    def dispatch_life(self, t: dict, *, complete_by: datetime, late: bool, contacted: bool, visit_at: datetime | None,
                      result: str | None, praise: bool = False, earliest_visit: datetime | None = None) -> None:
        """Dispatch → sign → contact → feedback/complete → visit, timed on working days; an overdue ticket may be
        urged (催办) after signing."""
        rng = self.rng
        unit = t["_unit"]
        disp = t["accepted_at"] + timedelta(minutes=rng.randint(10, 90))
        due = self.rules.due_at(self.cal, disp, t["appeal_type"])
        delay = rng.uniform(0.5, 20) if rng.random() < 0.93 else rng.uniform(25, 60)  # some units sign late
        sign = min(disp + timedelta(hours=delay), due - timedelta(hours=2))
        if late:
            done = due + timedelta(hours=rng.uniform(3, 40))
        else:
            lo, hi = sign + timedelta(hours=1), min(due, complete_by)
            done = lo + (hi - lo) * rng.uniform(0.2, 0.95) if hi > lo else lo
        urged = late and rng.random() < 0.5
        contact = done - timedelta(minutes=rng.randint(20, 600)) if contacted else None
        reply = content.unit_feedback(rng, t["_sub"], unit, contacted, praise)
        visited = None
        if visit_at is not None:
            visited = max(visit_at, done + timedelta(hours=1))
            if earliest_visit and visited < earliest_visit:
                visited = earliest_visit + timedelta(hours=rng.uniform(9, 60))
            method = "sms" if rng.random() < 0.85 else "phone"
            self.ds.add("return_visits", {"ticket_id": t["id"], "visited_at": visited, "method": method,
                                          "result": result, "note": None})
        events, t["state"] = implied_events(
            t["accepted_at"], dispatched=True, unit_id=t["unit_id"], liaison=liaison_of(unit), dispatched_at=disp,
            due_at=due, signed_at=sign, contacted_at=contact, feedback_at=done, feedback=reply,
            completed_at=done + timedelta(seconds=30), visited_at=visited, contact_note=CONTACT_NOTE)
        if urged:
            events = after_signing(events, [reminder(due + timedelta(hours=1), t["unit_id"], "工单已超期，请尽快办理反馈")])
        self.events.write(t, events)

    def retime(self, t: dict, start: datetime, end: datetime) -> None:
        """Move a ticket's acceptance into [start, end) (and renumber it: the number carries the date)."""
        t["accepted_at"] = start + (end - start) * self.rng.random()
        t["ticket_no"] = self.ticket_no(t["platform"], t["accepted_at"])

    def visited_in(self, tickets: list[dict], limit: datetime, late: int, earliest: datetime | None = None) -> None:
        """Tickets completed and visited before `limit` (or, with `earliest`, visited from that day on)."""
        rng = self.rng
        if earliest is None:
            cutoff = limit - timedelta(days=3)
            for t in tickets:
                if t["accepted_at"] > cutoff:
                    self.retime(t, cutoff - timedelta(days=6), cutoff)
        by_age = sorted(range(len(tickets)), key=lambda i: tickets[i]["accepted_at"])
        late_set = set(rng.sample(by_age[: max(late * 10, 1)], late)) if late else set()
        for i, t in enumerate(tickets):
            result = rng.choices(["satisfied", "fairly_satisfied", "unrated", "dissatisfied"], weights=[25, 18, 46, 11])[0]
            done_by = limit - timedelta(hours=30) if earliest is None else limit
            visit = t["accepted_at"] + timedelta(days=rng.uniform(1.5, 4))
            visit = min(visit, limit)
            self.dispatch_life(t, complete_by=done_by, late=i in late_set, contacted=rng.random() < 0.985,
                               visit_at=visit, result=result, earliest_visit=earliest)

    def visited_in_october(self, visits: dict[str, list[dict]]) -> None:
        rng = self.rng
        visited = {u: Counter(t["_sub"] for t in ts) for u, ts in visits.items()}
        quota = dissatisfied_quota(visited, random.Random(f"{self.seed}:dissatisfied"))
        satisfied = split_satisfied(T.VISITS_SATISFIED_OCT)
        for unit, ts in visits.items():
            n, late, contacted, total_sat, unrated, bad = T.ANNEX1[unit]
            for t in ts:  # an October ticket visited in October must leave time for handling and the visit
                if T.OCT_START <= t["accepted_at"] and t["accepted_at"] > datetime(2022, 10, 29, 12):
                    self.retime(t, datetime(2022, 10, 24, 8), datetime(2022, 10, 29, 12))
            ts = list(ts)
            rng.shuffle(ts)
            results: dict[int, str] = {}
            left = Counter(quota[unit])
            for t in ts:
                if left[t["_sub"]] > 0:
                    results[t["id"]] = "dissatisfied"
                    left[t["_sub"]] -= 1
            rest = [t for t in ts if t["id"] not in results]
            for i, t in enumerate(rest):
                results[t["id"]] = "unrated" if i < unrated else "satisfied" if i < unrated + satisfied[unit] else "fairly_satisfied"
            # late completions go to tickets accepted early enough to be late and still visited in October
            early = sorted(ts, key=lambda t: t["accepted_at"])
            late_ids = {t["id"] for t in early[:late]}
            for t in early[:late]:  # a late completion still needs its visit inside October
                if t["accepted_at"] > datetime(2022, 10, 18):
                    self.retime(t, datetime(2022, 10, 8, 8), datetime(2022, 10, 18))
            no_contact = {t["id"] for t in rng.sample(ts, n - contacted)}
            for t in ts:
                visit_at = min(t["accepted_at"] + timedelta(days=rng.uniform(2, 5)), datetime(2022, 10, 31, 21))
                if t["accepted_at"] < T.OCT_START:  # September ticket: visited after the National Day holiday
                    visit_at = datetime(2022, 10, 8, 9) + timedelta(hours=rng.uniform(0, 80))
                self.dispatch_life(t, complete_by=min(visit_at, datetime(2022, 10, 31, 18)), late=t["id"] in late_ids,
                                   contacted=t["id"] not in no_contact, visit_at=visit_at, result=results[t["id"]],
                                   earliest_visit=T.OCT_START)

    def special_cases(self, visits_oct: dict[str, list[dict]]) -> None:
        """Hook for narrative tickets (the manhole cover bounced 9 times, praised cases)."""
        from hotline.generator.stories import write_stories

        write_stories(self, visits_oct)

    # ---- backlog, county platforms, calls and records -------------------------------------------------
    def backlog(self) -> None:
        """Tickets dispatched before the data window that never got feedback: 图10's overdue backlog."""
        rng = self.rng
        for unit, subs in T.OVERDUE_BACKLOG.items():
            for sub, n in subs.items():
                for _ in range(n):
                    at = self.random_time(datetime(2021, 3, 1), datetime(2022, 8, 1))
                    t = self.new_ticket("city", sub, "complaint", at, "dispatched", unit)
                    disp = at + timedelta(minutes=rng.randint(10, 90))
                    due = self.rules.due_at(self.cal, disp, "complaint")
                    sign = disp + timedelta(hours=rng.uniform(1, 20))
                    events, t["state"] = implied_events(at, dispatched=True, unit_id=t["unit_id"],
                                                        liaison=liaison_of(unit), dispatched_at=disp, due_at=due,
                                                        signed_at=sign)
                    urged = [reminder(self.cal.add(due, 1 + 5 * k) - timedelta(hours=14), t["unit_id"],
                                      "工单已超期未反馈，请尽快办理") for k in range(rng.randint(1, 3))]
                    self.events.write(t, after_signing(events, urged))

    def county(self) -> None:
        rng = self.rng
        for platform, spec in T.COUNTY_TICKETS.items():
            unit = next(n for n, u in self.units.items() if u.platform == platform)
            region = self.units[unit].region
            n_disp = spec["dispatched"]
            subs = rng.choices(list(T.SUBCATEGORY_TOTALS_OCT), weights=list(T.SUBCATEGORY_TOTALS_OCT.values()), k=spec["accepted"])
            online, disp = [], []
            for i, sub in enumerate(subs):
                appeal = T.FIXED_TYPE_SUBCATEGORIES.get(sub) or rng.choices(
                    ["consult", "help", "complaint", "suggestion"], weights=[60, 25, 14, 1])[0]
                is_disp = i < n_disp and sub not in T.FIXED_TYPE_SUBCATEGORIES
                t = self.new_ticket(platform, sub, appeal, self.random_time(T.OCT_START, T.NOV_START, sub),
                                    "dispatched" if is_disp else "online", unit if is_disp else None, region)
                (disp if is_disp else online).append(t)
            while len(disp) < n_disp:  # fixed-type subcategories were skipped above
                t = online.pop()
                t.update(resolution="dispatched", unit_id=self.unit_id[unit], _unit=unit)
                disp.append(t)
            self.online_life(online, round(len(online) * 0.003))
            late = set(range(spec["late"]))
            results = (["satisfied"] * spec["satisfied"] + ["dissatisfied"] * (spec["visited"] - spec["satisfied"]))
            rng.shuffle(results)
            for i, t in enumerate(sorted(disp, key=lambda t: t["accepted_at"])):
                visited = i < spec["visited"]
                visit_at = t["accepted_at"] + timedelta(days=rng.uniform(2, 6)) if visited else None
                self.dispatch_life(t, complete_by=t["accepted_at"] + timedelta(days=10), late=i in late,
                                   contacted=rng.random() < 0.99, visit_at=visit_at,
                                   result=results[i] if visited else None)

    def calls(self) -> None:
        rng = self.rng
        plan = [("city", T.MONTH, *T.CALLS[T.MONTH]), ("city", T.PREV_MONTH, *T.CALLS[T.PREV_MONTH])]
        for platform, (n_oct, ans_oct, n_sep) in T.COUNTY_CALLS.items():
            plan.append((platform, T.MONTH, n_oct, ans_oct))
            plan.append((platform, T.PREV_MONTH, n_sep, round(n_sep * 0.86)))
        for platform, month, n, answered in plan:
            start, end = Month.parse(month).bounds
            flags = [True] * answered + [False] * (n - answered)
            rng.shuffle(flags)
            for ok in flags:
                at = self.random_time(start, end, T.EPIDEMIC if month == T.MONTH else None)
                self.ds.add("calls", {"platform": platform, "called_at": at, "answered": ok,
                                      "wait_seconds": rng.randint(3, 60) if ok else rng.randint(20, 180),
                                      "talk_seconds": rng.randint(40, 600) if ok else 0})

    def records(self) -> None:
        from hotline.generator.office_records import write_records

        write_records(self)

    def build(self) -> Dataset:
        self.reference()
        self.city()
        self.backlog()
        self.county()
        self.calls()
        self.records()
        for t in self.ds.tables["tickets"]:
            t.pop("_sub", None)
            t.pop("_unit", None)
        return self.ds


def build_dataset(seed: int = 20221010) -> Dataset:
    return Builder(seed).build()

