"""Follow-up services validate each row before they write it (HackSoft styleguide, issue 18): a
value the model refuses is refused by the service too, and nothing of the day is saved."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from followup.dose_check_forms import DoseCheckForm
from followup.dose_records import dose_day_record
from followup.models import DoseRecord
from followup.toxicity import drugs_due
from tests.followup.test_dose_check_views import COUNTS
from tests.followup.test_toxicity_api import _plan

pytestmark = pytest.mark.django_db

TOO_LONG_NOTE = "n" * 501  # the model allows 500 characters


def test_a_dose_record_with_a_note_longer_than_the_model_allows_is_refused(
    clinician: User,
) -> None:
    plan = _plan(clinician)
    day = dt.date(2026, 1, 12)
    drugs = drugs_due(plan, day)
    outcomes = {f"{drug}_outcome": "given" for drug in drugs}
    form = DoseCheckForm({"date": day.isoformat(), **COUNTS, **outcomes}, drugs=drugs, date=day)
    assert form.is_valid(), form.errors
    given = form.outcomes()
    first = drugs[0]
    given = {**given, first: dataclasses.replace(given[first], note=TOO_LONG_NOTE)}
    with pytest.raises(ValidationError) as refused:
        dose_day_record(plan=plan, user=clinician, data=form.api_data(), outcomes=given)
    assert set(refused.value.message_dict) == {"note"}
    assert not DoseRecord.objects.filter(plan=plan).exists()
