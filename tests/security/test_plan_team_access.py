"""Plans are readable only within their team: a colleague of the same team opens, lists,
downloads and adjusts a plan; a user of another team gets 404 everywhere (never 403, so the
plan's existence is not revealed); a user without a team sees only their own plans."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN
from accounts.services import DEMO_SITE, DEMO_TEAM, demo_users_create
from dosing.models import PlanAdjustment, PlanStatus, RegimenVersion, TreatmentPlan
from dosing.selectors import plans_visible_to, regimen_version_published
from dosing.services import plan_create, plan_draft_start

pytestmark = pytest.mark.django_db

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
}
RESCHEDULE = {
    "drug": "isatuximab",
    "planned_date": "2026-01-19",
    "actual_date": "2026-01-21",
    "scope": "drug",
}


def _clinician(username: str, team: Team | None = None) -> User:
    user = User.objects.create_user(username=username, password="a-long-test-password-3")
    user.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    if team is not None:
        Membership.objects.create(user=user, team=team)
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _saved_plan(user: User, reference: str = "MM-0042") -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference=reference,
    )


def _url(name: str, plan: TreatmentPlan) -> str:
    return reverse(f"dosing:{name}", kwargs={"pk": plan.pk})


def _api_reschedule(client: Client, plan: TreatmentPlan) -> Any:
    return client.post(
        f"/api/v1/plans/{plan.pk}/reschedule",
        json.dumps(RESCHEDULE),
        content_type="application/json",
    )


@pytest.fixture
def haematology() -> Team:
    return Team.objects.create(name="Haematology A", site="General hospital")


@pytest.fixture
def oncology() -> Team:
    return Team.objects.create(name="Oncology B", site="Other hospital")


@pytest.fixture
def creator(clinician: User, haematology: Team) -> User:
    Membership.objects.create(user=clinician, team=haematology)
    return clinician


@pytest.fixture
def plan(creator: User) -> TreatmentPlan:
    return _saved_plan(creator)


@pytest.fixture
def colleague(haematology: Team) -> Client:
    return _client(_clinician("dr-colleague", haematology))


@pytest.fixture
def outsider(oncology: Team) -> Client:
    return _client(_clinician("dr-outsider", oncology))


# --------------------------------------------------------------------------------------------------
# The plan's team
# --------------------------------------------------------------------------------------------------


def test_plan_team_is_the_creators_team(plan: TreatmentPlan, haematology: Team) -> None:
    assert plan.team == haematology
    assert _saved_plan(_clinician("dr-solo")).team is None


def test_api_and_wizard_set_the_creators_team(
    creator: User, haematology: Team, oncology: Team
) -> None:
    client = _client(creator)
    body = {"regimen": "isa-pd", "start_date": "2026-01-05", "cycles": 2, "patient": PATIENT}
    created = client.post("/api/v1/plans", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    assert TreatmentPlan.objects.get(pk=created.json()["id"]).team == haematology

    draft = plan_draft_start(
        user=creator, version=RegimenVersion.objects.get(regimen__slug="isa-pd")
    )
    assert draft.team == haematology
    # Moved to another team before saving: the saved plan belongs to the team at saving time.
    Membership.objects.filter(user=creator).update(team=oncology)
    client.post(
        _url("plan_patient", draft),
        {
            "age_years": "68",
            "sex": "male",
            "weight_kg": "72",
            "height_cm": "178",
            "creatinine_value": "0.9",
            "creatinine_unit": "mg/dL",
            "measured_on": "2026-01-05",
        },
    )
    client.post(_url("plan_schedule", draft), {"start_date": "2026-01-05", "cycles": "2"})
    assert client.post(_url("plan_preview", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SAVED
    assert draft.team == oncology


def test_data_migration_gives_existing_plans_their_creators_team(
    plan: TreatmentPlan, haematology: Team
) -> None:
    from importlib import import_module

    migration = import_module("dosing.migrations.0007_plan_team_from_creator")
    solo_plan = _saved_plan(_clinician("dr-solo"))
    TreatmentPlan.objects.filter(pk=plan.pk).update(team=None)

    migration.plans_to_creator_team(apps, None)

    plan.refresh_from_db()
    solo_plan.refresh_from_db()
    assert plan.team == haematology
    assert solo_plan.team is None


# --------------------------------------------------------------------------------------------------
# A colleague of the same team
# --------------------------------------------------------------------------------------------------


def test_colleague_opens_and_lists_the_plan(colleague: Client, plan: TreatmentPlan) -> None:
    page = colleague.get(_url("plan_detail", plan))
    assert page.status_code == 200
    body = page.content.decode()
    assert "MM-0042" in body
    assert "Team: Haematology A" in body

    listing = colleague.get(reverse("dosing:plan_list")).content.decode()
    assert _url("plan_detail", plan) in listing
    assert "dr-test" in listing  # the creator is named in the team's list
    assert "Haematology A" in listing


def test_colleague_downloads_pdf_and_ics(colleague: Client, plan: TreatmentPlan) -> None:
    pdf = colleague.post(_url("plan_calendar_pdf", plan), {"lang": "en"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    ics = colleague.get(_url("plan_calendar_ics", plan), {"lang": "en"})
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")


def test_colleague_records_an_adjustment(colleague: Client, plan: TreatmentPlan) -> None:
    url = _url("plan_reschedule", plan)
    assert colleague.get(url).status_code == 200
    response = colleague.post(
        url,
        {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"},
    )
    assert response.status_code == 302
    adjustment = PlanAdjustment.objects.get(plan=plan)
    assert adjustment.recorded_by.username == "dr-colleague"


def test_colleague_reads_and_reschedules_through_the_api(
    colleague: Client, plan: TreatmentPlan
) -> None:
    response = colleague.get(f"/api/v1/plans/{plan.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(plan.pk)
    rescheduled = _api_reschedule(colleague, plan)
    assert rescheduled.status_code == 200
    assert len(rescheduled.json()["adjustments"]) == 1


def test_colleague_may_recompute_but_not_continue_a_teammates_draft(
    colleague: Client, plan: TreatmentPlan, creator: User
) -> None:
    # No newer version here: the colleague reaches the plan and is sent back to its page.
    response = colleague.post(_url("plan_recompute", plan))
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan)
    # A draft is one clinician's wizard state until it is saved.
    draft = plan_draft_start(user=creator, version=plan.regimen_version)
    assert colleague.get(_url("plan_patient", draft)).status_code == 404
    assert _client(creator).get(_url("plan_patient", draft)).status_code == 200


# --------------------------------------------------------------------------------------------------
# A user of another team: 404 everywhere, nothing changes
# --------------------------------------------------------------------------------------------------


def test_other_team_gets_404_on_pages_and_downloads(outsider: Client, plan: TreatmentPlan) -> None:
    assert outsider.get(_url("plan_detail", plan)).status_code == 404
    assert outsider.post(_url("plan_calendar_pdf", plan), {"lang": "en"}).status_code == 404
    assert outsider.get(_url("plan_calendar_ics", plan), {"lang": "en"}).status_code == 404
    assert outsider.get(_url("plan_reschedule", plan)).status_code == 404
    assert outsider.post(_url("plan_recompute", plan)).status_code == 404
    listing = outsider.get(reverse("dosing:plan_list")).content.decode()
    assert str(plan.pk) not in listing
    assert "MM-0042" not in listing


def test_other_team_cannot_record_an_adjustment(outsider: Client, plan: TreatmentPlan) -> None:
    response = outsider.post(
        _url("plan_reschedule", plan),
        {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"},
    )
    assert response.status_code == 404
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def test_other_team_gets_404_in_the_api(outsider: Client, plan: TreatmentPlan) -> None:
    detail = outsider.get(f"/api/v1/plans/{plan.pk}")
    assert detail.status_code == 404
    unknown = outsider.get("/api/v1/plans/6f1c7d2e-0000-4000-8000-000000000000")
    assert detail.json() == unknown.json()  # indistinguishable from a plan that does not exist
    assert _api_reschedule(outsider, plan).status_code == 404
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def test_team_less_user_cannot_see_a_team_plan(plan: TreatmentPlan) -> None:
    solo = _client(_clinician("dr-solo"))
    assert solo.get(_url("plan_detail", plan)).status_code == 404
    assert solo.get(f"/api/v1/plans/{plan.pk}").status_code == 404


# --------------------------------------------------------------------------------------------------
# Users without a team; the rule itself
# --------------------------------------------------------------------------------------------------


def test_user_without_team_sees_only_own_plans(plan: TreatmentPlan) -> None:
    solo = _clinician("dr-solo")
    other_solo = _clinician("dr-solo-2")
    own = _saved_plan(solo, "MM-SOLO")
    theirs = _saved_plan(other_solo, "MM-OTHER")
    assert set(plans_visible_to(solo)) == {own}

    client = _client(solo)
    assert client.get(_url("plan_detail", own)).status_code == 200
    assert client.get(f"/api/v1/plans/{own.pk}").status_code == 200
    assert client.get(_url("plan_detail", theirs)).status_code == 404
    listing = client.get(reverse("dosing:plan_list")).content.decode()
    assert "MM-SOLO" in listing
    assert "MM-OTHER" not in listing and "MM-0042" not in listing
    assert "not in a team" in listing


def test_team_plans_without_a_team_stay_the_creators(
    creator: User, plan: TreatmentPlan, haematology: Team
) -> None:
    """Plans made before joining a team stay readable by their creator, and by no one else."""
    colleague = _clinician("dr-colleague", haematology)
    Membership.objects.filter(user=creator).delete()
    earlier = _saved_plan(creator, "MM-EARLIER")
    assert earlier.team is None
    Membership.objects.create(user=creator, team=haematology)

    assert set(plans_visible_to(creator)) == {plan, earlier}
    assert set(plans_visible_to(colleague)) == {plan}


def test_leaving_the_team_loses_its_plans(creator: User, plan: TreatmentPlan) -> None:
    Membership.objects.filter(user=creator).delete()
    assert not plans_visible_to(creator).exists()
    assert _client(creator).get(_url("plan_detail", plan)).status_code == 404


def test_visible_plans_are_one_query_without_duplicates(
    plan: TreatmentPlan, haematology: Team, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        _clinician(f"dr-member-{number}", haematology)
    creator = plan.created_by
    with django_assert_num_queries(1):
        visible = list(plans_visible_to(creator))
    assert visible == [plan]


def test_anonymous_sees_no_plans(plan: TreatmentPlan) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not plans_visible_to(AnonymousUser()).exists()


# --------------------------------------------------------------------------------------------------
# Demo users and the admin
# --------------------------------------------------------------------------------------------------


def test_demo_users_share_the_demo_team() -> None:
    demo_users_create()
    team = Team.objects.get(name=DEMO_TEAM)
    assert team.site == DEMO_SITE
    assert set(team.memberships.values_list("user__username", flat=True)) == {
        "clinician",
        "editor",
        "approver",
    }
    demo_users_create(reset=True)  # idempotent: still one team, one membership each
    assert Team.objects.filter(name=DEMO_TEAM).count() == 1
    assert Membership.objects.count() == 3


def test_staff_assign_a_team_on_the_user_admin_page(
    admin_client: Client, creator: User, haematology: Team
) -> None:
    page = admin_client.get(reverse("admin:auth_user_change", args=[creator.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="membership-0-team"' in body
    assert "Haematology A (General hospital)" in body
    assert admin_client.get(reverse("admin:accounts_team_changelist")).status_code == 200
    listing = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Haematology A" in listing
