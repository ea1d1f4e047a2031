"""Toxicity grading and the decision before each dose — domain-reference §22 (T1–T10), §13–§14.

Every expected value is derived by hand in the comment next to it from the source's table
(CTCAE v5.0 via T2, ASTCT 2019 via §13.2–§13.3, KVA via §13.4, SARCLISA via T4–T6), never
copied from the program's output.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import InfusionStep, Verification
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.toxicity_counts import Term, count
from myeloma_core.toxicity_decision import (
    InfusionReaction,
    infusion_reaction,
    infusion_timeline,
    isatuximab_decision,
    partner_decision,
)
from myeloma_core.toxicity_grading import (
    Grade,
    grade_count,
    grade_febrile_neutropenia,
    grade_labs,
    infusion_reaction_grade,
    temperature,
)
from myeloma_core.toxicity_scales import (
    CornealExam,
    Hypotension,
    Hypoxia,
    grade_crs,
    grade_icans,
    grade_kva,
    hypotension_from_vasopressors,
)
from myeloma_core.toxicity_tables import (
    Action,
    CtcaeTable,
    ToxicityContentError,
    ctcae_table_from_dict,
    ctcae_tables,
    default_version,
    isatuximab_rules_from_dict,
    partner_drug_rules_from_dict,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _yaml(name: str) -> Any:
    with (CONTENT / "toxicity" / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


V5 = ctcae_table_from_dict(_yaml("ctcae-5.0.yaml"))
V6 = ctcae_table_from_dict(_yaml("ctcae-6.0.yaml"))
ISA = isatuximab_rules_from_dict(_yaml("isatuximab-actions.yaml"))
PARTNERS = partner_drug_rules_from_dict(_yaml("partner-drugs.yaml"))


def _grade(table: CtcaeTable, term: str, value: float, unit: str, lln: Any = None) -> Grade:
    lower = None if lln is None else count(term, lln[0], lln[1])
    return grade_count(table, count(term, value, unit), lower_limit=lower)


# --------------------------------------------------------------------------------------------------
# T1/T3: versions
# --------------------------------------------------------------------------------------------------


def test_v5_is_the_default_and_v6_is_offered_pending() -> None:
    tables = ctcae_tables([V5, V6])
    assert default_version(tables) == "5.0"
    assert V5.governance.verification is Verification.VERIFIED
    assert V6.governance.verification is Verification.PENDING
    assert _grade(V6, "neutrophils", 0.8, "10^9/L").verification is Verification.PENDING


def test_a_pending_version_can_never_be_the_default() -> None:
    data = _yaml("ctcae-6.0.yaml") | {"default": True}
    with pytest.raises(ToxicityContentError, match="never the default"):
        ctcae_table_from_dict(data)


def test_two_defaults_are_refused() -> None:
    second = ctcae_table_from_dict(_yaml("ctcae-5.0.yaml") | {"ctcae_version": "5.1"})
    with pytest.raises(ToxicityContentError, match="exactly one"):
        ctcae_tables([V5, second])


def test_every_grade_carries_its_version() -> None:
    grading = grade_labs(
        V5,
        counts={
            Term.NEUTROPHILS: count("neutrophils", 0.8, "10^9/L"),
            Term.PLATELETS: count("platelets", 60, "10^9/L"),
        },
        temperature_celsius=Decimal("38.5"),
    )
    assert grading.ctcae_version == "5.0"
    assert {g.ctcae_version for g in grading.grades} == {"5.0"}
    # Only the values sent are graded: no haemoglobin.
    assert [g.key for g in grading.grades] == ["neutrophils", "platelets", "febrile_neutropenia"]


# --------------------------------------------------------------------------------------------------
# T2: every v5.0 boundary, in both units (LLN given)
# --------------------------------------------------------------------------------------------------

# Neutrophils, LLN 1.8 ×10⁹/L = 1800 /µL: G4 < 0.5, G3 < 1.0, G2 < 1.5, G1 < LLN.
NEUTROPHIL_CASES = [
    (0.49, 4),
    (0.5, 3),
    (0.99, 3),
    (1.0, 2),
    (1.49, 2),
    (1.5, 1),
    (1.79, 1),
    (1.8, 0),
    (0, 4),
]


@pytest.mark.parametrize(("value", "expected"), NEUTROPHIL_CASES)
def test_neutrophil_boundaries_in_10_9_per_litre(value: float, expected: int) -> None:
    assert _grade(V5, "neutrophils", value, "10^9/L", (1.8, "10^9/L")).grade == expected


@pytest.mark.parametrize(("value", "expected"), NEUTROPHIL_CASES)
def test_neutrophil_boundaries_per_microlitre(value: float, expected: int) -> None:
    # ×10⁹/L × 1000 = /µL (U8); the LLN may be in the other unit.
    per_ul = round(value * 1000)
    assert _grade(V5, "neutrophils", per_ul, "/uL", (1.8, "10^9/L")).grade == expected
    assert _grade(V5, "neutrophils", per_ul, "/µL", (1800, "/uL")).grade == expected


# Platelets, LLN 150 ×10⁹/L: G4 < 25, G3 < 50, G2 < 75, G1 < LLN.
PLATELET_CASES = [
    (24, 4),
    (25, 3),
    (49, 3),
    (50, 2),
    (74, 2),
    (75, 1),
    (149, 1),
    (150, 0),
    (24.9, 4),
]


@pytest.mark.parametrize(("value", "expected"), PLATELET_CASES)
def test_platelet_boundaries_in_10_9_per_litre(value: float, expected: int) -> None:
    assert _grade(V5, "platelets", value, "10^9/L", (150, "10^9/L")).grade == expected


@pytest.mark.parametrize(("value", "expected"), PLATELET_CASES)
def test_platelet_boundaries_per_microlitre(value: float, expected: int) -> None:
    per_ul = round(value * 1000)
    assert _grade(V5, "platelets", per_ul, "/uL", (150000, "/uL")).grade == expected


# Anaemia, LLN 120 g/L: G3 < 80, G2 < 100, G1 < LLN (no laboratory grade 4 in T2).
# g/dL = g/L ÷ 10; mmol/L = g/dL × 0.6206 (U5): 80 g/L = 4.9648, 100 g/L = 6.206,
# 120 g/L = 7.4472 mmol/L.
HAEMOGLOBIN_CASES = [
    ((79, 7.9, 4.9647), 3),
    ((80, 8.0, 4.9648), 2),
    ((99, 9.99, 6.2059), 2),
    ((100, 10.0, 6.206), 1),
    ((119, 11.99, 7.4471), 1),
    ((120, 12.0, 7.4472), 0),
]


@pytest.mark.parametrize(("values", "expected"), HAEMOGLOBIN_CASES)
def test_haemoglobin_boundaries_in_every_unit(values: tuple[float, ...], expected: int) -> None:
    g_l, g_dl, mmol_l = values
    assert _grade(V5, "haemoglobin", g_l, "g/L", (120, "g/L")).grade == expected
    assert _grade(V5, "haemoglobin", g_dl, "g/dL", (12, "g/dL")).grade == expected
    assert _grade(V5, "haemoglobin", mmol_l, "mmol/L", (7.4472, "mmol/L")).grade == expected


# --------------------------------------------------------------------------------------------------
# G1: the LLN missing gives a range, never "normal"
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "value", "unit"),
    [
        ("neutrophils", 1.5, "10^9/L"),
        ("neutrophils", 6.0, "10^9/L"),
        ("platelets", 75, "10^9/L"),
        ("platelets", 75000, "/uL"),
        ("haemoglobin", 100, "g/L"),
        ("haemoglobin", 14, "g/dL"),
    ],
)
def test_above_the_grade_2_threshold_without_lln_is_grade_0_to_1(
    term: str, value: float, unit: str
) -> None:
    grade = _grade(V5, term, value, unit)
    assert grade.grade is None
    assert grade.possible_grades == (0, 1)
    assert grade.missing == (f"lower_limits.{term}",)
    assert "LLN missing" in grade.reasons[0]


def test_below_the_grade_2_threshold_needs_no_lln() -> None:
    # 1.49 < 1.5 → grade 2 whatever the LLN.
    assert _grade(V5, "neutrophils", 1.49, "10^9/L").grade == 2


# --------------------------------------------------------------------------------------------------
# T3: v6.0 (pending) neutrophils one step down; haemoglobin not in the extract
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.5, 0), (1.49, 1), (1.0, 1), (0.99, 2), (0.5, 2), (0.49, 3), (0.1, 3), (0.09, 4)],
)
def test_v6_neutrophil_grades(value: float, expected: int) -> None:
    assert _grade(V6, "neutrophils", value, "10^9/L").grade == expected


def test_v6_haemoglobin_is_not_assessable() -> None:
    grade = _grade(V6, "haemoglobin", 90, "g/L", (120, "g/L"))
    assert grade.grade is None
    assert grade.possible_grades == ()
    assert "Not assessable" in grade.reasons[0]


# --------------------------------------------------------------------------------------------------
# Units and impossible values
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "value", "unit", "fragment"),
    [
        ("neutrophils", -0.1, "10^9/L", "from 0 to 100"),
        ("neutrophils", 1500, "10^9/L", "Was it entered in /µL? 1500 /µL is 1.5"),
        ("neutrophils", 1.5, "g/L", "got the unit 'g/L'"),
        ("platelets", True, "10^9/L", "must be a number"),
        ("platelets", float("nan"), "10^9/L", "finite"),
        ("haemoglobin", 0, "g/L", "0 g/L is not possible for haemoglobin"),
        ("haemoglobin", 300, "g/L", "Haemoglobin must be from 20 to 250 g/L"),
    ],
)
def test_impossible_values_name_the_field_and_range(
    term: str, value: Any, unit: str, fragment: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        count(term, value, unit)
    assert error.value.field == term
    assert fragment in error.value.message


def test_temperature_in_fahrenheit_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"Was it in °F\? 101 °F is 38.3 °C"):
        temperature(101)


# --------------------------------------------------------------------------------------------------
# T2: febrile neutropenia
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anc", "temp", "sustained", "expected", "possible"),
    [
        (0.99, "38.4", None, 3, (3,)),  # single temperature > 38.3
        (0.99, "38.3", None, None, (0, 3)),  # not > 38.3: needs to know if sustained
        (0.99, "38.3", True, 3, (3,)),  # ≥ 38.0 sustained > 1 h
        (0.99, "38.0", True, 3, (3,)),
        (0.99, "38.0", False, 0, (0,)),
        (0.99, "37.9", True, 0, (0,)),  # below 38.0: no fever
        (1.0, "39.5", None, 0, (0,)),  # ANC not < 1.0
        (None, "39.5", None, None, (0, 3)),  # count missing
    ],
)
def test_febrile_neutropenia(
    anc: float | None, temp: str, sustained: bool | None, expected: Any, possible: Any
) -> None:
    grade = grade_febrile_neutropenia(
        V5,
        neutrophils=None if anc is None else count("neutrophils", anc, "10^9/L"),
        temperature_celsius=Decimal(temp),
        fever_sustained_over_one_hour=sustained,
    )
    assert grade.grade == expected
    assert grade.possible_grades == possible


def test_infusion_reaction_grade_definitions() -> None:
    # T2: G1 no interruption; G2 interruption, prompt response; G3 prolonged/hospital; G4 life.
    kwargs = {"hospitalisation": False, "life_threatening": False}
    assert (
        infusion_reaction_grade(interruption_indicated=False, prompt_response=True, **kwargs) == 1
    )
    assert infusion_reaction_grade(interruption_indicated=True, prompt_response=True, **kwargs) == 2
    assert (
        infusion_reaction_grade(interruption_indicated=True, prompt_response=False, **kwargs) == 3
    )
    assert (
        infusion_reaction_grade(
            interruption_indicated=True,
            prompt_response=True,
            hospitalisation=True,
            life_threatening=False,
        )
        == 3
    )
    assert (
        infusion_reaction_grade(
            interruption_indicated=True,
            prompt_response=True,
            hospitalisation=False,
            life_threatening=True,
        )
        == 4
    )


# --------------------------------------------------------------------------------------------------
# T8: ASTCT CRS
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temp", "masked", "hypotension", "hypoxia", "expected"),
    [
        ("38.9", False, "none", "none", 1),  # fever alone
        ("38.0", False, "no_vasopressor", "none", 2),  # 38.0 counts as fever (≥ 38)
        ("38.5", False, "none", "low_flow", 2),
        ("39.0", False, "one_vasopressor", "low_flow", 3),  # §13.2 example: the more severe
        ("39.0", False, "none", "high_flow", 3),
        ("39.0", False, "multiple_vasopressors", "low_flow", 4),
        ("39.0", False, "no_vasopressor", "positive_pressure", 4),
        ("37.9", False, "one_vasopressor", "high_flow", 0),  # no fever, not masked: no CRS
        ("36.8", True, "one_vasopressor", "none", 3),  # masked: hypotension decides
        ("36.8", True, "none", "positive_pressure", 4),
    ],
)
def test_crs_grades(temp: str, masked: bool, hypotension: str, hypoxia: str, expected: int) -> None:
    result = grade_crs(
        temperature_celsius=Decimal(temp),
        fever_masked_by_treatment=masked,
        hypotension=Hypotension(hypotension),
        hypoxia=Hypoxia(hypoxia),
    )
    assert result.grade == expected


def test_crs_masked_fever_without_organ_signs_is_a_range() -> None:
    result = grade_crs(
        temperature_celsius=Decimal("37.0"),
        fever_masked_by_treatment=True,
        hypotension=Hypotension.NONE,
        hypoxia=Hypoxia.NONE,
    )
    assert result.grade is None
    assert result.possible_grades == (0, 1)


def test_crs_without_temperature_is_not_assessable() -> None:
    result = grade_crs(
        temperature_celsius=None,
        fever_masked_by_treatment=False,
        hypotension=Hypotension.NO_VASOPRESSOR,
        hypoxia=Hypoxia.NONE,
    )
    assert result.grade is None
    assert result.possible_grades == (0, 2)
    assert result.missing == ("temperature_celsius",)


@pytest.mark.parametrize(
    ("vasopressors", "expected"),
    [
        (["norepinephrine", "vasopressin"], Hypotension.ONE_VASOPRESSOR),  # ± vasopressin
        (["vasopressin"], Hypotension.ONE_VASOPRESSOR),
        (["norepinephrine", "phenylephrine"], Hypotension.MULTIPLE_VASOPRESSORS),
        (["norepinephrine", "phenylephrine", "vasopressin"], Hypotension.MULTIPLE_VASOPRESSORS),
    ],
)
def test_vasopressin_does_not_count_towards_multiple(
    vasopressors: list[str], expected: Hypotension
) -> None:
    assert hypotension_from_vasopressors(vasopressors) is expected


# --------------------------------------------------------------------------------------------------
# T9: ICANS with the ICE score
# --------------------------------------------------------------------------------------------------

NORMAL_DOMAINS = {
    "consciousness": "normal",
    "seizure": "none",
    "motor_weakness": "none",
    "cerebral_oedema": "none",
}
FULL_ICE = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}


@pytest.mark.parametrize(
    ("ice", "expected_score", "expected_grade"),
    [
        (FULL_ICE, 10, 0),
        (FULL_ICE | {"writing": 0}, 9, 1),  # api-v1 example
        (FULL_ICE | {"naming": 0}, 7, 1),
        (FULL_ICE | {"naming": 0, "writing": 0}, 6, 2),
        ({"orientation": 1, "naming": 1, "commands": 1, "writing": 0, "attention": 0}, 3, 2),
        ({"orientation": 1, "naming": 1, "commands": 0, "writing": 0, "attention": 0}, 2, 3),
        ({"orientation": 0, "naming": 0, "commands": 0, "writing": 0, "attention": 0}, 0, 3),
    ],
)
def test_ice_score_domain(ice: dict[str, int], expected_score: int, expected_grade: int) -> None:
    score, result = grade_icans(ice=ice, unable_to_perform_ice=False, domains=NORMAL_DOMAINS)
    assert score == expected_score
    assert result.grade == expected_grade


@pytest.mark.parametrize(
    ("domain", "value", "expected"),
    [
        ("consciousness", "awakens_spontaneously", 1),
        ("consciousness", "awakens_to_voice", 2),
        ("consciousness", "awakens_to_touch", 3),
        ("seizure", "rapidly_resolving", 3),
        ("seizure", "prolonged", 4),
        ("motor_weakness", "focal", 4),
        ("cerebral_oedema", "focal", 3),
        ("cerebral_oedema", "diffuse", 4),
    ],
)
def test_icans_worst_domain(domain: str, value: str, expected: int) -> None:
    _, result = grade_icans(
        ice=FULL_ICE, unable_to_perform_ice=False, domains=NORMAL_DOMAINS | {domain: value}
    )
    assert result.grade == expected


def test_ice_zero_awake_is_grade_3_unarousable_is_grade_4() -> None:
    _, awake = grade_icans(
        ice=None,
        unable_to_perform_ice=True,
        domains=NORMAL_DOMAINS | {"consciousness": "awakens_to_voice"},
    )
    assert awake.grade == 3
    _, unarousable = grade_icans(
        ice=None,
        unable_to_perform_ice=True,
        domains=NORMAL_DOMAINS | {"consciousness": "unarousable"},
    )
    assert unarousable.grade == 4


def test_icans_missing_ice_is_a_range() -> None:
    _, result = grade_icans(ice=None, unable_to_perform_ice=False, domains=NORMAL_DOMAINS)
    assert result.grade is None
    assert result.possible_grades == (0, 1, 2, 3)
    assert result.missing == ("ice",)


@pytest.mark.parametrize(
    ("ice", "field"),
    [
        (FULL_ICE | {"orientation": 5}, "ice.orientation"),
        (FULL_ICE | {"naming": -1}, "ice.naming"),
        (FULL_ICE | {"commands": True}, "ice.commands"),
        (FULL_ICE | {"spelling": 1}, "ice.spelling"),
    ],
)
def test_impossible_ice_items(ice: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        grade_icans(ice=ice, unable_to_perform_ice=False, domains=NORMAL_DOMAINS)
    assert error.value.field == field


def test_ice_items_and_unable_to_perform_contradict() -> None:
    with pytest.raises(InvalidInput) as error:
        grade_icans(ice=FULL_ICE, unable_to_perform_ice=True, domains=NORMAL_DOMAINS)
    assert error.value.field == "unable_to_perform_ice"


# --------------------------------------------------------------------------------------------------
# T10: KVA
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cornea", "lines", "worse_than_20_200", "expected"),
    [
        ("normal", 0, False, 0),
        ("mild_superficial", 0, False, 1),
        ("normal", 1, False, 1),
        ("mild_superficial", 2, False, 2),  # the worse of the two
        ("normal", 3, False, 2),
        ("moderate_superficial", 1, False, 2),
        ("normal", 4, False, 3),  # decline > 3 lines
        ("severe_superficial", 0, False, 3),
        ("normal", 0, True, 4),
        ("epithelial_defect", 0, False, 4),
    ],
)
def test_kva_grades(cornea: str, lines: int, worse_than_20_200: bool, expected: int) -> None:
    result, action = grade_kva(
        corneal_exam=CornealExam(cornea),
        bcva_lines_decline=lines,
        snellen_worse_than_20_200=worse_than_20_200,
    )
    assert result.grade == expected
    assert action


def test_kva_actions_follow_the_label_table() -> None:
    _, grade_2 = grade_kva(
        corneal_exam=CornealExam.MODERATE_SUPERFICIAL,
        bcva_lines_decline=0,
        snellen_worse_than_20_200=False,
    )
    assert grade_2.startswith("Withhold until")
    _, grade_4 = grade_kva(
        corneal_exam=CornealExam.EPITHELIAL_DEFECT,
        bcva_lines_decline=0,
        snellen_worse_than_20_200=False,
    )
    assert "permanent discontinuation" in grade_4


@pytest.mark.parametrize("lines", [-1, 21, 2.5, True])
def test_kva_impossible_line_counts(lines: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        grade_kva(
            corneal_exam=CornealExam.NORMAL,
            bcva_lines_decline=lines,
            snellen_worse_than_20_200=False,
        )
    assert error.value.field == "bcva_lines_decline"


# --------------------------------------------------------------------------------------------------
# T4/T5: the isatuximab decision table, exhaustively
# --------------------------------------------------------------------------------------------------


def _neutrophil_grade(case: Any) -> Grade | None:
    if case == "missing":
        return None
    if case == "0-1":
        return Grade(
            key="neutrophils",
            term="Neutrophil count decreased",
            ctcae_version="5.0",
            grade=None,
            possible_grades=(0, 1),
            reasons=("LLN missing",),
        )
    return Grade(
        key="neutrophils",
        term="Neutrophil count decreased",
        ctcae_version="5.0",
        grade=case,
        possible_grades=(case,),
        reasons=("given",),
    )


NEUTROPHIL_STATES = [0, 1, 2, 3, 4, "0-1", "missing"]
FLAGS = [True, False, None]
REACTIONS: list[InfusionReaction | None] = [
    None,
    InfusionReaction(grade=1, improved_to_grade_1_or_less=True, hospitalisation=False),
    *[
        InfusionReaction(grade=2, improved_to_grade_1_or_less=improved, hospitalisation=hospital)
        for improved, hospital in itertools.product(FLAGS, FLAGS)
    ],
    InfusionReaction(grade=3, improved_to_grade_1_or_less=True, hospitalisation=False),
    InfusionReaction(grade=4, improved_to_grade_1_or_less=True, hospitalisation=False),
]


def _expected(neutrophils: Any, fn: Any, infection: Any, reaction: Any) -> Action:
    """The rule written out from T4/T5 in the order the SmPC gives it."""
    if reaction is not None and (
        reaction.grade >= 3
        or (
            reaction.grade == 2
            and (reaction.hospitalisation is True or reaction.improved_to_grade_1_or_less is False)
        )
    ):
        return Action.DISCONTINUE  # T5: not improved, hospitalisation, life-threatening
    if (neutrophils in (3, 4)) or fn is True or infection is True:
        return Action.DELAY  # T4: grade 3–4, febrile neutropenia, neutropenic infection
    unknown_reaction = (
        reaction is not None
        and reaction.grade == 2
        and (reaction.hospitalisation is None or reaction.improved_to_grade_1_or_less is None)
    )
    if neutrophils == "missing" or fn is None or infection is None or unknown_reaction:
        return Action.REVIEW  # unknown is never normal
    return Action.GIVE


@pytest.mark.parametrize(
    ("neutrophils", "fn", "infection", "reaction"),
    list(itertools.product(NEUTROPHIL_STATES, FLAGS, FLAGS, REACTIONS)),
)
def test_isatuximab_decision_table(
    neutrophils: Any, fn: Any, infection: Any, reaction: InfusionReaction | None
) -> None:
    decision = isatuximab_decision(
        ISA,
        neutrophils=_neutrophil_grade(neutrophils),
        febrile_neutropenia=fn,
        neutropenic_infection=infection,
        reaction=reaction,
    )
    assert decision.action is _expected(neutrophils, fn, infection, reaction)
    assert decision.dose_reduction is False  # X7: never
    assert any("No dose reduction" in reason for reason in decision.reasons)
    assert decision.drug == "isatuximab"
    assert "SARCLISA" in decision.source


def test_delay_names_the_recovery_value_as_pending() -> None:
    decision = isatuximab_decision(
        ISA,
        neutrophils=_neutrophil_grade(3),
        febrile_neutropenia=False,
        neutropenic_infection=False,
        reaction=None,
    )
    assert decision.action is Action.DELAY
    assert any("ANC ≥ 1 ×10⁹/L" in r and "pending verification" in r for r in decision.reasons)


def test_isatuximab_content_can_never_allow_a_dose_reduction() -> None:
    with pytest.raises(ToxicityContentError, match="never dose-reduced"):
        isatuximab_rules_from_dict(_yaml("isatuximab-actions.yaml") | {"dose_reduction": True})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"grade": 5}, "infusion_reaction.grade"),
        ({"grade": 0}, "infusion_reaction.grade"),
        ({"grade": 2, "hospitalisation": "no"}, "infusion_reaction.hospitalisation"),
    ],
)
def test_impossible_infusion_reactions(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        infusion_reaction(data)
    assert error.value.field == field


# --------------------------------------------------------------------------------------------------
# T7: partner drugs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "drug", ["bortezomib", "lenalidomide", "pomalidomide", "carfilzomib", "dexamethasone"]
)
def test_pending_partner_rules_are_review_never_a_number(drug: str) -> None:
    grades = {"platelets": _grade(V5, "platelets", 20, "10^9/L")}
    decision = partner_decision(drug, PARTNERS, grades)
    assert decision.action is Action.REVIEW
    assert decision.dose_reduction is None
    assert decision.verification is Verification.PENDING


def test_an_unknown_partner_drug_is_review() -> None:
    assert partner_decision("daratumumab", PARTNERS, {}).action is Action.REVIEW


VERIFIED_HOLD: dict[str, Any] = {
    "kind": "partner_drug_rules",
    "drugs": [
        {
            "drug": "examplinib",
            "dose_levels": {
                "values": ["10 mg", "5 mg"],
                "source": "label",
                "verification": "verified",
            },
            "holds": [
                {"term": "platelets", "grade_at_least": 3, "action": "delay", "text": "hold"}
            ],
            "verification": "verified",
            "source": "Example label §4.2",
            "verification_note": "",
            "author": "a",
            "checker": "b",
        }
    ],
}


@pytest.mark.parametrize(
    ("platelets", "expected"),
    [(49, Action.DELAY), (50, Action.GIVE), (None, Action.REVIEW)],
)
def test_a_verified_hold_rule_decides(platelets: float | None, expected: Action) -> None:
    rules = partner_drug_rules_from_dict(VERIFIED_HOLD)
    grades = (
        {} if platelets is None else {"platelets": _grade(V5, "platelets", platelets, "10^9/L")}
    )
    assert partner_decision("examplinib", rules, grades).action is expected


def test_holds_without_a_verified_source_are_refused() -> None:
    data = {
        "kind": "partner_drug_rules",
        "drugs": [VERIFIED_HOLD["drugs"][0] | {"verification": "pending"}],
    }
    with pytest.raises(ToxicityContentError, match="verified label source"):
        partner_drug_rules_from_dict(data)


# --------------------------------------------------------------------------------------------------
# T6: infusion rates — totals from the steps
# --------------------------------------------------------------------------------------------------

# T6 written out: (rate mL/h, minutes; None = until the bag is empty).
FIRST = [(25, 60), (50, 30), (75, 30), (100, 30), (125, 30), (150, None)]
SECOND = [(50, 30), (100, 30), (200, None)]
LATER = [(200, None)]


def _steps(rows: list[tuple[float, float | None]]) -> list[InfusionStep]:
    return [InfusionStep(rate_ml_h=rate, minutes=minutes) for rate, minutes in rows]


@pytest.mark.parametrize(
    ("rows", "total", "starts"),
    [
        # 25 + 25 + 37.5 + 50 + 62.5 = 200 mL in 180 min; 50 mL at 150 mL/h = 20 min → 200.
        (FIRST, 200.0, [0, 60, 90, 120, 150, 180]),
        # 25 + 50 = 75 mL in 60 min; 175 mL at 200 mL/h = 52.5 min → 112.5.
        (SECOND, 112.5, [0, 30, 60]),
        # 250 mL at 200 mL/h = 75 min.
        (LATER, 75.0, [0]),
    ],
)
def test_infusion_totals_from_the_steps(
    rows: list[tuple[float, float | None]], total: float, starts: list[float]
) -> None:
    timeline = infusion_timeline(_steps(rows), volume_ml=250)
    assert timeline.total_minutes == pytest.approx(total)
    assert [s.from_minute for s in timeline.steps] == starts
    assert [s.rate_ml_h for s in timeline.steps] == [rate for rate, _ in rows]


@pytest.mark.parametrize(
    ("rows", "total"),
    [
        # 12.5 mL/h × 30 min = 6.25 mL; then the table: 200 mL in 180 min → 206.25 mL at
        # 210 min; 43.75 mL at 150 mL/h = 17.5 min → 227.5.
        (FIRST, 227.5),
        # 25 mL/h × 30 = 12.5 mL; + 25 + 50 = 87.5 mL at 90 min; 162.5 mL at 200 = 48.75 → 138.75.
        (SECOND, 138.75),
        # 100 mL/h × 30 = 50 mL; 200 mL at 200 mL/h = 60 min → 90.
        (LATER, 90.0),
    ],
)
def test_half_initial_rate_after_a_grade_2_reaction(
    rows: list[tuple[float, float | None]], total: float
) -> None:
    timeline = infusion_timeline(_steps(rows), volume_ml=250, half_rate_minutes=30)
    assert timeline.steps[0].rate_ml_h == rows[0][0] / 2
    assert timeline.steps[1].from_minute == 30
    assert timeline.total_minutes == pytest.approx(total)
    assert ISA.half_rate_minutes == 30


@pytest.mark.parametrize("slug", ["isa-kd", "isa-pd"])
def test_shipped_regimen_steps_give_the_verified_totals(slug: str) -> None:
    with (CONTENT / "regimens" / f"{slug}.yaml").open(encoding="utf-8") as handle:
        spec = regimen_spec_from_dict(yaml.safe_load(handle))
    component = next(c for c in spec.components if c.drug == "isatuximab")
    plan = component.infusion
    assert plan is not None
    totals = [
        infusion_timeline(plan.for_infusion(n).steps, volume_ml=plan.volume_ml).total_minutes
        for n in (1, 2, 3, 12)
    ]
    assert totals == pytest.approx([200.0, 112.5, 75.0, 75.0])
