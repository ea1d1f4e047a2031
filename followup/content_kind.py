"""Toxicity rule tables as governed content: the adapter the one workflow uses.

A version's document is one file of content/toxicity/ (a CTCAE threshold table, the isatuximab
action table or the partner-drug rules). The tables are used together — exactly one CTCAE
version is the default, the isatuximab table and the partner-drug rules must both be there — so
a draft is validated by ``myeloma_core.toxicity_tables`` with every other published table beside
it, in place of its own published version (domain-reference §22).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from followup.models import ToxicityRuleTable
from followup.toxicity_content import (
    CTCAE_PREFIX,
    ISATUXIMAB_KEY,
    PARTNER_DRUGS_KEY,
    published_toxicity_tables,
    shipped_toxicity_tables,
    table_summary,
    toxicity_content,
    toxicity_content_from_tables,
    toxicity_key,
)
from governance.actions import history_save
from governance.kinds import ContentInvalid, ContentKind
from governance.models import ContentStatus
from myeloma_core.toxicity_tables import ToxicityContent, ToxicityContentError

TITLES = {
    ISATUXIMAB_KEY: "Isatuximab actions before a dose",
    PARTNER_DRUGS_KEY: "Partner-drug dose levels and holds",
}


def _content_with(key: str, document: Mapping[str, Any]) -> ToxicityContent:
    """The whole set of published tables with ``document`` in place of lineage ``key``'s."""
    return toxicity_content_from_tables({**published_toxicity_tables(), key: dict(document)})


class ToxicityKind(ContentKind):
    name = "toxicity"
    label = _("toxicity rule table")
    label_plural = _("toxicity rule tables")
    model = ToxicityRuleTable
    lineage_field = "key"
    number_field = "number"
    document_label = _("Rule table (YAML)")
    preview_template = "followup/content/toxicity_preview.html"
    preview_link_label = _("Check it with the published tables")

    def lineage_key(self, version: ToxicityRuleTable) -> str:
        return version.key

    def title(self, version: ToxicityRuleTable) -> str:
        if version.key in TITLES:
            return TITLES[version.key]
        return f"CTCAE v{version.document.get('ctcae_version', '?')} thresholds"

    def published_domain(self) -> dict[str, Any]:
        """Each published table as its domain object (CTCAE table, isatuximab or partner rules)."""
        content = toxicity_content()
        domain: dict[str, Any] = {
            f"{CTCAE_PREFIX}{version}": table for version, table in content.ctcae.items()
        }
        return domain | {
            ISATUXIMAB_KEY: content.isatuximab,
            PARTNER_DRUGS_KEY: content.partner_drugs,
        }

    def copy_as_draft(
        self, base: ToxicityRuleTable, *, number: int, user: User
    ) -> ToxicityRuleTable:
        return ToxicityRuleTable(
            key=base.key,
            number=number,
            document=base.document,
            verification=base.verification,
            source=base.source,
            author=user.get_username(),
            golden_cases=base.golden_cases,
        )

    def copy_children(
        self, base: ToxicityRuleTable, draft: ToxicityRuleTable, *, user: User, reason: str
    ) -> None:
        """A rule table has no child rows: it is one document."""

    def document(self, version: ToxicityRuleTable) -> dict[str, Any]:
        return dict(version.document)

    def document_apply(
        self,
        version: ToxicityRuleTable,
        document: Mapping[str, Any],
        *,
        user: User,
        reason: str,
    ) -> None:
        try:
            key = toxicity_key(document)
        except ToxicityContentError as error:
            raise ContentInvalid((str(error),)) from None
        if key != version.key:
            raise ContentInvalid(
                (f"kind: this document is the table {key!r}, not {version.key!r}",)
            )
        try:
            _content_with(version.key, document)
        except ToxicityContentError as error:
            raise ContentInvalid((str(error),)) from None
        version.document = dict(document)
        summary = table_summary(document)
        version.verification, version.source = summary["verification"], summary["source"]

    def recognises(self, document: Mapping[str, Any]) -> bool:
        try:
            toxicity_key(document)
        except ToxicityContentError:
            return False
        return True

    def shipped_load(self) -> int:
        """Each shipped table that differs from every version of its lineage, as a draft."""
        added = 0
        for key, document, review in shipped_toxicity_tables():
            versions = ToxicityRuleTable.objects.filter(key=key)
            if any(v.document == document for v in versions):
                continue
            number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            draft = ToxicityRuleTable(
                key=key,
                number=number,
                status=ContentStatus.DRAFT,
                base=versions.filter(status=ContentStatus.PUBLISHED).first(),
                document=document,
                **table_summary(document),
                checked_by=review.checked_by,
                date_reviewed=review.date_reviewed,
            )
            history_save(draft, user=None, reason="Shipped content loaded as a draft")
            added += 1
        return added

    def validate(self, version: ToxicityRuleTable) -> tuple[str, ...]:
        """The domain must build the whole set with this version in place of its published one."""
        try:
            if toxicity_key(version.document) != version.key:
                return (f"Rule table: the document is not the table {version.key!r}.",)
            _content_with(version.key, version.document)
        except ToxicityContentError as error:
            return (f"Rule table: {error}",)
        return ()

    def retire_problems(self, version: ToxicityRuleTable) -> tuple[str, ...]:
        """The tables are read as one set: the rest must still build without this one."""
        rest = {k: d for k, d in published_toxicity_tables().items() if k != version.key}
        try:
            toxicity_content_from_tables(rest)
        except ToxicityContentError as error:
            return (f"Rule table: {error}",)
        return ()

    def preview_context(self, version: ToxicityRuleTable) -> dict[str, Any]:
        return {"problems": self.validate(version), "document": version.document}
