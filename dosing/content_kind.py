"""Regimens as governed content: the adapter the one workflow (``governance.actions``) uses.

A regimen version's document is its definition, the YAML of ``content/regimens/``; the domain
(``regimen_spec_from_dict``) validates it, and every golden case (a worked example with its
expected doses and dates) must still give its results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from dosing.content import DRUG_NAMES, golden_cases, regimen_definitions, regimen_reviews
from dosing.models import Drug, Regimen, RegimenVersion
from dosing.presentation import administrations_by_date, dose_rows, month_grids
from dosing.selectors import regimen_versions_published
from dosing.services import dosing_settings_current, plan_compute
from governance.actions import history_save
from governance.kinds import ContentInvalid, ContentKind
from governance.models import ContentStatus
from myeloma_core.errors import InvalidInput
from myeloma_core.golden import golden_case_failures
from myeloma_core.regimen import RegimenContentError, RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict


class RegimenKind(ContentKind):
    name = "regimens"
    label = _("regimen")
    label_plural = _("regimens")
    model = RegimenVersion
    lineage_field = "regimen__slug"
    number_field = "number"
    document_label = _("Definition (YAML)")
    preview_template = "dosing/content/preview.html"
    preview_link_label = _("Preview its calendar")

    def lineage_key(self, version: RegimenVersion) -> str:
        return version.regimen.slug

    def lineage_keys(self) -> list[str]:
        return list(Regimen.objects.order_by("name").values_list("slug", flat=True))

    def title(self, version: RegimenVersion) -> str:
        return version.name

    def published_domain(self) -> dict[str, RegimenSpec]:
        return {v.regimen.slug: v.to_domain() for v in regimen_versions_published()}

    def copy_as_draft(self, base: RegimenVersion, *, number: int, user: User) -> RegimenVersion:
        return RegimenVersion(
            regimen=base.regimen,
            number=number,
            verification=base.verification,
            verification_note=base.verification_note,
            source=base.source,
            definition=base.definition,
            golden_cases=base.golden_cases,
            author=user.get_username(),
        )

    def copy_children(
        self, base: RegimenVersion, draft: RegimenVersion, *, user: User, reason: str
    ) -> None:
        """A regimen version has no child rows: its definition is one document."""

    def document(self, version: RegimenVersion) -> dict[str, Any]:
        return dict(version.definition)

    def document_apply(
        self, version: RegimenVersion, document: Mapping[str, Any], *, user: User, reason: str
    ) -> None:
        try:
            spec = regimen_spec_from_dict(dict(document))
        except RegimenContentError as error:
            raise ContentInvalid((str(error),)) from None
        if spec.slug != version.regimen.slug:
            raise ContentInvalid((f"slug: {spec.slug!r} is not {version.regimen.slug!r}",))
        version.definition = dict(document)
        version.verification = spec.verification.value
        version.verification_note = spec.verification_note
        version.source = spec.source

    def recognises(self, document: Mapping[str, Any]) -> bool:
        return "components" in document

    def shipped_load(self) -> int:
        """Each shipped definition that differs from every version of its regimen, as a draft."""
        added = 0
        reviews = regimen_reviews()
        for definition in regimen_definitions():
            regimen = Regimen.objects.filter(slug=definition["slug"]).first()
            if regimen is None:
                regimen = _regimen_create(definition)
            elif any(v.definition == definition for v in regimen.versions.all()):
                continue
            number = (regimen.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            draft = RegimenVersion(
                regimen=regimen,
                number=number,
                status=ContentStatus.DRAFT,
                base=regimen.versions.filter(status=ContentStatus.PUBLISHED).first(),
                verification=definition["verification"],
                verification_note=definition.get("verification_note", ""),
                source=definition["source"],
                definition=definition,
                author=definition["author"],
                golden_cases=golden_cases(definition["slug"]),
                change_reason="Shipped content file loaded at start-up.",
            )
            review = reviews.get(definition["slug"])
            if review is not None:
                draft.checked_by, draft.date_reviewed = review.checked_by, review.date_reviewed
            history_save(draft, user=None, reason="Shipped content loaded as a draft")
            added += 1
        return added

    def validate(self, version: RegimenVersion) -> tuple[str, ...]:
        """The domain must build the spec, and every golden case must still give its results."""
        try:
            spec = regimen_spec_from_dict(version.definition)
        except RegimenContentError as error:
            return (f"Definition: {error}",)
        if spec.slug != version.regimen.slug:
            return (f"Definition slug {spec.slug!r} is not {version.regimen.slug!r}.",)
        failures = golden_case_failures(spec, version.golden_cases, dosing_settings_current())
        return tuple(f"Golden case: {f}" for f in failures)

    def preview_context(self, version: RegimenVersion) -> dict[str, Any]:
        """A version's calendar for its first golden case, marked as a draft on every line."""
        case = (version.golden_cases or [None])[0]
        computed: dict[str, Any] | None = None
        problem = ""
        if case is None:
            problem = str(_("This version has no golden case to preview with."))
        else:
            try:
                computed = plan_compute(
                    version=version,
                    patient=case["patient"],
                    start_date=dt.date.fromisoformat(str(case["start_date"])),
                    cycles=int(case["cycles"]),
                )
            except InvalidInput as error:
                problem = error.message
        return {
            "case": case,
            "problem": problem,
            "computed": computed,
            "rows": dose_rows(computed) if computed else [],
            "months": month_grids(computed) if computed else [],
            "by_date": administrations_by_date(computed) if computed else [],
        }


def _regimen_create(definition: Mapping[str, Any]) -> Regimen:
    regimen = Regimen.objects.create(
        slug=definition["slug"],
        name=definition["name"],
        indication=definition["indication"],
        source=definition["source"],
    )
    for component in definition["components"]:
        presentations = component.get("presentations")
        drug, _created = Drug.objects.get_or_create(
            inn=component["drug"],
            defaults={
                "name": DRUG_NAMES.get(component["drug"], component["drug"].capitalize()),
                "presentations": [presentations] if presentations else [],
            },
        )
        regimen.drugs.add(drug)
    return regimen
