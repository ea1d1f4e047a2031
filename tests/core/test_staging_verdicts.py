"""Every IMS/IMWG 2025 verdict a clinician reads is pinned (issue 18: these texts could be inverted
without a test failing). Domain reference §7: a criterion is met when it holds for every completion
of the unknowns, not met when it holds for none, otherwise undetermined; the status is high risk
when one is met, not high risk when none can be, otherwise not assessable.
"""

from __future__ import annotations

from dataclasses import replace

from myeloma_core.staging import (
    Cytogenetics,
    Del1p32,
    HighRiskStatus,
    StagingInput,
    high_risk_ims_imwg_2025,
)
from myeloma_core.units import Analyte, lab_value
from myeloma_core.vocabulary import Finding

P, A, U = Finding.PRESENT, Finding.ABSENT, Finding.UNKNOWN
NO_ABNORMALITY = Cytogenetics(
    del_17p=A, tp53_mutation=A, t_4_14=A, t_14_16=A, t_14_20=A, gain_1q=A, del_1p32=Del1p32.ABSENT
)
ONLY_BETA2_NOTE = (
    "High risk rests on the β2-microglobulin criterion only: genomic profiling is still needed "
    "(the clinical criterion does not replace it)"
)


def assessed(
    *, beta2: float | None, creatinine: float | None, cytogenetics: Cytogenetics
) -> tuple[HighRiskStatus, tuple[str, ...]]:
    result = high_risk_ims_imwg_2025(
        StagingInput(
            beta2_microglobulin=None
            if beta2 is None
            else lab_value(Analyte.BETA2_MICROGLOBULIN, beta2, "mg/L"),
            creatinine=None
            if creatinine is None
            else lab_value(Analyte.CREATININE, creatinine, "mg/dL"),
            cytogenetics=cytogenetics,
        )
    )
    return result.status, result.reasons


def verdicts(reasons: tuple[str, ...]) -> list[str]:
    """The verdict after "⇒" of the four criterion lines H1a–H1d, in order."""
    assert [reason[:3] for reason in reasons[:4]] == ["H1a", "H1b", "H1c", "H1d"]
    return [reason.rsplit("⇒ ", 1)[1] for reason in reasons[:4]]


def test_complete_normal_profile_reads_not_met_four_times_and_not_high_risk() -> None:
    # β2M 3.0 < 5.5 mg/L: H1d not met; no genomic abnormality: H1a–H1c not met.
    status, reasons = assessed(beta2=3.0, creatinine=0.9, cytogenetics=NO_ABNORMALITY)
    assert status is HighRiskStatus.NOT_HIGH_RISK
    assert verdicts(reasons) == ["not met", "not met", "not met", "not met"]
    assert reasons[4:] == (
        "No criterion is met ⇒ not high risk (a translocation alone, 1q+ alone or monoallelic "
        "del(1p32) alone is not high risk by this definition)",
    )


def test_tp53_mutation_reads_h1a_met_and_the_rest_not_met() -> None:
    status, reasons = assessed(
        beta2=3.0, creatinine=0.9, cytogenetics=replace(NO_ABNORMALITY, tp53_mutation=P)
    )
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons) == ["met", "not met", "not met", "not met"]
    assert reasons[4:] == ("At least one criterion is met ⇒ high risk",)


def test_translocation_with_gain_1q_reads_h1b_met() -> None:
    status, reasons = assessed(
        beta2=3.0, creatinine=0.9, cytogenetics=replace(NO_ABNORMALITY, t_4_14=P, gain_1q=P)
    )
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons) == ["not met", "met", "not met", "not met"]


def test_biallelic_del1p32_reads_h1c_met() -> None:
    status, reasons = assessed(
        beta2=3.0,
        creatinine=0.9,
        cytogenetics=replace(NO_ABNORMALITY, del_1p32=Del1p32.BIALLELIC),
    )
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons) == ["not met", "not met", "met", "not met"]


def test_unknown_genomics_read_undetermined_and_genomic_profile_missing() -> None:
    # Every genomic result unknown, β2M 3.0 < 5.5: H1a–H1c could go either way.
    status, reasons = assessed(beta2=3.0, creatinine=0.9, cytogenetics=Cytogenetics())
    assert status is HighRiskStatus.NOT_ASSESSABLE
    assert verdicts(reasons) == ["undetermined", "undetermined", "undetermined", "not met"]
    assert len(reasons) == 5
    assert (
        "⇒ not assessable (genomic profile missing); unknown results are not read as normal"
        in (reasons[4])
    )


def test_complete_genomics_with_beta2_missing_is_not_labelled_genomic_profile_missing() -> None:
    # Creatinine 0.9 < 1.2 mg/dL: only the missing β2M could make H1d met.
    status, reasons = assessed(beta2=None, creatinine=0.9, cytogenetics=NO_ABNORMALITY)
    assert status is HighRiskStatus.NOT_ASSESSABLE
    assert verdicts(reasons) == ["not met", "not met", "not met", "undetermined"]
    assert reasons[4].endswith("⇒ not assessable; unknown results are not read as normal")
    assert not any("genomic profile missing" in reason for reason in reasons)


def test_beta2_only_high_risk_says_genomic_profiling_is_still_needed() -> None:
    # β2M 6.1 ≥ 5.5 mg/L with creatinine 0.9 < 1.2 mg/dL: H1d met; genomics unknown.
    status, reasons = assessed(beta2=6.1, creatinine=0.9, cytogenetics=Cytogenetics())
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons) == ["undetermined", "undetermined", "undetermined", "met"]
    assert reasons[4:] == ("At least one criterion is met ⇒ high risk", ONLY_BETA2_NOTE)


def test_genomic_criterion_met_too_gives_no_beta2_only_note() -> None:
    status, reasons = assessed(
        beta2=6.1, creatinine=0.9, cytogenetics=replace(NO_ABNORMALITY, tp53_mutation=P)
    )
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons) == ["met", "not met", "not met", "met"]
    assert ONLY_BETA2_NOTE not in reasons


def test_genomic_criterion_alone_gives_no_beta2_only_note() -> None:
    status, reasons = assessed(
        beta2=None, creatinine=None, cytogenetics=replace(NO_ABNORMALITY, tp53_mutation=P)
    )
    assert status is HighRiskStatus.HIGH_RISK
    assert verdicts(reasons)[0] == "met"
    assert ONLY_BETA2_NOTE not in reasons
