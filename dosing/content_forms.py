"""Forms of the content-governance pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from myeloma_site.text_limits import REASON_MAX_LENGTH, TextLengthValidator


class DraftEditForm(forms.Form):
    definition = forms.CharField(
        label=_("Definition (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("What changed, and on which source"),
        validators=[TextLengthValidator()],
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        validators=[TextLengthValidator()],
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX_LENGTH}),
    )
