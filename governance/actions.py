"""The four-eyes workflow of governed content, one for every kind: draft → in review → published →
retired.

Modelled on Wagtail's actions (``wagtail/actions/publish_revision.py``): each action is a class
with one ``check()`` that says whether the user may do it now (raising ``GovernanceError``) and one
``execute()`` that runs ``check()`` again inside the transaction, with the lineage locked, and then
writes. Rules:

- A role check on every action: editors create, edit, refresh and submit drafts; approvers return
  and publish.
- Four eyes: the approver is neither the draft's creator nor anyone who edited it
  (``editor_ids`` records every editor).
- Publishing is atomic and serialised per lineage: the lineage row is locked
  (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction is IMMEDIATE). A version
  whose base is no longer the published version cannot be submitted or published: it must be
  refreshed onto the published version (its diff then shows what it would undo) and reviewed again.
- Published and retired versions never change (here, and by the database triggers of
  ``governance.triggers``); a publish retires the previous version.
Every write goes through django-simple-history with the user and the reason.
"""

from __future__ import annotations

import datetime as dt
import difflib
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR, user_has_any_role
from governance.kinds import ContentInvalid, ContentKind, kind_of
from governance.models import ContentStatus, Lineage
from governance.shipped import dates_as_text
from governance.text_limits import REASON_MAX_LENGTH, text_too_long_message
from governance.yaml_safe import ContentYamlError, yaml_dump, yaml_load_bounded
from myeloma_core.verification_record import unrecorded_verified
from webparts.history import history_reason_set, history_user_set

NOT_AN_EDITOR = gettext_noop("Only content editors may change rule content.")
NOT_AN_APPROVER = gettext_noop("Only a content approver may publish or return a version.")
EDITOR_CANNOT_APPROVE = gettext_noop(
    "Whoever created or edited a draft cannot approve it: a second person must publish."
)
REASON_REQUIRED = gettext_noop("Give the reason for publishing (what changed and on which source).")
RETURN_REASON_REQUIRED = gettext_noop("Say why the version goes back to draft.")
NOT_A_DRAFT = gettext_noop(
    "Only a draft can be edited or submitted; published versions never change."
)
NOT_IN_REVIEW = gettext_noop("Only a version in review can be published or sent back.")
NOT_PUBLISHED = gettext_noop("Only the published version can be retired.")
RETIRE_REFUSED = gettext_noop(
    "This version cannot be withdrawn without a successor: publish its replacement instead."
)
RETIRE_REASON_REQUIRED = gettext_noop("Say why the content is withdrawn.")
NOT_REFRESHABLE = gettext_noop("Only a draft or a version in review can be refreshed.")
STALE_BASE = gettext_noop(
    "v{base} is no longer the published version (v{published} is): refresh this version onto "
    "v{published}, check what it would undo, and have it reviewed again."
)
NOT_STALE = gettext_noop("This version is already based on the published version.")
NOTHING_TO_COPY = gettext_noop("There is no {label} {key!r} to start a draft from.")
VERIFIED_NEEDS_CHECKER = gettext_noop(
    "Content marked verified names who checked it against its source and when: set checked_by "
    "and date_reviewed (YYYY-MM-DD), or mark the unchecked items pending verification."
)
ALREADY_PUBLISHED = gettext_noop(
    "Another version was published at the same moment; reload and check."
)
BUSY = gettext_noop(
    "Another change to this content is being saved at this moment; reload and try again."
)


class GovernanceError(Exception):
    """A workflow rule refused the action; ``message`` says which, ``problems`` the details."""

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


def history_save(row: Model, *, user: User | None, reason: str) -> None:
    """Save a content row so django-simple-history records who changed it and why.

    ``user`` is None only for the shipped content the system loads.
    """
    history_user_set(row, user)
    history_reason_set(row, reason)
    row.save()


def history_delete(row: Model, *, user: User, reason: str) -> None:
    history_user_set(row, user)
    history_reason_set(row, reason)
    row.delete()


def lineage_lock(kind: ContentKind, key: str) -> Lineage:
    """Lock the lineage row (created on first use) until the transaction ends."""
    Lineage.objects.get_or_create(kind=kind.name, key=key)
    return Lineage.objects.select_for_update().get(kind=kind.name, key=key)


