"""The toxicity rule tables in force: the published version of each governed table.

Each shipped file of content/toxicity/ is one lineage of governed content (``followup``'s
``ToxicityRuleTable``, keyed by the file's slug, e.g. "ctcae-5.0"), published as version 1 by
the data migration and changed only through the four-eyes workflow (``governance.actions``).
``myeloma_core.toxicity_tables.toxicity_content_from_documents`` validates the whole set
together: at start-up from the files, and at every submission and publication with the draft in
place of its published sibling.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from followup.models import ToxicityRuleTable
from governance.models import ContentStatus
from governance.shipped import Review, shipped_document
from myeloma_core.toxicity_tables import (
    ToxicityContent,
    ToxicityContentError,
    toxicity_content_from_documents,
)
from myeloma_core.vocabulary import Verification

TOXICITY_DIR = Path(__file__).resolve().parent.parent / "content" / "toxicity"
CTCAE_PREFIX = "ctcae-"
ISATUXIMAB_KEY = "isatuximab-actions"
PARTNER_DRUGS_KEY = "partner-drugs"
KEYS_BY_KIND = {"isatuximab_actions": ISATUXIMAB_KEY, "partner_drug_rules": PARTNER_DRUGS_KEY}


def toxicity_key(document: Mapping[str, Any]) -> str:
    """The lineage a rule-table document belongs to (the slug of its shipped file)."""
    kind = document.get("kind")
    if kind == "ctcae_thresholds":
        return f"{CTCAE_PREFIX}{document.get('ctcae_version')}"
    if kind in KEYS_BY_KIND:
        return KEYS_BY_KIND[kind]
    raise ToxicityContentError(
        "kind", "must be ctcae_thresholds, isatuximab_actions or partner_drug_rules"
    )


def toxicity_content_from_tables(documents: Mapping[str, Any]) -> ToxicityContent:
    """Validate a whole set of rule tables (lineage key → document) into the domain content."""
    for key in (ISATUXIMAB_KEY, PARTNER_DRUGS_KEY):
        if key not in documents:
            raise ToxicityContentError(key, "has no published version")
    return toxicity_content_from_documents(
        ctcae=[documents[key] for key in sorted(documents) if key.startswith(CTCAE_PREFIX)],
        isatuximab=documents[ISATUXIMAB_KEY],
        partner_drugs=documents[PARTNER_DRUGS_KEY],
    )


def shipped_toxicity_tables() -> list[tuple[str, dict[str, Any], Review]]:
    """Each shipped file as (key, document, review); the key is the file's slug."""
    tables = []
    for path in sorted(TOXICITY_DIR.glob("*.yaml")):
        document, review = shipped_document(path)
        key = toxicity_key(document)
        if key != path.stem:
            raise ToxicityContentError(str(path), f"holds the table {key!r}, not {path.stem!r}")
        tables.append((key, document, review))
    toxicity_content_from_tables({key: document for key, document, _review in tables})
    return tables


def table_summary(document: Mapping[str, Any]) -> dict[str, str]:
    """The verification, source and author a version row shows for its document.

    The partner-drug rules hold them per drug: the table is verified only if every drug is, its
    source lists each drug's, and its author is each drug's author."""
    drugs = [d for d in document.get("drugs") or [] if isinstance(d, Mapping)]

    def joined(field: str) -> str:
        return "; ".join(dict.fromkeys(str(d[field]) for d in drugs if d.get(field)))

    if "verification" in document:
        verification = str(document["verification"])
    else:
        verified = bool(drugs) and all(
            d.get("verification") == Verification.VERIFIED for d in drugs
        )
        verification = str(Verification.VERIFIED if verified else Verification.PENDING)
    return {
        "verification": verification,
        "source": str(document.get("source") or joined("source")),
        "author": str(document.get("author") or joined("author")),
    }


def toxicity_content_load(*, table_model: Any, now: Any) -> int:
    """Publish the shipped table of every lineage the database does not have yet (version 1).

    The model class is passed in so the data migration can use its historical model. Returns
    the number of tables added.
    """
    added = 0
    for key, document, review in shipped_toxicity_tables():
        if table_model.objects.filter(key=key).exists():
            continue
        table_model.objects.create(
            key=key,
            number=1,
            status=ContentStatus.PUBLISHED,
            published_at=now,
            document=document,
            **table_summary(document),
            checker=document.get("checker") or "",
            checked_by=review.checked_by,
            date_reviewed=review.date_reviewed,
        )
        added += 1
    return added


def published_toxicity_tables() -> dict[str, Any]:
    """Lineage key → document of every published rule table."""
    published = ToxicityRuleTable.objects.filter(status=ContentStatus.PUBLISHED)
    return dict(published.values_list("key", "document"))


def toxicity_content() -> ToxicityContent:
    """The CTCAE tables, the isatuximab action table and the partner-drug rules in force."""
    published = ToxicityRuleTable.objects.filter(status=ContentStatus.PUBLISHED)
    return _toxicity_content(tuple(published.order_by("pk").values_list("pk", "published_at")))


@lru_cache(maxsize=8)
def _toxicity_content(published: tuple[tuple[int, Any], ...]) -> ToxicityContent:
    """Published versions never change (governance.triggers): their ids and publication times
    identify the content, so a publication or retirement reads the tables again."""
    rows = ToxicityRuleTable.objects.filter(pk__in=[pk for pk, _at in published])
    return toxicity_content_from_tables(dict(rows.values_list("key", "document")))
