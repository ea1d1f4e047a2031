"""An option never links a regimen whose setting or milestones contradict it (issue 11)."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from myeloma_core.content_checks import guideline_regimen_conflicts, option_regimen_conflicts
from myeloma_core.regimen import RegimenContentError, RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.treatment import Criteria, Recommendation
from myeloma_core.treatment_schema import guideline_from_dict
from myeloma_core.vocabulary import Setting

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _raw(slug: str) -> dict[str, Any]:
    data = yaml.safe_load((CONTENT / "regimens" / f"{slug}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _spec(slug: str) -> RegimenSpec:
    return regimen_spec_from_dict(_raw(slug))


SPECS = {path.stem: _spec(path.stem) for path in (CONTENT / "regimens").glob("*.yaml")}
_GUIDELINE, RECOMMENDATIONS = guideline_from_dict(
    yaml.safe_load((CONTENT / "guidelines" / "eha-emn-2025.yaml").read_text("utf-8")),
    regimen_slugs=frozenset(SPECS),
)
BY_KEY = {r.key: r for r in RECOMMENDATIONS}


def _linking(key: str, slug: str) -> Recommendation:
    return replace(BY_KEY[key], regimen=slug)


def test_shipped_options_do_not_contradict_their_regimens() -> None:
    assert guideline_regimen_conflicts(RECOMMENDATIONS, SPECS) == ()


def test_cepheus_option_links_the_cepheus_regimen_without_a_transplant() -> None:
    option = BY_KEY["d-vrd-ti"]
    assert option.criteria.transplant_eligible is False
    assert option.regimen == "d-vrd-cepheus"
    assert not SPECS["d-vrd-cepheus"].includes_transplant


def test_transplant_ineligible_option_may_not_open_the_perseus_induction() -> None:
    """The shipped bug: CEPHEUS (transplant-ineligible) opened d-vrd with its ASCT milestone."""
    conflicts = option_regimen_conflicts(_linking("d-vrd-ti", "d-vrd"), SPECS["d-vrd"])
    assert conflicts == (
        "the option is for transplant-ineligible patients, but regimen d-vrd goes on to"
        " high-dose therapy and ASCT (milestone after cycle 4)",
    )


def test_transplant_eligible_induction_must_lead_to_the_transplant() -> None:
    conflicts = option_regimen_conflicts(
        _linking("d-vrd-te", "d-vrd-cepheus"), SPECS["d-vrd-cepheus"]
    )
    assert conflicts == (
        "the option is a transplant-eligible induction, but regimen d-vrd-cepheus has no"
        " transplant milestone",
    )


def test_transplant_regimen_needs_an_option_restricted_to_transplant_eligible() -> None:
    option = replace(BY_KEY["d-vrd-te"], criteria=Criteria())
    (conflict,) = option_regimen_conflicts(option, SPECS["isa-vrd-gmmg-hd7"])
    assert "whatever their transplant eligibility" in conflict
    assert "(milestone after cycle 3)" in conflict


def test_smouldering_option_may_not_open_a_relapse_regimen() -> None:
    option = _linking("daratumumab-smm", "dkd")
    assert option.setting is Setting.SMOULDERING_HIGH_RISK
    assert option_regimen_conflicts(option, SPECS["dkd"]) == (
        "regimen dkd is for rrmm, not for the option's setting (smouldering_high_risk)",
    )


def test_relapse_option_may_not_open_a_first_line_regimen() -> None:
    (conflict,) = option_regimen_conflicts(
        _linking("dkd-after-1-line", "isa-vrd-imroz"), SPECS["isa-vrd-imroz"]
    )
    assert conflict == "regimen isa-vrd-imroz is for ndmm, not for the option's setting (rrmm)"


def test_regimen_without_a_stated_setting_is_not_assessable() -> None:
    """Unknown is never normal: a regimen that does not state its setting gets no button."""
    data = _raw("dkd")
    del data["settings"]
    (conflict,) = option_regimen_conflicts(BY_KEY["dkd-after-1-line"], regimen_spec_from_dict(data))
    assert "does not state its disease setting" in conflict


def test_missing_regimen_is_a_conflict() -> None:
    assert guideline_regimen_conflicts([BY_KEY["dkd-after-1-line"]], {}) == (
        ("dkd-after-1-line", "regimen dkd does not exist"),
    )


class TestTransplantMilestone:
    """Free text cannot hide a transplant: a label that names one marks the milestone."""

    def _with_milestone(self, milestone: dict[str, Any]) -> dict[str, Any]:
        data = copy.deepcopy(_raw("d-vrd-cepheus"))
        data["milestones"] = [milestone]
        return data

    @pytest.mark.parametrize(
        "label",
        [
            "Then ASCT.",
            "Stem-cell collection and high-dose melphalan.",
            "Stop for high-dose chemotherapy.",
            "Autologous stem cell transplantation.",
            "Proceed to transplant.",
        ],
    )
    def test_label_naming_a_transplant_sets_the_flag(self, label: str) -> None:
        base = {"after_cycle": 8, "label": label, "source": "x", "verification": "pending"}
        assert regimen_spec_from_dict(self._with_milestone(base)).includes_transplant
        with pytest.raises(RegimenContentError, match="names a transplant") as error:
            regimen_spec_from_dict(self._with_milestone({**base, "transplant": False}))
        assert error.value.path == "milestones[0].transplant"

    def test_transplant_ineligible_wording_is_not_a_transplant(self) -> None:
        label = "Continue D-Rd, as in transplant-ineligible patients."
        milestone = {"after_cycle": 8, "label": label, "source": "x", "verification": "pending"}
        assert not regimen_spec_from_dict(self._with_milestone(milestone)).includes_transplant
