"""Wizard step forms for a new treatment plan. Ranges are stated in every message."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from governance.text_limits import REASON_MAX_LENGTH, TextLengthValidator
from myeloma_core.dosing import DosingInputError, creatinine_measured_on_check
from myeloma_core.errors import InvalidInput
from myeloma_core.reference_check import reference_looks_identifying
from myeloma_core.units import ACCEPTED_UNITS, UNIT_LABELS, Analyte, lab_value
from webparts.fields import DecimalNumberField

MAX_CYCLES = 60


def _range_messages(
    name: StrOrPromise, unit: StrOrPromise, low: float, high: float
) -> dict[str, Any]:
    text = _("%(name)s must be between %(low)s and %(high)s %(unit)s.") % {
        "name": name,
        "low": low,
        "high": high,
        "unit": unit,
    }
    return {"min_value": text, "max_value": text}


class RegimenChoiceForm(forms.Form):
    regimen = forms.ChoiceField(label=_("Regimen"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, regimen_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["regimen"])
        field.choices = regimen_choices


class PatientForm(forms.Form):
    age_years = forms.IntegerField(
        label=_("Age (years)"),
        min_value=18,
        max_value=110,
        error_messages=_range_messages(_("Age"), _("years"), 18, 110),
    )
    sex = forms.ChoiceField(
        label=_("Sex (for Cockcroft–Gault)"),
        choices=[("female", _("female")), ("male", _("male"))],
        widget=forms.RadioSelect,
    )
    # Weight, height and creatinine are checked against the plausible ranges of
    # myeloma_core.units in clean(), which names the other unit when the number fits it.
    weight_kg = DecimalNumberField(
        label=_("Weight (kg)"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    height_cm = DecimalNumberField(
        label=_("Height (cm)"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    creatinine_value = DecimalNumberField(
        label=_("Serum creatinine"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    creatinine_unit = forms.ChoiceField(
        label=_("Unit of creatinine"),
        choices=[(u, UNIT_LABELS.get(u, u)) for u in ACCEPTED_UNITS[Analyte.CREATININE]],
        initial=settings.STAGING_DEFAULT_UNITS["creatinine"],
    )
    on_dialysis = forms.BooleanField(label=_("On haemodialysis"), required=False)
    measured_on = forms.DateField(
        label=_("Date the creatinine was measured"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].help_text = _(
            "Not in the future. A warning is shown when it is older than %(days)s days at "
            "cycle 1 day 1."
        ) % {"days": settings.DOSING_CREATININE_MAX_AGE_DAYS}

    def clean_measured_on(self) -> dt.date:
        measured_on: dt.date = self.cleaned_data["measured_on"]
        try:
            return creatinine_measured_on_check(measured_on, today=timezone.localdate())
        except DosingInputError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        """Every measurement in its plausible range, all errors at once, each at its field."""
        cleaned = super().clean() or {}
        for name, analyte, unit in (
            ("weight_kg", Analyte.WEIGHT, "kg"),
            ("height_cm", Analyte.HEIGHT, "cm"),
            ("creatinine_value", Analyte.CREATININE, cleaned.get("creatinine_unit")),
        ):
            value = cleaned.get(name)
            if value is None or unit is None:
                continue
            try:
                lab_value(analyte, value, unit, field=name)
            except InvalidInput as error:
                self.add_error(name, error.message)
        return cleaned


class ScheduleForm(forms.Form):
    start_date = forms.DateField(
        label=_("Cycle 1 day 1"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cycles = forms.IntegerField(
        label=_("Number of cycles"),
        min_value=1,
        max_value=MAX_CYCLES,
        error_messages=_range_messages(_("Cycles"), "", 1, MAX_CYCLES),
    )
    patient_reference = forms.CharField(
        label=_("Pseudonymous patient reference"),
        max_length=40,
        required=False,
        help_text=_("A clinic reference only — never the patient's name or national ID."),
    )
    reference_confirmed = forms.BooleanField(
        label=_("This is a clinic reference, not a name or a date of birth"),
        required=False,
    )

    def clean_patient_reference(self) -> str:
        """Warn on a reference that looks like a name or date of birth; a tick overrides it."""
        reference = cast(str, self.cleaned_data["patient_reference"]).strip()
        kind = reference_looks_identifying(reference)
        if kind is not None and not self.data.get("reference_confirmed"):
            looks_like = _("a name") if kind == "name" else _("a date of birth")
            raise forms.ValidationError(
                _(
                    "This looks like %(looks_like)s. Enter a pseudonymous clinic reference, "
                    "such as MM-0042 — or tick the box below if it is one."
                ),
                code="identifying",
                params={"looks_like": looks_like},
            )
        return reference


class PlannedDoseField(forms.ChoiceField):
    """One planned administration as ``drug|YYYY-MM-DD``: the identity of the dose recorded.

    Only doses planned in the plan's current calendar are valid: a stale page or link (the dose
    was recorded or moved meanwhile) is refused with the dose it named, never mapped to another.
    """

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            raise forms.ValidationError(
                _("Choose the planned dose that was given on another date or omitted."),
                code="required",
            )
        if not self.valid_value(value):
            drug, _sep, date = str(value).partition("|")
            raise forms.ValidationError(
                _(
                    "%(drug)s on %(date)s is not a planned dose of this plan (it was recorded or"
                    " moved meanwhile). Nothing was recorded: choose the dose again."
                ),
                code="invalid_choice",
                params={"drug": drug, "date": date},
            )


class RescheduleForm(forms.Form):
    administration = PlannedDoseField(label=_("Planned dose"))
    omitted = forms.BooleanField(label=_("Omitted (not given)"), required=False)
    actual_date = forms.DateField(
        label=_("Given on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.ChoiceField(
        label=_("What moves"),
        choices=[
            (
                "drug",
                _("this medicine's later doses keep their interval (SARCLISA SmPC, section 4.2)"),
            ),
            ("cycle", _("every later administration of the plan moves")),
        ],
        initial="drug",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        validators=[TextLengthValidator()],
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX_LENGTH}),
    )

    def __init__(self, *args: Any, planned: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["administration"]).choices = [
            ("", _("— choose the planned dose —")),
            *planned,
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("omitted") and cleaned.get("actual_date"):
            self.add_error("actual_date", _("Leave the date empty when the dose was omitted."))
        elif not cleaned.get("omitted") and not cleaned.get("actual_date") and not self.errors:
            self.add_error("actual_date", _("Enter the date it was given, or tick omitted."))
        return cleaned


class CalendarDownloadForm(forms.Form):
    """Options for the patient calendar: the PDF form is POSTed (the name is printed, never
    stored, and never put in a URL); the .ics form is a GET without the name field."""

    lang = forms.ChoiceField(
        label=_("Language of the calendar"), choices=settings.LANGUAGES, required=False
    )
    name = forms.CharField(
        label=_("Patient name to print (not stored)"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reminders = forms.BooleanField(
        label=_("Reminder at 18:00 the evening before each treatment day"), required=False
    )

    def clean_lang(self) -> str:
        return str(self.cleaned_data.get("lang") or settings.LANGUAGE_CODE)

    def clean_name(self) -> str:
        # Printable characters only: the name goes on paper, never into a header or a log.
        name = str(self.cleaned_data.get("name") or "")
        return " ".join("".join(ch for ch in name if ch.isprintable()).split())


NO_TEAM = "none"


class PlanListFilterForm(forms.Form):
    """Search and filters of the plans list (GET): every field optional, unknown values ignored."""

    reference = forms.CharField(
        label=_("Patient reference contains"), required=False, max_length=40
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("any")),
            ("active", _("active")),
            ("needs_recompute", _("needs re-compute")),
            ("finished", _("finished")),
        ],
    )
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["team"])
        field.choices = [
            ("", _("any")),
            *((str(pk), name) for pk, name in teams),
            (NO_TEAM, _("no team (my own plans)")),
        ]
