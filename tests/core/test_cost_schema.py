"""The price-list and reimbursement schemas (pydantic): what they add to test_cost.py's contract
(issue 18) — unknown keys refused, review fields accepted, no long value echoed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from myeloma_core.cost_schema import price_list_from_dict, reimbursement_notes_from_dict
from myeloma_core.errors import InvalidInput


def _prices(**changes: Any) -> dict[str, Any]:
    return {
        "drug": "isatuximab",
        "country": "NO",
        "currency": "NOK",
        "source": "seed",
        "source_date": "2025-10",
        "verification": "verified",
        "vials": [{"strength_mg": 100, "pack": "5 ml", "price": "7908.50"}],
    } | changes


def _error(data: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        price_list_from_dict(data)
    return error.value


def test_unknown_keys_are_refused() -> None:
    error = _error(_prices(vials=[{"strength_mg": 100, "price": "1.00", "prize": "2.00"}]))
    assert (error.field, error.message) == ("vials[0]", "unknown key(s): prize")
    assert _error(_prices(curency="NOK")).message == "unknown key(s): curency"


def test_strength_range_names_the_bound() -> None:
    error = _error(_prices(vials=[{"strength_mg": 10001, "price": "1.00"}]))
    assert (error.field, error.message) == ("vials[0].strength_mg", "must be ≤ 10000 (got 10001)")


def test_review_fields_are_accepted() -> None:
    data = _prices(checked_by="A. Checker", date_reviewed=dt.date(2026, 11, 1))
    assert price_list_from_dict(data).country == "NO"
    note = {
        "drug": "isatuximab",
        "source": "seed",
        "source_date": "2025-10",
        "verification": "verified",
        "checked_by": "A. Checker",
        "date_reviewed": "2026-11-01",
        "notes": [{"country": "SE", "status": "not reimbursed", "note": "Not reimbursed."}],
    }
    assert reimbursement_notes_from_dict(note)[0].country == "SE"


def test_a_long_value_is_not_echoed() -> None:
    error = _error(_prices(currency="E" * 5000))
    assert error.field == "currency"
    assert len(error.message) < 120
