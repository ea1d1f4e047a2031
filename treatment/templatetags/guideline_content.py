"""Guideline versions for the rule-content index page (which the dosing view renders)."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from treatment.models import Guideline

register = template.Library()


@register.simple_tag
def guideline_versions() -> QuerySet[Guideline]:
    """Every version of every guideline, newest version first within a guideline."""
    return Guideline.objects.order_by("slug", "-version")
