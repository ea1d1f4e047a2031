"""IMWG 2016 MRD categories (R11) and the I2TEAMM MRD-CR milestones at 9 and 12 months (R10).

Domain-reference §21; Kumar S et al., Lancet Oncol 2016;17:e328–46; Shi Q, Paiva B et al., J Clin
Oncol 2025;43:1289–301.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from myeloma_core.response_types import (
    MRD_NEGATIVE_AT_10_5,
    Assessment,
    AssessmentResult,
    Category,
    Ife,
    MrdCategory,
    MrdMethod,
    MrdResult,
    PetCt,
)
from myeloma_core.units import format_number

# R10/R11 MRD.
MRD_SENSITIVITY = Decimal("1e-5")
SUSTAINED_MRD_DAYS = 365
LANDMARK_MONTHS = (9, 12)
LANDMARK_WINDOW_DAYS = 30  # site setting, pending verification (R10)


# ---------------------------------------------------------------------------------------------
# R11 MRD


def mrd_result(
    current: Assessment,
    category: Category,
    earlier: Sequence[tuple[Assessment, MrdResult | None]],
) -> tuple[MrdResult | None, str | None]:
    mrd = current.mrd
    if mrd is None:
        return None, None
    if category not in (Category.CR, Category.SCR):
        return None, (
            f"MRD result ({mrd.result.value}, {mrd.method.value.upper()}) not categorised: the "
            f"IMWG MRD categories require CR (this assessment is {category.value})"
        )
    method = mrd.method.value.upper()
    if mrd.result is Ife.POSITIVE:
        return MrdResult(
            category=MrdCategory.POSITIVE,
            method=mrd.method,
            sensitivity=mrd.sensitivity,
            reasons=(f"{method} MRD positive",),
        ), None
    if mrd.sensitivity is None:
        return MrdResult(
            category=MrdCategory.NOT_EVALUABLE,
            method=mrd.method,
            sensitivity=None,
            reasons=(
                f"{method} MRD negative, sensitivity not given: not evaluable (needs ≤ 10⁻⁵)",
            ),
        ), None
    sensitivity = sensitivity_text(mrd.sensitivity)
    if mrd.sensitivity > MRD_SENSITIVITY:
        return MrdResult(
            category=MrdCategory.NOT_EVALUABLE,
            method=mrd.method,
            sensitivity=mrd.sensitivity,
            reasons=(
                f"{method} MRD negative at a sensitivity of {sensitivity}: not evaluable "
                "(IMWG needs 10⁻⁵ or better)",
            ),
        ), None
    reasons = [f"{method} MRD negative at a sensitivity of {sensitivity} (≤ 10⁻⁵)"]
    marrow = MrdCategory.FLOW if mrd.method is MrdMethod.NGF else MrdCategory.SEQUENCING
    if current.pet_ct is not PetCt.NEGATIVE:
        if current.pet_ct is None or current.pet_ct is PetCt.NOT_DONE:
            reasons.append("PET-CT not done: imaging-plus MRD not assessable")
        else:
            reasons.append("PET-CT positive: not imaging-plus MRD-negative")
        return MrdResult(
            category=marrow, method=mrd.method, sensitivity=mrd.sensitivity, reasons=tuple(reasons)
        ), None
    reasons.append("PET-CT negative: imaging-plus MRD-negative")
    category_out = MrdCategory.IMAGING_PLUS
    # Sustained: an earlier imaging-plus MRD-negative result ≥ 365 days before, with no MRD-
    # positive result or PD in between (Kumar 2016: "confirmed a minimum of 1 year apart").
    for previous, result in reversed(earlier):
        if result is None:
            if previous.mrd is not None and previous.mrd.result is Ife.POSITIVE:
                break
            continue
        if result.category is MrdCategory.POSITIVE:
            break
        if result.category in (MrdCategory.IMAGING_PLUS, MrdCategory.SUSTAINED):
            days = (current.date - previous.date).days
            if days >= SUSTAINED_MRD_DAYS:
                reasons.append(
                    f"imaging-plus MRD-negative also on {previous.date.isoformat()}, {days} days "
                    "earlier (≥ 365): sustained MRD-negative"
                )
                category_out = MrdCategory.SUSTAINED
                break
    return MrdResult(
        category=category_out,
        method=mrd.method,
        sensitivity=mrd.sensitivity,
        reasons=tuple(reasons),
    ), None


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sensitivity_text(sensitivity: Decimal) -> str:
    """ "10⁻⁵" for 1e-5, "2 × 10⁻⁶" for 2e-6."""
    _sign, digits, exponent = sensitivity.normalize().as_tuple()
    mantissa = "".join(str(d) for d in digits)
    power = exponent + len(digits) - 1 if isinstance(exponent, int) else 0
    head = Decimal(mantissa).scaleb(-(len(digits) - 1))
    text = f"10{str(power).translate(_SUPERSCRIPT)}"
    return text if head == 1 else f"{format_number(head)} × {text}"


# ---------------------------------------------------------------------------------------------
# R10 I2TEAMM MRD-CR


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def landmark_end(treatment_start: dt.date, months: int, window_days: int) -> dt.date:
    return add_months(treatment_start, months) + dt.timedelta(days=window_days)


def mrd_cr_at(
    months: int,
    treatment_start: dt.date,
    results: Sequence[AssessmentResult],
    progression_confirmed_on: dt.date | None,
    progression_date: dt.date | None,
    window_days: int,
) -> tuple[bool | None, str, MrdMethod | None]:
    """R10 at month ``months``: the answer, its reason and the MRD method that gave a yes."""
    end = landmark_end(treatment_start, months, window_days)
    window = f"{treatment_start.isoformat()} to {end.isoformat()}"
    for result in results:
        if result.baseline or not treatment_start <= result.date <= end:
            continue
        if progression_date is not None and progression_date < result.date:
            continue
        if (
            result.category in (Category.CR, Category.SCR)
            and result.mrd is not None
            and result.mrd.category in MRD_NEGATIVE_AT_10_5
        ):
            reason = (
                f"MRD-CR at {months} months: yes — {result.category.value} with "
                f"{result.mrd.method.value.upper()} MRD negative at ≤ 10⁻⁵ on "
                f"{result.date.isoformat()} (window {window})"
            )
            return True, reason, result.mrd.method
    if progression_confirmed_on is not None and progression_confirmed_on <= end:
        reason = (
            f"MRD-CR at {months} months: no — progression confirmed on "
            f"{progression_confirmed_on.isoformat()} before the end of the window ({window})"
        )
        return False, reason, None
    if any(not r.baseline and r.date > end for r in results):
        reason = (
            f"MRD-CR at {months} months: no — no MRD-negative CR (≤ 10⁻⁵) in the window {window}"
        )
        return False, reason, None
    return None, f"MRD-CR at {months} months: not yet known (window {window})", None
