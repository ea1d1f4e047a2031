"""Internal rule codes never reach a clinician's screen; the readable citation stays."""

from __future__ import annotations

import pytest

from myeloma_core.clinician_text import without_rule_codes


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "[SEED] SARCLISA SmPC 18.07.2025 (prevention of infection; domain reference §13.7)",
            "SARCLISA SmPC 18.07.2025 (prevention of infection)",
        ),
        ("[PUB] P23f IMWG 2016 response criteria", "IMWG 2016 response criteria"),
        (
            "Dose (20 mg) and route rule are verified (X12); the IMROZ days are not (§15.6).",
            "Dose (20 mg) and route rule are verified; the IMROZ days are not.",
        ),
        ("Bortezomib days not confirmed (§15.6, §20).", "Bortezomib days not confirmed."),
        ("The renal table itself (L2/L3) is verified.", "The renal table itself is verified."),
        (
            "lenalidomide: L5: 25 mg D1–14 and D22–35",
            "lenalidomide: 25 mg D1–14 and D22–35",
        ),
        (
            "keeps the protocol interval (SARCLISA SmPC, X27).",
            "keeps the protocol interval (SARCLISA SmPC).",
        ),
        ("see §12.5 for the rule", "see for the rule"),
        ("risk (C4) applies", "risk applies"),
    ],
)
def test_codes_are_removed_and_words_kept(text: str, shown: str) -> None:
    assert without_rule_codes(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "isatuximab 10 mg/kg on C1 D1, 8, 15, 22",
        "anti-CD38 antibody (daratumumab)",
        "C1–6 D1–21",
        "IgG-κ band, 2.4 mg/dL",
    ],
)
def test_clinical_words_and_cycle_days_are_untouched(text: str) -> None:
    assert without_rule_codes(text) == text
