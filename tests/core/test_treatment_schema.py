"""The guideline schema (pydantic): what it adds to the error-path contract of test_treatment.py
(issue 18): review fields, ranges, paths of a stored row and of the notes per setting."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from myeloma_core.treatment import PRIOR_LINES_MAX, TreatmentContentError
from myeloma_core.treatment_schema import (
    guideline_from_dict,
    recommendation_from_dict,
    recommendation_to_dict,
)
from myeloma_core.verification_record import VerificationRecord
from tests.core.test_treatment import GUIDELINE_FILE, REGIMEN_SLUGS, _recommendation

DOCUMENT = yaml.safe_load(GUIDELINE_FILE.read_text(encoding="utf-8"))


def _guideline_error(document: dict[str, Any]) -> TreatmentContentError:
    with pytest.raises(TreatmentContentError) as error:
        guideline_from_dict(document, regimen_slugs=REGIMEN_SLUGS)
    return error.value


def _recommendation_error(data: dict[str, Any], path: str = "") -> TreatmentContentError:
    with pytest.raises(TreatmentContentError) as error:
        recommendation_from_dict(data, path, regimen_slugs=REGIMEN_SLUGS)
    return error.value


def test_review_record_is_kept_with_a_recommendation() -> None:
    data = _recommendation(checked_by="A. Checker", date_reviewed=dt.date(2026, 11, 1))
    recommendation = recommendation_from_dict(data, regimen_slugs=REGIMEN_SLUGS)
    assert recommendation.record == VerificationRecord(
        checked_by="A. Checker", date_reviewed=dt.date(2026, 11, 1)
    )
    assert recommendation_from_dict(recommendation_to_dict(recommendation)) == recommendation
    error = _recommendation_error(_recommendation(checked_by="A. Checker", date_reviewed="soon"))
    assert error.path == "date_reviewed"


def test_prior_lines_within_the_patient_range() -> None:
    """A patient has at most PRIOR_LINES_MAX prior lines: a larger bound could never match."""
    error = _recommendation_error(
        _recommendation(criteria={"prior_lines": {"min": PRIOR_LINES_MAX + 1}})
    )
    assert (error.path, error.message) == (
        "criteria.prior_lines.min",
        f"must be ≤ {PRIOR_LINES_MAX} (got {PRIOR_LINES_MAX + 1})",
    )
    error = _recommendation_error(_recommendation(criteria={"prior_lines": {"max": -1}}))
    assert (error.path, error.message) == ("criteria.prior_lines.max", "must be ≥ 0 (got -1)")


def test_stored_row_error_is_prefixed_with_its_key() -> None:
    error = _recommendation_error(_recommendation(rank="first"), "my-key")
    assert (error.path, error.message) == ("my-key.rank", "expected a whole number, got str")


def test_unknown_setting_in_the_notes() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["setting_notes"]["mgus"] = ["a note"]
    error = _guideline_error(document)
    assert error.path == "setting_notes.mgus"
    assert error.message.startswith('must be one of "smouldering_high_risk", "ndmm", "rrmm"')


def test_unknown_header_key_and_recommendation_path() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["editor"] = "someone"
    assert _guideline_error(document).message == "unknown key(s): editor"
    document = copy.deepcopy(DOCUMENT)
    document["recommendations"][2]["rank"] = True
    error = _guideline_error(document)
    assert (error.path, error.message) == (
        "recommendations[2].rank",
        "expected a whole number, got bool",
    )


def test_duplicate_keys_are_refused() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["recommendations"].append(copy.deepcopy(document["recommendations"][0]))
    error = _guideline_error(document)
    assert error.path == "recommendations"
    assert document["recommendations"][0]["key"] in error.message
