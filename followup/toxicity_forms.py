"""Forms of the CRS, ICANS and KVA calculators (domain-reference §22 T8–T10).

Each form turns its fields into the api-v1 request and calls the same function as the JSON API
(``followup.toxicity``); a domain error lands on the field it names, the values are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.toxicity import crs_data, icans_data, kva_data
from myeloma_core.errors import InvalidInput
from webparts.fields import field_errors_in_words


def _select(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=True)


def _number(label: Any, help_text: Any = "") -> forms.FloatField:
    return forms.FloatField(
        label=label,
        help_text=help_text,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _whole(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CalculatorForm(forms.Form):
    """A form whose cleaned data is one api-v1 request; ``result`` is the API's answer."""

    calculate: ClassVar[staticmethod[[Mapping[str, Any]], dict[str, Any]]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_errors_in_words(self)
        self.result: dict[str, Any] | None = None

    def api_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.result = type(self).calculate(self.api_data())
            except InvalidInput as error:
                name = error.field.split(".")[-1]
                self.add_error(name if name in self.fields else None, error.message)
        return cleaned


class CrsForm(CalculatorForm):
    calculate = staticmethod(crs_data)

    temperature_celsius = _number(
        _("Highest temperature (°C)"), _("Fever is 38 °C or more (ASTCT).")
    )
    fever_masked_by_treatment = forms.BooleanField(
        label=_("Fever masked by antipyretics, tocilizumab or steroids"), required=False
    )
    hypotension = _select(
        _("Hypotension"),
        [
            ("none", _("none")),
            ("no_vasopressor", _("not requiring vasopressors")),
            ("one_vasopressor", _("one vasopressor (± vasopressin)")),
            ("multiple_vasopressors", _("multiple vasopressors (vasopressin not counted)")),
        ],
    )
    hypoxia = _select(
        _("Hypoxia"),
        [
            ("none", _("none")),
            ("low_flow", _("low-flow nasal cannula (≤ 6 L/min) or blow-by")),
            ("high_flow", _("high-flow cannula (> 6 L/min), facemask, non-rebreather, Venturi")),
            ("positive_pressure", _("positive pressure (CPAP, BiPAP, ventilation)")),
        ],
    )


ICE_FIELDS = ("orientation", "naming", "commands", "writing", "attention")


class IcansForm(CalculatorForm):
    calculate = staticmethod(icans_data)

    orientation = _whole(_("ICE: orientation (0–4)"), _("Year, month, city, hospital."))
    naming = _whole(_("ICE: naming (0–3)"), _("Name three objects."))
    commands = _whole(_("ICE: following commands (0–1)"))
    writing = _whole(_("ICE: writing a standard sentence (0–1)"))
    attention = _whole(_("ICE: attention (0–1)"), _("Count back from 100 by 10."))
    unable_to_perform_ice = forms.BooleanField(
        label=_("Unable to perform the ICE assessment"), required=False
    )
    consciousness = _select(
        _("Level of consciousness"),
        [
            ("normal", _("normal")),
            ("awakens_spontaneously", _("awakens spontaneously")),
            ("awakens_to_voice", _("awakens to voice")),
            ("awakens_to_touch", _("awakens only to tactile stimulus")),
            ("unarousable", _("unarousable or needs vigorous stimuli")),
        ],
    )
    seizure = _select(
        _("Seizure"),
        [
            ("none", _("none")),
            ("rapidly_resolving", _("resolving rapidly, or non-convulsive on EEG")),
            ("prolonged", _("prolonged (> 5 min) or repetitive")),
        ],
    )
    motor_weakness = _select(
        _("Motor findings"),
        [("none", _("none")), ("focal", _("deep focal motor weakness"))],
    )
    cerebral_oedema = _select(
        _("Raised intracranial pressure / cerebral oedema"),
        [
            ("none", _("none")),
            ("focal", _("focal oedema on imaging")),
            ("diffuse", _("diffuse oedema, posturing, CN VI palsy or Cushing's triad")),
        ],
    )

    def api_data(self) -> dict[str, Any]:
        data = super().api_data()
        items = {name: data.pop(name, None) for name in ICE_FIELDS}
        if not data.get("unable_to_perform_ice"):
            data["ice"] = items
        return data


class KvaForm(CalculatorForm):
    calculate = staticmethod(kva_data)

    corneal_exam = _select(
        _("Corneal examination (worse eye)"),
        [
            ("normal", _("normal")),
            ("mild_superficial", _("mild superficial keratopathy")),
            ("moderate_superficial", _("moderate superficial keratopathy")),
            ("severe_superficial", _("severe superficial keratopathy")),
            ("epithelial_defect", _("corneal epithelial defect")),
        ],
    )
    bcva_lines_decline = _whole(
        _("Decline in best-corrected visual acuity (Snellen lines, worse eye)")
    )
    snellen_worse_than_20_200 = forms.BooleanField(
        label=_("Snellen acuity worse than 20/200"), required=False
    )
