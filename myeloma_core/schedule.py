"""Dated calendars: expand a regimen for N cycles (§16 C1–C6); record late or omitted doses (X27).

- C1: day n of cycle k = start of cycle k + (n − 1) days; next cycle start = start + cycle length.
- C2: cycle lengths may change within a regimen (IMROZ 42 days C1–4, 28 days from C5).
- C4: clinic-given doses (IV/SC) on a Saturday or Sunday are flagged, never moved. Oral doses taken
  at home are not flagged (design choice: the rule exists for clinic appointments). Holidays are not
  known to the engine.
- C5: components with ``min_interval_hours`` (bortezomib 72 h, V1) are checked across cycle
  boundaries and after every reschedule.
- X12 (isatuximab) and the daratumumab SmPC 4.2: the dexamethasone of the backbone is the
  premedication steroid; it is one administration a day. An infusion day of a drug whose
  premedication names a backbone steroid but without that steroid on the same day is flagged,
  citing that drug's own premedication source.
- X27/X28/C3: a late dose shifts that drug's later doses by the same delay (scope ``drug``) or, when
  the clinician confirms it, every later administration (scope ``cycle``). A dose is recorded at
  most ``MAX_DELAY_DAYS`` (28, a site setting) after its planned date: later than that, omit it and
  re-plan (api-v1, reschedule).
- X12 with X27: the backbone steroid planned on an infusion's day is that infusion's premedication
  (the regimen content names it: ``premedication.backbone_steroid``) and moves with the infusion,
  unless the new day already has a dose of it, which is then the premedication (one dose a day).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from myeloma_core.body import BsaFormula, CreatinineClearance, format_number, round_half_up
from myeloma_core.dosing import (
    BSA_DISPLAY_DECIMALS,
    ComputedDose,
    DosingInputError,
    DosingSettings,
    Patient,
    compute_dose,
    patient_bsa_m2,
    patient_crcl,
    patient_validate,
    renal_adjustment,
)
from myeloma_core.regimen import (
    Component,
    DoseBasis,
    Frequency,
    PremedicationItem,
    RegimenContentError,
    RegimenSpec,
    Route,
    SupportiveCareNote,
)
from myeloma_core.vocabulary import Verification

__all__ = [
    "MAX_CYCLES",
    "MAX_DELAY_DAYS",
    "Administration",
    "AdministrationStatus",
    "CycleInfo",
    "MilestoneDate",
    "RescheduleScope",
    "Schedule",
    "administration_to_dict",
    "administration_warnings",
    "expand",
    "late_dose_validate",
    "reschedule",
    "schedule_to_dict",
]

MAX_CYCLES = 60
MAX_DELAY_DAYS = 28
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AdministrationStatus(StrEnum):
    PLANNED = "planned"
    GIVEN = "given"
    OMITTED = "omitted"


_OMITTED = AdministrationStatus.OMITTED


class RescheduleScope(StrEnum):
    DRUG = "drug"
    CYCLE = "cycle"


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleInfo:
    number: int
    start_date: dt.date
    length_days: int

    @property
    def end_date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.length_days - 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Administration:
    """One drug on one date. ``planned_date`` is the date the calendar was first computed with;
    ``date`` is the current date (shifted, or the actual date once given)."""

    date: dt.date
    planned_date: dt.date
    cycle: int
    day: int
    drug: str
    dose: ComputedDose
    route: Route
    status: AdministrationStatus = AdministrationStatus.PLANNED
    infusion_number: int | None = None
    infusion_minutes: float | None = None
    premedication: tuple[PremedicationItem, ...] = ()
    order: int | None = None
    order_rank: int | None = field(default=None, repr=False)
    component: Component = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneDate:
    date: dt.date
    after_cycle: int
    label: str
    source: str
    verification: Verification


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    regimen_slug: str
    cycles: tuple[CycleInfo, ...]
    administrations: tuple[Administration, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()
    milestones: tuple[MilestoneDate, ...] = ()
    supportive_care: tuple[SupportiveCareNote, ...] = ()
    patient_bsa_m2: float
    patient_bsa_m2_exact: float
    bsa_formula: BsaFormula
    crcl: CreatinineClearance
    settings: DosingSettings


EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def _validate_date(field: str, value: dt.date) -> None:
    """Plan dates must lie in 1990–2099: a calendar can then never run past the last date."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise DosingInputError(
            field,
            f"{field} must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
            f" (got {value.isoformat()})",
        )


