"""Treatment options (myeloma_core.treatment) against domain-reference §12, §17 #15, §20.

Expected values are written from the reference, not from the code: the seed's one-prior-line
example (§12.5) gives exactly DRd, DKd and Isa-Kd; only daratumumab in high-risk SMM carries a
grade ([I, A], §12.2); unknown inputs make options "possible" and are reported (G1). After ≥ 1
prior line the approved indications (EMA) apply with their own criteria (§12.5, §14.1 X2):
Isa-Kd, DKd and DRd after ≥ 1 prior line; DPd after 1 line including lenalidomide and a PI when
lenalidomide-refractory, or after ≥ 2 such lines; PVd after ≥ 1 line including lenalidomide;
Isa-Pd after ≥ 2 lines including lenalidomide and a PI. No option is offered for disease
refractory to one of its drugs (anti-CD38 antibodies as one class).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from myeloma_core.errors import InvalidInput
from myeloma_core.treatment import (
    NO_MATCH_NOTE,
    Match,
    Recommendation,
    TreatmentContentError,
    patient_setting_from_dict,
    treatment_options,
)
from myeloma_core.treatment_schema import (
    guideline_from_dict,
    recommendation_from_dict,
    recommendation_to_dict,
)
from myeloma_core.vocabulary import Basis, Setting, Verification

ROOT = Path(__file__).resolve().parents[2]
GUIDELINE_FILE = ROOT / "content" / "guidelines" / "eha-emn-2025.yaml"
REGIMEN_DRUGS = {
    data["slug"]: frozenset(component["drug"] for component in data["components"])
    for data in (
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in (ROOT / "content" / "regimens").glob("*.yaml")
    )
}
REGIMEN_SLUGS = frozenset(REGIMEN_DRUGS)
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
    return treatment_options(
        patient, RECOMMENDATIONS, regimen_drugs=REGIMEN_DRUGS, setting_notes=notes
    )


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
    # daratumumab counts as anti-CD38: exposure (not refractoriness) takes the seed example away;
    # the approved indications after ≥ 1 prior line remain (DRd, DKd, Isa-Kd).
    result = _options(SEED_EXAMPLE | {"exposed_to": ["bortezomib", "daratumumab"]})
    assert _slugs(result) == ["drd", "dkd", "isa-kd"]
    assert {o.recommendation.basis for o in result.options} == {Basis.LABEL}


def test_lenalidomide_exposure_excludes_the_seed_example() -> None:
    # Lenalidomide-exposed, bortezomib-refractory: the labels of DRd, DKd and Isa-Kd; PVd
    # contains bortezomib, DPd after one line needs lenalidomide-refractory disease.
    data = SEED_EXAMPLE | {"exposed_to": ["bortezomib", "lenalidomide"]}
    result = _options(data)
    assert _slugs(result) == ["drd", "dkd", "isa-kd"]
    assert {o.recommendation.basis for o in result.options} == {Basis.LABEL}
    excluded = {e.recommendation.regimen: e.reasons for e in result.excluded}
    assert excluded["pvd"] == ("refractory to bortezomib",)
    assert excluded["dpd"] == ("for disease refractory to lenalidomide",)


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
    """§12.6: Isa-Pd, EU indication (X2), pivotal trial ICARIA-MM — with the ≥ 1-line labels."""
    data = {
        "setting": "rrmm",
        "prior_lines": 2,
        "exposed_to": ["lenalidomide", "carfilzomib", "anti_cd38"],
        "refractory_to": [],
    }
    result = _options(data)
    assert _slugs(result) == ["drd", "dkd", "isa-kd", "dpd", "pvd", "isa-pd"]
    isa_pd = result.options[-1].recommendation
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
        Basis.LABEL,
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
    # One prior line with none of the listed drugs: the ≥ 1-prior-line labels, nothing unknown.
    result = _options({"setting": "rrmm", "prior_lines": 1, "exposed_to": [], "refractory_to": []})
    assert _slugs(result) == ["drd", "dkd", "isa-kd"]
    assert {o.match for o in result.options} == {Match.MATCHES}
    assert result.missing == ()


def test_refractory_implies_exposed() -> None:
    data = SEED_EXAMPLE | {"exposed_to": None}
    result = _options(data)
    # bortezomib exposure follows from refractoriness; lenalidomide/anti-CD38 exposure is unknown,
    # so the seed example is only possible — the labels of DRd, DKd and Isa-Kd match outright.
    assert _slugs(result)[:3] == ["drd", "dkd", "isa-kd"]
    assert result.options[0].match is Match.MATCHES
    assert result.options[0].recommendation.basis is Basis.LABEL
    # PVd: lenalidomide exposure unknown is no reason; bortezomib-refractory disease is.
    excluded = {e.recommendation.regimen: e.reasons for e in result.excluded}
    assert excluded["pvd"] == ("refractory to bortezomib",)


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
        ({"criteria": {"requires_exposed": ["thalidomide"]}}, "criteria.requires_exposed[0]"),
        ({"criteria": {"frailty": ["robust"]}}, "criteria.frailty[0]"),
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


# --------------------------------------------------------------------------------------------------
# Never an option for disease refractory to one of its drugs; what was left out, and why
# --------------------------------------------------------------------------------------------------

RRMM_SLUGS = ("drd", "dkd", "isa-kd", "dpd", "pvd", "isa-pd")


def _excluded(result: Any) -> dict[str | None, tuple[str, ...]]:
    return {e.recommendation.regimen: e.reasons for e in result.excluded}


def test_pomalidomide_refractory_gets_no_pomalidomide_regimen() -> None:
    # Issue: pomalidomide-refractory disease was offered DPd, PVd and Isa-Pd.
    data = {
        "setting": "rrmm",
        "prior_lines": 2,
        "exposed_to": ["lenalidomide", "bortezomib", "pomalidomide"],
        "refractory_to": ["pomalidomide"],
    }
    result = _options(data)
    assert _slugs(result) == ["drd", "dkd", "isa-kd"]
    assert _excluded(result) == {
        "dpd": ("refractory to pomalidomide",),
        "pvd": ("refractory to pomalidomide",),
        "isa-pd": ("refractory to pomalidomide",),
    }


def test_quadruple_refractory_gets_no_option_and_says_why() -> None:
    # Issue: lenalidomide + pomalidomide + bortezomib + anti-CD38 refractory was offered Isa-Pd.
    data = {
        "setting": "rrmm",
        "prior_lines": 3,
        "exposed_to": ["lenalidomide", "bortezomib", "pomalidomide", "anti_cd38"],
        "refractory_to": ["lenalidomide", "bortezomib", "pomalidomide", "anti_cd38"],
    }
    result = _options(data)
    assert result.options == ()
    assert NO_MATCH_NOTE in result.notes
    excluded = _excluded(result)
    assert set(excluded) == set(RRMM_SLUGS)
    assert excluded["isa-pd"] == (
        "refractory to an anti-CD38 antibody (isatuximab)",
        "refractory to pomalidomide",
    )
    assert excluded["dkd"] == ("refractory to an anti-CD38 antibody (daratumumab)",)
    assert excluded["pvd"] == ("refractory to bortezomib", "refractory to pomalidomide")


@pytest.mark.parametrize("antibody", ["daratumumab", "isatuximab", "anti_cd38"])
def test_anti_cd38_antibodies_count_as_one_class(antibody: str) -> None:
    # Refractory to either antibody excludes the regimens of both (daratumumab: DRd, DKd;
    # isatuximab: Isa-Kd); one bortezomib line, lenalidomide-naive → nothing else (PVd needs len).
    data = {
        "setting": "rrmm",
        "prior_lines": 1,
        "exposed_to": ["bortezomib", antibody],
        "refractory_to": [antibody],
    }
    result = _options(data)
    assert result.options == ()
    excluded = _excluded(result)
    assert excluded["drd"] == ("refractory to an anti-CD38 antibody (daratumumab)",)
    assert excluded["isa-kd"] == ("refractory to an anti-CD38 antibody (isatuximab)",)


def test_bortezomib_refractory_does_not_exclude_carfilzomib() -> None:
    """Drug level for PIs: the seed's §12.5 example offers DKd and Isa-Kd after bortezomib."""
    result = _options(SEED_EXAMPLE)
    assert "dkd" in _slugs(result) and "isa-kd" in _slugs(result)
    carfilzomib = _options(
        {
            "setting": "rrmm",
            "prior_lines": 1,
            "exposed_to": ["carfilzomib"],
            "refractory_to": ["carfilzomib"],
        }
    )
    assert _slugs(carfilzomib) == ["drd"]
    assert _excluded(carfilzomib)["dkd"] == ("refractory to carfilzomib",)


