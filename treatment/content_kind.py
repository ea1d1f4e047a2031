"""Guidelines as governed content: the adapter the one workflow (``governance.actions``) uses.

A guideline version is a row and its recommendations; its document is the YAML of
``content/guidelines/`` (one mapping with a ``recommendations`` list), validated by the domain
(``guideline_from_dict``, every regimen it names must be published) before anything is stored.
Each golden case is a patient setting that must still give exactly its expected options
(regimen slug and grade, in order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from governance.actions import history_delete, history_save
from governance.kinds import ContentInvalid, ContentKind, kind_named
from governance.models import ContentStatus
from myeloma_core import treatment as domain
from myeloma_core.content_checks import guideline_regimen_conflicts
from myeloma_core.errors import InvalidInput
from myeloma_core.treatment_schema import guideline_from_dict
from treatment.content import (
    golden_cases,
    guideline_definitions,
    guideline_reviews,
    recommendation_row_fields,
)
from treatment.models import Guideline, Recommendation
from treatment.selectors import regimen_drugs, regimen_specs_published

WORKFLOW_FIELDS = "The version, author and checker are set by the workflow; leave them unchanged."
REGIMEN_KIND = "regimens"


def _parse(document: Any) -> tuple[domain.Guideline, tuple[domain.Recommendation, ...]]:
    """Raises ``TreatmentContentError``; every regimen named must be published."""
    return guideline_from_dict(document, regimen_slugs=kind_named(REGIMEN_KIND).published_keys())


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


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewCase:
    name: str
    patient: Mapping[str, Any]
    result: domain.OptionsResult | None
    problem: str


def guideline_preview(*, guideline: Guideline) -> tuple[PreviewCase, ...]:
    """The options a (draft) version gives for each of its golden cases — not for clinical use."""
    try:
        header, recommendations = _parse(GuidelineKind().document(guideline))
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


class GuidelineKind(ContentKind):
    name = "guidelines"
    label = _("guideline")
    label_plural = _("guidelines")
    model = Guideline
    lineage_field = "slug"
    number_field = "version"
    document_label = _("Guideline and recommendations (YAML)")
    preview_template = "treatment/content/preview.html"
    preview_link_label = _("Preview its options for the golden cases")

    def lineage_key(self, version: Guideline) -> str:
        return version.slug

    def title(self, version: Guideline) -> str:
        return version.name

    def published_domain(
        self,
    ) -> dict[str, tuple[domain.Guideline, tuple[domain.Recommendation, ...]]]:
        published = Guideline.objects.filter(status=ContentStatus.PUBLISHED)
        return {row.slug: _parse(self.document(row)) for row in published}

    def copy_as_draft(self, base: Guideline, *, number: int, user: User) -> Guideline:
        return Guideline(
            slug=base.slug,
            name=base.name,
            version=number,
            source=base.source,
            author=user.get_username(),
            checker="",
            setting_notes=base.setting_notes,
            golden_cases=base.golden_cases,
        )

    def copy_children(self, base: Guideline, draft: Guideline, *, user: User, reason: str) -> None:
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

    def document(self, version: Guideline) -> dict[str, Any]:
        """The guideline row and its recommendations in the shape of content/guidelines/*.yaml."""
        return {
            "slug": version.slug,
            "name": version.name,
            "version": version.version,
            "source": version.source,
            "author": version.author,
            "checker": version.checker or None,
            "setting_notes": {k: list(v) for k, v in (version.setting_notes or {}).items()},
            "recommendations": [
                row.as_content()
                for row in version.recommendations.order_by("setting", "rank", "key")
            ],
        }

    def document_apply(
        self, version: Guideline, document: Mapping[str, Any], *, user: User, reason: str
    ) -> None:
        """Validate, then replace the row's fields and its recommendations (same transaction)."""
        try:
            header, recommendations = _parse(dict(document))
        except domain.TreatmentContentError as error:
            raise ContentInvalid((str(error),)) from None
        if header.slug != version.slug:
            raise ContentInvalid((f"slug: {header.slug!r} is not {version.slug!r}",))
        if (header.version, header.author, header.checker) != (
            version.version,
            version.author,
            version.checker or None,
        ):
            raise ContentInvalid((WORKFLOW_FIELDS,))
        version.name = header.name
        version.source = header.source
        version.setting_notes = {s.value: list(n) for s, n in header.setting_notes.items()}
        rows = {row.key: row for row in version.recommendations.all()}
        for recommendation in recommendations:
            fields = recommendation_row_fields(recommendation)
            row = rows.pop(recommendation.key, None)
            if row is None:
                history_save(Recommendation(guideline=version, **fields), user=user, reason=reason)
            elif any(getattr(row, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(row, name, value)
                history_save(row, user=user, reason=reason)
        for row in rows.values():
            history_delete(row, user=user, reason=reason)

    def recognises(self, document: Mapping[str, Any]) -> bool:
        return "recommendations" in document

    def document_for_draft(self, draft: Guideline, document: Mapping[str, Any]) -> dict[str, Any]:
        """The version, author and checker are the draft's (set by the workflow)."""
        return {
            **document,
            "version": draft.version,
            "author": draft.author,
            "checker": draft.checker or None,
        }

    def shipped_load(self) -> int:
        """Each shipped guideline that differs from every version of its lineage, as a draft."""
        added = 0
        reviews = guideline_reviews()
        for header, recommendations in guideline_definitions():
            versions = Guideline.objects.filter(slug=header.slug)
            if any(
                _parse(self.document(v))[1:] == (recommendations,)
                and _same_header(_parse(self.document(v))[0], header)
                for v in versions
            ):
                continue
            number = (versions.aggregate(highest=Max("version"))["highest"] or 0) + 1
            draft = Guideline(
                slug=header.slug,
                name=header.name,
                version=number,
                status=ContentStatus.DRAFT,
                base=versions.filter(status=ContentStatus.PUBLISHED).first(),
                source=header.source,
                author=header.author,
                setting_notes={s.value: list(n) for s, n in header.setting_notes.items()},
                golden_cases=golden_cases(header.slug),
            )
            review = reviews.get(header.slug)
            if review is not None:
                draft.checked_by, draft.date_reviewed = review.checked_by, review.date_reviewed
            reason = "Shipped content loaded as a draft"
            history_save(draft, user=None, reason=reason)
            for recommendation in recommendations:
                row = Recommendation(guideline=draft, **recommendation_row_fields(recommendation))
                history_save(row, user=None, reason=reason)
            added += 1
        return added

    def validate(self, version: Guideline) -> tuple[str, ...]:
        """The domain must build the guideline, no option may link a regimen that contradicts it
        (``guideline_regimen_conflicts``), and every golden case must give its options."""
        try:
            header, recommendations = _parse(self.document(version))
        except domain.TreatmentContentError as error:
            return (f"Content: {error}",)
        conflicts = guideline_regimen_conflicts(recommendations, regimen_specs_published())
        failures = golden_case_failures(
            recommendations, header.setting_notes, version.golden_cases or []
        )
        return tuple(f"Regimen link: {key}: {reason}" for key, reason in conflicts) + tuple(
            f"Golden case: {f}" for f in failures
        )

    def preview_context(self, version: Guideline) -> dict[str, Any]:
        return {"cases": guideline_preview(guideline=version)}


def _same_header(a: domain.Guideline, b: domain.Guideline) -> bool:
    """The same content, whatever the version number and workflow fields say."""
    return (a.slug, a.name, a.source, a.setting_notes) == (
        b.slug,
        b.name,
        b.source,
        b.setting_notes,
    )
