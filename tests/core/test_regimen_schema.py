"""The regimen schema (pydantic): strict types, ranges, review fields, and errors in plain words.

The error-path contract of the hand-written validator it replaced is in test_regimen.py; these
tests pin what the schema adds (issue 18).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from myeloma_core.regimen import RegimenContentError
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.regimen_serialise import regimen_spec_to_dict
from myeloma_core.verification_record import VerificationRecord
from tests.core.test_regimen import expect_error, minimal


class TestStrictTypes:
    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("10", "expected a number, got str"),
            (True, "expected a number, got bool"),
            (float("nan"), "must be a finite number"),
            (-1, "must be > 0 (got -1)"),
        ],
    )
    def test_dose_amount(self, value: Any, message: str) -> None:
        data = minimal()
        data["components"][0]["dose"]["amount"] = value
        assert expect_error(data, "components[0].dose.amount").message == message

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (85, "must be ≤ 84 (got 85)"),
            (0, "must be ≥ 1 (got 0)"),
            (28.0, "expected a whole number, got float"),
            (None, "is required"),
        ],
    )
    def test_cycle_length_between_1_and_84_days(self, value: Any, message: str) -> None:
        data = minimal()
        data["cycle_rules"][1]["length_days"] = value
        assert expect_error(data, "cycle_rules[1].length_days").message == message

    def test_max_cycles_at_most_60(self) -> None:
        """A plan has at most 60 cycles (schedule.MAX_CYCLES): a larger limit cannot be met."""
        data = minimal()
        data["max_cycles"] = 61
        assert expect_error(data, "max_cycles").message == "must be ≤ 60 (got 61)"
        data["max_cycles"] = 60
        assert regimen_spec_from_dict(data).max_cycles == 60

    def test_text_is_not_a_number(self) -> None:
        data = minimal()
        data["components"][0]["patient_instructions"] = 5
        expect_error(data, "components[0].patient_instructions", "expected text, got int")

    def test_flag_is_true_or_false(self) -> None:
        data = minimal()
        data["components"][0]["number_infusions"] = "yes"
        expect_error(data, "components[0].number_infusions", "expected true or false, got str")

    def test_cycle_number_in_a_range(self) -> None:
        data = minimal()
        data["components"][0]["schedule"][1]["cycles"] = [2, "last"]
        expect_error(data, "components[0].schedule[1].cycles[1]", "expected a whole number")

    def test_mapping_expected(self) -> None:
        data = minimal()
        data["components"][0]["dose"] = [10]
        expect_error(data, "components[0].dose", "expected a mapping, got list")

    def test_route_rule_keys_are_checked(self) -> None:
        data = minimal()
        data["components"][1]["route"]["default"] = "oral"
        expect_error(data, "components[1].route.default", '"po"')

    def test_every_unknown_key_of_a_mapping_is_named(self) -> None:
        data = minimal()
        data["components"][0]["dose"]["unit"] = "mg"
        data["components"][0]["dose"]["colour"] = "red"
        expect_error(data, "components[0].dose", "unknown key(s): colour, unit")

    def test_a_long_value_is_not_echoed(self) -> None:
        """An error names the value's problem; it never repeats a huge (e.g. expanded) value."""
        data = minimal()
        data["components"][0]["route"] = "x" * 10_000
        error = expect_error(data, "components[0].route", "must be one of")
        assert len(str(error)) < 200


class TestReviewFields:
    """checked_by and date_reviewed (both or neither) are read on every item that has a
    verification, kept with the item and written back."""

    def test_on_the_regimen_a_component_and_nested_items(self) -> None:
        data = minimal()
        review = {"checked_by": "A. Checker", "date_reviewed": dt.date(2026, 11, 1)}
        data.update(review)
        data["components"][0].update(review)
        data["components"][1]["age_rule"].update(review)
        data["milestones"] = [
            {"after_cycle": 4, "label": "x", "source": "s", "verification": "verified", **review}
        ]
        spec = regimen_spec_from_dict(data)
        record = VerificationRecord(checked_by="A. Checker", date_reviewed=dt.date(2026, 11, 1))
        assert spec.record == record
        assert spec.components[0].record == record
        assert spec.components[1].age_rule is not None
        assert spec.components[1].age_rule.record == record
        assert spec.milestones[0].record == record
        assert spec.components[1].record is None
        out = regimen_spec_to_dict(spec)
        assert out["components"][0]["date_reviewed"] == "2026-11-01"
        assert regimen_spec_from_dict(out) == spec

    def test_date_from_json_is_iso_text(self) -> None:
        data = minimal()
        data["components"][0].update({"checked_by": "X10", "date_reviewed": "2026-11-01"})
        record = regimen_spec_from_dict(data).components[0].record
        assert record is not None and record.date_reviewed == dt.date(2026, 11, 1)

    @pytest.mark.parametrize("value", ["last week", 20261101, "2026-11-31"])
    def test_date_must_be_a_date(self, value: Any) -> None:
        """A number is not read as a timestamp; an impossible date is refused."""
        data = minimal()
        data["components"][0].update({"checked_by": "X10", "date_reviewed": value})
        expect_error(data, "components[0].date_reviewed", "expected a date (YYYY-MM-DD)")

    @pytest.mark.parametrize(
        ("value", "message"),
        [("", "must not be empty"), ("x" * 201, "must be at most 200 characters (got 201)")],
    )
    def test_checked_by_is_short_text(self, value: str, message: str) -> None:
        data = minimal()
        data["components"][0].update({"checked_by": value, "date_reviewed": "2026-11-01"})
        assert expect_error(data, "components[0].checked_by").message == message

    @pytest.mark.parametrize("present", ["checked_by", "date_reviewed"])
    def test_a_record_needs_both(self, present: str) -> None:
        data = minimal()
        data["components"][0][present] = {"checked_by": "X10", "date_reviewed": "2026-11-01"}[
            present
        ]
        missing = "date_reviewed" if present == "checked_by" else "checked_by"
        expect_error(data, f"components[0].{missing}", "needs both checked_by")

    def test_not_on_items_without_verification(self) -> None:
        data = minimal()
        data["components"][0]["dose"]["checked_by"] = "A. Checker"
        expect_error(data, "components[0].dose", "unknown key(s): checked_by")


def test_error_is_a_value_error_with_path() -> None:
    data = minimal()
    data["cycle_rules"] = []
    with pytest.raises(RegimenContentError) as info:
        regimen_spec_from_dict(data)
    assert str(info.value) == "cycle_rules: must not be empty"


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d.update({1: "x"}), "", "keys must be text, got 1"),
        (lambda d: d.update({"notes": ["ok", "  "]}), "notes[1]", "must not be empty"),
        (
            lambda d: d["components"][0]["dose"].update({"amount": 10**400}),
            "components[0].dose.amount",
            "must be a finite number (this one is too large)",
        ),
    ],
)
def test_odd_values_get_plain_words(mutate: Any, path: str, message: str) -> None:
    data = minimal()
    mutate(data)
    assert expect_error(data, path).message == message
