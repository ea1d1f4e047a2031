"""Forms of the content-governance pages (one set for every kind of content)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.text_limits import REASON_MAX_LENGTH, TextLengthValidator
from governance.yaml_safe import MAX_BYTES


class DraftEditForm(forms.Form):
    document = forms.CharField(
        label=_("Content (YAML)"),
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("What changed, and on which source"),
        validators=[TextLengthValidator()],
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )

    def __init__(self, *args: object, document_label: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if document_label:
            self.fields["document"].label = document_label


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        validators=[TextLengthValidator()],
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX_LENGTH}),
    )
