"""The staging results the treatment page accepts are the domain's own outputs, defined once
(issue 18): a value added to or renamed in ``myeloma_core`` is accepted without a second list."""

from __future__ import annotations

from myeloma_core.frailty import FrailtyCategory
from myeloma_core.staging import STAGE_ORDER, HighRiskStatus
from treatment.views import STAGING_PARAMS


def test_r2_iss_accepts_the_stages_staging_computes() -> None:
    assert STAGING_PARAMS["r2_iss"][1] is STAGE_ORDER


def test_high_risk_accepts_the_statuses_of_the_high_risk_result() -> None:
    accepted = STAGING_PARAMS["ims_high_risk"][1]
    assert accepted == tuple(HighRiskStatus)
    assert all(isinstance(value, HighRiskStatus) for value in accepted)


def test_frailty_accepts_the_categories_of_the_frailty_result() -> None:
    accepted = STAGING_PARAMS["frailty"][1]
    assert accepted == tuple(FrailtyCategory)
    assert all(isinstance(value, FrailtyCategory) for value in accepted)
