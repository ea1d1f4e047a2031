"""Teams: the clinic's care teams (one site, e.g. a hospital's haematology team).

A saved treatment plan belongs to its creator's team and is readable by that team only
(``dosing.selectors.plans_visible_to``). A user is in at most one team.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        help_text=_("The care team, e.g. “Haematology day unit”. Members see each other's plans."),
    )
    site = models.CharField(
        _("site"),
        max_length=200,
        blank=True,
        help_text=_("The hospital or site the team works at."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.name} ({self.site})" if self.site else self.name


class Membership(models.Model):
    """A user's team. One per user: a user without a membership sees only their own plans."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("team"),
        help_text=_("The user reads and changes the treatment plans of this team."),
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.team}"