def _validate_cycles(spec: RegimenSpec, cycles: int) -> None:
    if isinstance(cycles, bool) or not isinstance(cycles, int) or not 1 <= cycles <= MAX_CYCLES:
        raise DosingInputError(
            "cycles", f"cycles must be a whole number from 1 to {MAX_CYCLES} (got {cycles!r})"
        )
    if spec.max_cycles is not None and cycles > spec.max_cycles:
        raise DosingInputError(
            "cycles",
            f"{spec.slug} has a fixed length of {spec.max_cycles} cycles: cycles must be at most"
            f" {spec.max_cycles} (got {cycles})",
        )


def _every_other_day(days: Sequence[int]) -> tuple[int, ...]:
    """L2/L3 "every other day" on a day list: within each run of consecutive days keep the 1st,
    3rd, 5th … day (D1–21 → 1, 3, …, 21; D1–14 + D22–35 → 1, …, 13 and 22, …, 34)."""
    kept: list[int] = []
    run_start = 0
    previous: int | None = None
    for day in days:
        if previous is None or day != previous + 1:
            run_start = day
        if (day - run_start) % 2 == 0:
            kept.append(day)
        previous = day
    return tuple(kept)


def _route_for(component: Component, drugs_today: set[str]) -> Route:
    rule = component.route_rule
    if rule is not None and drugs_today & set(rule.on_days_with):
        return rule.route
    return component.route


def _finalise(administrations: Iterable[Administration]) -> tuple[Administration, ...]:
    """Recompute what depends on the whole calendar: routes that depend on the other drugs of the
    day (X12), infusion numbers and durations (X22) and order on shared days (X21)."""
    items = sorted(administrations, key=lambda a: a.date)  # stable: keeps the component order
    active_by_date: dict[dt.date, set[str]] = defaultdict(set)
    for adm in items:
        if adm.status is not AdministrationStatus.OMITTED:
            active_by_date[adm.date].add(adm.drug)
    counters: dict[str, int] = defaultdict(int)
    result: list[Administration] = []
    for adm in items:
        component = adm.component
        route = _route_for(component, active_by_date[adm.date] - {adm.drug})
        number: int | None = None
        minutes: float | None = None
        if component.number_infusions and adm.status is not AdministrationStatus.OMITTED:
            counters[adm.drug] += 1
            number = counters[adm.drug]
            if component.infusion is not None:
                minutes = component.infusion.for_infusion(number).total_minutes
        result.append(replace(adm, route=route, infusion_number=number, infusion_minutes=minutes))
    by_date: dict[dt.date, list[Administration]] = defaultdict(list)
    for adm in result:
        by_date[adm.date].append(adm)
    ordered: list[Administration] = []
    for day_date in sorted(by_date):
        day_items = by_date[day_date]
        ranked = sorted(
            (a for a in day_items if a.order_rank is not None and a.status is not _OMITTED),
            key=lambda a: a.order_rank or 0,
        )
        position = {id(a): index + 1 for index, a in enumerate(ranked)}
        with_order = [replace(a, order=position.get(id(a))) for a in day_items]
        with_order.sort(key=lambda a: (a.order is None, a.order or 0))
        ordered.extend(with_order)
    return tuple(ordered)


def _interval_violations(
    administrations: Sequence[Administration],
) -> list[tuple[Administration, Administration]]:
    """C5/V1: consecutive doses of a drug closer than its ``min_interval_hours``."""
    by_drug: dict[str, list[Administration]] = defaultdict(list)
    for adm in administrations:
        if adm.status is not _OMITTED and adm.component.min_interval_hours is not None:
            by_drug[adm.drug].append(adm)
    violations: list[tuple[Administration, Administration]] = []
    for items in by_drug.values():
        items.sort(key=lambda a: a.date)
        hours = items[0].component.min_interval_hours or 0
        for first, second in itertools.pairwise(items):
            if (second.date - first.date).days * 24 < hours:
                violations.append((first, second))
    return violations


