"""Values every page shows: clinic name, rule-content release, role-based navigation."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from accounts.access import request_user_is_clinician
from accounts.roles import user_can_edit_content
from governance.selectors import content_release


@cache
def clinician_languages_unreviewed() -> frozenset[str]:
    """Languages whose clinician-interface translation a native clinical speaker has not yet
    reviewed (``clinician_interface`` in content/translations.yaml)."""
    path = Path(settings.BASE_DIR) / "content" / "translations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(
        code
        for code, entry in (data.get("clinician_interface") or {}).items()
        if (entry or {}).get("review_status") != "reviewed"
    )


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "translation_unreviewed": translation.get_language() in clinician_languages_unreviewed(),
        "clinic_name": settings.CLINIC_NAME,
        # Evaluated only where a page shows it (the footer), not for fragments.
        "content_version": SimpleLazyObject(content_release),
        "show_admin_link": user_can_edit_content(request.user),
        "show_clinical_links": request_user_is_clinician(request),
    }
