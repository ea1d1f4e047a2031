"""The per-kind adapter of governed content, and the registry of kinds.

The workflow (``governance.actions``) is one; what differs between regimens, guidelines and every
rule table to come is what a version *is*. A kind says that by subclassing ``ContentKind``:

- ``name`` (URL segment, e.g. "regimens"), ``label``, ``model`` (the version model, a
  ``GovernedVersion``), ``lineage_field`` and ``number_field`` (which columns name the lineage
  and number the version), ``document_label`` and ``preview_template``;
- ``lineage_key(version)`` and ``lineage_title(key)``;
- ``copy_as_draft(base, number=…, user=…)``: a new draft row (and its child rows) copied from
  ``base``, without saving the workflow fields, which the action sets;
- ``document(version)`` and ``document_apply(version, document)``: the version as one YAML-ready
  dict and back; ``document_apply`` validates with ``myeloma_core`` and raises
  ``ContentInvalid`` before anything is written;
- ``recognises(document)`` and ``document_for_draft(draft, document)``: which imported files
  are of this kind, and how they fit the draft they land in;
- ``shipped_load()``: the shipped content of ``content/`` the database lacks, as drafts;
- ``validate(version)``: domain validation and golden cases, as plain-language problems;
- ``preview_context(version)``: what the preview template shows.

The app that owns the model registers its kind in ``AppConfig.ready()``; ``governance`` itself
never imports a kind's app.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from governance.models import ContentStatus


class ContentInvalid(Exception):
    """The document does not validate; ``problems`` say where."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ContentKind(ABC):
    name: ClassVar[str]
    label: ClassVar[str | Promise]
    label_plural: ClassVar[str | Promise]
    model: ClassVar[type[Any]]  # a concrete GovernedVersion subclass
    lineage_field: ClassVar[str]
    number_field: ClassVar[str]
    document_label: ClassVar[str | Promise]
    preview_template: ClassVar[str]
    preview_link_label: ClassVar[str | Promise]

    # ------------------------------------------------------------------ lineage and numbering

    @abstractmethod
    def lineage_key(self, version: Any) -> str:
        """Kind-specific."""

    def lineage_filter(self, key: str) -> dict[str, Any]:
        """The ORM filter selecting every version of lineage ``key``."""
        return {self.lineage_field: key}

    def lineage_title(self, key: str) -> str:
        published = self.published(key)
        latest = published or self.versions(key).first()
        return key if latest is None else self.title(latest)

    def lineage_keys(self) -> list[str]:
        keys = self.model._default_manager.values_list(self.lineage_field, flat=True)
        return sorted(set(keys))

    @abstractmethod
    def title(self, version: Any) -> str:
        """Kind-specific."""

    def number(self, version: Any) -> int:
        return int(getattr(version, self.number_field))

    def versions(self, key: str) -> QuerySet[Any]:
        return self.model._default_manager.filter(**self.lineage_filter(key)).order_by(
            f"-{self.number_field}"
        )

    def published(self, key: str) -> Any:
        return self.versions(key).filter(status=ContentStatus.PUBLISHED).first()

    def published_keys(self) -> frozenset[str]:
        published = self.model._default_manager.filter(status=ContentStatus.PUBLISHED)
        return frozenset(published.values_list(self.lineage_field, flat=True))

    @abstractmethod
    def published_domain(self) -> Mapping[str, Any]:
        """The published version of every lineage as its domain object, keyed by lineage.

        How another app reads this kind's content without importing the app that owns it.
        """

    # ------------------------------------------------------------------ the content itself

    @abstractmethod
    def copy_as_draft(self, base: Any, *, number: int, user: User) -> Any:
        """An unsaved draft copied from ``base``; ``copy_children`` copies the child rows."""

    @abstractmethod
    def copy_children(self, base: Any, draft: Any, *, user: User, reason: str) -> None:
        """Copy the child rows of ``base`` into the saved ``draft`` (if the kind has any)."""

    @abstractmethod
    def document(self, version: Any) -> dict[str, Any]:
        """Kind-specific."""

    @abstractmethod
    def document_apply(
        self, version: Any, document: Mapping[str, Any], *, user: User, reason: str
    ) -> None:
        """Validate ``document`` and store it in the draft ``version``; raises ContentInvalid."""

    @abstractmethod
    def recognises(self, document: Mapping[str, Any]) -> bool:
        """Whether a YAML document (a file to import) is of this kind."""

    def document_for_draft(self, draft: Any, document: Mapping[str, Any]) -> dict[str, Any]:
        """An imported document adapted to the draft it lands in (workflow fields)."""
        return dict(document)

    @abstractmethod
    def shipped_load(self) -> int:
        """Add the shipped content (content/) the database lacks; returns how many versions."""

    def retire_problems(self, version: Any) -> tuple[str, ...]:
        """Why the published ``version`` cannot be withdrawn without a successor (empty: it can).

        Most kinds can lose a lineage; a kind whose lineages are read as one set says no when
        the rest would not stand alone.
        """
        return ()

    @abstractmethod
    def validate(self, version: Any) -> tuple[str, ...]:
        """Kind-specific."""

    @abstractmethod
    def preview_context(self, version: Any) -> dict[str, Any]:
        """Kind-specific."""


_KINDS: dict[str, ContentKind] = {}


def kind_register(kind: ContentKind) -> None:
    _KINDS[kind.name] = kind


def kind_named(name: str) -> ContentKind:
    """Raises ``LookupError`` for an unknown kind."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(name) from None


def kind_of(version: Model) -> ContentKind:
    for kind in _KINDS.values():
        if isinstance(version, kind.model):
            return kind
    raise LookupError(type(version).__name__)


def kinds() -> list[ContentKind]:
    return list(_KINDS.values())
