"""Treatment options (myeloma_core.treatment) against domain-reference §12, §17 #15, §20.

Expected values are written from the reference, not from the code: the seed's one-prior-line
example (§12.5) gives exactly DRd, DKd and Isa-Kd; only daratumumab in high-risk SMM carries a
grade ([I, A], §12.2); unknown inputs make options "possible" and are reported (G1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from myeloma_core.errors import InvalidInput
from myeloma_core.treatment import (
    Basis,
    Match,
    Recommendation,
    Setting,
    TreatmentContentError,
    Verification,
    guideline_from_dict,
    patient_setting_from_dict,
    recommendation_from_dict,
    recommendation_to_dict,
    treatment_options,
)

ROOT = Path(__file__).resolve().parents[2]
GUIDELINE_FILE = ROOT / "content" / "guidelines" / "eha-emn-2025.yaml"
REGIMEN_SLUGS = frozenset(
    yaml.safe_load(path.read_text(encoding="utf-8"))["slug"]
    for path in (ROOT / "content" / "regimens").glob("*.yaml")
)
GUIDELINE, RECOMMENDATIONS = guideline_from_dict(
    yaml.safe_load(GUIDELINE_FILE.read_text(encoding="utf-8")), regimen_slugs=REGIMEN_SLUGS
)

SEED_EXAMPLE = {
    # §12.5: 1 prior line, bortezomib-based, no lenalidomide, no anti-CD38, bortezomib-refractory.
    "setting": "rrmm",
    "prior_lines": 1,
    "exposed_to": ["bortezomib"],
    "refractory_to": ["bortezomib"],
    "transplant_eligible": None,
    "frailty": None,
}


def _options(data: dict[str, Any]) -> Any:
    patient = patient_setting_from_dict(data)
    notes = GUIDELINE.setting_notes.get(patient.setting, ())
    return treatment_options(patient, RECOMMENDATIONS, setting_notes=notes)


def _slugs(result: Any) -> list[str | None]:
    return [option.recommendation.regimen for option in result.options]


def test_seed_example_gives_exactly_drd_dkd_isa_kd() -> None:
    result = _options(SEED_EXAMPLE)
    assert _slugs(result) == ["drd", "dkd", "isa-kd"]
    for option in result.options:
        assert option.match is Match.MATCHES
        assert option.depends_on == ()
        assert option.recommendation.basis is Basis.GUIDELINE
        assert option.recommendation.grade is None  # the seed gives no grade
        assert option.recommendation.source.startswith("[SEED] EHA-EMN summary")
    assert result.missing == ()
    assert result.investigational == ()


def test_seed_example_with_inn_synonym_for_anti_cd38_naive_history() -> None:
    # daratumumab counts as anti-CD38: exposure excludes the seed example.
    result = _options(SEED_EXAMPLE | {"exposed_to": ["bortezomib", "daratumumab"]})
    assert "drd" not in _slugs(result)
    assert result.options == ()
    assert any("not been entered" in note for note in result.notes)


def test_lenalidomide_exposure_excludes_the_seed_example() -> None:
    data = SEED_EXAMPLE | {"exposed_to": ["bortezomib", "lenalidomide"]}
    assert _slugs(_options(data)) == []


def test_lenalidomide_refractory_anti_cd38_naive() -> None:
    """§12.5: DKd, Isa-Kd, DPd, PVd — approved indications, placement pending."""
    data = {
        "setting": "rrmm",
        "prior_lines": 1,
        "exposed_to": ["lenalidomide", "bortezomib"],
        "refractory_to": ["lenalidomide"],
    }
    result = _options(data)
    assert _slugs(result) == ["dkd", "isa-kd", "dpd", "pvd"]
    for option in result.options:
        assert option.recommendation.basis is Basis.LABEL
        assert option.recommendation.verification is Verification.PENDING
        assert option.recommendation.grade is None
        assert option.recommendation.pivotal_trial


def test_dpd_needs_a_proteasome_inhibitor_in_the_history() -> None:
    data = {
        "setting": "rrmm",
        "prior_lines": 1,
        "exposed_to": ["lenalidomide"],
        "refractory_to": ["lenalidomide"],
    }
    assert _slugs(_options(data)) == ["dkd", "isa-kd", "pvd"]


def test_two_prior_lines_with_lenalidomide_and_a_pi_gives_isa_pd() -> None:
    """§12.6: Isa-Pd, EU indication (X2), pivotal trial ICARIA-MM."""
    data = {
        "setting": "rrmm",
        "prior_lines": 2,
        "exposed_to": ["lenalidomide", "carfilzomib", "anti_cd38"],
        "refractory_to": [],
    }
    result = _options(data)
    assert _slugs(result) == ["isa-pd"]
    isa_pd = result.options[0].recommendation
    assert isa_pd.basis is Basis.LABEL
    assert isa_pd.pivotal_trial == "ICARIA-MM"
    assert isa_pd.verification is Verification.VERIFIED


def test_high_risk_smm_daratumumab_with_the_only_grade() -> None:
    result = _options({"setting": "smouldering_high_risk"})
    assert len(result.options) == 1
    dara = result.options[0].recommendation
    assert dara.regimen is None  # no regimen file: no plan can be started
    assert dara.name == "Daratumumab SC monotherapy for 3 years"
    assert dara.grade == "[I, A]"
    assert dara.basis is Basis.GUIDELINE
    assert dara.verification is Verification.VERIFIED
    assert "AQUILA" in dara.evidence
    assert result.options[0].match is Match.MATCHES


def test_grade_only_on_daratumumab_in_smm() -> None:
    graded = [r.key for r in RECOMMENDATIONS if r.grade is not None]
    assert graded == ["daratumumab-smm"]


def test_every_regimen_named_exists_in_content() -> None:
    named = {r.regimen for r in RECOMMENDATIONS if r.regimen is not None}
    assert named <= REGIMEN_SLUGS
    assert named == {
        "isa-pd",
        "isa-kd",
        "isa-vrd-imroz",
        "isa-vrd-gmmg-hd7",
        "isa-vrd-rest",
        "drd",
        "dkd",
        "d-vrd",
        "d-vrd-cepheus",
        "dpd",
        "pvd",
    }


def test_ndmm_transplant_eligible() -> None:
    """§12.3: Isa-VRd (GMMG-HD7, EU indication) and D-VRd (PERSEUS, class level, pending)."""
    result = _options({"setting": "ndmm", "transplant_eligible": True, "prior_lines": 0})
    assert _slugs(result) == ["isa-vrd-gmmg-hd7", "d-vrd"]
    isa, dara = (o.recommendation for o in result.options)
    assert (isa.basis, isa.pivotal_trial) == (Basis.LABEL, "GMMG-HD7")
    assert (dara.basis, dara.pivotal_trial, dara.verification) == (
        Basis.GUIDELINE,
        "PERSEUS",
        Verification.PENDING,
    )
    assert result.investigational == ()
    assert any("anti-CD38" in note for note in result.notes)


def test_ndmm_transplant_ineligible_fit() -> None:
    """§12.4: Isa-VRd (IMROZ), D-VRd (CEPHEUS), DRd (MAIA); REST only as investigational."""
    result = _options({"setting": "ndmm", "transplant_eligible": False, "frailty": "fit"})
    assert _slugs(result) == ["isa-vrd-imroz", "d-vrd-cepheus", "drd"]
    assert [o.recommendation.pivotal_trial for o in result.options] == [
        "IMROZ",
        "CEPHEUS",
        "MAIA",
    ]
    assert [o.recommendation.regimen for o in result.investigational] == ["isa-vrd-rest"]
    assert result.investigational[0].recommendation.basis is Basis.INVESTIGATIONAL


def test_ndmm_transplant_ineligible_frail_gets_drd_only() -> None:
    result = _options({"setting": "ndmm", "transplant_eligible": False, "frailty": "frail"})
    assert _slugs(result) == ["drd"]


def test_unknown_frailty_is_reported_not_assumed() -> None:
    result = _options({"setting": "ndmm", "transplant_eligible": False})
    by_slug = {o.recommendation.regimen: o for o in result.options}
    assert by_slug["drd"].match is Match.MATCHES
    assert by_slug["isa-vrd-imroz"].match is Match.POSSIBLE
    assert by_slug["isa-vrd-imroz"].depends_on == ("frailty",)
    assert result.missing == ("frailty",)


def test_unknown_transplant_eligibility_lists_both_branches_as_possible() -> None:
    result = _options({"setting": "ndmm"})
    assert {o.match for o in result.options} == {Match.POSSIBLE}
    assert "transplant_eligible" in result.missing
    assert _slugs(result)[:2] == ["isa-vrd-gmmg-hd7", "d-vrd"]


def test_unknown_history_is_not_read_as_none() -> None:
    """Omitted exposure is unknown: the seed options are possible, never plain matches."""
    result = _options({"setting": "rrmm", "prior_lines": 1})
    assert result.options
    assert all(o.match is Match.POSSIBLE for o in result.options)
    assert result.missing == ("exposed_to", "refractory_to")


def test_empty_lists_mean_known_none() -> None:
    result = _options({"setting": "rrmm", "prior_lines": 1, "exposed_to": [], "refractory_to": []})
    assert result.options == ()
    assert result.missing == ()


def test_refractory_implies_exposed() -> None:
    data = SEED_EXAMPLE | {"exposed_to": None}
    result = _options(data)
    # bortezomib exposure follows from refractoriness; lenalidomide/anti-CD38 exposure is unknown.
    assert _slugs(result)[:3] == ["drd", "dkd", "isa-kd"]
    assert result.options[0].match is Match.POSSIBLE
    assert result.options[0].depends_on == ("exposed_to",)


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"setting": "mgus"}, "setting", "smouldering_high_risk, ndmm, rrmm"),
        ({}, "setting", "Choose the setting"),
        ({"setting": "rrmm", "prior_lines": 21}, "prior_lines", "from 0 to 20"),
        ({"setting": "rrmm", "prior_lines": -1}, "prior_lines", "from 0 to 20"),
        ({"setting": "rrmm", "prior_lines": 0}, "prior_lines", "at least 1"),
        ({"setting": "rrmm", "prior_lines": 1.5}, "prior_lines", "whole number"),
        ({"setting": "rrmm", "prior_lines": True}, "prior_lines", "whole number"),
        ({"setting": "ndmm", "prior_lines": 2}, "prior_lines", "no prior line"),
        ({"setting": "ndmm", "frailty": "robust"}, "frailty", "fit, intermediate, frail"),
        ({"setting": "ndmm", "transplant_eligible": "yes"}, "transplant_eligible", "true"),
        ({"setting": "rrmm", "exposed_to": ["thalidomide"]}, "exposed_to.0", "thalidomide"),
        ({"setting": "rrmm", "refractory_to": "bortezomib"}, "refractory_to", "list"),
    ],
)
def test_invalid_inputs_name_the_field(data: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        patient_setting_from_dict(data)
    assert error.value.field == field
    assert text in error.value.message


def _recommendation(**changes: Any) -> dict[str, Any]:
    base = recommendation_to_dict(RECOMMENDATIONS[1])  # an approved indication, no grade
    return base | changes


def test_content_round_trips() -> None:
    for recommendation in RECOMMENDATIONS:
        again = recommendation_from_dict(recommendation_to_dict(recommendation))
        assert again == recommendation
        assert isinstance(again, Recommendation)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"grade": "[I, A]", "verification": "pending", "verification_note": "x"}, "grade"),
        ({"grade": "[II, B]", "basis": "label", "pivotal_trial": "X"}, "grade"),
        ({"basis": "label", "pivotal_trial": None}, "pivotal_trial"),
        ({"verification": "pending", "verification_note": None}, "verification_note"),
        ({"criteria": {"prior_lines": {"min": 2, "max": 1}}}, "criteria.prior_lines"),
        ({"criteria": {"age_over": 75}}, "criteria"),
        ({"criteria": {"requires_exposed": ["thalidomide"]}}, "criteria.requires_exposed.0"),
        ({"criteria": {"frailty": ["robust"]}}, "criteria.frailty"),
        ({"setting": "mgus"}, "setting"),
        ({"regimen": "vrd"}, "regimen"),
    ],
)
def test_invalid_content_is_refused_with_its_path(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(TreatmentContentError) as error:
        recommendation_from_dict(_recommendation(**changes), regimen_slugs=REGIMEN_SLUGS)
    assert error.value.path == path


def test_options_for_other_settings_are_ignored() -> None:
    result = _options({"setting": "smouldering_high_risk"})
    assert {o.recommendation.setting for o in result.options} == {Setting.SMOULDERING_HIGH_RISK}
