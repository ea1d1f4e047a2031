"""What the clinician reads about toxicity, pinned word for word — domain-reference §22, §13–§14.

Each expected sentence is written from the rule (CTCAE v5.0 thresholds in content/toxicity/, the
ASTCT 2019 scales, the KVA scale, the SARCLISA actions) and the values typed in the test; the
texts that come from the governed content are taken from the content record, never from the
program's output. An inverted verdict, a wrong operator or threshold, or a dropped "not
assessable" fails here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import InfusionStep, Verification
from myeloma_core.toxicity_counts import Term, count
from myeloma_core.toxicity_decision import (
    InfusionTimeline,
    TimedStep,
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
    grade_text,
    temperature,
)
from myeloma_core.toxicity_scales import (
    KVA_ACTIONS,
    CornealExam,
    Hypotension,
    Hypoxia,
    grade_crs,
    grade_icans,
    grade_kva,
)
from myeloma_core.toxicity_tables import (
    Action,
    ctcae_table_from_dict,
    isatuximab_rules_from_dict,
    partner_drug_rules_from_dict,
)

CONTENT = Path(__file__).resolve().parents[2] / "content" / "toxicity"


def _yaml(name: str) -> Any:
    with (CONTENT / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


V5 = ctcae_table_from_dict(_yaml("ctcae-5.0.yaml"))
ISA = isatuximab_rules_from_dict(_yaml("isatuximab-actions.yaml"))
PARTNERS = partner_drug_rules_from_dict(_yaml("partner-drugs.yaml"))
FN_RULE = (
    "a single temperature above 38.3 °C or at least 38.0 °C sustained over 60 min"  # CTCAE v5.0
)


def neutrophils(value: float, unit: str = "10^9/L", lln: float | None = None) -> Grade:
    lower = None if lln is None else count("neutrophils", lln, "10^9/L")
    return grade_count(V5, count("neutrophils", value, unit), lower_limit=lower)


# --- CTCAE laboratory grades (T1–T3; v5.0: ANC < 1.5 G2, < 1.0 G3, < 0.5 G4; Hb < 100 G2) ------


@pytest.mark.parametrize(
    ("term", "value", "unit", "lln", "grade", "reason"),
    [
        (
            "neutrophils",
            0.8,
            "10^9/L",
            None,
            3,
            "Neutrophil count decreased: 0.8 ×10⁹/L is below 1 ×10⁹/L → grade 3 (CTCAE v5.0).",
        ),
        (
            "neutrophils",
            800,
            "/uL",
            None,
            3,
            "Neutrophil count decreased: 800 /µL (0.8 ×10⁹/L) is below 1 ×10⁹/L → grade 3 "
            "(CTCAE v5.0).",
        ),
        (
            "neutrophils",
            1.6,
            "10^9/L",
            2,
            1,
            "Neutrophil count decreased: 1.6 ×10⁹/L is below the lower limit of normal 2 ×10⁹/L "
            "and not below 1.5 ×10⁹/L → grade 1 (CTCAE v5.0).",
        ),
        (
            "neutrophils",
            2,
            "10^9/L",
            2,
            0,
            "Neutrophil count decreased: 2 ×10⁹/L is at or above the lower limit of normal "
            "2 ×10⁹/L and not below 1.5 ×10⁹/L → grade 0 (CTCAE v5.0).",
        ),
        (
            "haemoglobin",
            95,
            "g/L",
            None,
            2,
            "Anemia: 95 g/L is below 100 g/L → grade 2 (CTCAE v5.0).",
        ),
    ],
)
def test_ctcae_grades(
    term: str, value: float, unit: str, lln: float | None, grade: int, reason: str
) -> None:
    lower = None if lln is None else count(term, lln, unit)
    result = grade_count(V5, count(term, value, unit), lower_limit=lower)
    name = {"neutrophils": "Neutrophil count decreased", "haemoglobin": "Anemia"}[term]
    assert result == Grade(
        key=term,
        term=name,
        ctcae_version="5.0",
        grade=grade,
        possible_grades=(grade,),
        reasons=(reason,),
        missing=(),
        verification=Verification.VERIFIED,
    )


def test_a_grade_without_the_lln_is_a_range() -> None:
    # 1.5 is not below 1.5 (grade 2 starts below it); grade 1 needs the missing LLN.
    assert neutrophils(1.5) == Grade(
        key="neutrophils",
        term="Neutrophil count decreased",
        ctcae_version="5.0",
        grade=None,
        possible_grades=(0, 1),
        reasons=(
            "Neutrophil count decreased: 1.5 ×10⁹/L is not below 1.5 ×10⁹/L, so grade 0–1; grade "
            "1 starts below the laboratory's lower limit of normal, which is missing (LLN "
            "missing).",
        ),
        missing=("lower_limits.neutrophils",),
        verification=Verification.VERIFIED,
    )


def test_grade_text() -> None:
    assert grade_text(neutrophils(0.8)) == "3"
    assert grade_text(neutrophils(1.5)) == "0–1"


def test_grade_labs_passes_the_lower_limits_and_collects_what_is_missing() -> None:
    grading = grade_labs(
        V5,
        counts={
            Term.NEUTROPHILS: count("neutrophils", 1.6, "10^9/L"),
            Term.PLATELETS: count("platelets", 100, "10^9/L"),
        },
        lower_limits={Term.NEUTROPHILS: count("neutrophils", 2, "10^9/L")},
        temperature_celsius=Decimal("38.1"),
    )
    neutrophil_grade, platelet_grade, fn = grading.grades
    # 1.6 < LLN 2 → 1; platelets 100 not below 75, no LLN → 0–1; ANC 1.6 is not below 1.0,
    # so no febrile neutropenia whatever the fever (nothing missing for it)
    assert (neutrophil_grade.grade, platelet_grade.possible_grades, fn.possible_grades) == (
        1,
        (0, 1),
        (0,),
    )
    assert grading.missing == ("lower_limits.platelets",)
    assert (grading.ctcae_version, grading.verification, grading.source) == (
        "5.0",
        Verification.VERIFIED,
        V5.governance.source,
    )
    assert grading.verification_note == V5.governance.verification_note
    assert grading.get("platelets") is platelet_grade


def test_a_lower_limit_of_another_count_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        grade_labs(
            V5,
            counts={Term.NEUTROPHILS: count("neutrophils", 1.6, "10^9/L")},
            lower_limits={Term.NEUTROPHILS: count("platelets", 150, "10^9/L")},
        )
    assert (raised.value.field, raised.value.message) == (
        "lower_limits.neutrophils",
        "must be a value of the same count.",
    )


def test_febrile_neutropenia_reasons() -> None:
    def fn(anc: float, celsius: str, sustained: bool | None = None) -> Grade:
        return grade_febrile_neutropenia(
            V5,
            neutrophils=count("neutrophils", anc, "10^9/L"),
            temperature_celsius=Decimal(celsius),
            fever_sustained_over_one_hour=sustained,
        )

    assert fn(0.8, "38.5").reasons == (
        "Febrile neutropenia: neutrophils 0.8 ×10⁹/L, temperature 38.5 °C → grade 3 (CTCAE v5.0).",
    )
    assert fn(1.2, "38.5").reasons == (
        f"Febrile neutropenia: no — needs neutrophils below 1 ×10⁹/L with {FN_RULE}; "
        "neutrophils 1.2 ×10⁹/L, temperature 38.5 °C.",
    )
    not_known = fn(0.8, "38.1")
    assert not_known.reasons == (
        "Febrile neutropenia: not assessable (neutrophils 0.8 ×10⁹/L, temperature 38.1 °C); "
        f"{FN_RULE} with a low count is grade 3.",
    )
    assert not_known.missing == ("fever_sustained_over_one_hour",)


# --- ASTCT CRS (T8) -----------------------------------------------------------------------------


def test_crs_reasons() -> None:
    crs = grade_crs(
        temperature_celsius=Decimal("38.5"),
        fever_masked_by_treatment=False,
        hypotension=Hypotension.ONE_VASOPRESSOR,
        hypoxia=Hypoxia.LOW_FLOW,
    )
    assert crs.reasons == (
        "Temperature 38.5 °C: fever (≥ 38 °C).",
        "hypotension requiring one vasopressor (± vasopressin) → grade 3.",
        "hypoxia needing low-flow nasal cannula (≤ 6 L/min) or blow-by → grade 2.",
        "CRS grade 3 (ASTCT 2019).",
    )


def test_no_crs_without_fever() -> None:
    crs = grade_crs(
        temperature_celsius=Decimal("37.9"),
        fever_masked_by_treatment=False,
        hypotension=Hypotension.NONE,
        hypoxia=Hypoxia.NONE,
    )
    assert crs.reasons == (
        "Temperature 37.9 °C: no fever (below 38 °C).",
        "no hypotension → grade 0.",
        "no hypoxia → grade 0.",
        "No CRS by ASTCT: fever ≥ 38 °C is required unless masked by treatment; look for "
        "another cause of any hypotension or hypoxia.",
    )


def test_crs_not_assessable_names_the_possible_grades_and_what_is_missing() -> None:
    masked = grade_crs(
        temperature_celsius=None,
        fever_masked_by_treatment=True,
        hypotension=None,
        hypoxia=Hypoxia.NONE,
    )
    # hypotension unknown: 0, 2, 3 or 4; masked fever: organ grade 0 is 0 or 1.
    assert masked.reasons == (
        "Fever masked by antipyretics or anti-cytokine therapy: fever is not required; the grade "
        "follows hypotension and hypoxia.",
        "no hypoxia → grade 0.",
        "Not assessable as one grade: possible grades 0, 1, 2, 3, 4; missing hypotension.",
    )
    no_temperature = grade_crs(
        temperature_celsius=None,
        fever_masked_by_treatment=False,
        hypotension=Hypotension.NONE,
        hypoxia=Hypoxia.NONE,
    )
    assert no_temperature.reasons[-1] == (
        "Not assessable as one grade: possible grades 0, 1; missing temperature_celsius."
    )


# --- ASTCT ICANS (T9) ---------------------------------------------------------------------------

NO_NEURO_SIGNS = {
    "consciousness": "normal",
    "seizure": "none",
    "motor_weakness": "none",
    "cerebral_oedema": "none",
}


def test_icans_reasons() -> None:
    ice = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 0}
    score, icans = grade_icans(ice=ice, unable_to_perform_ice=False, domains=NO_NEURO_SIGNS)
    # 4 + 3 + 1 + 1 + 0 = 9 ⇒ grade 1 (7–9)
    assert score == 9
    assert icans.reasons == (
        "ICE score 9/10 → grade 1.",
        "depressed level of consciousness: normal → grade 0.",
        "seizure: none → grade 0.",
        "motor findings: none → grade 0.",
        "raised intracranial pressure / cerebral oedema: none → grade 0.",
        "ICANS grade 1 (ASTCT 2019: the worst domain).",
    )


def test_icans_unable_to_perform_and_missing_domains() -> None:
    _, unable = grade_icans(ice=None, unable_to_perform_ice=True, domains=NO_NEURO_SIGNS)
    assert unable.reasons[0] == (
        "Unable to perform the ICE assessment: ICE 0 → grade 3 when awake; grade 4 needs an "
        "unarousable patient (consciousness domain)."
    )
    full = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}
    _, missing = grade_icans(ice=full, unable_to_perform_ice=False, domains={})
    assert missing.reasons == (
        "ICE score 10/10 → grade 0.",
        "Not assessable as one grade: possible grades 0, 1, 2, 3, 4; missing consciousness, "
        "seizure, motor_weakness, cerebral_oedema.",
    )


# --- KVA (T10: 1 line → 1; 2–3 → 2; > 3 → 3; worse than 20/200 → 4) ----------------------------


@pytest.mark.parametrize(
    ("cornea", "lines", "snellen", "vision", "grade"),
    [
        (CornealExam.MODERATE_SUPERFICIAL, 1, False, "BCVA decline 1 line → grade 1.", 2),
        (CornealExam.NORMAL, 3, False, "BCVA decline 3 lines → grade 2.", 2),
        (CornealExam.MILD_SUPERFICIAL, 4, False, "BCVA decline 4 lines → grade 3.", 3),
        (CornealExam.NORMAL, 0, True, "Snellen worse than 20/200 → grade 4.", 4),
    ],
)
def test_kva_reasons(
    cornea: CornealExam, lines: int, snellen: bool, vision: str, grade: int
) -> None:
    cornea_grade = {"normal": 0, "mild_superficial": 1, "moderate_superficial": 2}[cornea.value]
    kva, action = grade_kva(
        corneal_exam=cornea, bcva_lines_decline=lines, snellen_worse_than_20_200=snellen
    )
    assert kva.reasons == (
        f"Corneal exam {cornea.value.replace('_', ' ')} → grade {cornea_grade}.",
        vision,
        f"KVA grade {grade}: the worse of the two, in the worse eye.",
    )
    assert action == KVA_ACTIONS[grade]


# --- The isatuximab decision (T4–T5: X7, X24, X26) ----------------------------------------------

RECOVERY = f"Recovery: ANC ≥ 1 ×10⁹/L — {ISA.recovery.text} (pending verification)"


def decide(anc: Grade | None, **kwargs: Any) -> tuple[Action, tuple[str, ...]]:
    reaction = kwargs.pop("reaction", None)
    decision = isatuximab_decision(
        ISA,
        neutrophils=anc,
        febrile_neutropenia=kwargs.pop("febrile", False),
        neutropenic_infection=kwargs.pop("infection", False),
        reaction=None if reaction is None else infusion_reaction(reaction),
    )
    return decision.action, decision.reasons


def test_neutropenia_grade_3_delays_with_the_recovery_value_pending() -> None:
    assert decide(neutrophils(0.8)) == (
        Action.DELAY,
        (
            f"Neutropenia grade 3 (CTCAE v5.0): {ISA.neutropenia_text}",
            RECOVERY,
            ISA.no_dose_reduction_text,
        ),
    )


def test_neutropenia_below_grade_3_is_given() -> None:
    assert decide(neutrophils(1.2)) == (
        Action.GIVE,
        (
            "Neutrophils grade 2 (CTCAE v5.0): below grade 3, no delay for neutropenia.",
            ISA.no_dose_reduction_text,
        ),
    )
    # 1.6 without the LLN: grade 0–1, still below grade 3
    assert decide(neutrophils(1.6))[1][0] == (
        "Neutrophils grade 0–1 (CTCAE v5.0): below grade 3, no delay for neutropenia."
    )


def test_unknowns_are_reviewed_and_named() -> None:
    assert decide(None, febrile=None, infection=None) == (
        Action.REVIEW,
        (
            "Not assessable: missing neutrophil count (needed for X26).",
            "Not assessable: missing whether there is febrile neutropenia (X26).",
            "Not assessable: missing whether there is neutropenic infection (X26).",
            ISA.no_dose_reduction_text,
        ),
    )


def test_febrile_neutropenia_and_infection_delay() -> None:
    action, reasons = decide(neutrophils(1.2), febrile=True, infection=True)
    assert action is Action.DELAY
    assert reasons[1:4] == (
        f"Febrile neutropenia: {ISA.neutropenia_text}",
        f"Neutropenic infection: {ISA.neutropenia_text}",
        RECOVERY,
    )


@pytest.mark.parametrize(
    ("reaction", "action", "reason"),
    [
        (
            {"grade": 3},
            Action.DISCONTINUE,
            "Infusion reaction grade 3 (prolonged, recurrent, needing hospitalisation or "
            f"life-threatening): permanently discontinue. {ISA.reaction_text}",
        ),
        (
            {"grade": 2, "improved_to_grade_1_or_less": True, "hospitalisation": True},
            Action.DISCONTINUE,
            "Infusion reaction grade 2 that needed hospitalisation: permanently discontinue. "
            f"{ISA.reaction_text}",
        ),
        (
            {"grade": 2, "improved_to_grade_1_or_less": False, "hospitalisation": False},
            Action.DISCONTINUE,
            "Infusion reaction grade 2 that did not improve to grade 1 or less: permanently "
            f"discontinue. {ISA.reaction_text}",
        ),
        (
            {"grade": 2, "hospitalisation": False},
            Action.REVIEW,
            "Infusion reaction grade 2: not assessable, missing improved_to_grade_1_or_less (X24).",
        ),
        (
            {"grade": 2, "improved_to_grade_1_or_less": True, "hospitalisation": False},
            Action.GIVE,
            "Infusion reaction grade 2 improved to grade 1 or less without hospitalisation: may "
            "be given; escalate the rate only without a reaction, and on a new grade 2 reaction "
            "interrupt and resume at half the initial rate (X22, X24).",
        ),
        (
            {"grade": 1},
            Action.GIVE,
            "Infusion reaction grade 1: no interruption needed (X24 starts at grade 2).",
        ),
    ],
)
def test_infusion_reaction_reasons(reaction: dict[str, Any], action: Action, reason: str) -> None:
    assert decide(neutrophils(1.2), reaction=reaction) == (
        action,
        (
            "Neutrophils grade 2 (CTCAE v5.0): below grade 3, no delay for neutropenia.",
            reason,
            ISA.no_dose_reduction_text,
        ),
    )


# --- Partner drugs (T7) -------------------------------------------------------------------------


def test_pending_partner_rule_is_reviewed_with_todays_grades() -> None:
    decision = partner_decision("bortezomib", PARTNERS, {"neutrophils": neutrophils(0.8)})
    note = PARTNERS["bortezomib"].governance.verification_note
    assert (decision.action, decision.reasons) == (
        Action.REVIEW,
        (
            "The hold rule for bortezomib is pending verification: clinician review, no "
            f"automatic dose. {note}",
            "Today's grades: Neutrophil count decreased grade 3.",
            "Dose levels (verified): 1.3 mg/m² → 1.0 mg/m² → 0.7 mg/m² ([PUB] P18 (V4)).",
        ),
    )


def test_unknown_partner_drug_is_reviewed() -> None:
    decision = partner_decision("melphalan", PARTNERS, {})
    assert decision.reasons == (
        "No dose-level or hold rule for melphalan in the content: clinician review.",
    )


VERIFIED_HOLD = {
    "kind": "partner_drug_rules",
    "drugs": [
        {
            "drug": "testdrug",
            "dose_levels": {"values": ["10 mg"], "source": "label", "verification": "verified"},
            "holds": [
                {
                    "term": "platelets",
                    "grade_at_least": 3,
                    "action": "delay",
                    "text": "hold until platelets recover",
                }
            ],
            "verification": "verified",
            "source": "label",
            "verification_note": "",
            "author": "author",
            "checker": "checker",
        }
    ],
}


def test_verified_partner_hold_reasons() -> None:
    rules = partner_drug_rules_from_dict(VERIFIED_HOLD)
    platelets_40 = grade_count(V5, count("platelets", 40, "10^9/L"))  # < 50 ⇒ grade 3
    platelets_60 = grade_count(V5, count("platelets", 60, "10^9/L"))  # < 75 ⇒ grade 2
    held = partner_decision("testdrug", rules, {"platelets": platelets_40})
    assert (held.action, held.reasons) == (
        Action.DELAY,
        ("Platelet count decreased grade 3: hold until platelets recover",),
    )
    given = partner_decision("testdrug", rules, {"platelets": platelets_60})
    assert (given.action, given.reasons) == (
        Action.GIVE,
        ("No hold rule for testdrug applies today.",),
    )
    missing = partner_decision("testdrug", rules, {})
    assert (missing.action, missing.reasons) == (
        Action.REVIEW,
        ("Not assessable: missing platelets (hold until platelets recover).",),
    )


def test_the_isatuximab_decision_names_its_sources_and_never_reduces() -> None:
    decision = isatuximab_decision(
        ISA,
        neutrophils=neutrophils(0.8),
        febrile_neutropenia=False,
        neutropenic_infection=False,
        reaction=infusion_reaction({"grade": 1}),
    )
    assert (decision.drug, decision.dose_reduction, decision.verification) == (
        "isatuximab",
        False,
        Verification.VERIFIED,
    )
    # the record's source, then the neutropenia rule (a delay), then the reaction rule
    assert decision.source == "; ".join(
        (ISA.governance.source, ISA.neutropenia_source, ISA.reaction_source)
    )
    given = isatuximab_decision(
        ISA,
        neutrophils=neutrophils(1.2),
        febrile_neutropenia=False,
        neutropenic_infection=False,
        reaction=None,
    )
    assert (given.action, given.source) == (Action.GIVE, ISA.governance.source)


def test_partner_decisions_say_how_far_they_can_be_trusted() -> None:
    unknown = partner_decision("melphalan", PARTNERS, {})
    assert (unknown.action, unknown.dose_reduction, unknown.source, unknown.verification) == (
        Action.REVIEW,
        None,
        "domain-reference §22 T7",
        Verification.PENDING,
    )
    pending = partner_decision("lenalidomide", PARTNERS, {})
    governance = PARTNERS["lenalidomide"].governance
    # no grades today and no dose levels: only the pending note
    assert (pending.action, pending.dose_reduction, pending.source, pending.verification) == (
        Action.REVIEW,
        None,
        governance.source,
        Verification.PENDING,
    )
    assert pending.reasons == (
        "The hold rule for lenalidomide is pending verification: clinician review, no automatic "
        f"dose. {governance.verification_note}",
    )
    rules = partner_drug_rules_from_dict(VERIFIED_HOLD)
    given = partner_decision(
        "testdrug", rules, {"platelets": grade_count(V5, count("platelets", 60, "10^9/L"))}
    )
    held = partner_decision(
        "testdrug", rules, {"platelets": grade_count(V5, count("platelets", 40, "10^9/L"))}
    )
    assert (given.dose_reduction, given.source, given.verification) == (
        False,
        "label",
        Verification.VERIFIED,
    )
    assert held.dose_reduction is None


def test_a_term_without_thresholds_is_not_assessable() -> None:
    v6 = ctcae_table_from_dict(_yaml("ctcae-6.0.yaml"))  # pending; no haemoglobin row
    grade = grade_count(v6, count("haemoglobin", 95, "g/L"))
    assert grade == Grade(
        key="haemoglobin",
        term="haemoglobin",
        ctcae_version="6.0",
        grade=None,
        possible_grades=(),
        reasons=(
            "Not assessable: CTCAE v6.0 has no haemoglobin thresholds in the verified content; "
            "grade it with v5.0.",
        ),
        missing=(),
        verification=Verification.PENDING,
    )
    assert grade_text(grade) == "not assessable"


def test_a_table_whose_grade_1_has_a_number_gives_grade_0_above_it() -> None:
    document = _yaml("ctcae-5.0.yaml")
    document["terms"]["neutrophils"]["grade_1_below_lln"] = False
    document["terms"]["neutrophils"]["grades"].insert(0, {"grade": 1, "below": 2.0})
    table = ctcae_table_from_dict(document)
    assert grade_count(table, count("neutrophils", 2.5, "10^9/L")) == Grade(
        key="neutrophils",
        term="Neutrophil count decreased",
        ctcae_version="5.0",
        grade=0,
        possible_grades=(0,),
        reasons=(
            "Neutrophil count decreased: 2.5 ×10⁹/L is not below 2 ×10⁹/L → grade 0 (CTCAE v5.0).",
        ),
        missing=(),
        verification=Verification.VERIFIED,
    )


def test_febrile_neutropenia_with_nothing_known() -> None:
    grade = grade_febrile_neutropenia(V5, neutrophils=None, temperature_celsius=None)
    assert grade == Grade(
        key="febrile_neutropenia",
        term="Febrile neutropenia",
        ctcae_version="5.0",
        grade=None,
        possible_grades=(0, 3),
        reasons=(
            "Febrile neutropenia: not assessable (neutrophil count missing, temperature "
            f"missing); {FN_RULE} with a low count is grade 3.",
        ),
        missing=("temperature_celsius", "neutrophils"),
        verification=Verification.VERIFIED,
    )


def test_grade_labs_passes_the_fever_on() -> None:
    # ANC 0.8 < 1.0 with 38.1 °C (≥ 38.0) sustained over an hour → grade 3
    grading = grade_labs(
        V5,
        counts={Term.NEUTROPHILS: count("neutrophils", 0.8, "10^9/L")},
        temperature_celsius=Decimal("38.1"),
        fever_sustained_over_one_hour=True,
    )
    fn = grading.get("febrile_neutropenia")
    assert fn is not None
    assert fn.grade == 3


def test_a_wrong_lower_limit_is_found_after_an_unused_one() -> None:
    with pytest.raises(InvalidInput) as raised:
        grade_labs(
            V5,
            counts={Term.NEUTROPHILS: count("neutrophils", 1.6, "10^9/L")},
            lower_limits={
                Term.PLATELETS: count("platelets", 150, "10^9/L"),
                Term.NEUTROPHILS: count("platelets", 150, "10^9/L"),
            },
        )
    assert raised.value.field == "lower_limits.neutrophils"


@pytest.mark.parametrize("celsius", [25, 45])
def test_temperature_range_is_inclusive(celsius: float) -> None:
    assert temperature(celsius) == celsius


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("hot", "The temperature must be a number from 25 to 45 °C; got 'hot'."),
        (
            100.4,
            # (100.4 − 32) × 5 ÷ 9 = 38 °C
            "The temperature must be from 25 to 45 °C; got 100.4 °C. Was it in °F? 100.4 °F is "
            "38 °C.",
        ),
        (24.9, "The temperature must be from 25 to 45 °C; got 24.9 °C."),
    ],
)
def test_temperature_errors(value: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        temperature(value)
    assert (raised.value.field, raised.value.message) == ("temperature_celsius", message)


def _neutrophils_range(*grades: int) -> Grade:
    return Grade(
        key="neutrophils",
        term="Neutrophil count decreased",
        ctcae_version="5.0",
        grade=None,
        possible_grades=grades,
        reasons=(),
    )


def test_a_neutrophil_range_that_reaches_the_delay_grade_is_reviewed() -> None:
    # worst possible grade 3 = the delay grade (X26): review, never "give"
    assert decide(_neutrophils_range(2, 3))[:2] == (
        Action.REVIEW,
        (
            "Neutropenia grade not assessable (2–3): grade 3 or worse would delay the dose (X26).",
            ISA.no_dose_reduction_text,
        ),
    )
    assert decide(_neutrophils_range(1, 2)) == (
        Action.GIVE,
        (
            "Neutrophils grade 1–2 (CTCAE v5.0): below grade 3, no delay for neutropenia.",
            ISA.no_dose_reduction_text,
        ),
    )


def test_each_neutropenia_flag_follows_its_own_rule() -> None:
    rules = replace(
        ISA,
        delay_for_febrile_neutropenia=False,
        recovery=replace(ISA.recovery, verification=Verification.VERIFIED),
    )
    decision = isatuximab_decision(
        rules,
        neutrophils=neutrophils(1.2),
        febrile_neutropenia=None,
        neutropenic_infection=True,
        reaction=None,
    )
    assert (decision.action, decision.reasons[1:3]) == (
        Action.DELAY,
        (
            f"Neutropenic infection: {ISA.neutropenia_text}",
            f"Recovery: ANC ≥ 1 ×10⁹/L — {ISA.recovery.text}",
        ),
    )


def test_a_reaction_without_the_hospitalisation_answer_names_it() -> None:
    reaction = {"grade": 2, "improved_to_grade_1_or_less": True}
    assert decide(neutrophils(1.2), reaction=reaction)[1][1] == (
        "Infusion reaction grade 2: not assessable, missing hospitalisation (X24)."
    )


def test_infusion_reaction_input() -> None:
    assert infusion_reaction({"grade": 4}).grade == 4
    for data, field, message in (
        (
            {"grade": "2"},
            "infusion_reaction.grade",
            "The infusion-reaction grade must be a CTCAE grade from 1 to 4; got '2'.",
        ),
        (
            {"grade": 2, "hospitalisation": "yes"},
            "infusion_reaction.hospitalisation",
            "hospitalisation must be true or false; got 'yes'.",
        ),
    ):
        with pytest.raises(InvalidInput) as raised:
            infusion_reaction(data)
        assert (raised.value.field, raised.value.message) == (field, message)


def test_infusion_timeline_lists_the_steps_that_run() -> None:
    steps = (InfusionStep(rate_ml_h=25, minutes=60), InfusionStep(rate_ml_h=50, minutes=None))
    # 25 mL at 25 mL/h empties the bag at minute 60: the 50 mL/h step never starts.
    timeline = infusion_timeline(steps, volume_ml=25)
    assert timeline == InfusionTimeline(
        volume_ml=25,
        steps=(TimedStep(from_minute=0.0, rate_ml_h=25),),
        total_minutes=60.0,
        half_initial_rate=False,
    )
    # half rate (12.5 mL/h) for 30 min = 6.25 mL, then 25 mL/h for the other 18.75 mL (45 min)
    restarted = infusion_timeline(steps, volume_ml=25, half_rate_minutes=30)
    assert restarted == InfusionTimeline(
        volume_ml=25,
        steps=(
            TimedStep(from_minute=0.0, rate_ml_h=12.5),
            TimedStep(from_minute=30.0, rate_ml_h=25),
        ),
        total_minutes=75.0,
        half_initial_rate=True,
    )


def test_a_grade_from_a_pending_table_says_it_is_pending() -> None:
    v6 = ctcae_table_from_dict(_yaml("ctcae-6.0.yaml"))
    pending_v5 = ctcae_table_from_dict(
        {**_yaml("ctcae-5.0.yaml"), "default": False, "verification": "pending"}
    )
    # 1.6 ×10⁹/L: not below 1.5, grade 1 needs the LLN (missing, then given)
    no_lln = grade_count(pending_v5, count("neutrophils", 1.6, "10^9/L"))
    with_lln = grade_count(
        pending_v5,
        count("neutrophils", 1.6, "10^9/L"),
        lower_limit=count("neutrophils", 2, "10^9/L"),
    )
    fn = grade_febrile_neutropenia(
        v6, neutrophils=count("neutrophils", 5, "10^9/L"), temperature_celsius=Decimal("37")
    )
    document = _yaml("ctcae-5.0.yaml")
    document.update(default=False, verification="pending")
    document["terms"]["neutrophils"]["grade_1_below_lln"] = False
    document["terms"]["neutrophils"]["grades"].insert(0, {"grade": 1, "below": 2.0})
    numbered = grade_count(ctcae_table_from_dict(document), count("neutrophils", 5, "10^9/L"))
    assert {g.verification for g in (no_lln, with_lln, fn, numbered)} == {Verification.PENDING}


@pytest.mark.parametrize(("fahrenheit", "celsius"), [(77, "25"), (113, "45")])
def test_a_fahrenheit_value_at_the_edge_of_the_range_is_named(
    fahrenheit: float, celsius: str
) -> None:
    # (77 − 32) × 5 ÷ 9 = 25 °C; (113 − 32) × 5 ÷ 9 = 45 °C: both inside 25–45 °C
    with pytest.raises(InvalidInput) as raised:
        temperature(fahrenheit)
    assert raised.value.message.endswith(f"Was it in °F? {fahrenheit} °F is {celsius} °C.")


def test_grading_get_of_a_count_not_graded_is_none() -> None:
    grading = grade_labs(V5, counts={Term.NEUTROPHILS: count("neutrophils", 2, "10^9/L")})
    assert grading.get("platelets") is None


def test_a_reaction_missing_both_answers_names_both() -> None:
    assert decide(neutrophils(1.2), reaction={"grade": 2})[1][1] == (
        "Infusion reaction grade 2: not assessable, missing improved_to_grade_1_or_less, "
        "hospitalisation (X24)."
    )


def test_partner_decision_names_the_drug_and_every_grade_of_today() -> None:
    grades = {
        "neutrophils": neutrophils(0.8),
        "platelets": grade_count(V5, count("platelets", 60, "10^9/L")),
    }
    pending = partner_decision("bortezomib", PARTNERS, grades)
    assert pending.drug == "bortezomib"
    assert pending.reasons[1] == (
        "Today's grades: Neutrophil count decreased grade 3; Platelet count decreased grade 2."
    )
    assert partner_decision("melphalan", PARTNERS, {}).drug == "melphalan"
    assert partner_decision("testdrug", partner_drug_rules_from_dict(VERIFIED_HOLD), {}).drug == (
        "testdrug"
    )


def test_a_platelet_range_that_reaches_a_verified_hold_is_reviewed() -> None:
    rules = partner_drug_rules_from_dict(VERIFIED_HOLD)  # hold from grade 3
    platelets = Grade(
        key="platelets",
        term="Platelet count decreased",
        ctcae_version="5.0",
        grade=None,
        possible_grades=(2, 3),
        reasons=(),
    )
    decision = partner_decision("testdrug", rules, {"platelets": platelets})
    assert (decision.action, decision.reasons) == (
        Action.REVIEW,
        ("Platelet count decreased grade not assessable: hold until platelets recover",),
    )
    below = replace(platelets, possible_grades=(1, 2))
    assert partner_decision("testdrug", rules, {"platelets": below}).action is Action.GIVE