def test_a_recommendation_without_a_regimen_is_checked_by_its_drugs() -> None:
    # Daratumumab monotherapy has no regimen file; its drugs come from the content.
    dara = next(r for r in RECOMMENDATIONS if r.key == "daratumumab-smm")
    assert (dara.regimen, dara.drugs) == (None, ("daratumumab",))
    result = _options({"setting": "smouldering_high_risk", "refractory_to": ["isatuximab"]})
    assert result.options == ()
    assert _excluded(result) == {None: ("refractory to an anti-CD38 antibody (daratumumab)",)}


def test_untreated_settings_do_not_depend_on_an_unknown_history() -> None:
    # Newly diagnosed myeloma has had no therapy: the refractoriness rule never makes it "possible".
    result = _options({"setting": "ndmm", "transplant_eligible": True, "frailty": "fit"})
    assert {o.match for o in result.options} == {Match.MATCHES}
    assert result.missing == ()


def test_a_regimen_without_known_drugs_is_not_offered() -> None:
    patient = patient_setting_from_dict(SEED_EXAMPLE)
    drugs = {slug: d for slug, d in REGIMEN_DRUGS.items() if slug != "dkd"}
    result = treatment_options(patient, RECOMMENDATIONS, regimen_drugs=drugs)
    assert _slugs(result) == ["drd", "isa-kd"]
    assert _excluded(result)["dkd"] == (
        "the drugs of regimen dkd are not in the published regimen content, so refractoriness "
        "cannot be checked",
    )


