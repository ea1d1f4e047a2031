"""Frailty scores — domain-reference §8.1 (IMWG), §8.2 (simplified), §18.2 case 16.

Expected values are taken from the reference text, not from the code.
"""

from __future__ import annotations

from typing import Any

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.frailty import FrailtyCategory, imwg_frailty, simplified_frailty

FIT, INTERMEDIATE, FRAIL = FrailtyCategory.FIT, FrailtyCategory.INTERMEDIATE, FrailtyCategory.FRAIL
NON_FRAIL = FrailtyCategory.NON_FRAIL


def imwg(**changes: Any) -> Any:
    items = {"age_years": 70, "charlson_comorbidity_index": 0, "katz_adl": 6, "lawton_iadl": 8}
    return imwg_frailty(**(items | changes))


def simplified(**changes: Any) -> Any:
    items = {"age_years": 70, "charlson_comorbidity_index": 0, "ecog_performance_status": 0}
    return simplified_frailty(**(items | changes))


def test_case_16_simplified() -> None:
    """78 y → 1; CCI 2 (> 1) → 1; ECOG 1 → 1 ⇒ 3 ⇒ frail."""
    result = simplified_frailty(
        age_years=78, charlson_comorbidity_index=2, ecog_performance_status=1
    )
    assert (result.score, result.score_range, result.category) == (3, (3, 3), FRAIL)
    assert [item.points for item in result.items] == [1, 1, 1]
    assert result.cut_points_verified is True
    assert "Facon" in result.source


def test_case_16_imwg() -> None:
    """Age 1 + CCI ≥ 2 → 1 + ADL 5 (> 4) → 0 + IADL 5 (≤ 5) → 1 = 3 ⇒ frail."""
    result = imwg_frailty(age_years=78, charlson_comorbidity_index=2, katz_adl=5, lawton_iadl=5)
    assert (result.score, result.category) == (3, FRAIL)
    assert [item.points for item in result.items] == [1, 1, 0, 1]
    assert result.cut_points_verified is False
    assert "Palumbo" in result.source


def test_imwg_says_its_cut_points_are_unverified() -> None:
    result = imwg()
    assert result.cut_points_verified is False
    assert "Pending verification" in result.verification_note
    assert "cut-points" in result.verification_note


@pytest.mark.parametrize(("age", "points"), [(75, 0), (76, 1), (80, 1), (81, 2)])
def test_age_bands(age: int, points: int) -> None:
    """Age ≤ 75 / 76–80 / > 80 = 0 / 1 / 2 (both scores)."""
    assert imwg(age_years=age).score == points
    assert simplified(age_years=age).score == points


@pytest.mark.parametrize(("cci", "points"), [(1, 0), (2, 1), (37, 1)])
def test_charlson_bands(cci: int, points: int) -> None:
    assert imwg(charlson_comorbidity_index=cci).score == points
    assert simplified(charlson_comorbidity_index=cci).score == points


@pytest.mark.parametrize(("adl", "points"), [(6, 0), (5, 0), (4, 1), (0, 1)])
def test_katz_adl_bands(adl: int, points: int) -> None:
    assert imwg(katz_adl=adl).score == points


@pytest.mark.parametrize(("iadl", "points"), [(8, 0), (6, 0), (5, 1), (0, 1)])
def test_lawton_iadl_bands(iadl: int, points: int) -> None:
    assert imwg(lawton_iadl=iadl).score == points


@pytest.mark.parametrize(("ecog", "points"), [(0, 0), (1, 1), (2, 2), (4, 2)])
def test_ecog_bands(ecog: int, points: int) -> None:
    assert simplified(ecog_performance_status=ecog).score == points


@pytest.mark.parametrize(
    ("changes", "score", "category"),
    [
        ({}, 0, FIT),
        ({"age_years": 76}, 1, INTERMEDIATE),
        ({"age_years": 81}, 2, FRAIL),
        ({"katz_adl": 4, "lawton_iadl": 5}, 2, FRAIL),
    ],
)
def test_imwg_groups(changes: dict[str, int], score: int, category: FrailtyCategory) -> None:
    """F1: 0 fit, 1 intermediate, ≥ 2 frail."""
    result = imwg(**changes)
    assert (result.score, result.category) == (score, category)


@pytest.mark.parametrize(
    ("changes", "score", "category", "maia"),
    [
        ({}, 0, NON_FRAIL, "fit"),
        ({"ecog_performance_status": 1}, 1, NON_FRAIL, "intermediate"),
        ({"ecog_performance_status": 2}, 2, FRAIL, None),
    ],
)
def test_simplified_groups_with_maia_note(
    changes: dict[str, int], score: int, category: FrailtyCategory, maia: str | None
) -> None:
    """F2: 0–1 non-frail (MAIA: 0 fit, 1 intermediate), ≥ 2 frail."""
    result = simplified(**changes)
    assert (result.score, result.category) == (score, category)
    notes = [reason for reason in result.reasons if "MAIA" in reason]
    if maia is None:
        assert notes == []
    else:
        assert notes and notes[0].endswith(f"is {maia}")


def test_unknown_item_gives_a_range_and_is_missing_when_it_matters() -> None:
    result = imwg(age_years=None)
    assert (result.score, result.score_range) == (None, (0, 2))
    assert (result.category, result.possible_categories) == (None, (FIT, INTERMEDIATE, FRAIL))
    assert result.missing == ("age_years",)
    assert result.items[0].value is None and result.items[0].points is None


def test_unknown_item_that_cannot_change_the_category_is_not_missing() -> None:
    result = imwg(age_years=81, katz_adl=None, lawton_iadl=None)
    assert (result.score, result.score_range, result.category, result.missing) == (
        None,
        (2, 4),
        FRAIL,
        (),
    )


def test_nothing_assessed() -> None:
    result = simplified_frailty(
        age_years=None, charlson_comorbidity_index=None, ecog_performance_status=None
    )
    assert (result.score_range, result.category) == ((0, 5), None)
    assert result.possible_categories == (NON_FRAIL, FRAIL)
    assert result.missing == (
        "age_years",
        "charlson_comorbidity_index",
        "ecog_performance_status",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age_years": 17}, "age_years"),
        ({"age_years": 121}, "age_years"),
        ({"charlson_comorbidity_index": -1}, "charlson_comorbidity_index"),
        ({"charlson_comorbidity_index": 38}, "charlson_comorbidity_index"),
        ({"katz_adl": 7}, "katz_adl"),
        ({"lawton_iadl": 9}, "lawton_iadl"),
        ({"katz_adl": 4.5}, "katz_adl"),
        ({"lawton_iadl": True}, "lawton_iadl"),
    ],
)
def test_imwg_invalid_items_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        imwg(**changes)
    assert raised.value.field == field
    assert "whole number" in raised.value.message


@pytest.mark.parametrize("ecog", [-1, 5])
def test_simplified_invalid_ecog(ecog: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        simplified(ecog_performance_status=ecog)
    assert raised.value.field == "ecog_performance_status"
    assert "0 to 4" in raised.value.message
