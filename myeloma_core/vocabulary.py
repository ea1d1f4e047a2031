"""The domain values shared across myeloma_core, each defined once (issue 18).

The apps' Django choices mirror these values; content and the API use the string values.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Basis", "Finding", "Setting", "Verification"]


class Verification(StrEnum):
    """Domain reference §0.1: verified = [SEED]/[PUB]/[DERIVED]; pending = [UNVERIFIED]/[PARTIAL],
    shown as "pending verification" on screen, in print and in the API (§20)."""

    VERIFIED = "verified"
    PENDING = "pending"


class Finding(StrEnum):
    """A test result that may be unknown; unknown is never read as absent (G1)."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class Setting(StrEnum):
    """The disease setting of a patient and of a regimen (treatment options, §12.2–§12.6)."""

    SMOULDERING_HIGH_RISK = "smouldering_high_risk"
    NDMM = "ndmm"
    RRMM = "rrmm"


class Basis(StrEnum):
    """Why a treatment option is offered (§12.1)."""

    GUIDELINE = "guideline"  # an EHA-EMN 2025 recommendation (verified or pending)
    LABEL = "label"  # an approved indication (EMA) with a named pivotal trial
    INVESTIGATIONAL = "investigational"  # a trial regimen, not a guideline regimen
