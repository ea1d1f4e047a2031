"""The "before this treatment day" form on a saved plan (domain-reference §22).

Counts and events in, the api-v1 dose-check request out; one outcome field per drug due that
day for the clinician to record what was done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.dose_records import Outcome
from followup.models import DoseOutcome
from followup.toxicity_content import toxicity_content
from myeloma_core.vocabulary import Verification

COUNT_UNITS = [("10^9/L", "×10⁹/L"), ("/uL", "/µL")]
YES_NO_UNKNOWN = [("", _("unknown")), ("no", _("no")), ("yes", _("yes"))]
REACTION_GRADES = [("", _("none"))] + [(str(g), _("grade %(g)s") % {"g": g}) for g in range(1, 5)]
OUTCOMES = [("", _("not recorded yet")), *DoseOutcome.choices]


def _number(label: Any, help_text: Any = "") -> forms.FloatField:
    return forms.FloatField(
        label=label,
        help_text=help_text,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect
    )


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def version_choices() -> list[tuple[str, str]]:
    tables = toxicity_content().ctcae
    return [
        (
            version,
            f"CTCAE v{version}"
            + (
                f" ({_('pending verification')})"
                if table.governance.verification is Verification.PENDING
                else f" ({_('default')})"
                if table.default
                else ""
            ),
        )
        for version, table in sorted(tables.items(), key=lambda item: not item[1].default)
    ]


class DoseCheckForm(forms.Form):
    ctcae_version = forms.ChoiceField(label=_("CTCAE version"), choices=[])
    neutrophils_value = _number(_("Neutrophils (ANC)"))
    neutrophils_unit = forms.ChoiceField(label=_("Unit of neutrophils"), choices=COUNT_UNITS)
    neutrophils_lln = _number(
        _("Neutrophils: laboratory's lower limit of normal"), _("Same unit; grade 1 needs it.")
    )
    platelets_value = _number(_("Platelets"))
    platelets_unit = forms.ChoiceField(label=_("Unit of platelets"), choices=COUNT_UNITS)
    platelets_lln = _number(
        _("Platelets: laboratory's lower limit of normal"), _("Same unit; grade 1 needs it.")
    )
    temperature_celsius = _number(_("Temperature (°C)"))
    febrile_neutropenia = _yes_no(_("Febrile neutropenia"))
    neutropenic_infection = _yes_no(_("Neutropenic infection"))
    reaction_grade = forms.ChoiceField(
        label=_("Infusion reaction at the previous isatuximab infusion"),
        choices=REACTION_GRADES,
        required=False,
    )
    reaction_improved = _yes_no(_("The reaction improved to grade 1 or less"))
    reaction_hospitalisation = _yes_no(_("The reaction needed hospitalisation"))

    def __init__(self, *args: Any, drugs: list[str], date: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.date = date
        self.drugs = drugs
        cast(forms.ChoiceField, self.fields["ctcae_version"]).choices = version_choices()
        for drug in drugs:
            self.fields[f"{drug}_outcome"] = forms.ChoiceField(
                label=_("%(drug)s: what was done") % {"drug": drug},
                choices=OUTCOMES,
                required=False,
            )
            self.fields[f"{drug}_actual_date"] = forms.DateField(
                label=_("%(drug)s: given on (when delayed)") % {"drug": drug},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"{drug}_note"] = forms.CharField(
                label=_("%(drug)s: note") % {"drug": drug}, max_length=500, required=False
            )

    def check_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(tuple(self.drugs))]

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(tuple(self.drugs))]

    def api_data(self) -> dict[str, Any]:
        """The cleaned data as the api-v1 dose-check request."""
        data: dict[str, Any] = {"date": self.date}
        cleaned = self.cleaned_data
        data["ctcae_version"] = cleaned["ctcae_version"]
        limits: dict[str, Any] = {}
        for term in ("neutrophils", "platelets"):
            unit = cleaned.get(f"{term}_unit")
            if cleaned.get(f"{term}_value") is not None:
                data[term] = {"value": cleaned[f"{term}_value"], "unit": unit}
            if cleaned.get(f"{term}_lln") is not None:
                limits[term] = {"value": cleaned[f"{term}_lln"], "unit": unit}
        if limits:
            data["lower_limits"] = limits
        if cleaned.get("temperature_celsius") is not None:
            data["temperature_celsius"] = cleaned["temperature_celsius"]
        for key in ("febrile_neutropenia", "neutropenic_infection"):
            flag = _flag(cleaned.get(key, ""))
            if flag is not None:
                data[key] = flag
        if cleaned.get("reaction_grade"):
            data["infusion_reaction"] = {
                "grade": int(cleaned["reaction_grade"]),
                "improved_to_grade_1_or_less": _flag(cleaned.get("reaction_improved", "")),
                "hospitalisation": _flag(cleaned.get("reaction_hospitalisation", "")),
            }
        return data

    def outcomes(self) -> dict[str, Outcome]:
        found = {}
        for drug in self.drugs:
            value = self.cleaned_data.get(f"{drug}_outcome")
            if value:
                found[drug] = Outcome(
                    outcome=DoseOutcome(value),
                    actual_date=self.cleaned_data.get(f"{drug}_actual_date"),
                    note=self.cleaned_data.get(f"{drug}_note", ""),
                )
        return found

    def field_for(self, api_field: str) -> str | None:
        """``lower_limits.neutrophils`` → ``neutrophils_lln``; ``neutrophils`` → its value."""
        name = api_field.replace("lower_limits.", "").replace(".", "_")
        if api_field.startswith("lower_limits."):
            name = f"{name}_lln"
        for candidate in (name, f"{name}_value"):
            if candidate in self.fields:
                return candidate
        return None