def _interval_message(first: Administration, second: Administration) -> str:
    hours = first.component.min_interval_hours
    return (
        f"{first.drug} on {first.date.isoformat()} and {second.date.isoformat()} would be less"
        f" than {hours} h apart (minimum interval, V1/C5)"
    )


def administration_warnings(administrations: Sequence[Administration]) -> tuple[str, ...]:
    """C4 weekend flags for clinic-given doses and X12 missing premedication steroid.

    Also flagged: a drug whose day the regimen gives the steroid with (its route depends on that
    drug, e.g. Isa-Kd dexamethasone IV on carfilzomib days, X12/P14g) when that steroid is no
    longer on its date — e.g. it moved with a late isatuximab infusion it premedicates (X28).
    """
    warnings: list[str] = []
    active_by_date: dict[dt.date, set[str]] = defaultdict(set)
    routed_steroids: dict[str, Component] = {}
    for adm in administrations:
        if adm.status is not _OMITTED:
            active_by_date[adm.date].add(adm.drug)
        if adm.component.route_rule is not None:
            routed_steroids[adm.drug] = adm.component
    for adm in sorted(administrations, key=lambda a: a.date):
        if adm.status is _OMITTED:
            continue
        if adm.route in (Route.IV, Route.SC) and adm.date.weekday() >= 5:
            warnings.append(
                f"{adm.date.isoformat()} ({_WEEKDAYS[adm.date.weekday()]}): {adm.drug} C{adm.cycle}"
                f" D{adm.day} falls on a weekend — the date is not moved (C4)"
            )
        premed = adm.component.premedication
        if (
            premed is not None
            and premed.backbone_steroid is not None
            and premed.backbone_steroid not in active_by_date[adm.date]
        ):
            warnings.append(
                f"{adm.date.isoformat()}: {adm.drug} C{adm.cycle} D{adm.day} has no"
                f" {premed.backbone_steroid} the same day — the {adm.drug} premedication includes"
                f" a corticosteroid ({premed.source_label}); confirm premedication with the"
                " protocol"
            )
        for steroid, component in routed_steroids.items():
            rule = component.route_rule
            if (
                rule is not None
                and adm.drug in rule.on_days_with
                and (premed is None or premed.backbone_steroid != steroid)
                and adm.day in component.days_for_cycle(adm.cycle)
                and steroid not in active_by_date[adm.date]
            ):
                warnings.append(
                    f"{adm.date.isoformat()}: {adm.drug} C{adm.cycle} D{adm.day} is without the"
                    f" {steroid} the regimen gives with it that day (moved or omitted); confirm"
                    f" the {steroid} for {adm.drug} with the protocol (X28)"
                )
    return tuple(warnings)


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def expand(
    spec: RegimenSpec,
    *,
    patient: Patient,
    start_date: dt.date,
    cycles: int,
    settings: DosingSettings | None = None,
) -> Schedule:
    """Dated administrations for ``cycles`` cycles from ``start_date`` (C1, C2).

    Raises :class:`DosingInputError` for invalid patient data (field named) or a cycle count
    outside 1–60 or above the regimen's ``max_cycles`` (GMMG-HD7: 3).
    """
    settings = settings or DosingSettings()
    _validate_cycles(spec, cycles)
    _validate_date("start_date", start_date)
    patient_validate(patient)
    bsa_exact = patient_bsa_m2(patient, settings)
    crcl = patient_crcl(patient, settings)

    cycle_infos: list[CycleInfo] = []
    start = start_date
    for number in range(1, cycles + 1):
        length = spec.cycle_length(number)
        cycle_infos.append(CycleInfo(number=number, start_date=start, length_days=length))
        start += dt.timedelta(days=length)

    order_rank = (
        {drug: index for index, drug in enumerate(spec.order_on_shared_days.drugs)}
        if spec.order_on_shared_days is not None
        else {}
    )
    warnings: list[str] = []
    if spec.verification is Verification.PENDING:
        warnings.append(f"Pending verification — regimen {spec.slug}: {spec.verification_note}")

    administrations: list[Administration] = []
    for info in cycle_infos:
        for component in spec.components:
            days = component.days_for(info.number, age_years=patient.age_years)
            renal = renal_adjustment(component, patient=patient, settings=settings, crcl=crcl)
            if renal is not None and renal.band.frequency is Frequency.EVERY_OTHER_DAY:
                days = _every_other_day(days)
            for day in days:
                dose = compute_dose(
                    component,
                    patient=patient,
                    cycle=info.number,
                    day=day,
                    settings=settings,
                    bsa=bsa_exact,
                    crcl=crcl,
                )
                warnings.extend(dose.warnings)
                premed = component.premedication
                date = info.start_date + dt.timedelta(days=day - 1)
                administrations.append(
                    Administration(
                        date=date,
                        planned_date=date,
                        cycle=info.number,
                        day=day,
                        drug=component.drug,
                        dose=dose,
                        route=component.route,
                        premedication=() if premed is None else premed.items_for_cycle(info.number),
                        order_rank=order_rank.get(component.drug),
                        component=component,
                    )
                )
    final = _finalise(administrations)
    violations = _interval_violations(final)
    if violations:
        raise RegimenContentError("components", _interval_message(*violations[0]))
    warnings.extend(administration_warnings(final))

    notes: list[str] = []
    if any(c.dose.basis is DoseBasis.MG_PER_KG for c in spec.components):
        notes.append(
            f"Doses in mg/kg use the weight entered ({format_number(patient.weight_kg)} kg):"
            " weigh the patient before each cycle and recalculate (X5)."
        )
    notes.extend(spec.notes)
    milestones = tuple(
        MilestoneDate(
            date=cycle_infos[m.after_cycle - 1].end_date + dt.timedelta(days=1),
            after_cycle=m.after_cycle,
            label=m.label,
            source=m.source,
            verification=m.verification,
        )
        for m in spec.milestones
        if m.after_cycle <= cycles
    )
    return Schedule(
        regimen_slug=spec.slug,
        cycles=tuple(cycle_infos),
        administrations=final,
        warnings=_dedupe(warnings),
        notes=tuple(notes),
        milestones=milestones,
        supportive_care=spec.supportive_care,
        patient_bsa_m2=round_half_up(bsa_exact, BSA_DISPLAY_DECIMALS),
        patient_bsa_m2_exact=bsa_exact,
        bsa_formula=settings.bsa_formula,
        crcl=crcl,
        settings=settings,
    )


