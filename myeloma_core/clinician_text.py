"""Internal rule codes taken out of text shown to clinicians.

Rule texts, warnings and sources carry the domain reference's codes ("[SEED]", "[PUB] P23f",
"§12.5", "(C4)", "X27") so that the API, the admin and reviewers can trace every rule. On a
clinician's screen they are noise: this strips them and leaves the readable words (the
citation itself, e.g. "SARCLISA SmPC 18.07.2025", stays). Presentation only.
"""

from __future__ import annotations

import re

# A rule code (letter(s) + number, optional letter: X27, P23f, C4, L2) or a section (§12.5).
_CODE = r"(?:§\s?\d+(?:\.\d+)*[a-z]?|[A-Z]{1,2}\d{1,3}[a-z]?)"
_SEPARATOR = r"\s*(?:,|/|;|–|-|and)\s*"
_PATTERNS = (
    # "[SEED] ", "[PUB] P23f " — the status tag and the code after it
    re.compile(rf"\[(?:SEED|PUB|DRAFT|UNVERIFIED)\]\s*(?:{_CODE}\b\s*)?"),
    # "(C4)", "(§15.6, §20)", "(L2/L3)" — a parenthesis holding only codes
    re.compile(rf"\s*\(\s*{_CODE}(?:{_SEPARATOR}{_CODE})*\s*\)"),
    # "…; domain reference §13.7)" and "SARCLISA SmPC, X27)"
    re.compile(rf"[;,]\s*(?:domain reference\s+)?{_CODE}(?:{_SEPARATOR}{_CODE})*(?=\s*\))"),
    # "(domain reference §13.7)"
    re.compile(rf"\s*\(\s*domain reference\s+{_CODE}\s*\)"),
    # "L5: 25 mg…" — a code heading a sentence
    re.compile(r"(?<![\w.])[A-Z]{1,2}\d{1,3}[a-z]?:\s"),
    # any "§12.5" left
    re.compile(r"\s*§\s?\d+(?:\.\d+)*[a-z]?"),
)


def without_rule_codes(text: str) -> str:
    """``text`` with internal rule codes removed; whitespace tidied."""
    for pattern in _PATTERNS:
        text = pattern.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