def test_only_options_of_the_setting_that_fail_are_excluded() -> None:
    # Transplant-eligible NDMM: the transplant-ineligible options, with the reason; CEPHEUS has
    # its own regimen (d-vrd-cepheus), left out like the other transplant-ineligible ones.
    result = _options({"setting": "ndmm", "transplant_eligible": True})
    assert _slugs(result) == ["isa-vrd-gmmg-hd7", "d-vrd"]
    assert _excluded(result) == {
        "isa-vrd-imroz": ("for transplant-ineligible patients",),
        "d-vrd-cepheus": ("for transplant-ineligible patients",),
        "drd": ("for transplant-ineligible patients",),
        "isa-vrd-rest": ("for transplant-ineligible patients",),
    }
    assert {e.recommendation.setting for e in result.excluded} == {Setting.NDMM}


# Hand-computed from the EU indications (§12.5, §14.1 X2) and the seed example; the regimens'
# drugs: DRd = daratumumab + lenalidomide, DKd = daratumumab + carfilzomib, Isa-Kd = isatuximab +
# carfilzomib, DPd = daratumumab + pomalidomide, PVd = pomalidomide + bortezomib, Isa-Pd =
# isatuximab + pomalidomide (each with dexamethasone).
GRID = [
    # (prior lines, exposed to, refractory to, expected regimens)
    (1, ["bortezomib"], [], ["drd", "dkd", "isa-kd"]),  # the first relapse
    (1, ["bortezomib"], ["bortezomib"], ["drd", "dkd", "isa-kd"]),  # the seed example
    (1, ["lenalidomide", "bortezomib"], [], ["drd", "dkd", "isa-kd", "pvd"]),
    (1, ["lenalidomide", "bortezomib"], ["lenalidomide"], ["dkd", "isa-kd", "dpd", "pvd"]),
    (1, ["lenalidomide", "bortezomib"], ["lenalidomide", "bortezomib"], ["dkd", "isa-kd", "dpd"]),
    (1, ["lenalidomide", "bortezomib", "anti_cd38"], ["lenalidomide", "anti_cd38"], ["pvd"]),
    (1, ["lenalidomide"], ["lenalidomide"], ["dkd", "isa-kd", "pvd"]),
    (1, ["bortezomib", "anti_cd38"], ["anti_cd38"], []),
    (1, ["carfilzomib"], ["carfilzomib"], ["drd"]),
    (1, [], [], ["drd", "dkd", "isa-kd"]),
    (2, ["lenalidomide", "bortezomib"], [], ["drd", "dkd", "isa-kd", "dpd", "pvd", "isa-pd"]),
    (
        2,
        ["lenalidomide", "bortezomib"],
        ["lenalidomide"],
        ["dkd", "isa-kd", "dpd", "pvd", "isa-pd"],
    ),
    (2, ["lenalidomide", "bortezomib", "pomalidomide"], ["pomalidomide"], ["drd", "dkd", "isa-kd"]),
    (2, ["lenalidomide", "carfilzomib"], ["lenalidomide", "carfilzomib"], ["dpd", "pvd", "isa-pd"]),
    (2, ["bortezomib", "daratumumab"], ["daratumumab"], []),
    (2, ["bortezomib"], [], ["drd", "dkd", "isa-kd"]),
    (
        3,
        ["lenalidomide", "bortezomib", "carfilzomib", "anti_cd38"],
        ["lenalidomide", "anti_cd38"],
        ["pvd"],
    ),
    (
        3,
        ["lenalidomide", "bortezomib", "pomalidomide", "anti_cd38"],
        ["lenalidomide", "bortezomib", "pomalidomide", "anti_cd38"],
        [],
    ),
]