def _reason_checked(reason: str, *, missing: str) -> str:
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_(missing))
    if len(reason) > REASON_MAX_LENGTH:
        raise GovernanceError(text_too_long_message(len(reason)))
    return reason


def _stale(kind: ContentKind, version: Any) -> str:
    """Why ``version`` cannot go on (empty when its base is the published version)."""
    published = kind.published(kind.lineage_key(version))
    if published is None or published.pk == version.base_id:
        return ""
    base = "?" if version.base is None else kind.number(version.base)
    return _(STALE_BASE).format(base=base, published=kind.number(published))


def _unchecked_verified(kind: ContentKind, version: Any) -> tuple[str, ...]:
    """Refuse verified content without its checker and review date (empty when acceptable):
    the top-level item's record is the version's, every other item names its own."""
    document = kind.document(version)
    document["checked_by"] = version.checked_by
    document["date_reviewed"] = version.date_reviewed
    return unrecorded_verified(document)


def review_fields(document: dict[str, Any]) -> tuple[str, dt.date | None]:
    """Take ``checked_by`` and ``date_reviewed`` out of a document (they are the workflow's)."""
    checked_by = document.pop("checked_by", None)
    reviewed = document.pop("date_reviewed", None)
    if checked_by is not None and (not isinstance(checked_by, str) or len(checked_by) > 200):
        raise GovernanceError(
            _("The content does not validate."),
            problems=(_("checked_by: a name of at most 200 characters, or empty."),),
        )
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            reviewed = "invalid"
    if reviewed is not None and (
        not isinstance(reviewed, dt.date) or reviewed > timezone.localdate()
    ):
        raise GovernanceError(
            _("The content does not validate."),
            problems=(_("date_reviewed: a date (YYYY-MM-DD), not in the future, or empty."),),
        )
    return (checked_by or "").strip(), reviewed


class VersionAction(ABC):
    """An action on one version: ``check()`` may run outside the transaction (to show or hide a
    button); ``execute()`` locks the lineage, reloads the version and checks again."""

    role: ClassVar[str] = CONTENT_EDITOR
    role_refused: ClassVar[str] = NOT_AN_EDITOR
    reason_missing: ClassVar[str] = ""

    def __init__(self, version: Any, *, user: User, reason: str = "") -> None:
        self.kind = kind_of(version)
        self.version = version
        self.user = user
        self.reason = reason

    def check(self) -> None:
        if not user_has_any_role(self.user, (self.role,)):
            raise GovernanceError(_(self.role_refused))
        if self.reason_missing:
            self.reason = _reason_checked(self.reason, missing=self.reason_missing)
        self.check_version()

    @abstractmethod
    def check_version(self) -> None:
        """The rules on the version's state, for each action."""

    def execute(self) -> Any:
        try:
            with transaction.atomic():
                lineage = lineage_lock(self.kind, self.kind.lineage_key(self.version))
                self.version = self.kind.model._default_manager.select_for_update().get(
                    pk=self.version.pk
                )
                self.check()
                self._execute(lineage)
        except IntegrityError:
            raise GovernanceError(_(ALREADY_PUBLISHED)) from None
        except OperationalError as error:
            # SQLite's lock wait ran out (or, with a shared in-memory cache, cannot wait).
            if "locked" not in str(error):
                raise
            raise GovernanceError(_(BUSY)) from None
        return self.version

    @abstractmethod
    def _execute(self, lineage: Lineage) -> None:
        """The writes of the action, inside the transaction, after ``check()``."""

    def _add_editor(self) -> None:
        if self.user.pk not in self.version.editor_ids:
            self.version.editor_ids = [*self.version.editor_ids, self.user.pk]


