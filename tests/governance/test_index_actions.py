"""The content index offers "New draft" only to whom the workflow lets create one (issue 16:
the approver's useless button)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_DRAFT = "New draft"


def test_an_editor_is_offered_a_new_draft(client: Client, editor: User) -> None:
    client.force_login(editor)
    assert NEW_DRAFT in client.get(reverse("content:index")).content.decode()


def test_an_approver_is_not_offered_a_draft_they_may_not_create(
    client: Client, approver: User
) -> None:
    client.force_login(approver)
    page = client.get(reverse("content:index")).content.decode()
    assert NEW_DRAFT not in page
    assert "content:draft_create" not in page and "/drafts/" not in page