def late_dose_validate(
    *, planned_date: dt.date, actual_date: dt.date | None, max_delay_days: int = MAX_DELAY_DAYS
) -> None:
    """A dose is recorded as given at most ``max_delay_days`` after its planned date.

    X27 says "give as soon as possible"; a dose weeks late is no longer the planned dose but a new
    plan (api-v1, reschedule: 28 days, a site setting). Omitted doses have no date to check.
    """
    if actual_date is None:
        return
    delay = (actual_date - planned_date).days
    if delay > max_delay_days:
        raise DosingInputError(
            "actual_date",
            f"actual_date {actual_date.isoformat()} is {delay} days after the planned date"
            f" {planned_date.isoformat()}; at most {max_delay_days} days can be recorded as a late"
            " dose — record the dose as omitted and re-plan",
        )


def _premedication_steroid(adm: Administration) -> str | None:
    premed = adm.component.premedication
    return None if premed is None else premed.backbone_steroid


def _premedicated_days(items: Sequence[Administration]) -> set[tuple[str, dt.date]]:
    """(steroid, date) pairs where the steroid is the premedication of an infusion that day."""
    return {
        (steroid, adm.date)
        for adm in items
        if adm.status is not _OMITTED and (steroid := _premedication_steroid(adm)) is not None
    }


def _premedication_moving_with(
    items: Sequence[Administration], shifting: set[int], delta: dt.timedelta
) -> set[int]:
    """X12 with X27: the planned steroid dose on a moving infusion's day moves with it.

    The steroid (e.g. dexamethasone) named by the infusion's premedication is given once before
    the infusion, as the total dose for that day (X12); an infusion moved by ``delta`` days takes
    its same-day steroid along, unless its new day already has a dose of that steroid (that dose
    is then its premedication, and the other keeps its own day). Infusions are handled from the
    furthest in the direction of the move, so a chain of weekly doses frees each day in turn.
    Returns the positions of the steroid doses that move.
    """
    steroid_positions = {
        (adm.drug, adm.date): position
        for position, adm in enumerate(items)
        if adm.status is not _OMITTED
    }
    occupied = {
        (adm.drug, adm.date + delta if position in shifting else adm.date)
        for position, adm in enumerate(items)
        if adm.status is not _OMITTED
    }
    infusions = sorted(
        (p for p in shifting if _premedication_steroid(items[p]) is not None),
        key=lambda p: items[p].date,
        reverse=delta > dt.timedelta(0),
    )
    moving: set[int] = set()
    for position in infusions:
        infusion = items[position]
        steroid = _premedication_steroid(infusion)
        companion = steroid_positions.get((steroid or "", infusion.date))
        if (
            steroid is None
            or companion is None
            or companion in shifting
            or companion in moving
            or items[companion].status is not AdministrationStatus.PLANNED
            or (steroid, infusion.date + delta) in occupied
        ):
            continue
        moving.add(companion)
        occupied.discard((steroid, infusion.date))
        occupied.add((steroid, infusion.date + delta))
    return moving


def reschedule(
    schedule_administrations: Sequence[Administration],
    *,
    drug: str,
    planned_date: dt.date,
    actual_date: dt.date | None,
    scope: RescheduleScope | str,
) -> tuple[Administration, ...]:
    """Record that the planned ``drug`` dose on ``planned_date`` was given on ``actual_date``.

    X27: with scope ``drug`` that drug's later planned doses move by the same number of days, so
    the protocol interval is kept; with scope ``cycle`` every later planned administration (all
    drugs, on or after ``planned_date``) moves (X28: partner-drug shifts need clinician
    confirmation — the caller asks). X12: the steroid dose that is a moved infusion's
    premedication moves with it (``_premedication_moving_with``), and with scope ``drug`` a late
    steroid dose never pulls later premedication doses away from their infusions.
    ``actual_date=None`` marks the dose ``omitted``; it is kept and nothing moves. The recorded
    dose gets status ``given``; its ``planned_date`` is kept. Infusion numbers and durations,
    same-day routes and order are recomputed; the minimum-interval check (bortezomib 72 h, C5)
    is re-run. Raises :class:`DosingInputError` naming the field.
    """
    try:
        scope = RescheduleScope(scope)
    except ValueError:
        raise DosingInputError(
            "scope", f'scope must be "drug" or "cycle" (got {scope!r})'
        ) from None
    items = list(schedule_administrations)
    drugs = sorted({a.drug for a in items})
    if drug not in drugs:
        raise DosingInputError(
            "drug", f"{drug!r} is not in this plan; its drugs are: {', '.join(drugs)}"
        )
    matches = [i for i, a in enumerate(items) if a.drug == drug and a.date == planned_date]
    if not matches:
        raise DosingInputError(
            "planned_date", f"no {drug} dose is planned on {planned_date.isoformat()}"
        )
    index = matches[0]
    target = items[index]
    if target.status is not AdministrationStatus.PLANNED:
        raise DosingInputError(
            "planned_date",
            f"the {drug} dose of {planned_date.isoformat()} is already recorded as"
            f" {target.status.value}",
        )
    if actual_date is None:
        items[index] = replace(target, status=AdministrationStatus.OMITTED)
        return _finalise(items)
    _validate_date("actual_date", actual_date)

    earlier = [
        a.date
        for a in items
        if a.drug == drug and a.date < planned_date and a.status is not _OMITTED
    ]
    if earlier and actual_date <= max(earlier):
        raise DosingInputError(
            "actual_date",
            f"actual_date {actual_date.isoformat()} must be after the previous {drug} dose"
            f" ({max(earlier).isoformat()})",
        )
    delta = actual_date - planned_date
    premedicated = _premedicated_days(items)
    shifting: set[int] = {index}
    for position, adm in enumerate(items):
        if position == index:
            continue
        in_scope = (
            adm.drug == drug
            and adm.date > planned_date
            # X12: a steroid dose that is an infusion's premedication stays with its infusion.
            and (adm.drug, adm.date) not in premedicated
            if scope is RescheduleScope.DRUG
            else adm.date >= planned_date
        )
        if in_scope and adm.status is AdministrationStatus.GIVEN:
            raise DosingInputError(
                "planned_date",
                f"a later {adm.drug} dose ({adm.date.isoformat()}) is already recorded as given;"
                " record doses in date order",
            )
        if in_scope and adm.status is AdministrationStatus.PLANNED:
            shifting.add(position)
    shifting |= _premedication_moving_with(items, shifting, delta)
    moved = [
        adm
        if position not in shifting
        else replace(
            adm,
            date=adm.date + delta,
            status=AdministrationStatus.GIVEN if position == index else adm.status,
        )
        for position, adm in enumerate(items)
    ]

    seen: set[tuple[str, dt.date]] = set()
    for adm in moved:
        if adm.status is _OMITTED:
            continue
        key = (adm.drug, adm.date)
        if key in seen:
            raise DosingInputError(
                "actual_date",
                f"this change would give {adm.drug} twice on {adm.date.isoformat()}"
                " (one administration per drug per day)",
            )
        seen.add(key)
    violations = _interval_violations(moved)
    if violations:
        raise DosingInputError("actual_date", _interval_message(*violations[0]))
    return _finalise(moved)


