"""Four-eyes governance of guideline content: draft → in review → published → retired.

The same workflow as regimen content (``dosing.governance``), for a guideline version and its
recommendations. Rules:
- Published and retired guidelines and their recommendations are immutable (here, and by
  database triggers, migration 0004). Editing a published guideline creates a new draft version:
  a copy of the guideline row and of all its recommendations.
- A draft is edited as one YAML document (the shape of ``content/guidelines/*.yaml``), validated
  by the domain (``guideline_from_dict`` with the published regimen slugs) before anything is
  stored; the recommendations are replaced in the same transaction.
- Submitting and publishing need passing validation and golden cases: each golden patient
  setting must still give exactly its expected options (regimen slug and grade, in order).
- Publishing needs a ``content approver`` who is not the draft's author and a non-empty reason;
  the previous published version is retired in the same transaction. Two publishes of the same
  guideline cannot both succeed: the partial unique constraint
  "one_published_version_per_guideline" refuses the second (SQLite and PostgreSQL).
Every write goes through django-simple-history with the user and the reason.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR
from dosing.governance import (
    AUTHOR_CANNOT_APPROVE,
    NOT_A_DRAFT,
    NOT_AN_APPROVER,
    NOT_IN_REVIEW,
    REASON_REQUIRED,
    GovernanceError,
    Validation,
    history_save,
    role_require,
)
from dosing.models import ContentStatus
from myeloma_core import treatment as domain
from myeloma_core.content_checks import guideline_regimen_conflicts
from myeloma_core.errors import InvalidInput
from treatment.content import recommendation_row_fields
from treatment.models import Guideline, Recommendation
from treatment.selectors import regimen_drugs, regimen_slugs_published, regimen_specs_published

NOT_AN_EDITOR = "Only content editors may change guideline content."
ALREADY_PUBLISHED = "Another version of this guideline was published at the same moment; reload."
WORKFLOW_FIELDS = "The version, author and checker are set by the workflow; leave them unchanged."


# --------------------------------------------------------------------------------------------------
# The YAML document of a guideline version
# --------------------------------------------------------------------------------------------------


def guideline_document(guideline: Guideline) -> dict[str, Any]:
    """The guideline row and its recommendations in the shape of content/guidelines/*.yaml."""
    return {
        "slug": guideline.slug,
        "name": guideline.name,
        "version": guideline.version,
        "source": guideline.source,
        "author": guideline.author,
        "checker": guideline.checker or None,
        "setting_notes": {k: list(v) for k, v in (guideline.setting_notes or {}).items()},
        "recommendations": [
            row.as_content() for row in guideline.recommendations.order_by("setting", "rank", "key")
        ],
    }


def guideline_yaml(guideline: Guideline) -> str:
    return yaml.safe_dump(
        guideline_document(guideline), sort_keys=False, allow_unicode=True, width=100
    )


def _parse(
    document: Any,
) -> tuple[domain.Guideline, tuple[domain.Recommendation, ...]]:
    """Raises ``TreatmentContentError``; regimens must be published in dosing."""
    return domain.guideline_from_dict(document, regimen_slugs=regimen_slugs_published())


# --------------------------------------------------------------------------------------------------
# Golden cases: patient settings with their expected options
# --------------------------------------------------------------------------------------------------


def _option_label(regimen: str | None, grade: str | None) -> str:
    return f"{regimen or '(no regimen)'}{f' {grade}' if grade else ''}"


def golden_case_failures(
    recommendations: Sequence[domain.Recommendation],
    setting_notes: Mapping[domain.Setting, tuple[str, ...]],
    cases: Sequence[Mapping[str, Any]],
) -> tuple[str, ...]:
    """Plain-language failures; empty when every case gives exactly its expected options."""
    failures: list[str] = []
    for case in cases:
        name = str(case.get("name", "unnamed case"))
        try:
            patient = domain.patient_setting_from_dict(case.get("patient") or {})
        except InvalidInput as error:
            failures.append(f"{name}: the patient setting is not valid ({error}).")
            continue
        result = domain.treatment_options(
            patient,
            recommendations,
            regimen_drugs=regimen_drugs(regimen_specs_published()),
            setting_notes=setting_notes.get(patient.setting, ()),
        )
        given = [(o.recommendation.regimen, o.recommendation.grade) for o in result.options]
        expected = [(e.get("regimen"), e.get("grade")) for e in case.get("expect") or []]
        if given != expected:
            failures.append(
                f"{name}: expected {', '.join(_option_label(*o) for o in expected) or 'no option'}"
                f" but got {', '.join(_option_label(*o) for o in given) or 'no option'}."
            )
    return tuple(failures)


def guideline_validate(*, guideline: Guideline) -> Validation:
    """The domain must build the guideline, no option may link a regimen that contradicts it
    (``guideline_regimen_conflicts``), and every golden case must still give its options."""
    try:
        header, recommendations = _parse(guideline_document(guideline))
    except domain.TreatmentContentError as error:
        return Validation(problems=(f"Content: {error}",))
    conflicts = guideline_regimen_conflicts(recommendations, regimen_specs_published())
    failures = golden_case_failures(
        recommendations, header.setting_notes, guideline.golden_cases or []
    )
    return Validation(
        problems=tuple(f"Regimen link: {key}: {reason}" for key, reason in conflicts)
        + tuple(f"Golden case: {f}" for f in failures)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewCase:
    name: str
    patient: Mapping[str, Any]
    result: domain.OptionsResult | None
    problem: str


def guideline_preview(*, guideline: Guideline) -> tuple[PreviewCase, ...]:
    """The options a (draft) version gives for each of its golden cases — not for clinical use."""
    try:
        header, recommendations = _parse(guideline_document(guideline))
    except domain.TreatmentContentError as error:
        return (PreviewCase(name="", patient={}, result=None, problem=str(error)),)
    previews = []
    for case in guideline.golden_cases or []:
        patient_data = case.get("patient") or {}
        try:
            patient = domain.patient_setting_from_dict(patient_data)
        except InvalidInput as error:
            result, problem = None, error.message
        else:
            notes = header.setting_notes.get(patient.setting, ())
            result = domain.treatment_options(
                patient,
                recommendations,
                regimen_drugs=regimen_drugs(regimen_specs_published()),
                setting_notes=notes,
            )
            problem = ""
        previews.append(
            PreviewCase(
                name=str(case.get("name", "")), patient=patient_data, result=result, problem=problem
            )
        )
    return tuple(previews)


# --------------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------------


def _delete(row: Model, *, user: User, reason: str) -> None:
    row._history_user = user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.delete()


@transaction.atomic
def guideline_draft_create(*, slug: str, user: User) -> Guideline:
    """A new draft version copied from the published one (the published rows are untouched)."""
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    versions = Guideline.objects.select_for_update().filter(slug=slug)
    list(versions)  # lock every version of this guideline while numbering the new one
    base = versions.filter(status=ContentStatus.PUBLISHED).first()
    if base is None:
        base = versions.order_by("-version").first()
    if base is None:
        raise GovernanceError(f"There is no guideline {slug!r} to start from.")
    number = (versions.aggregate(Max("version"))["version__max"] or 0) + 1
    reason = f"Draft v{number} created from v{base.version}"
    draft = Guideline(
        slug=base.slug,
        name=base.name,
        version=number,
        status=ContentStatus.DRAFT,
        source=base.source,
        author=user.get_username(),
        checker="",
        setting_notes=base.setting_notes,
        golden_cases=base.golden_cases,
        created_by=user,
    )
    history_save(draft, user=user, reason=reason)
    for row in base.recommendations.order_by("setting", "rank", "key"):
        copy = Recommendation(
            guideline=draft,
            **{
                f.name: getattr(row, f.name)
                for f in Recommendation._meta.concrete_fields
                if f.name not in ("id", "guideline")
            },
        )
        history_save(copy, user=user, reason=reason)
    return draft


@transaction.atomic
def guideline_draft_update(
    *, guideline: Guideline, user: User, document_yaml: str, reason: str
) -> Guideline:
    """Replace a draft's content (one YAML document); the domain validates it before storing."""
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.status != ContentStatus.DRAFT:
        raise GovernanceError(NOT_A_DRAFT)
    try:
        data = yaml.safe_load(document_yaml)
        header, recommendations = _parse(data if isinstance(data, dict) else {})
    except yaml.YAMLError as error:
        raise GovernanceError("The content is not valid YAML.", problems=(str(error),)) from None
    except domain.TreatmentContentError as error:
        raise GovernanceError("The content does not validate.", problems=(str(error),)) from None
    if header.slug != guideline.slug:
        raise GovernanceError(
            "The content does not validate.",
            problems=(f"slug: {header.slug!r} is not {guideline.slug!r}",),
        )
    if (header.version, header.author, header.checker) != (
        guideline.version,
        guideline.author,
        guideline.checker or None,
    ):
        raise GovernanceError(WORKFLOW_FIELDS)
    reason = reason.strip() or "Draft edited"
    guideline.name = header.name
    guideline.source = header.source
    guideline.setting_notes = {s.value: list(n) for s, n in header.setting_notes.items()}
    history_save(guideline, user=user, reason=reason)
    rows = {row.key: row for row in guideline.recommendations.all()}
    for recommendation in recommendations:
        fields = recommendation_row_fields(recommendation)
        row = rows.pop(recommendation.key, None)
        if row is None:
            history_save(Recommendation(guideline=guideline, **fields), user=user, reason=reason)
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            history_save(row, user=user, reason=reason)
    for row in rows.values():
        _delete(row, user=user, reason=reason)
    return guideline


@transaction.atomic
def guideline_submit(*, guideline: Guideline, user: User) -> Guideline:
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.status != ContentStatus.DRAFT:
        raise GovernanceError(NOT_A_DRAFT)
    validation = guideline_validate(guideline=guideline)
    if not validation.ok:
        raise GovernanceError("The draft does not pass validation.", problems=validation.problems)
    guideline.status = ContentStatus.IN_REVIEW
    guideline.submitted_at = timezone.now()
    history_save(guideline, user=user, reason="Submitted for review")
    return guideline


@transaction.atomic
def guideline_return(*, guideline: Guideline, user: User, reason: str) -> Guideline:
    """An approver sends a version in review back to draft, saying why."""
    role_require(user, CONTENT_APPROVER, NOT_AN_APPROVER)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.status != ContentStatus.IN_REVIEW:
        raise GovernanceError(NOT_IN_REVIEW)
    if not reason.strip():
        raise GovernanceError("Say why the version goes back to draft.")
    guideline.status = ContentStatus.DRAFT
    history_save(guideline, user=user, reason=f"Returned to draft: {reason.strip()}")
    return guideline


def guideline_publish(*, guideline: Guideline, user: User, reason: str) -> Guideline:
    """Four eyes: an approver who is not the author, a reason, and passing validation."""
    role_require(user, CONTENT_APPROVER, NOT_AN_APPROVER)
    if not reason.strip():
        raise GovernanceError(REASON_REQUIRED)
    try:
        with transaction.atomic():
            return _publish(guideline=guideline, user=user, reason=reason.strip())
    except IntegrityError:
        raise GovernanceError(ALREADY_PUBLISHED) from None


def _publish(*, guideline: Guideline, user: User, reason: str) -> Guideline:
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.status != ContentStatus.IN_REVIEW:
        raise GovernanceError(NOT_IN_REVIEW)
    if guideline.created_by_id == user.pk or guideline.author == user.get_username():
        raise GovernanceError(AUTHOR_CANNOT_APPROVE)
    validation = guideline_validate(guideline=guideline)
    if not validation.ok:
        raise GovernanceError("The version does not pass validation.", problems=validation.problems)
    now = timezone.now()
    for previous in Guideline.objects.select_for_update().filter(
        slug=guideline.slug, status=ContentStatus.PUBLISHED
    ):
        previous.status = ContentStatus.RETIRED
        history_save(previous, user=user, reason=f"Retired: v{guideline.version} published")
    guideline.status = ContentStatus.PUBLISHED
    guideline.published_at = now
    guideline.approved_by = user
    guideline.checker = user.get_username()
    guideline.publish_reason = reason
    history_save(guideline, user=user, reason=f"Published: {reason}")
    return guideline


def guideline_diff(*, guideline: Guideline, against: Guideline | None) -> list[str]:
    """Unified diff of the YAML documents (``against`` is usually the published version)."""
    if against is None or against.pk == guideline.pk:
        return []
    return list(
        difflib.unified_diff(
            guideline_yaml(against).splitlines(),
            guideline_yaml(guideline).splitlines(),
            fromfile=f"v{against.version} ({against.get_status_display()})",
            tofile=f"v{guideline.version} ({guideline.get_status_display()})",
            lineterm="",
        )
    )