class EditDraft(VersionAction):
    """Replace a draft's content with a YAML document, validated before anything is stored."""

    def __init__(self, version: Any, *, user: User, document_yaml: str, reason: str) -> None:
        super().__init__(version, user=user, reason=reason)
        self.document_yaml = document_yaml

    def check_version(self) -> None:
        if self.version.status != ContentStatus.DRAFT:
            raise GovernanceError(_(NOT_A_DRAFT))

    def _execute(self, lineage: Lineage) -> None:
        try:
            document = yaml_load_bounded(self.document_yaml)
        except ContentYamlError as error:
            raise GovernanceError(
                _("The content is not valid YAML."), problems=(str(error),)
            ) from None
        if not isinstance(document, dict):
            raise GovernanceError(
                _("The content does not validate."),
                problems=(_("The YAML must hold one mapping (key: value lines)."),),
            )
        reason = self.reason.strip() or "Draft edited"
        document = dates_as_text(document)
        self.version.checked_by, self.version.date_reviewed = review_fields(document)
        self._add_editor()
        try:
            self.kind.document_apply(self.version, document, user=self.user, reason=reason)
        except ContentInvalid as error:
            raise GovernanceError(
                _("The content does not validate."), problems=error.problems
            ) from None
        history_save(self.version, user=self.user, reason=reason)


class SubmitForReview(VersionAction):
    def check_version(self) -> None:
        if self.version.status != ContentStatus.DRAFT:
            raise GovernanceError(_(NOT_A_DRAFT))
        stale = _stale(self.kind, self.version)
        if stale:
            raise GovernanceError(stale)

    def _execute(self, lineage: Lineage) -> None:
        problems = self.kind.validate(self.version)
        if problems:
            raise GovernanceError(_("The draft does not pass validation."), problems=problems)
        unchecked = _unchecked_verified(self.kind, self.version)
        if unchecked:
            raise GovernanceError(_(VERIFIED_NEEDS_CHECKER), problems=unchecked)
        self.version.status = ContentStatus.IN_REVIEW
        self.version.submitted_at = timezone.now()
        history_save(self.version, user=self.user, reason="Submitted for review")


class RefreshDraft(VersionAction):
    """Move a stale draft (or version in review) onto the published version, as a draft again.

    Its content is kept; its diff now shows what it would change against the published
    version, including anything it would undo, and it needs a new review.
    """

    def check_version(self) -> None:
        if self.version.status not in (ContentStatus.DRAFT, ContentStatus.IN_REVIEW):
            raise GovernanceError(_(NOT_REFRESHABLE))
        if not _stale(self.kind, self.version):
            raise GovernanceError(_(NOT_STALE))

    def _execute(self, lineage: Lineage) -> None:
        published = self.kind.published(self.kind.lineage_key(self.version))
        self.version.base = published
        self.version.status = ContentStatus.DRAFT
        self._add_editor()
        history_save(
            self.version,
            user=self.user,
            reason=f"Refreshed onto v{self.kind.number(published)}; to be reviewed again",
        )


class ReturnToDraft(VersionAction):
    role = CONTENT_APPROVER
    role_refused = NOT_AN_APPROVER
    reason_missing = RETURN_REASON_REQUIRED

    def check_version(self) -> None:
        if self.version.status != ContentStatus.IN_REVIEW:
            raise GovernanceError(_(NOT_IN_REVIEW))

    def _execute(self, lineage: Lineage) -> None:
        self.version.status = ContentStatus.DRAFT
        history_save(self.version, user=self.user, reason=f"Returned to draft: {self.reason}")


class Publish(VersionAction):
    """Four eyes: an approver who neither created nor edited the version, a reason, a current
    base and passing validation. The previous published version is retired in the same
    transaction."""

    role = CONTENT_APPROVER
    role_refused = NOT_AN_APPROVER
    reason_missing = REASON_REQUIRED

    def check_version(self) -> None:
        if self.version.status != ContentStatus.IN_REVIEW:
            raise GovernanceError(_(NOT_IN_REVIEW))
        if self.user.pk == self.version.created_by_id or self.user.pk in (
            self.version.editor_ids or []
        ):
            raise GovernanceError(_(EDITOR_CANNOT_APPROVE))
        stale = _stale(self.kind, self.version)
        if stale:
            raise GovernanceError(stale)

    def _execute(self, lineage: Lineage) -> None:
        problems = self.kind.validate(self.version)
        if problems:
            raise GovernanceError(_("The version does not pass validation."), problems=problems)
        unchecked = _unchecked_verified(self.kind, self.version)
        if unchecked:
            raise GovernanceError(_(VERIFIED_NEEDS_CHECKER), problems=unchecked)
        now = timezone.now()
        number = self.kind.number(self.version)
        for previous in self.kind.versions(lineage.key).filter(status=ContentStatus.PUBLISHED):
            previous.status = ContentStatus.RETIRED
            history_save(previous, user=self.user, reason=f"Retired: v{number} published")
        self.version.status = ContentStatus.PUBLISHED
        self.version.published_at = now
        self.version.approved_by = self.user
        self.version.checker = self.user.get_username()
        self.version.publish_reason = self.reason
        history_save(self.version, user=self.user, reason=f"Published: {self.reason}")
        Lineage.objects.filter(pk=lineage.pk).update(
            published_count=F("published_count") + 1, last_published_at=now
        )


