"""Decimal comma and point in every language, in every app's numeric fields (one field class)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dosing.forms import PatientForm
from followup.forms import AssessmentForm as ResponseForm
from staging.forms import StagingForm
from webparts.fields import DecimalNumberField


@pytest.mark.parametrize("language", ["en", "nl", "fr", "da", "nb", "sv", "fi"])
@pytest.mark.parametrize("typed", ["6,1", "6.1", " 6,1 "])
def test_comma_and_point_mean_the_same_in_every_language(language: str, typed: str) -> None:
    with translation.override(language):
        assert DecimalNumberField(label="β2-microglobulin").clean(typed) == 6.1


def test_a_wrong_number_says_what_to_type_in_the_fields_words() -> None:
    with pytest.raises(ValidationError) as raised:
        DecimalNumberField(label="Weight (kg)").clean("72 kilos")
    assert raised.value.messages == ["Enter weight (kg) as a number, like 6.1 or 6,1."]


def test_staging_dosing_and_response_forms_all_read_a_decimal_comma() -> None:
    with translation.override("en"):
        staging = StagingForm(data={"beta2_microglobulin_value": "6,1"})
        staging.is_valid()
        assert staging.cleaned_data["beta2_microglobulin_value"] == 6.1
        patient = PatientForm(
            data={"weight_kg": "72,5", "height_cm": "178", "creatinine_value": "0,9"}
        )
        patient.is_valid()
        assert patient.cleaned_data["weight_kg"] == 72.5
        assert patient.cleaned_data["creatinine_value"] == 0.9
        response = ResponseForm(data={"serum_m_protein": "14,5"})
        response.is_valid()
        assert response.cleaned_data["serum_m_protein"] == 14.5
