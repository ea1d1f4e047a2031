"""IMWG 2016 response over a series of assessments — domain-reference §21 R9–R12.

``assess_response`` checks the series, categorises each assessment (``response_categories``),
confirms each category by the next one (R9), finds the best confirmed response and the confirmed
progression, the MRD category and the I2TEAMM milestones (``response_mrd``), and writes the
clinic-letter line.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

from myeloma_core.errors import InvalidInput
from myeloma_core.response_categories import (
    Categorised,
    categorise,
    measurable_disease,
    missing_text,
    shallowest,
)
from myeloma_core.response_mrd import LANDMARK_MONTHS, LANDMARK_WINDOW_DAYS, mrd_cr_at, mrd_result
from myeloma_core.response_types import (
    DEPTH,
    MRD_SOURCE,
    PENDING_VERIFICATION,
    AntiCd38,
    Assessment,
    AssessmentResult,
    Category,
    Isotype,
    MrdCrMilestones,
    MrdMethod,
    MrdResult,
    Nadir,
    Progression,
    ResponseAssessment,
    Track,
)

# ---------------------------------------------------------------------------------------------
# R9 confirmation, best confirmed response


def _confirmed(category: Category, imaging_pd: bool, following: Category | None) -> bool:
    if category is Category.PD:
        return imaging_pd or following is Category.PD
    if category is Category.NE or following is None or following not in DEPTH:
        return False
    return DEPTH[following] >= DEPTH[category]


def best_confirmed_response(
    categories: Sequence[tuple[dt.date, Category]],
) -> tuple[Category | None, dt.date | None]:
    """R9: the deepest of the shallower-of-each-consecutive-pair, PD and NE excluded.

    The date is that of the first assessment of the pair that gives it.
    """
    best: tuple[Category, dt.date] | None = None
    for (day, first), (_, second) in itertools.pairwise(categories):
        if first not in DEPTH or second not in DEPTH:
            continue
        pair = shallowest((first, second))
        if best is None or DEPTH[pair] > DEPTH[best[0]]:
            best = (pair, day)
    return (best[0], best[1]) if best else (None, None)


# ---------------------------------------------------------------------------------------------
# The series


def _check_series(assessments: Sequence[Assessment]) -> Assessment:
    if not assessments:
        raise InvalidInput("assessments", "At least one assessment (the baseline) is needed.")
    baselines = [i for i, a in enumerate(assessments) if a.baseline]
    if len(baselines) != 1:
        raise InvalidInput(
            "assessments",
            f"Exactly one assessment must have baseline true; got {len(baselines)}.",
        )
    seen: dict[dt.date, int] = {}
    for index, a in enumerate(assessments):
        if a.date in seen:
            raise InvalidInput(
                f"assessments.{index}.date",
                f"Assessment dates must be unique; {a.date.isoformat()} is also assessment "
                f"{seen[a.date]}.",
            )
        seen[a.date] = index
    baseline = assessments[baselines[0]]
    if any(a.date < baseline.date for a in assessments):
        raise InvalidInput(
            f"assessments.{baselines[0]}.date",
            "The baseline must be the earliest assessment.",
        )
    return baseline


def _tracked(track: Track, by: Sequence[str]) -> tuple[str | None, str | None]:
    if track is Track.SERUM_URINE:
        return ("serum M-protein", "g/L") if "serum" in by else ("urine M-protein", "mg/24 h")
    if track is Track.FLC:
        return "dFLC", "mg/L"
    if track is Track.BONE_MARROW:
        return "bone-marrow plasma cells", "%"
    return None, None


def _tracked_value(a: Assessment, track: Track, by: Sequence[str]) -> Decimal | None:
    if track is Track.SERUM_URINE:
        if "serum" in by:
            return a.serum_m_protein.base if a.serum_m_protein else None
        return a.urine_m_protein.base if a.urine_m_protein else None
    if track is Track.FLC:
        return a.dflc
    if track is Track.BONE_MARROW:
        return a.bone_marrow_plasma_cells_percent
    return None


def assess_response(
    *,
    assessments: Sequence[Assessment],
    treatment_start: dt.date,
    isotype: Isotype | None = None,
    anti_cd38: AntiCd38 | None = None,
    landmark_window_days: int = LANDMARK_WINDOW_DAYS,
) -> ResponseAssessment:
    """The whole series: R1 track, R2–R8 categories, R9 confirmation, R10 I2TEAMM, R11 MRD, R12.

    ``landmark_window_days`` is the I2TEAMM landmark window after 9 and 12 months, a site
    setting pending verification (the exact windows are not in the retrieved text).
    """
    baseline = _check_series(assessments)
    series = sorted(assessments, key=lambda a: a.date)
    disease = measurable_disease(baseline, isotype)
    warnings: list[str] = []
    if disease.missing and disease.track is not Track.SERUM_URINE:
        warnings.append(
            "baseline incomplete (missing "
            f"{missing_text(disease.missing)}): the track of response may be wrong"
        )
    if isotype is None:
        warnings.append(
            "isotype not given: a κ/λ ratio counts only where either light chain gives the "
            "same answer, and the anti-CD38 interference rule cannot be applied"
        )

    categorised: list[Categorised | None] = []
    for index, current in enumerate(series):
        if current.baseline:
            categorised.append(None)
            continue
        categorised.append(
            categorise(current, series[:index], baseline, disease, isotype, anti_cd38)
        )
        warnings.extend(categorised[-1].warnings)  # type: ignore[union-attr]

    results: list[AssessmentResult] = []
    earlier_mrd: list[tuple[Assessment, MrdResult | None]] = []
    for index, (current, cat) in enumerate(zip(series, categorised, strict=True)):
        tracked = _tracked_value(current, disease.track, disease.by)
        if cat is None:
            results.append(
                AssessmentResult(
                    date=current.date,
                    baseline=True,
                    category=None,
                    confirmed=None,
                    reasons=(),
                    missing=(),
                    mrd=None,
                    notes=(),
                    progression_criteria=(),
                    tracked_value=tracked,
                    sources=(),
                )
            )
            earlier_mrd.append((current, None))
            continue
        following = categorised[index + 1] if index + 1 < len(series) else None
        confirmed = _confirmed(
            cat.category,
            bool({"new_bone_lesion", "plasmacytoma"} & set(cat.criteria)),
            following.category if following is not None else None,
        )
        mrd, mrd_note = mrd_result(current, cat.category, earlier_mrd)
        earlier_mrd.append((current, mrd))
        notes = list(cat.notes)
        if mrd_note:
            notes.append(mrd_note)
        sources = list(cat.sources)
        if mrd is not None:
            sources.append(MRD_SOURCE)
        results.append(
            AssessmentResult(
                date=current.date,
                baseline=False,
                category=cat.category,
                confirmed=confirmed,
                reasons=cat.reasons,
                missing=cat.missing,
                mrd=mrd,
                notes=tuple(notes),
                progression_criteria=cat.criteria,
                tracked_value=tracked,
                sources=tuple(sources),
            )
        )

    progression = _progression_summary(results)
    if not progression.progressed:
        last = results[-1]
        if last.category is Category.PD:
            warnings.append(
                f"{last.date.isoformat()}: PD not yet confirmed — confirm at the next assessment"
            )
    confirmed_on = progression_confirmed_on(results)
    milestones: list[bool | None] = []
    milestone_reasons: list[str] = []
    methods: list[MrdMethod | None] = []
    for months in LANDMARK_MONTHS:
        value, reason, method = mrd_cr_at(
            months, treatment_start, results, confirmed_on, progression.date, landmark_window_days
        )
        milestones.append(value)
        milestone_reasons.append(reason)
        methods.append(method)
    milestone_reasons.append(
        f"landmark window: {landmark_window_days} days after month 9 and month 12 "
        f"({PENDING_VERIFICATION}: the exact I2TEAMM windows are not in the retrieved text)"
    )
    best, best_date = best_confirmed_response(
        [(r.date, r.category) for r in results if r.category is not None]
    )
    name, unit = _tracked(disease.track, disease.by)
    tracked_points = [(r.date, r.tracked_value) for r in results if r.tracked_value is not None]
    nadir_point = min(tracked_points, key=lambda p: (p[1], p[0])) if tracked_points else None
    return ResponseAssessment(
        measurable_disease=disease,
        assessments=tuple(results),
        best_confirmed_response=best,
        best_confirmed_response_date=best_date,
        progression=progression,
        mrd_cr=MrdCrMilestones(
            month_9=milestones[0],
            month_12=milestones[1],
            month_9_method=methods[0],
            month_12_method=methods[1],
            window_days=landmark_window_days,
            window_status=PENDING_VERIFICATION,
            reasons=tuple(milestone_reasons),
        ),
        warnings=tuple(warnings),
        tracked_quantity=name,
        tracked_unit=unit,
        nadir=(
            Nadir(date=nadir_point[0], value=nadir_point[1], unit=unit or "")
            if nadir_point
            else None
        ),
    )


def progression_confirmed_on(results: Sequence[AssessmentResult]) -> dt.date | None:
    """The date progression became confirmed: the imaging PD, or the second of two PDs."""
    for index, result in enumerate(results):
        if result.category is not Category.PD or not result.confirmed:
            continue
        if {"new_bone_lesion", "plasmacytoma"} & set(result.progression_criteria):
            return result.date
        return results[index + 1].date
    return None


def _progression_summary(results: Sequence[AssessmentResult]) -> Progression:
    for result in results:
        if result.category is Category.PD and result.confirmed:
            return Progression(
                progressed=True,
                date=result.date,
                criteria=result.progression_criteria,
                reasons=result.reasons,
            )
    return Progression(progressed=False, date=None, criteria=(), reasons=())


def summary_line(result: ResponseAssessment) -> str:
    """The clinic-letter line: best confirmed response, progression, MRD-CR at 9 and 12 months."""
    parts: list[str] = []
    if result.best_confirmed_response is not None and result.best_confirmed_response_date:
        parts.append(
            f"Best confirmed response {result.best_confirmed_response.value} "
            f"({result.best_confirmed_response_date.isoformat()})"
        )
    else:
        parts.append("Best confirmed response: not yet confirmed")
    if result.progression.progressed and result.progression.date is not None:
        parts.append(f"progression confirmed from {result.progression.date.isoformat()}")
    milestones = (
        (9, result.mrd_cr.month_9, result.mrd_cr.month_9_method),
        (12, result.mrd_cr.month_12, result.mrd_cr.month_12_method),
    )
    for months, value, method in milestones:
        if value is None:
            continue
        text = f"MRD-negative CR at {months} months: {'yes' if value else 'no'}"
        if value and method is not None:
            text += f" ({method.value.upper()}, 10⁻⁵)"
        parts.append(text)
    return "; ".join(parts)
