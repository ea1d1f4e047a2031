"""From the API-shaped dict that both the treatment page and the JSON API produce to the options
the domain finds (§12): the page's view and the API call :func:`treatment_options_assess`, never
a form or a selector (issue 18: forms validate, the caller assesses)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from myeloma_core import treatment as domain
from myeloma_core.regimen import RegimenSpec
from treatment.selectors import guideline_content_published, regimen_drugs, regimen_specs_published


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentAssessment:
    guideline: domain.Guideline | None
    result: domain.OptionsResult
    regimens_published: dict[str, RegimenSpec]  # regimens a plan can be started with


def treatment_options_assess(data: Mapping[str, Any]) -> TreatmentAssessment:
    """``data`` has the shape of ``POST /api/v1/treatment/options``; raises ``InvalidInput``."""
    patient = domain.patient_setting_from_dict(data)
    content = guideline_content_published()
    notes = (
        ()
        if content.guideline is None
        else content.guideline.setting_notes.get(patient.setting, ())
    )
    specs = regimen_specs_published()
    result = domain.treatment_options(
        patient, content.recommendations, regimen_drugs=regimen_drugs(specs), setting_notes=notes
    )
    return TreatmentAssessment(guideline=content.guideline, result=result, regimens_published=specs)
