"""Forms for the staging pages. They validate each input and give the data in the shape of the
API request; the view computes the result through ``staging.assessments`` — the same path the
JSON API takes — and hands a domain ``InvalidInput`` back to the form (``domain_error_add``),
which shows it at the field it names. Each lab is a value plus a unit selector (the clinic's
default unit preselected). Nothing typed is lost: an invalid form re-renders with every value
as entered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from myeloma_core.errors import InvalidInput
from myeloma_core.frailty import ITEM_RANGES
from myeloma_core.staging import Del1p32, Finding, LdhStatus
from myeloma_core.units import (
    ACCEPTED_UNITS,
    UNIT_LABELS,
    Analyte,
    convert,
    exact,
    format_number,
    plausible_bounds,
)
from staging.assessments import CYTOGENETIC_FINDINGS, FRAILTY_FIELDS
from webparts.fields import DecimalNumberField, field_errors_in_words, in_sentence

FINDING_CHOICES = [
    (Finding.UNKNOWN.value, _("unknown")),
    (Finding.ABSENT.value, _("absent")),
    (Finding.PRESENT.value, _("present")),
]


def _finding_field(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=FINDING_CHOICES,
        initial=Finding.UNKNOWN.value,
        required=False,
        widget=forms.RadioSelect,
    )


def _number_field(
    label: StrOrPromise, help_text: StrOrPromise = "", **kwargs: Any
) -> DecimalNumberField:
    return DecimalNumberField(
        label=label,
        help_text=help_text,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


def _shown(number: Any) -> str:
    """A range bound in the user's language: "2,000" in English, "2.000" in Dutch."""
    return number_format(format_number(number, places=2), use_l10n=True, force_grouping=True)


def implausible_lab_message(
    analyte: Analyte, value: float, unit: str, *, typed: str, label: StrOrPromise
) -> str | None:
    """What is wrong and how to fix it, in the unit entered and the number as typed, or None.

    "1500 mg/dL is not possible for creatinine. Did you mean 1500 µmol/L (16.97 mg/dL)? Enter
    creatinine between 0.11 and 22.63 mg/dL." Plausible ranges: ``myeloma_core.units`` (§1).
    """
    low, high = plausible_bounds(analyte, unit)
    if low <= exact(value) <= high:
        return None
    words = {"typed": typed.strip(), "unit": UNIT_LABELS.get(unit, unit)}
    words["label"] = in_sentence(str(label))
    parts = [_("%(typed)s %(unit)s is not possible for %(label)s.") % words]
    for other in ACCEPTED_UNITS[analyte]:
        other_low, other_high = plausible_bounds(analyte, other)
        if other != unit and value >= 0 and other_low <= exact(value) <= other_high:
            converted = _shown(convert(analyte, value, other, unit))
            parts.append(
                _("Did you mean %(typed)s %(other)s (%(converted)s %(unit)s)?")
                % {**words, "other": UNIT_LABELS.get(other, other), "converted": converted}
            )
            break
    parts.append(
        _("Enter %(label)s between %(low)s and %(high)s %(unit)s.")
        % {**words, "low": _shown(low), "high": _shown(high)}
    )
    return " ".join(str(part) for part in parts)