class Retire(VersionAction):
    """Withdraw the published version without a successor (content is retired, never deleted).

    The clinic then no longer reads this lineage; plans pinned to the version keep it."""

    role = CONTENT_APPROVER
    role_refused = NOT_AN_APPROVER
    reason_missing = RETIRE_REASON_REQUIRED

    def check_version(self) -> None:
        if self.version.status != ContentStatus.PUBLISHED:
            raise GovernanceError(_(NOT_PUBLISHED))
        problems = kind_of(self.version).retire_problems(self.version)
        if problems:
            raise GovernanceError(_(RETIRE_REFUSED), problems=problems)

    def _execute(self, lineage: Lineage) -> None:
        self.version.status = ContentStatus.RETIRED
        history_save(self.version, user=self.user, reason=f"Retired: {self.reason}")
        Lineage.objects.filter(pk=lineage.pk).update(
            published_count=F("published_count") + 1, last_published_at=timezone.now()
        )


class CreateDraft:
    """A new draft copied from the published version (or the latest); nothing else changes."""

    def __init__(self, kind: ContentKind, key: str, *, user: User) -> None:
        self.kind = kind
        self.key = key
        self.user = user

    def check(self) -> None:
        if not user_has_any_role(self.user, (CONTENT_EDITOR,)):
            raise GovernanceError(_(NOT_AN_EDITOR))
        if not self.kind.versions(self.key).exists():
            raise GovernanceError(_(NOTHING_TO_COPY).format(label=self.kind.label, key=self.key))

    def execute(self) -> Any:
        with transaction.atomic():
            self.check()
            lineage_lock(self.kind, self.key)
            base = self.kind.published(self.key) or self.kind.versions(self.key).first()
            numbers = self.kind.versions(self.key).aggregate(highest=Max(self.kind.number_field))
            number = (numbers["highest"] or 0) + 1
            reason = f"Draft v{number} created from v{self.kind.number(base)}"
            draft = self.kind.copy_as_draft(base, number=number, user=self.user)
            draft.status = ContentStatus.DRAFT
            draft.base = base
            draft.created_by = self.user
            draft.editor_ids = [self.user.pk]
            draft.checked_by = ""
            draft.date_reviewed = None
            history_save(draft, user=self.user, reason=reason)
            self.kind.copy_children(base, draft, user=self.user, reason=reason)
        return draft


# --------------------------------------------------------------------------------------------
# Reads the pages share
# --------------------------------------------------------------------------------------------


def version_diff(version: Any, *, against: Any) -> list[str]:
    """Unified diff of the YAML documents (``against`` is usually the published version)."""
    if against is None or against.pk == version.pk:
        return []
    kind = kind_of(version)
    return list(
        difflib.unified_diff(
            version_document_yaml(against).splitlines(),
            version_document_yaml(version).splitlines(),
            fromfile=f"v{kind.number(against)} ({against.get_status_display()})",
            tofile=f"v{kind.number(version)} ({version.get_status_display()})",
            lineterm="",
        )
    )


def version_document_yaml(version: Any) -> str:
    """The version as its editors see it: the kind's document and who checked it, when."""
    kind = kind_of(version)
    document = kind.document(version)
    document["checked_by"] = version.checked_by or None
    document["date_reviewed"] = version.date_reviewed
    return yaml_dump(document)


def version_stale_reason(version: Any) -> str:
    """Why a draft or version in review cannot go on until refreshed (empty when current)."""
    if version.status not in (ContentStatus.DRAFT, ContentStatus.IN_REVIEW):
        return ""
    return _stale(kind_of(version), version)
