"""ASTCT CRS and ICANS, KVA: the texts and errors a clinician reads — domain-reference §13, §22.

Expected values are written from the published scales (T8–T10) and the values typed in the test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.toxicity_scales import (
    ASTCT_SOURCE,
    KVA_SOURCE,
    CornealExam,
    Hypotension,
    Hypoxia,
    ScaleGrade,
    grade_crs,
    grade_icans,
    grade_kva,
    ice_score,
)

FULL_ICE = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}


def test_crs_with_nothing_known_names_everything_missing_in_order() -> None:
    crs = grade_crs(
        temperature_celsius=None, fever_masked_by_treatment=False, hypotension=None, hypoxia=None
    )
    assert crs.reasons == (
        "Not assessable as one grade: possible grades 0, 1, 2, 3, 4; missing "
        "temperature_celsius, hypotension, hypoxia.",
    )
    assert (crs.missing, crs.source) == (
        ("temperature_celsius", "hypotension", "hypoxia"),
        ASTCT_SOURCE,
    )


def test_masked_fever_without_organ_signs_is_grade_0_or_1_with_nothing_missing() -> None:
    # without fever, grade 1 cannot be told from resolved CRS (organ grade 0 → 0 or 1)
    crs = grade_crs(
        temperature_celsius=Decimal("37"),
        fever_masked_by_treatment=True,
        hypotension=Hypotension.NONE,
        hypoxia=Hypoxia.NONE,
    )
    assert crs.reasons[-1] == "Not assessable as one grade: possible grades 0, 1."


def test_icans_inputs_that_contradict_or_are_unknown_name_the_field() -> None:
    with pytest.raises(InvalidInput) as both:
        grade_icans(ice=FULL_ICE, unable_to_perform_ice=True, domains={})
    assert (both.value.field, both.value.message) == (
        "unable_to_perform_ice",
        "Give either the ICE items or unable_to_perform_ice: true, not both (ice and "
        "unable_to_perform_ice contradict each other).",
    )
    with pytest.raises(InvalidInput) as unknown:
        grade_icans(ice=None, unable_to_perform_ice=False, domains={"seizure": "long"})
    assert (unknown.value.field, unknown.value.message) == (
        "seizure",
        "seizure must be one of none, rapidly_resolving, prolonged; got 'long'.",
    )


def test_icans_scores_and_domain_words() -> None:
    unable_score, _ = grade_icans(ice=None, unable_to_perform_ice=True, domains={})
    missing_score, _ = grade_icans(ice=None, unable_to_perform_ice=False, domains={})
    assert (unable_score, missing_score) == (0, None)
    _, icans = grade_icans(
        ice=FULL_ICE,
        unable_to_perform_ice=False,
        domains={
            "consciousness": "awakens_to_voice",
            "seizure": "none",
            "motor_weakness": "none",
            "cerebral_oedema": "none",
        },
    )
    assert icans.reasons[1] == "depressed level of consciousness: awakens to voice → grade 2."
    assert icans.source == ASTCT_SOURCE


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        (
            {**FULL_ICE, "mood": 1},
            "ice.mood",
            "Unknown ICE item 'mood'; the items are orientation, naming, commands, writing, "
            "attention.",
        ),
        (
            {**FULL_ICE, "orientation": 5},
            "ice.orientation",
            "ICE orientation must be a whole number from 0 to 4 points; got 5.",
        ),
    ],
)
def test_ice_errors(items: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        ice_score(items)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_kva_result_and_its_line_range() -> None:
    # 20 lines is the most accepted: > 3 lines → grade 3
    kva, _ = grade_kva(
        corneal_exam=CornealExam.NORMAL, bcva_lines_decline=20, snellen_worse_than_20_200=False
    )
    assert kva == ScaleGrade(
        grade=3,
        possible_grades=(3,),
        reasons=(
            "Corneal exam normal → grade 0.",
            "BCVA decline 20 lines → grade 3.",
            "KVA grade 3: the worse of the two, in the worse eye.",
        ),
        missing=(),
        source=KVA_SOURCE,
    )
    with pytest.raises(InvalidInput) as raised:
        grade_kva(
            corneal_exam=CornealExam.NORMAL, bcva_lines_decline=21, snellen_worse_than_20_200=False
        )
    assert raised.value.message == (
        "The decline in best-corrected visual acuity must be a whole number of Snellen lines "
        "from 0 to 20 (worse eye); got 21."
    )
