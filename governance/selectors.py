"""Reads about governed content that every page needs."""

from __future__ import annotations

from functools import cache

import yaml
from django.conf import settings
from django.db.models import Max, Sum

from governance.models import Lineage


@cache
def shipped_content_version() -> str:
    """The version of the shipped rule content (content/manifest.yaml)."""
    with (settings.BASE_DIR / "content" / "manifest.yaml").open(encoding="utf-8") as handle:
        return str(yaml.safe_load(handle)["version"])


def content_release() -> str:
    """The rule content in force: the shipped version, then how many publications in all and
    when the latest was — it changes whenever anything is published (one query)."""
    totals = Lineage.objects.aggregate(
        count=Sum("published_count"), latest=Max("last_published_at")
    )
    release = f"{shipped_content_version()}+{totals['count'] or 0}"
    if totals["latest"] is not None:
        release += f" ({totals['latest']:%Y-%m-%d %H:%M} UTC)"
    return release
