"""Vial cost and waste from the seed's country prices; every figure computed by hand.

Seed (Framingham on multiple myeloma, Oct 2025, country notes): Norway isatuximab 100 mg
kr 7 908,50 and 500 mg kr 39 397,30; Finland 100 mg 558,04 € and 500 mg 2 790,18 €.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from myeloma_core.cost import (
    PriceList,
    administration_cost,
    money_format,
    plan_cost,
)
from myeloma_core.cost_schema import price_list_from_dict, reimbursement_notes_from_dict
from myeloma_core.errors import InvalidInput


def _prices(country: str, currency: str, p100: str, p500: str) -> PriceList:
    return price_list_from_dict(
        {
            "drug": "isatuximab",
            "country": country,
            "currency": currency,
            "source": "seed",
            "source_date": "2025-10",
            "verification": "verified",
            "vials": [
                {"strength_mg": 100, "pack": "5 ml", "price": p100},
                {"strength_mg": 500, "pack": "25 ml", "price": p500},
            ],
        }
    )


NORWAY = _prices("NO", "NOK", "7908.50", "39397.30")
FINLAND = _prices("FI", "EUR", "558.04", "2790.18")


def _vials(cost: Any) -> list[tuple[int, int]]:
    return [(int(v.strength_mg), v.count) for v in cost.vials]


@pytest.mark.parametrize(
    ("dose", "prices", "vials", "cost", "discarded", "percent"),
    [
        # 720 mg (10 mg/kg × 72 kg): 39 397,30 + 3 × 7 908,50 = 63 122,80; 80 of 800 mg = 10 %.
        (720, NORWAY, [(500, 1), (100, 3)], "63122.80", "80", "10.0"),
        (720, FINLAND, [(500, 1), (100, 3)], "4464.30", "80", "10.0"),  # 2 790,18 + 1 674,12
        # Exact multiples: nothing discarded; 500 mg is one 500 mg vial (cheaper than 5 × 100).
        (500, NORWAY, [(500, 1)], "39397.30", "0", "0.0"),
        (1000, NORWAY, [(500, 2)], "78794.60", "0", "0.0"),
        (100, FINLAND, [(100, 1)], "558.04", "0", "0.0"),
        # Under 100 mg: one 100 mg vial, 20 of 100 mg discarded.
        (80, NORWAY, [(100, 1)], "7908.50", "20", "20.0"),
        (80, FINLAND, [(100, 1)], "558.04", "20", "20.0"),
        # Large: 1 680 mg → 3 × 500 + 2 × 100 = 1 700 mg; 20/1700 = 1.18 % → 1.2 %.
        # NOK 3 × 39 397,30 + 2 × 7 908,50 = 118 191,90 + 15 817,00 = 134 008,90.
        (1680, NORWAY, [(500, 3), (100, 2)], "134008.90", "20", "1.2"),
        # EUR 3 × 2 790,18 + 2 × 558,04 = 8 370,54 + 1 116,08 = 9 486,62.
        (1680, FINLAND, [(500, 3), (100, 2)], "9486.62", "20", "1.2"),
        # A fractional dose: 720.5 mg opens 800 mg; 79.5 mg discarded, 9.9375 % → 9.9 %.
        (720.5, NORWAY, [(500, 1), (100, 3)], "63122.80", "79.5", "9.9"),
    ],
)
def test_administration_cost(
    dose: float,
    prices: PriceList,
    vials: list[tuple[int, int]],
    cost: str,
    discarded: str,
    percent: str,
) -> None:
    result = administration_cost(dose, prices)
    assert _vials(result) == vials
    assert result.cost == Decimal(cost)
    assert isinstance(result.cost, Decimal)
    assert result.discarded_mg == Decimal(discarded)
    assert result.given_mg == Decimal(repr(dose))
    assert result.discarded_percent == Decimal(percent)
    assert result.currency == prices.currency


def test_720_mg_is_cheaper_than_two_500_mg_vials() -> None:
    """The issue's example: 2 × 500 mg would cost kr 78 794,60 (2 × 39 397,30)."""
    result = administration_cost(720, NORWAY)
    two_large = 2 * NORWAY.vials[0].price
    assert two_large == Decimal("78794.60")
    assert result.cost == Decimal("63122.80") < two_large


