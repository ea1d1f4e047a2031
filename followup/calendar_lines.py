"""What the patient calendar says about the disease assessments recorded on a plan.

The patient sees that an assessment was done, on which day, and what kind of test it took —
never a value, a response category or an MRD result: those reach the patient through the
clinician (issue 14). Registered with the calendar in ``FollowupConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_noop

from dosing.calendar_extras import CalendarExtraLine
from dosing.models import TreatmentPlan
from followup.models import DiseaseAssessment

# The kind of test each finding (api-v1 field) comes from, in the order they are printed.
# IMWG 2016 (domain-reference §21): M-protein, immunofixation and free light chains are
# measured in blood (serum) or urine; plasma cells, clonality and MRD in a bone marrow sample;
# plasmacytomas and bone lesions on a scan or at an examination.
TEST_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        gettext_noop("blood test"),
        frozenset(
            {"serum_m_protein", "serum_ife", "involved_flc", "uninvolved_flc", "ife_shift_assay"}
        ),
    ),
    (gettext_noop("urine test"), frozenset({"urine_m_protein", "urine_ife"})),
    (
        gettext_noop("bone marrow sample"),
        frozenset({"bone_marrow_plasma_cells_percent", "bone_marrow_clonality", "mrd"}),
    ),
    (
        gettext_noop("scan or examination"),
        frozenset({"plasmacytoma", "new_bone_lesions", "pet_ct"}),
    ),
)


def assessment_test_kinds(findings: Mapping[str, Any]) -> list[str]:
    """The kinds of test the recorded findings came from, translated (no values)."""
    recorded = {name for name, value in findings.items() if value is not None}
    return [gettext(kind) for kind, fields in TEST_KINDS if fields & recorded]


def assessments_done_lines(plan: TreatmentPlan) -> list[CalendarExtraLine]:
    """ "Assessment done on Monday 4 May 2026 (blood test, bone marrow sample)", oldest first."""
    lines = []
    for row in DiseaseAssessment.objects.filter(plan=plan).order_by("date"):
        kinds = assessment_test_kinds(row.findings)
        text = gettext("Assessment done on %(date)s") % {"date": date_format(row.date, "l j F Y")}
        if kinds:
            text = f"{text} ({', '.join(kinds)})"
        lines.append(CalendarExtraLine(text=text))
    return lines
