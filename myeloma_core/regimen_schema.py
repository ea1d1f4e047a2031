"""Regimen content → :class:`~myeloma_core.regimen.RegimenSpec`: the schema of a definition.

:func:`regimen_spec_from_dict` reads a regimen version's ``definition`` (the Django JSON and the
YAML files in ``content/regimens/``): the pydantic models below validate it (types, ranges, unknown
keys, and the rules between its parts), then ``to_domain()`` builds the frozen dataclasses of
:mod:`myeloma_core.regimen`. A problem raises :class:`~myeloma_core.regimen.RegimenContentError`
with the path of the offending value (``components[1].schedule[0].cycles``). The format's
conventions are described in :mod:`myeloma_core.regimen`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Self

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from myeloma_core.content_schema import (
    ContentModel,
    Cycles,
    Lenient,
    ReviewedModel,
    Text,
    VerifiedModel,
    content_problem,
    located,
    problem,
)
from myeloma_core.regimen import (
    CycleRule,
    Jurisdiction,
    JurisdictionNote,
    Milestone,
    OrderRule,
    PatientNote,
    RegimenContentError,
    RegimenSpec,
    SupportiveCareNote,
)
from myeloma_core.regimen_component_schema import ComponentModel, DayRuleModel, RouteRuleModel
from myeloma_core.schedule import MAX_CYCLES
from myeloma_core.vocabulary import Setting, Verification

__all__ = ["regimen_spec_from_dict"]

MAX_CYCLE_LENGTH_DAYS = 84

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A milestone label naming a transplant must be marked ``transplant: true`` (free text alone must
# not hide an ASCT from the setting check).
_TRANSPLANT_RE = re.compile(
    r"\bASCT\b|\bHDM\b|high[- ]dose (?:melphalan|chemotherapy)|stem[- ]cell (?:transplant|rescue)"
    r"|autologous|\btransplant(?:ation)?\b(?!-?\s*(?:in)?eligible)",
    re.IGNORECASE,
)


class CycleRuleModel(ContentModel):
    cycles: Cycles
    length_days: Annotated[int, Field(ge=1, le=MAX_CYCLE_LENGTH_DAYS)]

    def to_domain(self) -> CycleRule:
        return CycleRule(cycles=self.cycles, length_days=self.length_days)


def _schedule_problem(
    schedule: Sequence[DayRuleModel],
    path: str,
    *,
    cycle_rules: Sequence[CycleRuleModel],
    max_cycles: int | None,
) -> PydanticCustomError | None:
    """A schedule's rules must not overlap nor reach past the regimen's cycles or their length."""
    for index, rule in enumerate(schedule):
        at = f"{path}[{index}]"
        if max_cycles is not None and rule.cycles.first > max_cycles:
            return located(
                f"{at}.cycles", f"starts after the last cycle of the regimen ({max_cycles})"
            )
        for earlier in schedule[:index]:
            if earlier.cycles.overlaps(rule.cycles):
                return located(f"{at}.cycles", f"overlaps the rule for {earlier.cycles.label}")
        lengths = {
            c.length_days
            for c in cycle_rules
            if (max_cycles is None or c.cycles.first <= max_cycles)
            and c.cycles.overlaps(rule.cycles)
        }
        if lengths and rule.days[-1] > min(lengths):
            return located(
                f"{at}.days",
                f"day {rule.days[-1]} is beyond the cycle length ({min(lengths)} days) of"
                f" {rule.cycles.label}",
            )
    return None


class OrderModel(ReviewedModel):
    """X21: order of administration on days the listed drugs share."""

    drugs: Annotated[list[Text], Field(min_length=1)]
    source: Text

    def to_domain(self) -> OrderRule:
        return OrderRule(
            drugs=tuple(self.drugs),
            source=self.source,
            verification=self.verification,
            record=self.record,
        )


class MilestoneModel(ReviewedModel):
    """Without ``transplant`` a label naming a transplant sets it (definitions stored before the
    flag existed); ``transplant: false`` on such a label is an error."""

    after_cycle: Annotated[int, Field(ge=1, le=MAX_CYCLES)]
    label: Text
    transplant: bool | None = None
    source: Text

    @property
    def names_transplant(self) -> bool:
        return _TRANSPLANT_RE.search(self.label) is not None

    @model_validator(mode="after")
    def _transplant_not_hidden(self) -> Self:
        if self.transplant is False and self.names_transplant:
            raise located(
                "transplant", "is false but the label names a transplant (ASCT/high-dose therapy)"
            )
        return self

    def to_domain(self) -> Milestone:
        return Milestone(
            after_cycle=self.after_cycle,
            label=self.label,
            transplant=self.names_transplant if self.transplant is None else self.transplant,
            source=self.source,
            verification=self.verification,
            record=self.record,
        )


class SupportiveCareModel(VerifiedModel):
    text: Text
    patient_note: Annotated[PatientNote, Lenient] | None = None
    source: Text

    def to_domain(self) -> SupportiveCareNote:
        return SupportiveCareNote(
            text=self.text,
            patient_note=self.patient_note,
            source=self.source,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )


class JurisdictionNotesModel(ContentModel):
    eu: Text | None = None
    us: Text | None = None

    def to_domain(self) -> tuple[JurisdictionNote, ...]:
        texts = {Jurisdiction.EU: self.eu, Jurisdiction.US: self.us}
        return tuple(
            JurisdictionNote(jurisdiction=j, text=text) for j, text in texts.items() if text
        )


class RegimenModel(VerifiedModel):
    """A regimen definition; the rules between its parts are checked once the parts are valid."""

    slug: Text
    name: Text
    indication: Text
    source: Text
    author: Text
    checker: Text | None = None
    jurisdiction_notes: JurisdictionNotesModel | None = None
    cycle_rules: Annotated[list[CycleRuleModel], Field(min_length=1)]
    max_cycles: Annotated[int, Field(ge=1, le=MAX_CYCLES)] | None = None
    components: Annotated[list[ComponentModel], Field(min_length=1)]
    order_on_shared_days: OrderModel | None = None
    milestones: list[MilestoneModel] | None = None
    notes: list[Text] | None = None
    settings: Annotated[list[Annotated[Setting, Lenient]], Field(min_length=1)] | None = None
    supportive_care: Annotated[list[SupportiveCareModel], Field(min_length=1)] | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, slug: str) -> str:
        if not _SLUG_RE.match(slug):
            raise problem(f"must be lower-case words joined by '-' (got {slug[:40]!r})")
        return slug

    @model_validator(mode="after")
    def _cycles(self) -> Self:
        """C1/C2: cycle rules run from cycle 1 without gaps; only the last may be open."""
        expected_first = 1
        for index, rule in enumerate(self.cycle_rules):
            at = f"cycle_rules[{index}].cycles"
            if rule.cycles.first != expected_first:
                raise located(
                    at,
                    f"cycle rules must be contiguous from cycle 1: expected to start at"
                    f" cycle {expected_first}, got {rule.cycles.first}",
                )
            if rule.cycles.last is None and index != len(self.cycle_rules) - 1:
                raise located(at, "only the last cycle rule may be open")
            expected_first = (rule.cycles.last or 0) + 1
        last = self.cycle_rules[-1].cycles.last
        if last is not None and (self.max_cycles is None or self.max_cycles > last):
            raise located(
                "max_cycles",
                f"cycle rules end at cycle {last}: max_cycles must be set and ≤ {last} (or make"
                f" the last cycle rule open-ended)",
            )
        for index, milestone in enumerate(self.milestones or ()):
            if self.max_cycles is not None and milestone.after_cycle > self.max_cycles:
                raise located(
                    f"milestones[{index}].after_cycle",
                    f"is after the last cycle ({self.max_cycles})",
                )
        return self

    @model_validator(mode="after")
    def _schedules(self) -> Self:
        for index, component in enumerate(self.components):
            at = f"components[{index}]"
            schedules = [(f"{at}.schedule", component.schedule)]
            if component.age_rule is not None and component.age_rule.schedule:
                schedules.append((f"{at}.age_rule.schedule", component.age_rule.schedule))
            for path, schedule in schedules:
                found = _schedule_problem(
                    schedule, path, cycle_rules=self.cycle_rules, max_cycles=self.max_cycles
                )
                if found is not None:
                    raise found
        return self

    @model_validator(mode="after")
    def _drugs(self) -> Self:
        drugs = [component.drug for component in self.components]
        for index, component in enumerate(self.components):
            at = f"components[{index}]"
            if component.drug in drugs[:index]:
                raise located(
                    f"{at}.drug",
                    f"{component.drug} is listed twice (one administration per drug per day)",
                )
        for index, component in enumerate(self.components):
            at = f"components[{index}]"
            others = set(drugs) - {component.drug}
            if isinstance(component.route, RouteRuleModel):
                unknown = sorted(set(component.route.on_days_with) - others)
                if unknown:
                    raise located(
                        f"{at}.route.on_days_with", f"not other drugs of this regimen: {unknown}"
                    )
            premed = component.premedication
            if premed is not None and premed.backbone_steroid not in (None, *drugs):
                raise located(
                    f"{at}.premedication.backbone_steroid",
                    f"{premed.backbone_steroid} is not a drug of this regimen",
                )
            if (
                self.verification is Verification.VERIFIED
                and component.verification is Verification.PENDING
            ):
                raise located(
                    f"{at}.verification",
                    "a regimen marked verified cannot contain a pending component",
                )
        order = self.order_on_shared_days
        if order is not None and (
            len(set(order.drugs)) != len(order.drugs) or not set(order.drugs) <= set(drugs)
        ):
            raise located("order_on_shared_days.drugs", "must list distinct drugs of this regimen")
        for index, setting in enumerate(self.settings or ()):
            if setting in (self.settings or [])[:index]:
                raise located(f"settings[{index}]", f"{setting.value} is listed twice")
        return self

    def to_domain(self) -> RegimenSpec:
        return RegimenSpec(
            slug=self.slug,
            name=self.name,
            indication=self.indication,
            source=self.source,
            author=self.author,
            checker=self.checker,
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
            jurisdiction_notes=(
                () if self.jurisdiction_notes is None else self.jurisdiction_notes.to_domain()
            ),
            cycle_rules=tuple(rule.to_domain() for rule in self.cycle_rules),
            max_cycles=self.max_cycles,
            components=tuple(component.to_domain() for component in self.components),
            order_on_shared_days=(
                None if self.order_on_shared_days is None else self.order_on_shared_days.to_domain()
            ),
            milestones=tuple(m.to_domain() for m in self.milestones or ()),
            notes=tuple(self.notes or ()),
            settings=tuple(self.settings or ()),
            supportive_care=tuple(note.to_domain() for note in self.supportive_care or ()),
        )


def regimen_spec_from_dict(data: Mapping[str, Any]) -> RegimenSpec:
    """Build and validate a :class:`RegimenSpec` from its definition (YAML/JSON mapping).

    Raises :class:`RegimenContentError` naming the path of the first problem found.
    """
    try:
        model = RegimenModel.model_validate(data)
    except ValidationError as error:
        raise RegimenContentError(*content_problem(error)) from None
    return model.to_domain()