# --------------------------------------------------------------------------------------------------
# JSON-ready output (API v1 field names; extra fields allowed by the contract)
# --------------------------------------------------------------------------------------------------


def administration_to_dict(adm: Administration) -> dict[str, Any]:
    dose = adm.dose
    out: dict[str, Any] = {
        "date": adm.date.isoformat(),
        "planned_date": adm.planned_date.isoformat(),
        "cycle": adm.cycle,
        "day": adm.day,
        "drug": adm.drug,
        "dose": {"value": dose.value, "unit": dose.unit},
        "route": adm.route.value,
        "calculation": dose.calculation,
        "rule_applied": dose.rule_applied,
        "inputs": [{"name": name, "value": value} for name, value in dose.inputs],
        "status": adm.status.value,
        "order": adm.order,
        "warnings": list(dose.warnings),
    }
    if dose.volume_ml is not None:
        out["volume_ml"] = dose.volume_ml
    if dose.vials is not None:
        out["vials"] = [{"strength_mg": v.strength_mg, "count": v.count} for v in dose.vials.vials]
        out["vials_total_mg"] = dose.vials.total_mg
        out["vials_waste_mg"] = dose.vials.waste_mg
    if adm.infusion_number is not None:
        out["infusion_number"] = adm.infusion_number
        out["infusion_minutes"] = adm.infusion_minutes
    premed = adm.component.premedication
    if adm.premedication and premed is not None:
        out["premedication"] = [
            {
                "name": p.name,
                "dose": p.dose,
                "route": p.route,
                "rule": p.rule,
                "text": p.text,
                "when": p.when.value,
            }
            for p in adm.premedication
        ]
        out["premedication_timing"] = {
            "before": premed.timing,
            "before_minutes": None
            if premed.before_minutes is None
            else [premed.before_minutes.first, premed.before_minutes.last],
            "after": premed.timing_after,
            "source": premed.source,
            "verification": premed.verification.value,
        }
    return out


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    crcl = schedule.crcl
    return {
        "patient": {
            "bsa_m2": schedule.patient_bsa_m2,
            "bsa_formula": schedule.bsa_formula.value,
            "creatinine_clearance_ml_min": crcl.ml_min_rounded,
            "creatinine_clearance_formula": crcl.formula,
            "creatinine_clearance_weight_basis": crcl.weight_basis.value,
            "creatinine_clearance_explanation": crcl.explanation,
        },
        "cycles": [
            {
                "number": c.number,
                "start_date": c.start_date.isoformat(),
                "length_days": c.length_days,
            }
            for c in schedule.cycles
        ],
        "administrations": [administration_to_dict(a) for a in schedule.administrations],
        "milestones": [
            {
                "date": m.date.isoformat(),
                "after_cycle": m.after_cycle,
                "label": m.label,
                "source": m.source,
                "verification": m.verification.value,
            }
            for m in schedule.milestones
        ],
        "supportive_care": [
            {
                "text": n.text,
                "patient_note": None if n.patient_note is None else n.patient_note.value,
                "source": n.source,
                "verification": n.verification.value,
                "verification_note": n.verification_note,
            }
            for n in schedule.supportive_care
        ],
        "warnings": list(schedule.warnings),
        "notes": list(schedule.notes),
    }