class AssessmentForm(forms.Form):
    """A form whose data becomes one domain result. Subclasses list their labs."""

    labs: ClassVar[tuple[tuple[str, Analyte, StrOrPromise], ...]] = ()
    plain_fields: ClassVar[tuple[str, ...]] = ()  # copied to the API dict under the same name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, analyte, label in self.labs:
            self.fields[f"{key}_value"] = _number_field(label)
            self.fields[f"{key}_unit"] = forms.ChoiceField(
                label=_("Unit of %(label)s") % {"label": label},
                choices=[(unit, UNIT_LABELS.get(unit, unit)) for unit in ACCEPTED_UNITS[analyte]],
                initial=settings.STAGING_DEFAULT_UNITS[analyte.value],
            )
            # Django calls clean_<name>() once the unit is cleaned (after its value).
            setattr(self, f"clean_{key}_unit", self._lab_checker(key, analyte, label))
        field_errors_in_words(self)

    def _lab_checker(self, key: str, analyte: Analyte, label: StrOrPromise) -> Any:
        def clean_unit() -> str:
            unit: str = self.cleaned_data[f"{key}_unit"]
            value = self.cleaned_data.get(f"{key}_value")
            if value is not None and unit:
                message = implausible_lab_message(
                    analyte, value, unit, typed=str(self.data.get(f"{key}_value", "")), label=label
                )
                if message:
                    self.add_error(f"{key}_value", message)
            return unit

        return clean_unit

    def lab_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{key}_value"], self[f"{key}_unit"]) for key, _a, _l in self.labs]

    def other_fields(self) -> list[forms.BoundField]:
        lab_names = {f"{key}_{part}" for key, _a, _l in self.labs for part in ("value", "unit")}
        return [field for field in self if field.name not in lab_names]

    def api_data(self) -> dict[str, Any]:
        """The cleaned data in the shape of the JSON API request."""
        data: dict[str, Any] = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.plain_fields and value not in (None, "")
        }
        for key, _analyte, _label in self.labs:
            value = self.cleaned_data.get(f"{key}_value")
            if value is not None:
                data[key] = {"value": value, "unit": self.cleaned_data.get(f"{key}_unit")}
        return data

    def _field_for(self, api_field: str) -> str | None:
        name = api_field.removeprefix("cytogenetics.").replace(".", "_")
        for candidate in (name, f"{name}_value"):
            if candidate in self.fields:
                return candidate
        return None

    def domain_error_add(self, error: InvalidInput) -> None:
        """Show the assessment's refusal at each field it names (both keep their values)."""
        for name in dict.fromkeys(self._field_for(field) for field in error.fields):
            self.add_error(name, error.message)


class StagingForm(AssessmentForm):
    labs = (
        ("beta2_microglobulin", Analyte.BETA2_MICROGLOBULIN, _("β2-microglobulin")),
        ("albumin", Analyte.ALBUMIN, _("Albumin")),
        ("creatinine", Analyte.CREATININE, _("Creatinine")),
    )

    ldh_status = forms.ChoiceField(
        label=_("LDH"),
        choices=[
            (LdhStatus.UNKNOWN.value, _("unknown")),
            (LdhStatus.NORMAL.value, _("within normal range")),
            (LdhStatus.HIGH.value, _("above upper limit of normal")),
        ],
        initial=LdhStatus.UNKNOWN.value,
        required=False,
        widget=forms.RadioSelect,
    )
    ldh_value = _number_field(_("LDH value (U/L)"), _("Or enter the value with the lab's limit."))
    ldh_upper_limit_normal = _number_field(_("LDH upper limit of normal (U/L)"))
    del_17p = _finding_field(_("del(17p)"))
    del_17p_clonal_fraction_percent = _number_field(
        _("del(17p) clonal fraction (%)"), _("Cancer clonal fraction on CD138-purified cells.")
    )
    tp53_mutation = _finding_field(_("TP53 mutation"))
    t_4_14 = _finding_field(_("t(4;14)"))
    t_14_16 = _finding_field(_("t(14;16)"))
    t_14_20 = _finding_field(_("t(14;20)"))
    gain_1q = _finding_field(_("1q+ (gain or amplification)"))
    del_1p32 = forms.ChoiceField(
        label=_("del(1p32)"),
        choices=[
            (Del1p32.UNKNOWN.value, _("unknown")),
            (Del1p32.ABSENT.value, _("none")),
            (Del1p32.MONOALLELIC.value, _("monoallelic")),
            (Del1p32.BIALLELIC.value, _("biallelic")),
        ],
        initial=Del1p32.UNKNOWN.value,
        required=False,
        widget=forms.RadioSelect,
    )
    received_isatuximab = forms.BooleanField(
        label=_("Patient has received isatuximab (anti-CD38)"), required=False
    )

    def cytogenetic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CYTOGENETIC_FINDINGS]

    def api_data(self) -> dict[str, Any]:
        data = super().api_data()
        cleaned = self.cleaned_data
        data["ldh_status"] = cleaned.get("ldh_status") or LdhStatus.UNKNOWN.value
        if cleaned.get("ldh_value") is not None:
            data["ldh"] = {
                "value": cleaned["ldh_value"],
                "unit": "U/L",
                "upper_limit_normal": cleaned.get("ldh_upper_limit_normal"),
            }
        data["cytogenetics"] = {name: cleaned.get(name) or None for name in CYTOGENETIC_FINDINGS}
        data["cytogenetics"]["del_17p_clonal_fraction_percent"] = cleaned.get(
            "del_17p_clonal_fraction_percent"
        )
        data["cytogenetics"]["del_1p32"] = cleaned.get("del_1p32") or None
        return data


