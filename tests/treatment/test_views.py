"""The treatment-options page through the Django test client: full page, HTMX fragment, errors."""

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from treatment.models import Guideline, Recommendation

pytestmark = pytest.mark.django_db

SEED_EXAMPLE = {
    "setting": "rrmm",
    "transplant_eligible": "unknown",
    "frailty": "unknown",
    "prior_lines": "1",
    "exposed_to": ["bortezomib"],
    "refractory_to": ["bortezomib"],
}


def _keys(body: str) -> list[str]:
    return [
        part.split('"', 1)[0]
        for part in body.split('data-testid="option-')[1:]
        if not part.startswith(("name", "possible"))
    ]


def test_shipped_content_is_loaded_by_the_migration() -> None:
    guideline = Guideline.objects.get(slug="eha-emn-2025", status="published")
    assert guideline.version == 1
    assert Recommendation.objects.filter(guideline=guideline).count() == 15
    assert list(Recommendation.objects.exclude(grade="").values_list("key", flat=True)) == [
        "daratumumab-smm"
    ]
    recommendation = Recommendation.objects.get(key="drd-ti")
    recommendation.verification_note += " Checked against the SmPC."
    # Published content never changes (migration 0004): edits go through a new draft version.
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        recommendation.save()


def test_empty_page_asks_for_the_setting(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(5):
        response = clinician_client.get(reverse("treatment:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the setting to see the options." in body
    assert 'hx-post="/treatment/"' in body
    assert 'action="/treatment/"' in body
    assert ">Treatment</a>" in body  # the main navigation links here


def test_seed_example_without_javascript(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # Six: the sixth is the footer's rule-content release (governance.selectors).
    with django_assert_max_num_queries(6):
        response = clinician_client.post(reverse("treatment:index"), SEED_EXAMPLE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert _keys(body) == ["drd-after-1-line", "dkd-after-1-line", "isa-kd-after-1-line"]
    assert body.count("EHA-EMN 2025 guideline</span>") == 3
    assert 'href="/plans/new/?regimen=drd"' in body
    assert 'href="/plans/new/?regimen=dkd"' in body
    assert 'href="/plans/new/?regimen=isa-kd"' in body
    assert 'data-testid="grade"' not in body
    assert "[SEED] EHA-EMN summary" in body
    # What was ticked is kept: bortezomib is checked in both "exposed" and "refractory".
    assert len(re.findall(r'value="bortezomib"\s+checked', body)) == 2


def test_htmx_post_returns_only_the_fragment(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(5):
        response = clinician_client.post(
            reverse("treatment:index"), SEED_EXAMPLE, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "<form" not in body
    assert '<div id="results"' in body
    assert _keys(body) == ["drd-after-1-line", "dkd-after-1-line", "isa-kd-after-1-line"]


def test_smm_shows_the_grade_and_no_plan_link(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("treatment:index"), {"setting": "smouldering_high_risk"}
    ).content.decode()
    assert _keys(body) == ["daratumumab-smm"]
    assert '<span class="badge text-bg-success" data-testid="grade">[I, A]</span>' in body
    assert "Start a plan with this regimen" not in body


def test_approved_indication_badge_and_pending_verification(clinician_client: Client) -> None:
    data = {
        "setting": "rrmm",
        "prior_lines": "1",
        "exposed_to": ["lenalidomide", "bortezomib"],
        "refractory_to": ["lenalidomide"],
    }
    body = clinician_client.post(reverse("treatment:index"), data).content.decode()
    assert _keys(body) == [
        "dkd-len-refractory",
        "isa-kd-len-refractory",
        "dpd-len-refractory",
        "pvd-len-refractory",
    ]
    assert "approved indication (EMA) — pivotal trial APOLLO" in body
    assert body.count("pending verification</span>") == 4
    assert 'data-testid="grade"' not in body


def test_unknown_inputs_are_named(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(5):
        body = clinician_client.post(
            reverse("treatment:index"),
            {"setting": "ndmm", "transplant_eligible": "no", "frailty": "unknown"},
            headers={"HX-Request": "true"},
        ).content.decode()
    assert "To decide between the options, add:" in body
    assert "possible — depends on" in body
    assert "frailty" in body
    assert "Investigational (not a guideline regimen)" in body
    assert "option-isa-vrd-rest" in body


def test_invalid_value_shows_field_error_and_keeps_everything_typed(
    clinician_client: Client,
) -> None:
    data = SEED_EXAMPLE | {"prior_lines": "25"}
    response = clinician_client.post(
        reverse("treatment:index"), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # htmx swaps only 2xx
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body
    assert "from 0 to 20" in body
    assert "Correct the highlighted fields" in body
    full = clinician_client.post(reverse("treatment:index"), data).content.decode()
    assert 'value="25"' in full


def test_setting_is_required_and_none_excludes_drugs(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("treatment:index"), {}).content.decode()
    assert "Choose the setting." in body
    data = SEED_EXAMPLE | {"exposed_to": ["none", "bortezomib"]}
    body = clinician_client.post(reverse("treatment:index"), data).content.decode()
    assert "not both" in body


def test_non_numeric_prior_lines(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("treatment:index"), SEED_EXAMPLE | {"prior_lines": "one"}
    ).content.decode()
    assert "Enter a whole number." in body
    assert 'value="one"' in body


def test_results_from_staging_are_shown_beside_the_options(clinician_client: Client) -> None:
    url = reverse("treatment:index") + "?r2_iss=III&ims_high_risk=high_risk&frailty=frail"
    body = clinician_client.get(url).content.decode()
    assert 'data-testid="from-staging"' in body
    assert "R2-ISS" in body
    assert re.search(r"<strong>\s*III\s*</strong>", body)
    assert "High risk" in body
    assert 'id="id_frailty_3"\n                 value="frail"\n                 checked' in body
    # The query string is kept on the form, so the htmx step shows them too.
    assert 'hx-post="/treatment/?r2_iss=III&amp;ims_high_risk=high_risk&amp;frailty=frail"' in body
    fragment = clinician_client.post(
        url, {"setting": "smouldering_high_risk"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-testid="from-staging"' in fragment


def test_unrecognised_staging_values_are_ignored(clinician_client: Client) -> None:
    body = clinician_client.get(
        reverse("treatment:index") + "?r2_iss=<script>&frailty=robust"
    ).content.decode()
    assert 'data-testid="from-staging"' not in body
    assert "<script>" not in body


def test_plan_link_only_for_published_regimens(clinician_client: Client) -> None:
    from dosing.models import RegimenVersion

    RegimenVersion.objects.filter(regimen__slug="dkd").update(status="retired")
    body = clinician_client.post(reverse("treatment:index"), SEED_EXAMPLE).content.decode()
    assert 'href="/plans/new/?regimen=drd"' in body
    assert 'href="/plans/new/?regimen=dkd"' not in body


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("treatment:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(reverse("treatment:index"), SEED_EXAMPLE).status_code == 302


def test_plan_new_preselects_the_regimen(clinician_client: Client) -> None:
    body = clinician_client.get("/plans/new/?regimen=isa-kd").content.decode()
    assert 'value="isa-kd"' in body
    start = body.index('value="isa-kd"')
    assert "checked" in body[start : start + 200]


def test_admin_lists_content_and_published_rows_are_read_only(admin_client: Client) -> None:
    assert admin_client.get("/admin/treatment/recommendation/").status_code == 200
    row = Recommendation.objects.get(key="daratumumab-smm")
    body = admin_client.get(f"/admin/treatment/recommendation/{row.pk}/change/").content.decode()
    assert 'name="grade"' not in body  # published content is read-only
    history = admin_client.get(f"/admin/treatment/recommendation/{row.pk}/history/")
    assert history.status_code == 200
