"""Admin for teams; a user's team is set on the user's admin page (inline)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Team


class MembershipInline(admin.StackedInline):
    """The user's team (at most one): staff assign people to teams here."""

    model = Membership
    extra = 0
    max_num = 1
    can_delete = True
    verbose_name = _("team")
    verbose_name_plural = _("team")


class TeamMemberInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    verbose_name = _("member")
    verbose_name_plural = _("members")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "site", "member_count")
    search_fields = ("name", "site")
    inlines = (TeamMemberInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Team) -> int:
        return int(getattr(obj, "member_count", 0))


class UserWithTeamAdmin(UserAdmin):
    """Django's user admin plus the user's team."""

    inlines = (MembershipInline,)
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "team")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "membership__team")
    list_select_related = ("membership__team",)

    @admin.display(description=_("team"), ordering="membership__team__name")
    def team(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return str(membership.team) if membership is not None else "—"


admin.site.unregister(User)
admin.site.register(User, UserWithTeamAdmin)
