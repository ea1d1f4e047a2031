"""The disease-assessment form on the plan page: api-v1 fields, every one optional but the date.

An empty field is "not measured" (never normal). The form only shapes the input; the values are
checked by the domain (units, plausible ranges) and the series rules in ``followup.services``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import DiseaseAssessment
from webparts.fields import DecimalNumberField, field_errors_in_words

NOT_MEASURED = ("", _("not measured"))
IFE = [NOT_MEASURED, ("positive", _("positive")), ("negative", _("negative"))]
FINDING = [NOT_MEASURED, ("present", _("present")), ("absent", _("absent"))]
QUANTITIES: dict[str, tuple[Any, list[tuple[str, str]]]] = {
    "serum_m_protein": (
        _("Serum M-protein (0 = not detectable on SPE)"),
        [("g/L", "g/L"), ("g/dL", "g/dL")],
    ),
    "urine_m_protein": (_("Urine M-protein"), [("mg/24h", "mg/24 h"), ("g/24h", "g/24 h")]),
    "involved_flc": (_("Involved free light chain"), [("mg/L", "mg/L"), ("mg/dL", "mg/dL")]),
    "uninvolved_flc": (_("Uninvolved free light chain"), [("mg/L", "mg/L"), ("mg/dL", "mg/dL")]),
}
SENSITIVITIES = [
    ("", _("not given")),
    ("0.0001", "10⁻⁴"),
    ("0.00001", "10⁻⁵"),
    ("0.000001", "10⁻⁶"),
    ("0.0000001", "10⁻⁷"),
]
# Domain field paths → form fields, so an error shows next to what was typed.
ERROR_FIELDS = {"isotype": "heavy_chain", "mrd": "mrd_result", "mrd.sensitivity": "mrd_sensitivity"}


class AssessmentForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the date of the assessment.")},
    )
    baseline = forms.BooleanField(label=_("Baseline (before treatment)"), required=False)
    heavy_chain = forms.ChoiceField(
        label=_("Isotype: heavy chain (baseline only)"),
        required=False,
        choices=[
            ("", _("not given")),
            *[(c, c) for c in ("IgG", "IgA", "IgM", "IgD", "IgE")],
            ("none", _("none (light-chain myeloma)")),
        ],
    )
    light_chain = forms.ChoiceField(
        label=_("Isotype: light chain"),
        required=False,
        choices=[("", _("not given")), ("kappa", "κ"), ("lambda", "λ")],
    )
    serum_m_protein = DecimalNumberField(required=False)
    serum_m_protein_unit = forms.ChoiceField(required=False)
    urine_m_protein = DecimalNumberField(required=False)
    urine_m_protein_unit = forms.ChoiceField(required=False)
    involved_flc = DecimalNumberField(required=False)
    involved_flc_unit = forms.ChoiceField(required=False)
    uninvolved_flc = DecimalNumberField(required=False)
    uninvolved_flc_unit = forms.ChoiceField(required=False)
    serum_ife = forms.ChoiceField(label=_("Serum immunofixation"), required=False, choices=IFE)
    urine_ife = forms.ChoiceField(label=_("Urine immunofixation"), required=False, choices=IFE)
    ife_shift_assay = forms.ChoiceField(
        label=_("Anti-drug shift assay on the IgG-κ band (DIRA / Hydrashift)"),
        required=False,
        choices=[
            ("", _("not done")),
            ("shifted", _("shifted (the band is the drug)")),
            ("not_shifted", _("not shifted")),
        ],
    )
    bone_marrow_plasma_cells_percent = DecimalNumberField(
        label=_("Bone-marrow plasma cells (%)"), required=False
    )
    bone_marrow_clonality = forms.ChoiceField(
        label=_("Bone-marrow clonality"),
        required=False,
        choices=[NOT_MEASURED, ("clonal", _("clonal")), ("polyclonal", _("polyclonal"))],
    )
    plasmacytoma = forms.ChoiceField(
        label=_("Soft-tissue plasmacytoma"), required=False, choices=FINDING
    )
    new_bone_lesions = forms.ChoiceField(
        label=_("New bone lesions"), required=False, choices=FINDING
    )
    mrd_result = forms.ChoiceField(
        label=_("MRD"),
        required=False,
        choices=[("", _("not done")), ("negative", _("negative")), ("positive", _("positive"))],
    )
    mrd_method = forms.ChoiceField(
        label=_("MRD method"),
        required=False,
        choices=[
            ("ngf", _("next-generation flow (NGF)")),
            ("ngs", _("next-generation sequencing (NGS)")),
        ],
    )
    mrd_sensitivity = forms.ChoiceField(
        label=_("MRD sensitivity"), required=False, choices=SENSITIVITIES
    )
    pet_ct = forms.ChoiceField(
        label=_("PET-CT"),
        required=False,
        choices=[
            ("", _("not recorded")),
            ("negative", _("negative")),
            ("positive", _("positive")),
            ("not_done", _("not done")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, units) in QUANTITIES.items():
            self.fields[name].label = label
            unit_field = self.fields[f"{name}_unit"]
            if isinstance(unit_field, forms.ChoiceField):
                unit_field.choices = units
            unit_field.label = _("unit")
            unit_field.initial = units[0][0]
        field_errors_in_words(self)

    def assessment_data(self) -> dict[str, Any]:
        """The cleaned form in the api-v1 shape (omitted = not measured)."""
        c = self.cleaned_data
        data: dict[str, Any] = {"date": c["date"], "baseline": bool(c.get("baseline"))}
        if c.get("heavy_chain") or c.get("light_chain"):
            data["isotype"] = {
                "heavy_chain": c.get("heavy_chain"),
                "light_chain": c.get("light_chain"),
            }
        for name, (_label, units) in QUANTITIES.items():
            if c.get(name) is not None:
                data[name] = {"value": c[name], "unit": c.get(f"{name}_unit") or units[0][0]}
        for name in (
            "serum_ife",
            "urine_ife",
            "ife_shift_assay",
            "bone_marrow_clonality",
            "plasmacytoma",
            "new_bone_lesions",
            "pet_ct",
        ):
            if c.get(name):
                data[name] = c[name]
        if c.get("bone_marrow_plasma_cells_percent") is not None:
            data["bone_marrow_plasma_cells_percent"] = c["bone_marrow_plasma_cells_percent"]
        if c.get("mrd_result"):
            sensitivity = c.get("mrd_sensitivity")
            data["mrd"] = {
                "result": c["mrd_result"],
                "method": c.get("mrd_method") or "ngf",
                "sensitivity": float(sensitivity) if sensitivity else None,
            }
        return data

    def add_domain_error(self, field: str, message: str) -> None:
        name = ERROR_FIELDS.get(field, field)
        self.add_error(name if name in self.fields else None, message)


def initial_from(row: DiseaseAssessment) -> dict[str, Any]:
    """A stored assessment as form initial values (to correct it)."""
    findings = dict(row.findings)
    initial: dict[str, Any] = {
        "date": row.date,
        "baseline": row.baseline,
        "heavy_chain": row.heavy_chain,
        "light_chain": row.light_chain,
    }
    for name in QUANTITIES:
        lab = findings.pop(name, None)
        if lab:
            initial[name] = lab["value"]
            initial[f"{name}_unit"] = lab["unit"]
    mrd = findings.pop("mrd", None)
    if mrd:
        initial["mrd_result"] = mrd.get("result")
        initial["mrd_method"] = mrd.get("method")
        sensitivity = mrd.get("sensitivity")
        initial["mrd_sensitivity"] = format(Decimal(repr(sensitivity)), "f") if sensitivity else ""
    initial.update(findings)
    return initial


class CorrectionForm(AssessmentForm):
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=200)
