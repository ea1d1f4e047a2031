"""Guideline content → :mod:`myeloma_core.treatment` types: the schema of a guideline document.

A guideline file (``content/guidelines/*.yaml``, or a governed version's document) holds a
header, notes per setting and its recommendations. The pydantic models below validate it — strict
types, no unknown keys, criteria from the treatment-history vocabulary, and the labelling rules of
§12.1/§20 — then ``to_domain()`` builds the frozen dataclasses. A problem raises
:class:`~myeloma_core.treatment.TreatmentContentError` with the path of the offending value
(``recommendations[3].criteria.requires_exposed[0]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from myeloma_core.content_schema import (
    ContentModel,
    Lenient,
    ReviewedModel,
    Text,
    content_problem,
    located,
    pending_note_check,
    problem,
)
from myeloma_core.treatment import (
    CRITERION_ITEMS,
    PRIOR_LINES_MAX,
    Criteria,
    Frailty,
    Guideline,
    Recommendation,
    TreatmentContentError,
)
from myeloma_core.verification_record import record_to_dict
from myeloma_core.vocabulary import Basis, Setting, Verification

__all__ = [
    "criteria_to_dict",
    "guideline_from_dict",
    "recommendation_from_dict",
    "recommendation_to_dict",
]

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INN_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def _folded(value: str) -> str:
    """Runs of blanks and line breaks (YAML folded text) read as one space."""
    return " ".join(value.split())


def _folded_or_none(value: str | None) -> str | None:
    return None if value is None or not value.strip() else _folded(value)


def _slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise problem(f"must be lower-case words joined by '-' (got {value[:40]!r})")
    return value


def _criterion_item(value: str) -> str:
    if value not in CRITERION_ITEMS:
        accepted = ", ".join(sorted(CRITERION_ITEMS))
        raise problem(f"unknown {value[:40]!r}; use {accepted}")
    return value


def _inn(value: str) -> str:
    if not _INN_RE.match(value):
        raise problem(f"must be a lower-case INN (got {value[:40]!r})")
    return value


FoldedText = Annotated[Text, AfterValidator(_folded)]
"""Non-empty text, its blanks folded."""
OptionalFoldedText = Annotated[str | None, AfterValidator(_folded_or_none)]
"""Text or nothing: null and blank text are both "none"."""
Slug = Annotated[Text, AfterValidator(_slug)]
CriterionItems = list[Annotated[str, AfterValidator(_criterion_item)]] | None
PriorLines = Annotated[int, Field(ge=0, le=PRIOR_LINES_MAX)] | None


class PriorLinesModel(ContentModel):
    min: PriorLines = None
    max: PriorLines = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise problem("min is larger than max")
        return self


class CriteriaModel(ContentModel):
    """What a patient must have for a recommendation; absent or null means "any"."""

    prior_lines: PriorLinesModel | None = None
    requires_exposed: CriterionItems = None
    excludes_exposed: CriterionItems = None
    requires_refractory: CriterionItems = None
    excludes_refractory: CriterionItems = None
    transplant_eligible: bool | None = None
    frailty: Annotated[list[Annotated[Frailty, Lenient]], Field(min_length=1)] | None = None

    def to_domain(self) -> Criteria:
        lines = self.prior_lines or PriorLinesModel()
        return Criteria(
            prior_lines_min=lines.min,
            prior_lines_max=lines.max,
            requires_exposed=frozenset(self.requires_exposed or ()),
            excludes_exposed=frozenset(self.excludes_exposed or ()),
            requires_refractory=frozenset(self.requires_refractory or ()),
            excludes_refractory=frozenset(self.excludes_refractory or ()),
            transplant_eligible=self.transplant_eligible,
            frailty=None if self.frailty is None else frozenset(self.frailty),
        )


class RecommendationModel(ReviewedModel):
    """One option. §12.1/§20: only a verified recommendation may be labelled a guideline
    recommendation, only such a one carries a grade, an approved indication names its pivotal
    trial, and pending content says what is pending (checked in that order)."""

    key: Slug
    regimen: OptionalFoldedText = None
    drugs: list[Annotated[Text, AfterValidator(_inn)]] | None = None
    name: FoldedText
    setting: Annotated[Setting, Lenient]
    criteria: CriteriaModel | None = None
    rank: int
    evidence: FoldedText
    grade: OptionalFoldedText = None
    basis: Annotated[Basis, Lenient]
    pivotal_trial: OptionalFoldedText = None
    source: FoldedText
    notes: list[FoldedText] | None = None
    verification_note: OptionalFoldedText = None

    @field_validator("regimen")
    @classmethod
    def _regimen_exists(cls, regimen: str | None, info: ValidationInfo) -> str | None:
        slugs = (info.context or {}).get("regimen_slugs")
        if regimen is not None and slugs is not None and regimen not in slugs:
            raise problem(f"no regimen {regimen[:40]!r} in content")
        return regimen

    @model_validator(mode="after")
    def _labelling(self) -> Self:
        verified = self.verification is Verification.VERIFIED
        if self.basis is Basis.GUIDELINE and not verified:
            # The guideline badge says "this is an EHA-EMN 2025 recommendation"; an unverified
            # one is what it is — an approved indication with its pivotal trial, or a trial.
            raise located(
                "basis",
                "only a verified recommendation may be labelled a guideline recommendation; use "
                "basis label (approved indication, with its pivotal trial) or investigational",
            )
        if self.grade is not None and not (self.basis is Basis.GUIDELINE and verified):
            raise located("grade", "only a verified guideline recommendation may carry a grade")
        if self.basis is Basis.LABEL and self.pivotal_trial is None:
            raise located("pivotal_trial", "an approved indication must name its pivotal trial")
        pending_note_check(self.verification, self.verification_note)
        return self

    @model_validator(mode="after")
    def _drugs_named_once(self) -> Self:
        """A recommendation without a regimen names its drugs, so refractoriness can be checked."""
        if self.regimen is not None and self.drugs:
            raise located(
                "drugs",
                "leave empty when a regimen is named: the regimen's components are its drugs",
            )
        if self.regimen is None and not self.drugs:
            raise located(
                "drugs", "a recommendation without a regimen must list its drugs (lower-case INNs)"
            )
        if self.drugs and len(set(self.drugs)) != len(self.drugs):
            raise located("drugs", "a drug is listed twice")
        return self

    def to_domain(self) -> Recommendation:
        return Recommendation(
            key=self.key,
            regimen=self.regimen,
            drugs=tuple(self.drugs or ()) if self.regimen is None else (),
            name=self.name,
            setting=self.setting,
            criteria=(self.criteria or CriteriaModel()).to_domain(),
            rank=self.rank,
            evidence=self.evidence,
            grade=self.grade,
            basis=self.basis,
            pivotal_trial=self.pivotal_trial,
            source=self.source,
            notes=tuple(self.notes or ()),
            verification=self.verification,
            record=self.record,
            verification_note=self.verification_note or "",
        )


class GuidelineModel(ContentModel):
    slug: Slug
    name: FoldedText
    version: Annotated[int, Field(ge=1)]
    source: FoldedText
    author: FoldedText
    checker: OptionalFoldedText = None
    setting_notes: dict[Annotated[Setting, Lenient], list[FoldedText]] | None = None
    recommendations: Annotated[list[RecommendationModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _keys_unique(self) -> Self:
        keys = [r.key for r in self.recommendations]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise located("recommendations", f"duplicate keys {duplicates}")
        return self

    def to_domain(self) -> tuple[Guideline, tuple[Recommendation, ...]]:
        guideline = Guideline(
            slug=self.slug,
            name=self.name,
            version=self.version,
            source=self.source,
            author=self.author,
            checker=self.checker,
            setting_notes={s: tuple(notes) for s, notes in (self.setting_notes or {}).items()},
        )
        return guideline, tuple(r.to_domain() for r in self.recommendations)


def _context(regimen_slugs: frozenset[str] | None) -> dict[str, Any]:
    return {"regimen_slugs": regimen_slugs}


def recommendation_from_dict(
    data: Any, path: str = "", *, regimen_slugs: frozenset[str] | None = None
) -> Recommendation:
    """Validate one recommendation. ``regimen_slugs``, when given, are the regimens that exist;
    ``path`` prefixes the path of an error (the recommendation's key, for a stored row)."""
    try:
        model = RecommendationModel.model_validate(data, context=_context(regimen_slugs))
    except ValidationError as error:
        where, message = content_problem(error)
        prefix = path or ("" if isinstance(data, Mapping) else "recommendation")
        raise TreatmentContentError(
            ".".join(part for part in (prefix, where) if part), message
        ) from None
    return model.to_domain()


def guideline_from_dict(
    data: Any, *, regimen_slugs: frozenset[str] | None = None
) -> tuple[Guideline, tuple[Recommendation, ...]]:
    """Validate a guideline file: its header and every recommendation (keys unique)."""
    try:
        model = GuidelineModel.model_validate(data, context=_context(regimen_slugs))
    except ValidationError as error:
        raise TreatmentContentError(*content_problem(error)) from None
    return model.to_domain()


# The canonical document of a recommendation (what recommendation_from_dict reads back).


def criteria_to_dict(criteria: Criteria) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if criteria.prior_lines_min is not None or criteria.prior_lines_max is not None:
        data["prior_lines"] = {
            k: v
            for k, v in (("min", criteria.prior_lines_min), ("max", criteria.prior_lines_max))
            if v is not None
        }
    for name in ("requires_exposed", "excludes_exposed", "requires_refractory"):
        if getattr(criteria, name):
            data[name] = sorted(getattr(criteria, name))
    if criteria.excludes_refractory:
        data["excludes_refractory"] = sorted(criteria.excludes_refractory)
    if criteria.transplant_eligible is not None:
        data["transplant_eligible"] = criteria.transplant_eligible
    if criteria.frailty is not None:
        data["frailty"] = [f.value for f in Frailty if f in criteria.frailty]
    return data


def recommendation_to_dict(recommendation: Recommendation) -> dict[str, Any]:
    r = recommendation
    return {
        "key": r.key,
        "regimen": r.regimen,
        "name": r.name,
        "setting": r.setting.value,
        "criteria": criteria_to_dict(r.criteria),
        "rank": r.rank,
        "evidence": r.evidence,
        "grade": r.grade,
        "basis": r.basis.value,
        "pivotal_trial": r.pivotal_trial,
        "source": r.source,
        "notes": list(r.notes),
        "verification": r.verification.value,
        "verification_note": r.verification_note,
        "drugs": list(r.drugs) or None,
    } | record_to_dict(r.record)
