"""Cross-checks between treatment-option content and the regimens the options link.

A treatment option ("start a plan with this regimen") must never open a regimen whose schedule or
milestones contradict the option's setting — e.g. the transplant-ineligible CEPHEUS option opening
the PERSEUS transplant induction with its high-dose melphalan/ASCT milestone (issue 11).

The rules use what regimen content states explicitly (``myeloma_core.regimen``):

1. The regimen names the disease settings it is for (``settings``); the option's setting must be
   one of them (a smouldering option never opens an RRMM regimen). A regimen that does not state
   its settings cannot be checked, so it is not assessable — never passed.
2. A regimen whose milestones include the transplant (``Milestone.transplant``: high-dose
   melphalan and ASCT) may only be linked by an option restricted to transplant-eligible patients
   (``criteria.transplant_eligible: true``).
3. A newly diagnosed option restricted to transplant-eligible patients is an induction before
   transplant: its regimen's milestones must include the transplant.

Pure functions: used by the content tests, by the guideline loader and by the options page, which
shows no "start a plan" button where a conflict is found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from myeloma_core.regimen import RegimenSpec
from myeloma_core.treatment import Recommendation
from myeloma_core.vocabulary import Setting

__all__ = ["guideline_regimen_conflicts", "option_regimen_conflicts"]


def option_regimen_conflicts(
    recommendation: Recommendation, regimen: RegimenSpec
) -> tuple[str, ...]:
    """Why ``regimen`` must not be started from ``recommendation`` (empty when it may)."""
    conflicts: list[str] = []
    setting = recommendation.setting
    if not regimen.settings:
        conflicts.append(
            f"regimen {regimen.slug} does not state its disease setting; it cannot be checked"
            f" against the option's setting ({setting.value})"
        )
    elif setting.value not in {s.value for s in regimen.settings}:
        stated = ", ".join(s.value for s in regimen.settings)
        conflicts.append(
            f"regimen {regimen.slug} is for {stated}, not for the option's setting"
            f" ({setting.value})"
        )
    eligible = recommendation.criteria.transplant_eligible
    transplant = [m for m in regimen.milestones if m.transplant]
    if transplant and eligible is not True:
        who = (
            "transplant-ineligible patients"
            if eligible is False
            else "patients whatever their transplant eligibility"
        )
        conflicts.append(
            f"the option is for {who}, but regimen {regimen.slug} goes on to high-dose therapy and"
            f" ASCT (milestone after cycle {transplant[0].after_cycle})"
        )
    if setting is Setting.NDMM and eligible is True and not transplant:
        conflicts.append(
            f"the option is a transplant-eligible induction, but regimen {regimen.slug} has no"
            " transplant milestone"
        )
    return tuple(conflicts)


def guideline_regimen_conflicts(
    recommendations: Iterable[Recommendation], regimens: Mapping[str, RegimenSpec]
) -> tuple[tuple[str, str], ...]:
    """``(recommendation key, reason)`` for every option whose regimen contradicts it.

    Options without a regimen are skipped; a named regimen missing from ``regimens`` is a
    conflict (the option would link nothing that can be checked).
    """
    found: list[tuple[str, str]] = []
    for recommendation in recommendations:
        slug = recommendation.regimen
        if slug is None:
            continue
        regimen = regimens.get(slug)
        if regimen is None:
            found.append((recommendation.key, f"regimen {slug} does not exist"))
            continue
        found.extend(
            (recommendation.key, reason)
            for reason in option_regimen_conflicts(recommendation, regimen)
        )
    return tuple(found)
