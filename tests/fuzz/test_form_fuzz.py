"""Hypothesis against the staging HTML forms: always 200 (htmx swaps only 2xx), never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from staging.forms import AssessmentForm, DiagnosisForm, FrailtyForm, SmoulderingForm, StagingForm
from tests.fuzz.strategies import FUZZ_SETTINGS, form_value

pytestmark = pytest.mark.django_db

FORMS: dict[str, type[AssessmentForm]] = {
    "/staging/": StagingForm,
    "/staging/smouldering/": SmoulderingForm,
    "/staging/diagnosis/": DiagnosisForm,
    "/staging/frailty/": FrailtyForm,
}


def _form_data(form_class: type[AssessmentForm]) -> st.SearchStrategy[dict[str, Any]]:
    names = list(form_class().fields)
    known = st.fixed_dictionaries({}, optional={name: form_value() for name in names})
    extra = st.dictionaries(st.text(min_size=1, max_size=10), form_value(), max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


@pytest.mark.parametrize("path", list(FORMS))
def test_form_always_answers_200(fuzz_client: Client, path: str) -> None:
    @FUZZ_SETTINGS
    @given(data=_form_data(FORMS[path]), htmx=st.booleans())
    def run(data: dict[str, Any], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        response = fuzz_client.post(path, data, headers=headers)
        assert response.status_code == 200, (path, data, htmx, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (path, data)

    run()
