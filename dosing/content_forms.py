"""Forms of the content-governance pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DraftEditForm(forms.Form):
    definition = forms.CharField(
        label=_("Definition (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
    )
    reason = forms.CharField(label=_("What changed, and on which source"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