@pytest.mark.parametrize(("lines", "exposed", "refractory", "expected"), GRID)
def test_relapse_grid(
    lines: int, exposed: list[str], refractory: list[str], expected: list[str]
) -> None:
    data = {
        "setting": "rrmm",
        "prior_lines": lines,
        "exposed_to": exposed,
        "refractory_to": refractory,
    }
    result = _options(data)
    assert _slugs(result) == expected
    assert {o.match for o in result.options} <= {Match.MATCHES}
    seed = lines == 1 and exposed == ["bortezomib"] and refractory == ["bortezomib"]
    for option in result.options:
        recommendation = option.recommendation
        assert recommendation.basis is (Basis.GUIDELINE if seed else Basis.LABEL)
        assert recommendation.grade is None
        assert recommendation.pivotal_trial
        if recommendation.basis is Basis.LABEL:
            assert recommendation.verification is Verification.PENDING or recommendation.key == (
                "isa-pd-2-lines"
            )
    # Everything of the setting is either offered or listed as left out, with its reasons.
    assert set(_slugs(result)) | set(_excluded(result)) == set(RRMM_SLUGS)
    assert all(e.reasons for e in result.excluded)
    if not result.options:
        assert NO_MATCH_NOTE in result.notes


HISTORY = ["lenalidomide", "bortezomib", "carfilzomib", "pomalidomide", "anti_cd38", "bcma"]
CLASS_OF = {"daratumumab": "anti_cd38", "isatuximab": "anti_cd38"}


