"""Values every page shows: clinic name, content version, role-based navigation."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest

from accounts.access import request_user_is_clinician
from accounts.roles import user_can_edit_content


@cache
def content_version() -> str:
    """The version of the shipped rule content (content/manifest.yaml)."""
    with (settings.BASE_DIR / "content" / "manifest.yaml").open(encoding="utf-8") as handle:
        return str(yaml.safe_load(handle)["version"])


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "clinic_name": settings.CLINIC_NAME,
        "content_version": content_version(),
        "show_admin_link": user_can_edit_content(request.user),
        "show_clinical_links": request_user_is_clinician(request),
    }