def test_cost_breaks_a_tie_of_equal_waste() -> None:
    """Equal waste: the cheaper combination wins even with more vials (X6 with prices)."""
    cheap_small = _prices("NO", "NOK", "10.00", "60.00")
    result = administration_cost(500, cheap_small)
    assert _vials(result) == [(100, 5)]
    assert result.cost == Decimal("50.00")


def test_plan_cost_totals() -> None:
    """720 + 720 + 80 mg: 2 × 63 122,80 + 7 908,50 = 134 154,10; 180 of 1 700 mg = 10.6 %."""
    result = plan_cost([720, 720, 80], NORWAY)
    assert [(int(v.strength_mg), v.count) for v in result.vials] == [(500, 2), (100, 7)]
    assert result.cost == Decimal("134154.10")
    assert result.opened_mg == Decimal(1700)
    assert result.given_mg == Decimal(1520)
    assert result.discarded_mg == Decimal(180)
    assert result.discarded_percent == Decimal("10.6")
    assert len(result.administrations) == 3


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("63122.80", "NOK", "kr 63 122,80"),
        ("78794.60", "NOK", "kr 78 794,60"),
        ("7908.5", "NOK", "kr 7 908,50"),
        ("1234567.00", "NOK", "kr 1 234 567,00"),
        ("558.04", "EUR", "558,04 €"),
        ("2790.18", "EUR", "2 790,18 €"),
        ("0.5", "EUR", "0,50 €"),
        ("1234.5", "SEK", "1 234,50 SEK"),
    ],
)
def test_money_format(amount: str, currency: str, text: str) -> None:
    assert money_format(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": False}, "country"),  # YAML reads an unquoted NO as false
        ({"country": "no"}, "country"),
        ({"currency": "kr"}, "currency"),
        ({"verification": "checked"}, "verification"),
        ({"source": ""}, "source"),
        ({"vials": []}, "vials"),
        ({"vials": [{"strength_mg": 100, "price": 7908.5}]}, "vials[0].price"),
        ({"vials": [{"strength_mg": 100, "price": "7908.505"}]}, "vials[0].price"),
        ({"vials": [{"strength_mg": 0, "price": "1.00"}]}, "vials[0].strength_mg"),
        (
            {"vials": [{"strength_mg": 100, "price": "1.00"}, {"strength_mg": 100, "price": "2"}]},
            "vials",
        ),
    ],
)
def test_price_list_validation_names_the_field(change: dict[str, Any], field: str) -> None:
    data = {
        "drug": "isatuximab",
        "country": "NO",
        "currency": "NOK",
        "source": "seed",
        "source_date": "2025-10",
        "verification": "verified",
        "vials": [{"strength_mg": 100, "price": "7908.50"}],
    } | change
    with pytest.raises(InvalidInput) as error:
        price_list_from_dict(data)
    assert error.value.field == field


def test_reimbursement_notes_validate() -> None:
    data: dict[str, Any] = {
        "drug": "isatuximab",
        "source": "seed",
        "source_date": "2025-10",
        "verification": "verified",
        "notes": [{"country": "SE", "status": "not reimbursed", "note": "Not reimbursed."}],
    }
    (note,) = reimbursement_notes_from_dict(data)
    assert (note.country, note.status, note.source_date) == ("SE", "not reimbursed", "2025-10")
    data["notes"] = [{"country": False, "status": "x", "note": "y"}]  # unquoted NO in YAML
    with pytest.raises(InvalidInput) as error:
        reimbursement_notes_from_dict(data)
    assert error.value.field == "notes[0].country"