@settings(max_examples=300, deadline=None)
@given(
    lines=st.integers(min_value=1, max_value=6),
    refractory=st.sets(st.sampled_from(HISTORY)),
    exposed_only=st.sets(st.sampled_from(HISTORY)),
)
def test_no_option_contains_a_refractory_drug_and_none_is_left_unexplained(
    lines: int, refractory: set[str], exposed_only: set[str]
) -> None:
    data = {
        "setting": "rrmm",
        "prior_lines": lines,
        "exposed_to": sorted(refractory | exposed_only),
        "refractory_to": sorted(refractory),
    }
    result = _options(data)
    for option in (*result.options, *result.investigational):
        slug = option.recommendation.regimen
        drugs = REGIMEN_DRUGS[slug] if slug else frozenset(option.recommendation.drugs)
        assert not {CLASS_OF.get(drug, drug) for drug in drugs} & refractory, slug
    if not result.options:
        assert result.excluded and NO_MATCH_NOTE in result.notes
    assert all(e.reasons for e in result.excluded)
    assert set(_slugs(result)) | set(_excluded(result)) == set(RRMM_SLUGS)


# --------------------------------------------------------------------------------------------------
# Content validation: badges never claim more than is verified
# --------------------------------------------------------------------------------------------------


def test_only_verified_recommendations_are_labelled_guideline() -> None:
    for recommendation in RECOMMENDATIONS:
        if recommendation.basis is Basis.GUIDELINE:
            assert recommendation.verification is Verification.VERIFIED, recommendation.key
        if recommendation.grade is not None:
            assert recommendation.basis is Basis.GUIDELINE, recommendation.key
    guideline = sorted(r.key for r in RECOMMENDATIONS if r.basis is Basis.GUIDELINE)
    # §17 #15: daratumumab in high-risk SMM and the seed's one-prior-line example, nothing else.
    assert guideline == [
        "daratumumab-smm",
        "dkd-after-1-line",
        "drd-after-1-line",
        "isa-kd-after-1-line",
    ]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"basis": "guideline", "verification": "pending", "verification_note": "x"}, "basis"),
        ({"basis": "guideline", "verification": "pending", "grade": "[I, A]"}, "basis"),
        ({"regimen": None}, "drugs"),
        ({"regimen": None, "drugs": []}, "drugs"),
        ({"regimen": None, "drugs": ["Daratumumab SC"]}, "drugs[0]"),
        ({"regimen": None, "drugs": ["daratumumab", "daratumumab"]}, "drugs"),
        ({"drugs": ["daratumumab"]}, "drugs"),
    ],
)
def test_unverified_guideline_badge_and_unknown_drugs_are_refused(
    changes: dict[str, Any], path: str
) -> None:
    with pytest.raises(TreatmentContentError) as error:
        recommendation_from_dict(_recommendation(**changes), regimen_slugs=REGIMEN_SLUGS)
    assert error.value.path == path


def test_bcma_directed_therapy_counts_as_one_class() -> None:
    # The history records BCMA-directed therapy only as a class (§12.6): any BCMA drug counts.
    teclistamab = recommendation_from_dict(
        _recommendation(
            key="teclistamab-test",
            regimen=None,
            drugs=["teclistamab"],
            setting="rrmm",
            criteria={"prior_lines": {"min": 3}},
        )
    )
    refractory = patient_setting_from_dict(
        {"setting": "rrmm", "prior_lines": 4, "refractory_to": ["bcma"], "exposed_to": ["bcma"]}
    )
    result = treatment_options(refractory, [teclistamab], regimen_drugs={})
    assert result.options == ()
    assert _excluded(result) == {None: ("refractory to a BCMA-directed therapy (teclistamab)",)}
    naive = patient_setting_from_dict(
        {"setting": "rrmm", "prior_lines": 4, "refractory_to": [], "exposed_to": []}
    )
    assert [
        o.recommendation.key
        for o in treatment_options(naive, [teclistamab], regimen_drugs={}).options
    ] == ["teclistamab-test"]
