"""Plain-language labels for the API field paths and criterion codes the domain reports."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from myeloma_core.units import UNIT_LABELS

register = template.Library()

FIELD_LABELS = {
    "beta2_microglobulin": _("β2-microglobulin"),
    "albumin": _("albumin"),
    "creatinine": _("creatinine"),
    "ldh_status": _("LDH (normal or above the upper limit)"),
    "ldh": _("LDH"),
    "cytogenetics.del_17p": _("del(17p)"),
    "cytogenetics.del_17p_clonal_fraction_percent": _("del(17p) clonal fraction"),
    "cytogenetics.tp53_mutation": _("TP53 mutation"),
    "cytogenetics.t_4_14": _("t(4;14)"),
    "cytogenetics.t_14_16": _("t(14;16)"),
    "cytogenetics.t_14_20": _("t(14;20)"),
    "cytogenetics.gain_1q": _("1q+"),
    "cytogenetics.del_1p32": _("del(1p32)"),
    "m_protein": _("serum M-protein"),
    "serum_m_protein": _("serum M-protein"),
    "flc_ratio": _("free light chain ratio"),
    "bone_marrow_plasma_cells_percent": _("clonal bone-marrow plasma cells"),
    "clonal_bone_marrow_plasma_cells_percent": _("clonal bone-marrow plasma cells"),
    "biopsy_proven_plasmacytoma": _("biopsy-proven plasmacytoma"),
    "urine_m_protein_mg_24h": _("urinary M-protein"),
    "calcium": _("calcium"),
    "calcium_upper_limit_normal": _("calcium upper limit of normal"),
    "creatinine_clearance_ml_min": _("creatinine clearance"),
    "haemoglobin": _("haemoglobin"),
    "haemoglobin_lower_limit_normal": _("haemoglobin lower limit of normal"),
    "bone_lesions": _("bone imaging"),
    "involved_flc_mg_l": _("involved free light chain"),
    "uninvolved_flc_mg_l": _("uninvolved free light chain"),
    "mri_focal_lesions": _("MRI focal lesions"),
    "amyloidosis": _("amyloidosis"),
    "crab_attributable": _("whether CRAB features are attributable to the clone"),
    "age_years": _("age"),
    "charlson_comorbidity_index": _("Charlson Comorbidity Index"),
    "katz_adl": _("Katz ADL"),
    "lawton_iadl": _("Lawton IADL"),
    "ecog_performance_status": _("ECOG performance status"),
}

CODE_LABELS = {
    # xgettext:no-python-format (the "%" is a percent sign, not a placeholder)
    "del17p_or_tp53": _("del(17p) ≥ 20 % clonal fraction or TP53 mutation"),
    "translocation_with_1q_or_del1p32": _("t(4;14), t(14;16) or t(14;20) with 1q+ or del(1p32)"),
    "del1p32": _("biallelic del(1p32), or monoallelic del(1p32) with 1q+"),
    "b2m_with_normal_creatinine": _("β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL"),
    "high_risk": _("High risk"),
    "not_high_risk": _("Not high risk"),
    "not_assessable": _("Not assessable"),
    "multiple_myeloma": _("Multiple myeloma"),
    "smouldering_myeloma": _("Smouldering myeloma"),
    "mgus": _("MGUS"),
    "low": _("Low risk"),
    "intermediate": _("Intermediate risk"),
    "high": _("High risk"),
    "fit": _("Fit"),
    "frail": _("Frail"),
    "non_frail": _("Non-frail"),
    "m_protein": _("serum M-protein > 2 g/dL"),
    "bone_marrow_plasma_cells": _("clonal plasma cells > 20 %"),
    "hypercalcaemia": _("hypercalcaemia"),
    "renal_insufficiency": _("renal insufficiency"),
    "anaemia": _("anaemia"),
    "bmpc_60": _("clonal plasma cells ≥ 60 %"),
    "flc_ratio_100": _("free light chain ratio ≥ 100 with involved FLC ≥ 100 mg/L"),
}


@register.filter
def field_label(path: str) -> str:
    return str(FIELD_LABELS.get(path, path.replace("_", " ")))


@register.filter
def code_label(code: str) -> str:
    return str(CODE_LABELS.get(str(code), str(code).replace("_", " ")))


@register.filter
def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)
