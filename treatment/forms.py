"""The treatment-options form: setting and treatment history, in the shape of the JSON API.

``clean()`` computes the options through ``treatment.selectors`` — the same path the API takes —
and turns a domain ``InvalidInput`` into an error at the field it names. An unanswered question
is unknown, never "no": transplant eligibility and frailty have an explicit "unknown", and
leaving every exposure box empty means the history is unknown (tick "none of these" for none).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from myeloma_core.errors import InvalidInput
from myeloma_core.treatment import F_EXPOSED, F_REFRACTORY, PRIOR_LINES_MAX
from treatment.models import Setting
from webparts.fields import field_errors_in_words

UNKNOWN = "unknown"
NONE = "none"

HISTORY_CHOICES = [
    ("lenalidomide", _("lenalidomide")),
    ("bortezomib", _("bortezomib")),
    ("carfilzomib", _("carfilzomib")),
    ("pomalidomide", _("pomalidomide")),
    ("anti_cd38", _("anti-CD38 antibody (daratumumab, isatuximab)")),
    ("bcma", _("BCMA-directed therapy")),
    (NONE, _("none of these")),
]

NONE_WITH_DRUGS = _("Tick “none of these” or drugs, not both.")


class TreatmentForm(forms.Form):
    setting = forms.ChoiceField(
        label=_("Setting"),
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the setting.")},
    )
    transplant_eligible = forms.ChoiceField(
        label=_("Transplant-eligible"),
        choices=[(UNKNOWN, _("unknown")), ("yes", _("yes")), ("no", _("no"))],
        initial=UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    frailty = forms.ChoiceField(
        label=_("Frailty"),
        choices=[
            (UNKNOWN, _("unknown")),
            ("fit", _("fit")),
            ("intermediate", _("intermediate fitness")),
            ("frail", _("frail")),
        ],
        initial=UNKNOWN,
        required=False,
        widget=forms.RadioSelect,
    )
    prior_lines = forms.IntegerField(
        label=_("Prior lines of therapy"),
        help_text=_("Relapsed/refractory myeloma: 1 to %(max)s.") % {"max": PRIOR_LINES_MAX},
        required=False,
        min_value=0,
        max_value=PRIOR_LINES_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    exposed_to = forms.MultipleChoiceField(
        label=_("Exposed to"),
        help_text=_("Leave empty if not known."),
        choices=HISTORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    refractory_to = forms.MultipleChoiceField(
        label=_("Refractory to"),
        help_text=_("Leave empty if not known."),
        choices=HISTORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_errors_in_words(self)

    def _history(self, name: str) -> list[str] | None:
        ticked = list(self.cleaned_data.get(name) or [])
        if not ticked:
            return None  # unknown
        return [item for item in ticked if item != NONE]

    def api_data(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        transplant = cleaned.get("transplant_eligible")
        frailty = cleaned.get("frailty")
        return {
            "setting": cleaned.get("setting"),
            "transplant_eligible": {"yes": True, "no": False}.get(transplant or UNKNOWN),
            "frailty": None if frailty in (None, "", UNKNOWN) else frailty,
            "prior_lines": cleaned.get("prior_lines"),
            "exposed_to": self._history(F_EXPOSED),
            "refractory_to": self._history(F_REFRACTORY),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in (F_EXPOSED, F_REFRACTORY):
            ticked = cleaned.get(name) or []
            if NONE in ticked and len(ticked) > 1:
                self.add_error(name, NONE_WITH_DRUGS)
        return cleaned

    def domain_error_add(self, error: InvalidInput) -> None:
        """Show the assessment's refusal at the field it names (the form keeps the values)."""
        field = error.field.split(".")[0]
        self.add_error(field if field in self.fields else None, error.message)
