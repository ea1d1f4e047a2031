"""Load the shipped toxicity rule tables (content/toxicity/*.yaml), validated by the domain.

The files are read once per process; ``myeloma_core.toxicity.toxicity_content_from_documents``
validates every file before anything uses it, so a file that does not validate stops the app
with its path rather than giving a wrong grade. The governed-content workflow (issue 12) will
replace this loader with the published documents of the same shape.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from myeloma_core.toxicity import ToxicityContent, toxicity_content_from_documents

TOXICITY_DIR = Path(__file__).resolve().parent.parent / "content" / "toxicity"


def _document(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def toxicity_content() -> ToxicityContent:
    """The CTCAE tables, the isatuximab action table and the partner-drug rules."""
    return toxicity_content_from_documents(
        ctcae=[_document(path) for path in sorted(TOXICITY_DIR.glob("ctcae-*.yaml"))],
        isatuximab=_document(TOXICITY_DIR / "isatuximab-actions.yaml"),
        partner_drugs=_document(TOXICITY_DIR / "partner-drugs.yaml"),
    )
