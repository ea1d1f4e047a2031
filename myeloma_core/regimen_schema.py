"""Regimen content → :class:`~myeloma_core.regimen.RegimenSpec`: the validation of a definition.

:func:`regimen_spec_from_dict` reads a regimen version's ``definition`` (the Django JSON and the
YAML files in ``content/regimens/``) and raises :class:`~myeloma_core.regimen.RegimenContentError`
with the path of the offending value (``components[1].schedule[0].cycles``). The format's
conventions are described in :mod:`myeloma_core.regimen`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from myeloma_core.regimen import (
    AgeOperator,
    AgeRule,
    BsaCap,
    Component,
    CycleRule,
    DayRule,
    DoseBasis,
    DoseOverride,
    DoseSpec,
    Frequency,
    InfusionPlan,
    InfusionRate,
    InfusionStep,
    Jurisdiction,
    JurisdictionNote,
    Milestone,
    NumberRange,
    OrderRule,
    PatientNote,
    Premedication,
    PremedicationItem,
    PremedicationTiming,
    Presentation,
    PresentationForm,
    Presentations,
    RegimenContentError,
    RegimenSpec,
    RenalBand,
    RenalJurisdictionRule,
    RenalRule,
    Route,
    RouteRule,
    SupportiveCareNote,
    infusion_minutes,
)
from myeloma_core.regimen_fields import (
    ContentMapping,
    read_bool,
    read_days,
    read_enum,
    read_int,
    read_items,
    read_number,
    read_opt_text,
    read_range,
    read_record,
    read_text,
    read_verification,
)
from myeloma_core.vocabulary import Setting, Verification

__all__ = ["regimen_spec_from_dict"]

MAX_CYCLE_LENGTH_DAYS = 84
INFUSION_TOTAL_TOLERANCE_MIN = 0.05

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INN_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# A milestone label naming a transplant must be marked ``transplant: true`` (free text alone must
# not hide an ASCT from the setting check).
_TRANSPLANT_RE = re.compile(
    r"\bASCT\b|\bHDM\b|high[- ]dose (?:melphalan|chemotherapy)|stem[- ]cell (?:transplant|rescue)"
    r"|autologous|\btransplant(?:ation)?\b(?!-?\s*(?:in)?eligible)",
    re.IGNORECASE,
)


def _cycle_rules(value: Any, path: str) -> tuple[CycleRule, ...]:
    rules: list[CycleRule] = []
    expected_first = 1
    items = list(read_items(value, path))
    for index, (item_path, item) in enumerate(items):
        obj = ContentMapping(item, item_path)
        cycles = read_range(obj.req("cycles"), obj.at("cycles"))
        length = read_int(
            obj.req("length_days"), obj.at("length_days"), minimum=1, maximum=MAX_CYCLE_LENGTH_DAYS
        )
        obj.done()
        if cycles.first != expected_first:
            raise RegimenContentError(
                obj.at("cycles"),
                f"cycle rules must be contiguous from cycle 1: expected to start at"
                f" cycle {expected_first}, got {cycles.first}",
            )
        if cycles.last is None and index != len(items) - 1:
            raise RegimenContentError(obj.at("cycles"), "only the last cycle rule may be open")
        rules.append(CycleRule(cycles=cycles, length_days=length))
        expected_first = (cycles.last or 0) + 1
    return tuple(rules)


def _cycle_lengths_for(
    rules: Sequence[CycleRule], cycles: NumberRange, max_cycles: int | None
) -> set[int]:
    """Distinct cycle lengths over the cycles of ``cycles`` that can be scheduled."""
    lengths: set[int] = set()
    for rule in rules:
        window = rule.cycles
        if max_cycles is not None and window.first > max_cycles:
            continue
        if window.overlaps(cycles):
            lengths.add(rule.length_days)
    return lengths


def _route(obj: ContentMapping) -> tuple[Route, RouteRule | None]:
    raw = obj.req("route")
    path = obj.at("route")
    if isinstance(raw, str):
        return read_enum(Route, raw, path), None
    route_obj = ContentMapping(raw, path)
    default = read_enum(Route, route_obj.req("default"), route_obj.at("default"))
    drugs = tuple(
        read_text(item, item_path)
        for item_path, item in read_items(
            route_obj.req("on_days_with"), route_obj.at("on_days_with")
        )
    )
    other = read_enum(Route, route_obj.req("route"), route_obj.at("route"))
    route_obj.done()
    if other is default:
        raise RegimenContentError(path, "route on shared days equals the default route")
    return default, RouteRule(on_days_with=drugs, route=other)


def _dose(value: Any, path: str) -> DoseSpec:
    obj = ContentMapping(value, path)
    basis = read_enum(DoseBasis, obj.req("basis"), obj.at("basis"))
    amount = read_number(obj.req("amount"), obj.at("amount"))
    obj.done()
    return DoseSpec(basis=basis, amount=amount)


def _schedule(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> tuple[DayRule, ...]:
    rules: list[DayRule] = []
    for item_path, item in read_items(value, path):
        obj = ContentMapping(item, item_path)
        cycles = read_range(obj.req("cycles"), obj.at("cycles"))
        days = read_days(obj.req("days"), obj.at("days"))
        obj.done()
        if max_cycles is not None and cycles.first > max_cycles:
            raise RegimenContentError(
                obj.at("cycles"), f"starts after the last cycle of the regimen ({max_cycles})"
            )
        for earlier in rules:
            if earlier.cycles.overlaps(cycles):
                raise RegimenContentError(
                    obj.at("cycles"), f"overlaps the rule for {earlier.cycles.label}"
                )
        lengths = _cycle_lengths_for(cycle_rules, cycles, max_cycles)
        if lengths and days[-1] > min(lengths):
            raise RegimenContentError(
                obj.at("days"),
                f"day {days[-1]} is beyond the cycle length ({min(lengths)} days) of"
                f" {cycles.label}",
            )
        rules.append(DayRule(cycles=cycles, days=days))
    return tuple(rules)


def _overrides(value: Any, path: str, *, schedule: Sequence[DayRule]) -> tuple[DoseOverride, ...]:
    overrides: list[DoseOverride] = []
    for item_path, item in read_items(value, path, allow_empty=True):
        obj = ContentMapping(item, item_path)
        cycles = read_range(obj.req("cycles"), obj.at("cycles"))
        days = read_days(obj.req("days"), obj.at("days"))
        amount = read_number(obj.req("amount"), obj.at("amount"))
        label = read_text(obj.req("label"), obj.at("label"))
        obj.done()
        covering = [rule for rule in schedule if rule.cycles.overlaps(cycles)]
        if not covering:
            raise RegimenContentError(obj.at("cycles"), "no scheduled cycles in this range")
        for rule in covering:
            missing = sorted(set(days) - set(rule.days))
            if missing:
                raise RegimenContentError(
                    obj.at("days"), f"day(s) {missing} are not dosing days in {rule.cycles.label}"
                )
        for earlier in overrides:
            if earlier.cycles.overlaps(cycles) and set(earlier.days) & set(days):
                raise RegimenContentError(item_path, "overlaps an earlier dose override")
        overrides.append(DoseOverride(cycles=cycles, days=days, amount=amount, label=label))
    return tuple(overrides)


def _age_rule(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> AgeRule:
    obj = ContentMapping(value, path)
    operator = read_enum(AgeOperator, obj.req("operator"), obj.at("operator"))
    years = read_int(obj.req("years"), obj.at("years"), minimum=18, maximum=110)
    amount = read_number(obj.req("amount"), obj.at("amount"))
    from_cycle, from_day = 1, 1
    raw_from = obj.opt("from")
    if raw_from is not None:
        start = ContentMapping(raw_from, obj.at("from"))
        from_cycle = read_int(start.req("cycle"), start.at("cycle"), minimum=1)
        from_day = read_int(start.req("day"), start.at("day"), minimum=1)
        start.done()
    schedule: tuple[DayRule, ...] = ()
    raw_schedule = obj.opt("schedule")
    if raw_schedule is not None:
        schedule = _schedule(
            raw_schedule, obj.at("schedule"), cycle_rules=cycle_rules, max_cycles=max_cycles
        )
        if not any(rule.cycles.contains(from_cycle) for rule in schedule):
            raise RegimenContentError(
                obj.at("schedule"), f"does not cover cycle {from_cycle}, where the rule starts"
            )
    source = read_text(obj.req("source"), obj.at("source"))
    verification, note = read_verification(obj)
    record = read_record(obj)
    obj.done()
    return AgeRule(
        operator=operator,
        years=years,
        amount=amount,
        from_cycle=from_cycle,
        from_day=from_day,
        schedule=schedule,
        source=source,
        verification=verification,
        verification_note=note,
        record=record,
    )


def _renal_bands(value: Any, path: str, *, standard_amount: float) -> tuple[RenalBand, ...]:
    bands: list[RenalBand] = []
    for item_path, item in read_items(value, path):
        obj = ContentMapping(item, item_path)
        raw_dialysis = obj.opt("dialysis")
        dialysis = False if raw_dialysis is None else read_bool(raw_dialysis, obj.at("dialysis"))
        raw_min, raw_max = obj.opt("crcl_min"), obj.opt("crcl_max")
        crcl_min = None if raw_min is None else read_number(raw_min, obj.at("crcl_min"))
        crcl_max = None if raw_max is None else read_number(raw_max, obj.at("crcl_max"))
        amount = read_number(obj.req("amount"), obj.at("amount"))
        raw_frequency = obj.opt("frequency")
        frequency = (
            Frequency.DAILY
            if raw_frequency is None
            else read_enum(Frequency, raw_frequency, obj.at("frequency"))
        )
        text = read_text(obj.req("text"), obj.at("text"))
        note = read_opt_text(obj, "note")
        obj.done()
        if dialysis and (crcl_min is not None or crcl_max is not None):
            raise RegimenContentError(item_path, "a dialysis band has no CrCl bounds")
        if crcl_min is not None and crcl_max is not None and crcl_max <= crcl_min:
            raise RegimenContentError(item_path, "crcl_max must be above crcl_min")
        if amount > standard_amount:
            raise RegimenContentError(
                obj.at("amount"),
                f"renal amount {amount} is above the standard dose {standard_amount}",
            )
        bands.append(
            RenalBand(
                crcl_min=crcl_min,
                crcl_max=crcl_max,
                dialysis=dialysis,
                amount=amount,
                frequency=frequency,
                text=text,
                note=note,
            )
        )
    dialysis_bands = [b for b in bands if b.dialysis]
    if len(dialysis_bands) != 1:
        raise RegimenContentError(path, "needs exactly one dialysis band (dialysis: true)")
    # Non-dialysis bands must tile [0, ∞) without gaps or overlaps (min inclusive, max exclusive).
    ordered = sorted(
        (b for b in bands if not b.dialysis),
        key=lambda b: -math.inf if b.crcl_min is None else b.crcl_min,
    )
    previous_max: float | None = None
    for index, band in enumerate(ordered):
        if index == 0:
            if band.crcl_min is not None:
                raise RegimenContentError(path, "the lowest band must start at 0 (crcl_min: null)")
        elif band.crcl_min != previous_max:
            raise RegimenContentError(
                path,
                f"bands must be contiguous: a band ends at {previous_max}, next starts at"
                f" {band.crcl_min}",
            )
        if band.crcl_max is None and index != len(ordered) - 1:
            raise RegimenContentError(path, "only the highest band may be open-ended")
        previous_max = band.crcl_max
    if not ordered or ordered[-1].crcl_max is not None:
        raise RegimenContentError(path, "the highest band must be open-ended (crcl_max: null)")
    return tuple(bands)


def _renal_rule(value: Any, path: str, *, dose: DoseSpec) -> RenalRule:
    obj = ContentMapping(value, path)
    if dose.basis is not DoseBasis.FIXED_MG:
        raise RegimenContentError(path, "renal rules are only supported for fixed_mg doses")
    rule = read_text(obj.req("rule"), obj.at("rule"))
    jurisdictions_obj = ContentMapping(obj.req("jurisdictions"), obj.at("jurisdictions"))
    items: list[RenalJurisdictionRule] = []
    for jurisdiction in Jurisdiction:
        key = jurisdiction.value
        j_obj = ContentMapping(jurisdictions_obj.req(key), jurisdictions_obj.at(key))
        label = read_text(j_obj.req("label"), j_obj.at("label"))
        source = read_text(j_obj.req("source"), j_obj.at("source"))
        verification, note = read_verification(j_obj)
        j_record = read_record(j_obj)
        bands = _renal_bands(j_obj.req("bands"), j_obj.at("bands"), standard_amount=dose.amount)
        j_obj.done()
        items.append(
            RenalJurisdictionRule(
                jurisdiction=jurisdiction,
                label=label,
                source=source,
                verification=verification,
                verification_note=note,
                record=j_record,
                bands=bands,
            )
        )
    jurisdictions_obj.done()
    obj.done()
    return RenalRule(rule=rule, jurisdictions=tuple(items))


def _bsa_cap(value: Any, path: str, *, dose: DoseSpec) -> BsaCap:
    obj = ContentMapping(value, path)
    if dose.basis is not DoseBasis.MG_PER_M2:
        raise RegimenContentError(path, "a BSA cap needs a mg_per_m2 dose")
    m2 = read_number(obj.req("m2"), obj.at("m2"))
    source = read_text(obj.req("source"), obj.at("source"))
    verification, note = read_verification(obj)
    record = read_record(obj)
    obj.done()
    return BsaCap(
        m2=m2, source=source, verification=verification, verification_note=note, record=record
    )


def _presentations(value: Any, path: str, *, concentration: float | None) -> Presentations:
    obj = ContentMapping(value, path)
    form = read_enum(PresentationForm, obj.req("form"), obj.at("form"))
    items: list[Presentation] = []
    for item_path, item in read_items(obj.req("strengths"), obj.at("strengths")):
        p_obj = ContentMapping(item, item_path)
        mg = read_number(p_obj.req("mg"), p_obj.at("mg"))
        raw_ml = p_obj.opt("ml")
        ml = None if raw_ml is None else read_number(raw_ml, p_obj.at("ml"))
        p_obj.done()
        if ml is not None and form is not PresentationForm.VIAL:
            raise RegimenContentError(p_obj.at("ml"), "only vials have a volume")
        if (
            ml is not None
            and concentration is not None
            and not math.isclose(mg / ml, concentration)
        ):
            raise RegimenContentError(
                item_path, f"{mg} mg / {ml} mL does not match concentration {concentration} mg/mL"
            )
        if any(existing.strength_mg == mg for existing in items):
            raise RegimenContentError(p_obj.at("mg"), f"strength {mg} mg listed twice")
        items.append(Presentation(strength_mg=mg, volume_ml=ml))
    source = read_text(obj.req("source"), obj.at("source"))
    verification, note = read_verification(obj)
    record = read_record(obj)
    obj.done()
    items.sort(key=lambda p: p.strength_mg, reverse=True)
    return Presentations(
        form=form,
        items=tuple(items),
        source=source,
        verification=verification,
        verification_note=note,
        record=record,
    )


def _premedication(value: Any, path: str) -> Premedication:
    obj = ContentMapping(value, path)
    timing = read_text(obj.req("timing"), obj.at("timing"))
    timing_after = read_opt_text(obj, "timing_after")
    before_minutes: NumberRange | None = None
    raw_before = obj.opt("before_minutes")
    if raw_before is not None:
        before_minutes = read_range(raw_before, obj.at("before_minutes"))
        if before_minutes.last is None:
            raise RegimenContentError(obj.at("before_minutes"), "needs an upper bound")
    raw_steroid = obj.opt("backbone_steroid")
    steroid = None if raw_steroid is None else read_text(raw_steroid, obj.at("backbone_steroid"))
    note = read_opt_text(obj, "note")
    source = read_text(obj.req("source"), obj.at("source"))
    verification, verification_note = read_verification(obj)
    record = read_record(obj)
    items: list[PremedicationItem] = []
    for item_path, item in read_items(obj.req("items"), obj.at("items"), allow_empty=True):
        i_obj = ContentMapping(item, item_path)
        raw_cycles = i_obj.opt("cycles")
        raw_when = i_obj.opt("when")
        when = (
            PremedicationTiming.BEFORE
            if raw_when is None
            else read_enum(PremedicationTiming, raw_when, i_obj.at("when"))
        )
        if when is PremedicationTiming.AFTER and not timing_after:
            raise RegimenContentError(
                obj.at("timing_after"), "required when an item is given after the infusion"
            )
        items.append(
            PremedicationItem(
                name=read_text(i_obj.req("name"), i_obj.at("name")),
                dose=read_text(i_obj.req("dose"), i_obj.at("dose")),
                route=read_text(i_obj.req("route"), i_obj.at("route")),
                rule=read_text(i_obj.req("rule"), i_obj.at("rule")),
                text=read_text(i_obj.req("text"), i_obj.at("text")),
                cycles=None if raw_cycles is None else read_range(raw_cycles, i_obj.at("cycles")),
                when=when,
            )
        )
        i_obj.done()
    obj.done()
    return Premedication(
        timing=timing,
        before_minutes=before_minutes,
        timing_after=timing_after,
        backbone_steroid=steroid,
        note=note,
        source=source,
        verification=verification,
        verification_note=verification_note,
        record=record,
        items=tuple(items),
    )


def _infusion(value: Any, path: str) -> InfusionPlan:
    obj = ContentMapping(value, path)
    volume = read_number(obj.req("volume_ml"), obj.at("volume_ml"))
    diluent = read_text(obj.req("diluent"), obj.at("diluent"))
    note = read_opt_text(obj, "note")
    source = read_text(obj.req("source"), obj.at("source"))
    verification, verification_note = read_verification(obj)
    record = read_record(obj)
    steps_source = read_text(obj.req("steps_source"), obj.at("steps_source"))
    steps_verification = read_enum(
        Verification, obj.req("steps_verification"), obj.at("steps_verification")
    )
    rates: list[InfusionRate] = []
    expected_first = 1
    items = list(read_items(obj.req("by_infusion"), obj.at("by_infusion")))
    for index, (item_path, item) in enumerate(items):
        r_obj = ContentMapping(item, item_path)
        infusions = read_range(r_obj.req("infusions"), r_obj.at("infusions"))
        total = read_number(r_obj.req("total_minutes"), r_obj.at("total_minutes"))
        steps: list[InfusionStep] = []
        step_items = list(read_items(r_obj.req("steps"), r_obj.at("steps")))
        for s_index, (step_path, step) in enumerate(step_items):
            s_obj = ContentMapping(step, step_path)
            rate = read_number(s_obj.req("rate_ml_h"), s_obj.at("rate_ml_h"))
            raw_minutes = s_obj.opt("minutes")
            minutes = None if raw_minutes is None else read_number(raw_minutes, s_obj.at("minutes"))
            s_obj.done()
            is_last = s_index == len(step_items) - 1
            if (minutes is None) != is_last:
                raise RegimenContentError(
                    s_obj.at("minutes"), "only the last step runs until the bag is empty (null)"
                )
            steps.append(InfusionStep(rate_ml_h=rate, minutes=minutes))
        r_obj.done()
        if infusions.first != expected_first:
            raise RegimenContentError(
                r_obj.at("infusions"), f"must continue at infusion {expected_first}"
            )
        if infusions.last is None and index != len(items) - 1:
            raise RegimenContentError(r_obj.at("infusions"), "only the last entry may be open")
        computed = infusion_minutes(volume_ml=volume, steps=steps)
        if abs(computed - total) > INFUSION_TOTAL_TOLERANCE_MIN:
            raise RegimenContentError(
                r_obj.at("steps"),
                f"steps give {computed:.2f} min for {volume} mL, not total_minutes {total}",
            )
        rates.append(InfusionRate(infusions=infusions, total_minutes=total, steps=tuple(steps)))
        expected_first = (infusions.last or 0) + 1
    if rates[-1].infusions.last is not None:
        raise RegimenContentError(obj.at("by_infusion"), "the last entry must be open-ended")
    obj.done()
    return InfusionPlan(
        volume_ml=volume,
        diluent=diluent,
        note=note,
        source=source,
        verification=verification,
        verification_note=verification_note,
        record=record,
        steps_source=steps_source,
        steps_verification=steps_verification,
        by_infusion=tuple(rates),
    )


def _component(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> Component:
    obj = ContentMapping(value, path)
    drug = read_text(obj.req("drug"), obj.at("drug"))
    if not _INN_RE.match(drug):
        raise RegimenContentError(obj.at("drug"), f"must be a lower-case INN (got {drug!r})")
    route, route_rule = _route(obj)
    dose = _dose(obj.req("dose"), obj.at("dose"))
    schedule = _schedule(
        obj.req("schedule"), obj.at("schedule"), cycle_rules=cycle_rules, max_cycles=max_cycles
    )
    overrides = (
        obj.optional("dose_overrides", lambda raw, at: _overrides(raw, at, schedule=schedule)) or ()
    )
    age_rule = obj.optional(
        "age_rule",
        lambda raw, at: _age_rule(raw, at, cycle_rules=cycle_rules, max_cycles=max_cycles),
    )
    renal_rule = obj.optional("renal_rule", lambda raw, at: _renal_rule(raw, at, dose=dose))
    bsa_cap = obj.optional("bsa_cap", lambda raw, at: _bsa_cap(raw, at, dose=dose))
    min_interval = obj.optional("min_interval_hours", lambda raw, at: read_int(raw, at, minimum=1))
    concentration = obj.optional("concentration_mg_ml", read_number)
    presentations = obj.optional(
        "presentations", lambda raw, at: _presentations(raw, at, concentration=concentration)
    )
    number_infusions = obj.optional("number_infusions", read_bool) or False
    infusion = obj.optional("infusion", _infusion)
    premedication = obj.optional("premedication", _premedication)
    administration_note = read_opt_text(obj, "administration_note")
    instructions = read_text(obj.req("patient_instructions"), obj.at("patient_instructions"))
    source = read_text(obj.req("source"), obj.at("source"))
    verification, verification_note = read_verification(obj)
    record = read_record(obj)
    obj.done()

    # Precedence: an age rule with its own schedule replaces the days and the amount where it
    # applies (DKd: 20 mg weekly from week 2 at ≥ 75 instead of the split doses and the 40 mg day
    # 22 override), so it may sit beside dose overrides; otherwise one rule per component.
    overrides_apart = overrides and not (age_rule is not None and age_rule.schedule)
    combined = [
        key
        for key, rule in (
            ("dose_overrides", overrides_apart),
            ("age_rule", age_rule),
            ("renal_rule", renal_rule),
        )
        if rule
    ]
    if overrides and renal_rule is not None:
        combined = ["dose_overrides", "renal_rule"]
    if len(combined) > 1:
        raise RegimenContentError(
            path, f"{' and '.join(combined)} cannot be combined on one component (precedence)"
        )
    if number_infusions and route is not Route.IV:
        raise RegimenContentError(obj.at("number_infusions"), "only IV infusions are numbered")
    if infusion is not None and not number_infusions:
        raise RegimenContentError(
            obj.at("infusion"), "an infusion plan needs number_infusions: true"
        )
    if concentration is not None and (
        presentations is None or presentations.form is not PresentationForm.VIAL
    ):
        raise RegimenContentError(obj.at("concentration_mg_ml"), "needs vial presentations")
    # C5: the engine rejects bortezomib calendars with < 72 h between doses (V1, [PUB] P18).
    if drug == "bortezomib" and (min_interval is None or min_interval < 72):
        raise RegimenContentError(
            obj.at("min_interval_hours"), "bortezomib needs min_interval_hours: 72 or more (V1, C5)"
        )
    if min_interval is not None:
        min_gap_days = math.ceil(min_interval / 24)
        for index, rule in enumerate(schedule):
            gaps = [b - a for a, b in zip(rule.days, rule.days[1:], strict=False)]
            if gaps and min(gaps) < min_gap_days:
                raise RegimenContentError(
                    f"{obj.at('schedule')}[{index}].days",
                    f"days closer than {min_interval} h apart (min_interval_hours)",
                )
    return Component(
        drug=drug,
        route=route,
        route_rule=route_rule,
        dose=dose,
        schedule=schedule,
        dose_overrides=overrides,
        age_rule=age_rule,
        renal_rule=renal_rule,
        bsa_cap=bsa_cap,
        min_interval_hours=min_interval,
        presentations=presentations,
        concentration_mg_ml=concentration,
        number_infusions=number_infusions,
        infusion=infusion,
        premedication=premedication,
        administration_note=administration_note,
        patient_instructions=instructions,
        source=source,
        verification=verification,
        verification_note=verification_note,
        record=record,
    )


def regimen_spec_from_dict(data: Mapping[str, Any]) -> RegimenSpec:
    """Build and validate a :class:`RegimenSpec` from its definition (YAML/JSON mapping).

    Raises :class:`RegimenContentError` naming the path of the first problem found.
    """
    obj = ContentMapping(data, "")
    slug = read_text(obj.req("slug"), "slug")
    if not _SLUG_RE.match(slug):
        raise RegimenContentError("slug", f"must be lower-case words joined by '-' (got {slug!r})")
    name = read_text(obj.req("name"), "name")
    indication = read_text(obj.req("indication"), "indication")
    source = read_text(obj.req("source"), "source")
    author = read_text(obj.req("author"), "author")
    raw_checker = obj.opt("checker")
    checker = None if raw_checker is None else read_text(raw_checker, "checker")
    verification, verification_note = read_verification(obj)
    record = read_record(obj)

    notes_obj = obj.opt("jurisdiction_notes")
    jurisdiction_notes: list[JurisdictionNote] = []
    if notes_obj is not None:
        j_obj = ContentMapping(notes_obj, "jurisdiction_notes")
        for jurisdiction in Jurisdiction:
            raw = j_obj.opt(jurisdiction.value)
            if raw is not None:
                jurisdiction_notes.append(
                    JurisdictionNote(
                        jurisdiction=jurisdiction, text=read_text(raw, j_obj.at(jurisdiction.value))
                    )
                )
        j_obj.done()

    cycle_rules = _cycle_rules(obj.req("cycle_rules"), "cycle_rules")
    raw_max = obj.opt("max_cycles")
    max_cycles = None if raw_max is None else read_int(raw_max, "max_cycles", minimum=1)
    last_rule = cycle_rules[-1].cycles
    if last_rule.last is not None and (max_cycles is None or max_cycles > last_rule.last):
        raise RegimenContentError(
            "max_cycles",
            f"cycle rules end at cycle {last_rule.last}: max_cycles must be set and ≤"
            f" {last_rule.last} (or make the last cycle rule open-ended)",
        )

    components: list[Component] = []
    for item_path, item in read_items(obj.req("components"), "components"):
        component = _component(item, item_path, cycle_rules=cycle_rules, max_cycles=max_cycles)
        if any(c.drug == component.drug for c in components):
            raise RegimenContentError(
                f"{item_path}.drug",
                f"{component.drug} is listed twice (one administration per drug per day)",
            )
        components.append(component)
    drugs = {c.drug for c in components}

    for index, component in enumerate(components):
        path = f"components[{index}]"
        if component.route_rule is not None:
            unknown = sorted(set(component.route_rule.on_days_with) - (drugs - {component.drug}))
            if unknown:
                raise RegimenContentError(
                    f"{path}.route.on_days_with", f"not other drugs of this regimen: {unknown}"
                )
        premed = component.premedication
        if (
            premed is not None
            and premed.backbone_steroid is not None
            and premed.backbone_steroid not in drugs
        ):
            raise RegimenContentError(
                f"{path}.premedication.backbone_steroid",
                f"{premed.backbone_steroid} is not a drug of this regimen",
            )
        if verification is Verification.VERIFIED and component.verification is Verification.PENDING:
            raise RegimenContentError(
                f"{path}.verification",
                "a regimen marked verified cannot contain a pending component",
            )

    order_rule: OrderRule | None = None
    raw_order = obj.opt("order_on_shared_days")
    if raw_order is not None:
        o_obj = ContentMapping(raw_order, "order_on_shared_days")
        order_drugs = tuple(
            read_text(item, item_path)
            for item_path, item in read_items(o_obj.req("drugs"), o_obj.at("drugs"))
        )
        if len(set(order_drugs)) != len(order_drugs) or not set(order_drugs) <= drugs:
            raise RegimenContentError(o_obj.at("drugs"), "must list distinct drugs of this regimen")
        order_rule = OrderRule(
            drugs=order_drugs,
            source=read_text(o_obj.req("source"), o_obj.at("source")),
            verification=read_enum(
                Verification, o_obj.req("verification"), o_obj.at("verification")
            ),
            record=read_record(o_obj),
        )
        o_obj.done()

    milestones: list[Milestone] = []
    raw_milestones = obj.opt("milestones")
    if raw_milestones is not None:
        for item_path, item in read_items(raw_milestones, "milestones", allow_empty=True):
            m_obj = ContentMapping(item, item_path)
            after = read_int(m_obj.req("after_cycle"), m_obj.at("after_cycle"), minimum=1)
            if max_cycles is not None and after > max_cycles:
                raise RegimenContentError(
                    m_obj.at("after_cycle"), f"is after the last cycle ({max_cycles})"
                )
            label = read_text(m_obj.req("label"), m_obj.at("label"))
            names_transplant = _TRANSPLANT_RE.search(label) is not None
            raw_transplant = m_obj.opt("transplant")
            if raw_transplant is not None:
                transplant = read_bool(raw_transplant, m_obj.at("transplant"))
                if names_transplant and not transplant:
                    raise RegimenContentError(
                        m_obj.at("transplant"),
                        "is false but the label names a transplant (ASCT/high-dose therapy)",
                    )
            else:
                # Definitions stored before the flag existed: the label decides.
                transplant = names_transplant
            milestones.append(
                Milestone(
                    after_cycle=after,
                    label=label,
                    transplant=transplant,
                    source=read_text(m_obj.req("source"), m_obj.at("source")),
                    verification=read_enum(
                        Verification, m_obj.req("verification"), m_obj.at("verification")
                    ),
                    record=read_record(m_obj),
                )
            )
            m_obj.done()

    notes: list[str] = []
    raw_notes = obj.opt("notes")
    if raw_notes is not None:
        notes = [read_text(item, p) for p, item in read_items(raw_notes, "notes", allow_empty=True)]

    settings: list[Setting] = []
    raw_settings = obj.opt("settings")
    if raw_settings is not None:
        for item_path, item in read_items(raw_settings, "settings"):
            setting = read_enum(Setting, item, item_path)
            if setting in settings:
                raise RegimenContentError(item_path, f"{setting.value} is listed twice")
            settings.append(setting)

    supportive_care: list[SupportiveCareNote] = []
    raw_care = obj.opt("supportive_care")
    if raw_care is not None:
        for item_path, item in read_items(raw_care, "supportive_care"):
            c_obj = ContentMapping(item, item_path)
            text = read_text(c_obj.req("text"), c_obj.at("text"))
            raw_patient_note = c_obj.opt("patient_note")
            patient_note = (
                None
                if raw_patient_note is None
                else read_enum(PatientNote, raw_patient_note, c_obj.at("patient_note"))
            )
            care_source = read_text(c_obj.req("source"), c_obj.at("source"))
            care_verification, care_note = read_verification(c_obj)
            care_record = read_record(c_obj)
            c_obj.done()
            supportive_care.append(
                SupportiveCareNote(
                    text=text,
                    patient_note=patient_note,
                    source=care_source,
                    verification=care_verification,
                    verification_note=care_note,
                    record=care_record,
                )
            )
    obj.done()

    return RegimenSpec(
        slug=slug,
        name=name,
        indication=indication,
        source=source,
        author=author,
        checker=checker,
        verification=verification,
        verification_note=verification_note,
        record=record,
        jurisdiction_notes=tuple(jurisdiction_notes),
        cycle_rules=cycle_rules,
        max_cycles=max_cycles,
        components=tuple(components),
        order_on_shared_days=order_rule,
        milestones=tuple(milestones),
        notes=tuple(notes),
        settings=tuple(settings),
        supportive_care=tuple(supportive_care),
    )
