"""Forms validate, the view assesses (issue 18): the treatment form checks its inputs; the
domain's refusal of a combination (prior lines in a newly diagnosed setting) comes from the
assessment the view runs and is shown at the field it names."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from treatment.forms import TreatmentForm

pytestmark = pytest.mark.django_db

NDMM_WITH_PRIOR_LINES = {"setting": "ndmm", "prior_lines": "2"}


def test_well_formed_inputs_are_valid_even_when_the_domain_refuses_them() -> None:
    form = TreatmentForm(NDMM_WITH_PRIOR_LINES)
    assert form.is_valid(), form.errors


def test_the_page_shows_the_domain_refusal_at_its_field(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("treatment:index"), NDMM_WITH_PRIOR_LINES).content
    text = body.decode()
    assert "Newly diagnosed and smouldering myeloma have no prior line of therapy" in text
    assert 'id="id_prior_lines"' in text and "is-invalid" in text