class SmoulderingForm(AssessmentForm):
    labs = (("m_protein", Analyte.M_PROTEIN, _("Serum M-protein")),)
    plain_fields = ("flc_ratio", "bone_marrow_plasma_cells_percent")

    flc_ratio = _number_field(
        _("Involved/uninvolved free light chain ratio"), _("For example 180 / 8 = 22.5.")
    )
    bone_marrow_plasma_cells_percent = _number_field(_("Clonal bone-marrow plasma cells (%)"))


class DiagnosisForm(AssessmentForm):
    labs = (
        ("serum_m_protein", Analyte.M_PROTEIN, _("Serum M-protein")),
        ("calcium", Analyte.CALCIUM, _("Serum calcium")),
        ("calcium_upper_limit_normal", Analyte.CALCIUM, _("Calcium upper limit of normal")),
        ("creatinine", Analyte.CREATININE, _("Serum creatinine")),
        ("haemoglobin", Analyte.HAEMOGLOBIN, _("Haemoglobin")),
        (
            "haemoglobin_lower_limit_normal",
            Analyte.HAEMOGLOBIN,
            _("Haemoglobin lower limit of normal"),
        ),
    )
    plain_fields = (
        "clonal_bone_marrow_plasma_cells_percent",
        "biopsy_proven_plasmacytoma",
        "urine_m_protein_mg_24h",
        "creatinine_clearance_ml_min",
        "bone_lesions",
        "involved_flc_mg_l",
        "uninvolved_flc_mg_l",
        "mri_focal_lesions",
        "amyloidosis",
        "crab_attributable",
    )

    clonal_bone_marrow_plasma_cells_percent = _number_field(
        _("Clonal bone-marrow plasma cells (%)")
    )
    biopsy_proven_plasmacytoma = _finding_field(
        _("Biopsy-proven bony or extramedullary plasmacytoma")
    )
    urine_m_protein_mg_24h = _number_field(_("Urinary M-protein (mg/24 h)"))
    creatinine_clearance_ml_min = _number_field(_("Creatinine clearance (mL/min)"))
    bone_lesions = _finding_field(_("Osteolytic lesion on radiography, CT or PET-CT"))
    involved_flc_mg_l = _number_field(_("Involved free light chain (mg/L)"))
    uninvolved_flc_mg_l = _number_field(_("Uninvolved free light chain (mg/L)"))
    mri_focal_lesions = forms.IntegerField(
        label=_("Focal lesions ≥ 5 mm on MRI (count)"), required=False, min_value=0, max_value=500
    )
    amyloidosis = _finding_field(_("AL amyloidosis"))
    crab_attributable = _finding_field(
        _("CRAB features attributable to the plasma-cell disorder (clinician's judgement)")
    )


def _item_field(label: StrOrPromise, name: str) -> forms.IntegerField:
    """A frailty item, in the domain's accepted range (``myeloma_core.frailty``)."""
    low, high = ITEM_RANGES[name]
    return forms.IntegerField(label=label, required=False, min_value=low, max_value=high)


class FrailtyForm(AssessmentForm):
    plain_fields = FRAILTY_FIELDS

    age_years = _item_field(_("Age (years)"), "age_years")
    charlson_comorbidity_index = _item_field(
        _("Charlson Comorbidity Index"), "charlson_comorbidity_index"
    )
    katz_adl = _item_field(_("Katz activities of daily living (0–6)"), "katz_adl")
    lawton_iadl = _item_field(
        _("Lawton instrumental activities of daily living (0–8)"), "lawton_iadl"
    )
    ecog_performance_status = _item_field(
        _("ECOG performance status (0–4)"), "ecog_performance_status"
    )
