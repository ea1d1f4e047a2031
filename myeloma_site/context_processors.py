"""Values every page shows: clinic name, rule-content release, role-based navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.access import request_user_is_clinician
from accounts.roles import user_can_edit_content
from governance.selectors import content_release


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "clinic_name": settings.CLINIC_NAME,
        # Evaluated only where a page shows it (the footer), not for fragments.
        "content_version": SimpleLazyObject(content_release),
        "show_admin_link": user_can_edit_content(request.user),
        "show_clinical_links": request_user_is_clinician(request),
    }
