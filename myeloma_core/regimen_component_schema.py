"""The schema of one component of a regimen definition (pydantic): its route, dose, days, dose
rules (overrides, age, renal, BSA cap), presentations, infusion plan and premedication.

Used by :mod:`myeloma_core.regimen_schema`, which reads the whole definition; each model's
``to_domain()`` builds the matching frozen dataclass of :mod:`myeloma_core.regimen`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from myeloma_core.content_schema import (
    ContentModel,
    Cycles,
    Days,
    Lenient,
    OptionalText,
    PositiveNumber,
    Text,
    VerifiedModel,
    WholeNumber,
    located,
    problem,
)
from myeloma_core.regimen import (
    AgeOperator,
    AgeRule,
    BsaCap,
    Component,
    DayRule,
    DoseBasis,
    DoseOverride,
    DoseSpec,
    Frequency,
    InfusionPlan,
    InfusionRate,
    InfusionStep,
    Jurisdiction,
    Premedication,
    PremedicationItem,
    PremedicationTiming,
    Presentation,
    PresentationForm,
    Presentations,
    RenalBand,
    RenalJurisdictionRule,
    RenalRule,
    Route,
    RouteRule,
    infusion_minutes,
)
from myeloma_core.vocabulary import Verification

__all__ = ["ComponentModel", "DayRuleModel", "RouteRuleModel"]

INFUSION_TOTAL_TOLERANCE_MIN = 0.05

_INN_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class RouteRuleModel(ContentModel):
    default: Annotated[Route, Lenient]
    on_days_with: Annotated[list[Text], Field(min_length=1)]
    route: Annotated[Route, Lenient]

    @model_validator(mode="after")
    def _differs_from_default(self) -> Self:
        if self.route is self.default:
            raise problem("route on shared days equals the default route")
        return self


def _text_or_mapping(value: Any) -> str:
    return "<mapping>" if isinstance(value, Mapping) else "<text>"


# A route is a name (``iv``) or a rule (``{default: po, on_days_with: [...], route: iv}``).
RouteField = Annotated[
    Annotated[Route, Lenient, Tag("<text>")] | Annotated[RouteRuleModel, Tag("<mapping>")],
    Discriminator(_text_or_mapping),
]


class DoseModel(ContentModel):
    basis: Annotated[DoseBasis, Lenient]
    amount: PositiveNumber


class DayRuleModel(ContentModel):
    cycles: Cycles
    days: Days

    def to_domain(self) -> DayRule:
        return DayRule(cycles=self.cycles, days=self.days)


class DoseOverrideModel(ContentModel):
    cycles: Cycles
    days: Days
    amount: PositiveNumber
    label: Text

    def to_domain(self) -> DoseOverride:
        return DoseOverride(
            cycles=self.cycles, days=self.days, amount=self.amount, label=self.label
        )


class StartModel(ContentModel):
    cycle: WholeNumber
    day: WholeNumber


class AgeRuleModel(VerifiedModel):
    operator: Annotated[AgeOperator, Lenient]
    years: Annotated[int, Field(ge=18, le=110)]
    amount: PositiveNumber
    start: StartModel | None = Field(default=None, alias="from")
    schedule: Annotated[list[DayRuleModel], Field(min_length=1)] | None = None
    source: Text

    @model_validator(mode="after")
    def _schedule_covers_start(self) -> Self:
        cycle = 1 if self.start is None else self.start.cycle
        if self.schedule and not any(rule.cycles.contains(cycle) for rule in self.schedule):
            raise located("schedule", f"does not cover cycle {cycle}, where the rule starts")
        return self

    def to_domain(self) -> AgeRule:
        return AgeRule(
            operator=self.operator,
            years=self.years,
            amount=self.amount,
            from_cycle=1 if self.start is None else self.start.cycle,
            from_day=1 if self.start is None else self.start.day,
            schedule=tuple(rule.to_domain() for rule in self.schedule or ()),
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )


class RenalBandModel(ContentModel):
    """CrCl bounds: ``crcl_min`` inclusive, ``crcl_max`` exclusive; or the dialysis band."""

    dialysis: bool | None = None
    crcl_min: PositiveNumber | None = None
    crcl_max: PositiveNumber | None = None
    amount: PositiveNumber
    frequency: Annotated[Frequency, Lenient] | None = None
    text: Text
    note: OptionalText | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.dialysis and (self.crcl_min is not None or self.crcl_max is not None):
            raise problem("a dialysis band has no CrCl bounds")
        if (
            self.crcl_min is not None
            and self.crcl_max is not None
            and self.crcl_max <= self.crcl_min
        ):
            raise problem("crcl_max must be above crcl_min")
        return self

    def to_domain(self) -> RenalBand:
        return RenalBand(
            crcl_min=self.crcl_min,
            crcl_max=self.crcl_max,
            dialysis=bool(self.dialysis),
            amount=self.amount,
            frequency=self.frequency or Frequency.DAILY,
            text=self.text,
            note=self.note or "",
        )


class RenalJurisdictionModel(VerifiedModel):
    label: Text
    source: Text
    bands: Annotated[list[RenalBandModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _bands_tile(self) -> Self:
        """One dialysis band; the others tile [0, ∞) without gaps or overlaps."""
        if sum(1 for band in self.bands if band.dialysis) != 1:
            raise located("bands", "needs exactly one dialysis band (dialysis: true)")
        ordered = sorted(
            (b for b in self.bands if not b.dialysis),
            key=lambda b: -math.inf if b.crcl_min is None else b.crcl_min,
        )
        previous_max: float | None = None
        for index, band in enumerate(ordered):
            if index == 0:
                if band.crcl_min is not None:
                    raise located("bands", "the lowest band must start at 0 (crcl_min: null)")
            elif band.crcl_min != previous_max:
                raise located(
                    "bands",
                    f"bands must be contiguous: a band ends at {previous_max}, next starts at"
                    f" {band.crcl_min}",
                )
            if band.crcl_max is None and index != len(ordered) - 1:
                raise located("bands", "only the highest band may be open-ended")
            previous_max = band.crcl_max
        if not ordered or ordered[-1].crcl_max is not None:
            raise located("bands", "the highest band must be open-ended (crcl_max: null)")
        return self

    def to_domain(self, jurisdiction: Jurisdiction) -> RenalJurisdictionRule:
        return RenalJurisdictionRule(
            jurisdiction=jurisdiction,
            label=self.label,
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
            bands=tuple(band.to_domain() for band in self.bands),
        )


class RenalJurisdictionsModel(ContentModel):
    """Every jurisdiction is required (lenalidomide L2 EU vs L3 US, §17 #3)."""

    eu: RenalJurisdictionModel
    us: RenalJurisdictionModel

    def of(self, jurisdiction: Jurisdiction) -> RenalJurisdictionModel:
        return {Jurisdiction.EU: self.eu, Jurisdiction.US: self.us}[jurisdiction]


class RenalRuleModel(ContentModel):
    rule: Text
    jurisdictions: RenalJurisdictionsModel

    def to_domain(self) -> RenalRule:
        return RenalRule(
            rule=self.rule,
            jurisdictions=tuple(self.jurisdictions.of(j).to_domain(j) for j in Jurisdiction),
        )


class BsaCapModel(VerifiedModel):
    m2: PositiveNumber
    source: Text

    def to_domain(self) -> BsaCap:
        return BsaCap(
            m2=self.m2,
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )


class StrengthModel(ContentModel):
    mg: PositiveNumber
    ml: PositiveNumber | None = None


class PresentationsModel(VerifiedModel):
    form: Annotated[PresentationForm, Lenient]
    strengths: Annotated[list[StrengthModel], Field(min_length=1)]
    source: Text

    @model_validator(mode="after")
    def _strengths(self) -> Self:
        for index, item in enumerate(self.strengths):
            if item.ml is not None and self.form is not PresentationForm.VIAL:
                raise located(f"strengths[{index}].ml", "only vials have a volume")
            if any(earlier.mg == item.mg for earlier in self.strengths[:index]):
                raise located(f"strengths[{index}].mg", f"strength {item.mg} mg listed twice")
        return self

    def to_domain(self) -> Presentations:
        items = sorted(
            (Presentation(strength_mg=s.mg, volume_ml=s.ml) for s in self.strengths),
            key=lambda p: p.strength_mg,
            reverse=True,
        )
        return Presentations(
            form=self.form,
            items=tuple(items),
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )


class PremedicationItemModel(ContentModel):
    name: Text
    dose: Text
    route: Text
    rule: Text
    text: Text
    cycles: Cycles | None = None
    when: Annotated[PremedicationTiming, Lenient] | None = None

    def to_domain(self) -> PremedicationItem:
        return PremedicationItem(
            name=self.name,
            dose=self.dose,
            route=self.route,
            rule=self.rule,
            text=self.text,
            cycles=self.cycles,
            when=self.when or PremedicationTiming.BEFORE,
        )


class PremedicationModel(VerifiedModel):
    timing: Text
    timing_after: OptionalText | None = None
    before_minutes: Cycles | None = None
    backbone_steroid: Text | None = None
    note: OptionalText | None = None
    source: Text
    items: list[PremedicationItemModel]

    @model_validator(mode="after")
    def _timings(self) -> Self:
        if self.before_minutes is not None and self.before_minutes.last is None:
            raise located("before_minutes", "needs an upper bound")
        if not self.timing_after and any(
            item.when is PremedicationTiming.AFTER for item in self.items
        ):
            raise located("timing_after", "required when an item is given after the infusion")
        return self

    def to_domain(self) -> Premedication:
        return Premedication(
            timing=self.timing,
            before_minutes=self.before_minutes,
            timing_after=self.timing_after or "",
            backbone_steroid=self.backbone_steroid,
            note=self.note or "",
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
            items=tuple(item.to_domain() for item in self.items),
        )


class InfusionStepModel(ContentModel):
    """A rate held for ``minutes`` (null: until the bag is empty; only the last step)."""

    rate_ml_h: PositiveNumber
    minutes: PositiveNumber | None = None

    def to_domain(self) -> InfusionStep:
        return InfusionStep(rate_ml_h=self.rate_ml_h, minutes=self.minutes)


class InfusionRateModel(ContentModel):
    infusions: Cycles
    total_minutes: PositiveNumber
    steps: Annotated[list[InfusionStepModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _last_step_open(self) -> Self:
        for index, step in enumerate(self.steps):
            if (step.minutes is None) != (index == len(self.steps) - 1):
                raise located(
                    f"steps[{index}].minutes",
                    "only the last step runs until the bag is empty (null)",
                )
        return self

    def to_domain(self) -> InfusionRate:
        return InfusionRate(
            infusions=self.infusions,
            total_minutes=self.total_minutes,
            steps=tuple(step.to_domain() for step in self.steps),
        )


class InfusionModel(VerifiedModel):
    """X18/X22/X23: fixed volume; the steps of each infusion must give its total duration."""

    volume_ml: PositiveNumber
    diluent: Text
    note: OptionalText | None = None
    source: Text
    steps_source: Text
    steps_verification: Annotated[Verification, Lenient]
    by_infusion: Annotated[list[InfusionRateModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _infusions_continue(self) -> Self:
        expected_first = 1
        for index, rate in enumerate(self.by_infusion):
            at = f"by_infusion[{index}]"
            if rate.infusions.first != expected_first:
                raise located(f"{at}.infusions", f"must continue at infusion {expected_first}")
            if rate.infusions.last is None and index != len(self.by_infusion) - 1:
                raise located(f"{at}.infusions", "only the last entry may be open")
            steps = [step.to_domain() for step in rate.steps]
            computed = infusion_minutes(volume_ml=self.volume_ml, steps=steps)
            if abs(computed - rate.total_minutes) > INFUSION_TOTAL_TOLERANCE_MIN:
                raise located(
                    f"{at}.steps",
                    f"steps give {computed:.2f} min for {self.volume_ml} mL, not total_minutes"
                    f" {rate.total_minutes}",
                )
            expected_first = (rate.infusions.last or 0) + 1
        if self.by_infusion[-1].infusions.last is not None:
            raise located("by_infusion", "the last entry must be open-ended")
        return self

    def to_domain(self) -> InfusionPlan:
        return InfusionPlan(
            volume_ml=self.volume_ml,
            diluent=self.diluent,
            note=self.note or "",
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
            steps_source=self.steps_source,
            steps_verification=self.steps_verification,
            by_infusion=tuple(rate.to_domain() for rate in self.by_infusion),
        )


class ComponentModel(VerifiedModel):
    drug: Text
    route: RouteField
    dose: DoseModel
    schedule: Annotated[list[DayRuleModel], Field(min_length=1)]
    dose_overrides: list[DoseOverrideModel] | None = None
    age_rule: AgeRuleModel | None = None
    renal_rule: RenalRuleModel | None = None
    bsa_cap: BsaCapModel | None = None
    min_interval_hours: WholeNumber | None = None
    concentration_mg_ml: PositiveNumber | None = None
    presentations: PresentationsModel | None = None
    number_infusions: bool | None = None
    infusion: InfusionModel | None = None
    premedication: PremedicationModel | None = None
    administration_note: OptionalText | None = None
    patient_instructions: Text
    source: Text

    @field_validator("drug")
    @classmethod
    def _inn(cls, drug: str) -> str:
        if not _INN_RE.match(drug):
            raise problem(f"must be a lower-case INN (got {drug[:40]!r})")
        return drug

    @property
    def default_route(self) -> Route:
        return self.route.default if isinstance(self.route, RouteRuleModel) else self.route

    @model_validator(mode="after")
    def _rules_fit_the_dose(self) -> Self:
        if self.renal_rule is not None and self.dose.basis is not DoseBasis.FIXED_MG:
            raise located("renal_rule", "renal rules are only supported for fixed_mg doses")
        if self.bsa_cap is not None and self.dose.basis is not DoseBasis.MG_PER_M2:
            raise located("bsa_cap", "a BSA cap needs a mg_per_m2 dose")
        if self.renal_rule is not None:
            for jurisdiction in Jurisdiction:
                bands = self.renal_rule.jurisdictions.of(jurisdiction).bands
                for index, band in enumerate(bands):
                    if band.amount > self.dose.amount:
                        raise located(
                            f"renal_rule.jurisdictions.{jurisdiction.value}.bands[{index}].amount",
                            f"renal amount {band.amount} is above the standard dose"
                            f" {self.dose.amount}",
                        )
        return self

    @model_validator(mode="after")
    def _overrides_hit_dosing_days(self) -> Self:
        overrides = self.dose_overrides or []
        for index, override in enumerate(overrides):
            at = f"dose_overrides[{index}]"
            covering = [rule for rule in self.schedule if rule.cycles.overlaps(override.cycles)]
            if not covering:
                raise located(f"{at}.cycles", "no scheduled cycles in this range")
            for rule in covering:
                missing = sorted(set(override.days) - set(rule.days))
                if missing:
                    raise located(
                        f"{at}.days", f"day(s) {missing} are not dosing days in {rule.cycles.label}"
                    )
            for earlier in overrides[:index]:
                if earlier.cycles.overlaps(override.cycles) and set(earlier.days) & set(
                    override.days
                ):
                    raise located(at, "overlaps an earlier dose override")
        return self

    @model_validator(mode="after")
    def _one_dose_rule(self) -> Self:
        """Precedence: an age rule with its own schedule replaces the days and the amount where it
        applies (DKd: 20 mg weekly from week 2 at ≥ 75 instead of the split doses and the 40 mg
        day 22 override), so it may sit beside dose overrides; otherwise one rule per component."""
        overrides = bool(self.dose_overrides)
        overrides_apart = overrides and not (self.age_rule is not None and self.age_rule.schedule)
        combined = [
            key
            for key, present in (
                ("dose_overrides", overrides_apart),
                ("age_rule", self.age_rule is not None),
                ("renal_rule", self.renal_rule is not None),
            )
            if present
        ]
        if overrides and self.renal_rule is not None:
            combined = ["dose_overrides", "renal_rule"]
        if len(combined) > 1:
            raise problem(
                f"{' and '.join(combined)} cannot be combined on one component (precedence)"
            )
        return self

    @model_validator(mode="after")
    def _administration(self) -> Self:
        if self.number_infusions and self.default_route is not Route.IV:
            raise located("number_infusions", "only IV infusions are numbered")
        if self.infusion is not None and not self.number_infusions:
            raise located("infusion", "an infusion plan needs number_infusions: true")
        concentration = self.concentration_mg_ml
        if concentration is not None:
            if self.presentations is None or self.presentations.form is not PresentationForm.VIAL:
                raise located("concentration_mg_ml", "needs vial presentations")
            for index, item in enumerate(self.presentations.strengths):
                if item.ml is not None and not math.isclose(item.mg / item.ml, concentration):
                    raise located(
                        f"presentations.strengths[{index}]",
                        f"{item.mg} mg / {item.ml} mL does not match concentration"
                        f" {concentration} mg/mL",
                    )
        return self

    @model_validator(mode="after")
    def _dose_interval(self) -> Self:
        """C5: the engine rejects bortezomib calendars with < 72 h between doses (V1, [PUB] P18)."""
        interval = self.min_interval_hours
        if self.drug == "bortezomib" and (interval is None or interval < 72):
            raise located(
                "min_interval_hours", "bortezomib needs min_interval_hours: 72 or more (V1, C5)"
            )
        if interval is not None:
            min_gap_days = math.ceil(interval / 24)
            for index, rule in enumerate(self.schedule):
                gaps = [b - a for a, b in zip(rule.days, rule.days[1:], strict=False)]
                if gaps and min(gaps) < min_gap_days:
                    raise located(
                        f"schedule[{index}].days",
                        f"days closer than {interval} h apart (min_interval_hours)",
                    )
        return self

    def to_domain(self) -> Component:
        route = self.route
        return Component(
            drug=self.drug,
            route=self.default_route,
            route_rule=(
                RouteRule(on_days_with=tuple(route.on_days_with), route=route.route)
                if isinstance(route, RouteRuleModel)
                else None
            ),
            dose=DoseSpec(basis=self.dose.basis, amount=self.dose.amount),
            schedule=tuple(rule.to_domain() for rule in self.schedule),
            dose_overrides=tuple(o.to_domain() for o in self.dose_overrides or ()),
            age_rule=None if self.age_rule is None else self.age_rule.to_domain(),
            renal_rule=None if self.renal_rule is None else self.renal_rule.to_domain(),
            bsa_cap=None if self.bsa_cap is None else self.bsa_cap.to_domain(),
            min_interval_hours=self.min_interval_hours,
            presentations=None if self.presentations is None else self.presentations.to_domain(),
            concentration_mg_ml=self.concentration_mg_ml,
            number_infusions=bool(self.number_infusions),
            infusion=None if self.infusion is None else self.infusion.to_domain(),
            premedication=None if self.premedication is None else self.premedication.to_domain(),
            administration_note=self.administration_note or "",
            patient_instructions=self.patient_instructions,
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )
