"""Forms validate, the view assesses (issue 18): a form checks that each input is well-formed;
the clinical assessment, and the contradictions it finds, come from the domain call the view
makes (the page test ``test_ldh_status_contradicting_the_value_is_shown_at_both_fields`` shows
them at their fields)."""

from __future__ import annotations

from staging.forms import StagingForm
from tests.staging.test_views import CASE_6


def test_well_formed_inputs_are_valid_even_when_the_domain_finds_them_contradictory() -> None:
    data = CASE_6 | {"ldh_status": "normal", "ldh_value": "310", "ldh_upper_limit_normal": "250"}
    form = StagingForm(data)
    assert form.is_valid(), form.errors
