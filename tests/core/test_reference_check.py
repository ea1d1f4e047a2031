"""The patient reference refuses what looks like a name or a date of birth."""

from __future__ import annotations

import pytest

from myeloma_core.reference_check import reference_looks_identifying


@pytest.mark.parametrize(
    "reference",
    ["Anna de Vries", "de Vries, A.", "Jan Jansen", "Ólafur Sigurðsson", "O'Brien Mary"],
)
def test_names_are_caught(reference: str) -> None:
    assert reference_looks_identifying(reference) == "name"


@pytest.mark.parametrize(
    "reference", ["12-03-1951", "1951-03-12", "MM 12.03.51", "120351", "12031951", "19510312"]
)
def test_dates_of_birth_are_caught(reference: str) -> None:
    assert reference_looks_identifying(reference) == "date"


@pytest.mark.parametrize("reference", ["MM-0042", "BENCH-1", "A17", "HEM 0042", "993412", ""])
def test_pseudonymous_references_pass(reference: str) -> None:
    # 993412: day 99 is no date; "HEM 0042": a word and a number, not a name.
    assert reference_looks_identifying(reference) is None
