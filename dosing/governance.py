"""Four-eyes governance of regimen content: draft → in review → published → retired.

Hand-written on purpose (architecture §5). Rules:
- Published and retired versions are immutable (here, in ``RegimenVersion.save`` callers, and
  by database triggers, migration 0004). Editing a published regimen creates a new draft.
- Publishing needs a ``content approver`` who is not the draft's author, a non-empty reason,
  and passing validation: the domain builds the spec and the golden cases still pass.
- Two publishes of the same regimen cannot both succeed: the partial unique constraint
  "one_published_version_per_regimen" refuses the second (SQLite and PostgreSQL).
Every write goes through django-simple-history with the user and the reason.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR, user_has_any_role
from dosing.models import ContentStatus, Regimen, RegimenVersion
from dosing.services import dosing_settings_current
from myeloma_core.golden import golden_case_failures
from myeloma_core.regimen import RegimenContentError, regimen_spec_from_dict

NOT_AN_EDITOR = "Only content editors may change regimen content."
NOT_AN_APPROVER = "Only a content approver may publish."
AUTHOR_CANNOT_APPROVE = "The author of a draft cannot approve it: a second person must publish."
REASON_REQUIRED = "Give the reason for publishing (what changed and on which source)."
NOT_A_DRAFT = "Only a draft can be edited or submitted; published versions never change."
NOT_IN_REVIEW = "Only a version in review can be published or sent back."
ALREADY_PUBLISHED = "Another version of this regimen was published at the same moment; reload."


class GovernanceError(Exception):
    """A workflow rule refused the action; ``message`` says which."""

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def regimen_version_validate(*, version: RegimenVersion) -> Validation:
    """The domain must build the spec, and every golden case must still give its results."""
    try:
        spec = regimen_spec_from_dict(version.definition)
    except RegimenContentError as error:
        return Validation(problems=(f"Definition: {error}",))
    if spec.slug != version.regimen.slug:
        return Validation(
            problems=(f"Definition slug {spec.slug!r} is not {version.regimen.slug!r}.",)
        )
    failures = golden_case_failures(spec, version.golden_cases, dosing_settings_current())
    return Validation(problems=tuple(f"Golden case: {f}" for f in failures))


def role_require(user: User, role: str, message: str) -> None:
    """Shared by every kind of governed content."""
    if not user_has_any_role(user, (role,)):
        raise GovernanceError(message)


def history_save(row: Model, *, user: User, reason: str) -> None:
    """Save a content row so django-simple-history records who changed it and why."""
    row._history_user = user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.save()


@transaction.atomic
def regimen_version_draft_create(*, regimen: Regimen, user: User) -> RegimenVersion:
    """A new draft copied from the published version (editing never touches the published row)."""
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    Regimen.objects.select_for_update().get(pk=regimen.pk)
    base = regimen.versions.filter(status=ContentStatus.PUBLISHED).first()
    if base is None:
        base = regimen.versions.order_by("-number").first()
    if base is None:
        raise GovernanceError("This regimen has no version to start from.")
    number = (regimen.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    draft = RegimenVersion(
        regimen=regimen,
        number=number,
        status=ContentStatus.DRAFT,
        verification=base.verification,
        verification_note=base.verification_note,
        source=base.source,
        definition=base.definition,
        golden_cases=base.golden_cases,
        author=user.get_username(),
        created_by=user,
    )
    history_save(draft, user=user, reason=f"Draft v{number} created from v{base.number}")
    return draft


@transaction.atomic
def regimen_version_draft_update(
    *, version: RegimenVersion, user: User, definition_yaml: str, reason: str
) -> RegimenVersion:
    """Replace a draft's definition (YAML text); the domain validates it before it is stored."""
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    version = RegimenVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ContentStatus.DRAFT:
        raise GovernanceError(NOT_A_DRAFT)
    try:
        data = yaml.safe_load(definition_yaml)
        spec = regimen_spec_from_dict(data if isinstance(data, dict) else {})
    except yaml.YAMLError as error:
        raise GovernanceError("The definition is not valid YAML.", problems=(str(error),)) from None
    except RegimenContentError as error:
        raise GovernanceError("The definition does not validate.", problems=(str(error),)) from None
    version.definition = data
    version.verification = spec.verification.value
    version.verification_note = spec.verification_note
    version.source = spec.source
    history_save(version, user=user, reason=reason.strip() or "Draft edited")
    return version


@transaction.atomic
def regimen_version_submit(*, version: RegimenVersion, user: User) -> RegimenVersion:
    role_require(user, CONTENT_EDITOR, NOT_AN_EDITOR)
    version = RegimenVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ContentStatus.DRAFT:
        raise GovernanceError(NOT_A_DRAFT)
    validation = regimen_version_validate(version=version)
    if not validation.ok:
        raise GovernanceError("The draft does not pass validation.", problems=validation.problems)
    version.status = ContentStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    history_save(version, user=user, reason="Submitted for review")
    return version


@transaction.atomic
def regimen_version_return(*, version: RegimenVersion, user: User, reason: str) -> RegimenVersion:
    """An approver sends a version in review back to draft, saying why."""
    role_require(user, CONTENT_APPROVER, NOT_AN_APPROVER)
    version = RegimenVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ContentStatus.IN_REVIEW:
        raise GovernanceError(NOT_IN_REVIEW)
    if not reason.strip():
        raise GovernanceError("Say why the version goes back to draft.")
    version.status = ContentStatus.DRAFT
    history_save(version, user=user, reason=f"Returned to draft: {reason.strip()}")
    return version


def regimen_version_publish(*, version: RegimenVersion, user: User, reason: str) -> RegimenVersion:
    """Four eyes: an approver who is not the author, a reason, and passing validation."""
    role_require(user, CONTENT_APPROVER, NOT_AN_APPROVER)
    if not reason.strip():
        raise GovernanceError(REASON_REQUIRED)
    try:
        with transaction.atomic():
            return _publish(version=version, user=user, reason=reason.strip())
    except IntegrityError:
        raise GovernanceError(ALREADY_PUBLISHED) from None


def _publish(*, version: RegimenVersion, user: User, reason: str) -> RegimenVersion:
    version = RegimenVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ContentStatus.IN_REVIEW:
        raise GovernanceError(NOT_IN_REVIEW)
    if version.created_by_id == user.pk or version.author == user.get_username():
        raise GovernanceError(AUTHOR_CANNOT_APPROVE)
    validation = regimen_version_validate(version=version)
    if not validation.ok:
        raise GovernanceError("The version does not pass validation.", problems=validation.problems)
    now = timezone.now()
    for previous in RegimenVersion.objects.select_for_update().filter(
        regimen=version.regimen, status=ContentStatus.PUBLISHED
    ):
        previous.status = ContentStatus.RETIRED
        history_save(previous, user=user, reason=f"Retired: v{version.number} published")
    version.status = ContentStatus.PUBLISHED
    version.published_at = now
    version.approved_by = user
    version.checker = user.get_username()
    version.publish_reason = reason
    history_save(version, user=user, reason=f"Published: {reason}")
    return version


def definition_yaml(version: RegimenVersion) -> str:
    return yaml.safe_dump(version.definition, sort_keys=False, allow_unicode=True, width=100)


def regimen_version_diff(*, version: RegimenVersion, against: RegimenVersion | None) -> list[str]:
    """Unified diff of the YAML definitions (``against`` is usually the published version)."""
    if against is None or against.pk == version.pk:
        return []
    return list(
        difflib.unified_diff(
            definition_yaml(against).splitlines(),
            definition_yaml(version).splitlines(),
            fromfile=f"v{against.number} ({against.get_status_display()})",
            tofile=f"v{version.number} ({version.get_status_display()})",
            lineterm="",
        )
    )


def regimen_version_import(*, data: dict[str, Any], user: User) -> RegimenVersion:
    """Content from a YAML file lands as a new draft only — never published directly."""
    regimen = Regimen.objects.filter(slug=data.get("slug")).first()
    if regimen is None:
        raise GovernanceError(f"Unknown regimen slug {data.get('slug')!r}.")
    draft = regimen_version_draft_create(regimen=regimen, user=user)
    return regimen_version_draft_update(
        version=draft,
        user=user,
        definition_yaml=yaml.safe_dump(data, allow_unicode=True),
        reason="Imported from a YAML file",
    )
