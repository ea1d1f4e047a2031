"""Frailty scores — domain-reference §8: IMWG frailty score (8.1) and simplified score (8.2).

An item not assessed is counted with every number of points it could give (G1): the score is
then a range, and a category is reported only when the whole range falls in one category.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from myeloma_core.errors import InvalidInput

IMWG_SOURCE = "IMWG frailty score: Palumbo A et al., Blood 2015;125:2068"
SIMPLIFIED_SOURCE = (
    "Simplified frailty score: Facon T et al., Leukemia 2020;34:224 (FIRST trial); "
    "MAIA frailty analysis: Facon T et al., Leukemia 2022"
)
IMWG_VERIFICATION_NOTE = (
    "Pending verification: the components (age, Charlson Comorbidity Index, Katz ADL, Lawton "
    "IADL), the 0–5 range and the grouping (0 fit, 1 intermediate, ≥ 2 frail) are verified, but "
    "the per-item cut-points (age ≤ 75 / 76–80 / > 80; CCI ≤ 1 / ≥ 2; ADL > 4 / ≤ 4; IADL > 5 / "
    "≤ 5) have not been checked against Palumbo et al., Blood 2015, Table 1 (domain reference "
    "§8.1, §20)."
)
SIMPLIFIED_VERIFICATION_NOTE = (
    "Points and cut-off verified (Facon et al., Leukemia 2020; MAIA analysis, Leukemia 2022)."
)


class FrailtyCategory(StrEnum):
    FIT = "fit"
    INTERMEDIATE = "intermediate"
    FRAIL = "frail"
    NON_FRAIL = "non_frail"


@dataclass(frozen=True, slots=True, kw_only=True)
class FrailtyItem:
    name: str
    value: int | None
    points: int | None
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FrailtyResult:
    system: str
    score: int | None
    score_range: tuple[int, int]
    category: FrailtyCategory | None
    possible_categories: tuple[FrailtyCategory, ...]
    items: tuple[FrailtyItem, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str
    cut_points_verified: bool
    verification_note: str


@dataclass(frozen=True, slots=True)
class _ItemRule:
    field: str
    name: str
    unit: str
    low: int
    high: int
    points: Callable[[int], int]
    possible_points: tuple[int, ...]
    rule: str


def _age_points(age: int) -> int:
    if age <= 75:
        return 0
    if age <= 80:
        return 1
    return 2


_AGE = _ItemRule(
    "age_years", "Age", " years", 18, 120, _age_points, (0, 1, 2), "≤ 75: 0; 76–80: 1; > 80: 2"
)
_CCI_IMWG = _ItemRule(
    "charlson_comorbidity_index",
    "Charlson Comorbidity Index",
    "",
    0,
    37,
    lambda cci: 0 if cci <= 1 else 1,
    (0, 1),
    "≤ 1: 0; ≥ 2: 1",
)
_ADL = _ItemRule(
    "katz_adl",
    "Katz ADL",
    " of 6",
    0,
    6,
    lambda adl: 0 if adl > 4 else 1,
    (0, 1),
    "> 4: 0; ≤ 4: 1",
)
_IADL = _ItemRule(
    "lawton_iadl",
    "Lawton IADL",
    " of 8",
    0,
    8,
    lambda iadl: 0 if iadl > 5 else 1,
    (0, 1),
    "> 5: 0; ≤ 5: 1",
)
_CCI_SIMPLIFIED = _ItemRule(
    "charlson_comorbidity_index",
    "Charlson Comorbidity Index",
    "",
    0,
    37,
    lambda cci: 0 if cci <= 1 else 1,
    (0, 1),
    "≤ 1: 0; > 1: 1",
)
_ECOG = _ItemRule(
    "ecog_performance_status",
    "ECOG performance status",
    "",
    0,
    4,
    lambda ecog: min(ecog, 2),
    (0, 1, 2),
    "0: 0; 1: 1; ≥ 2: 2",
)


# The accepted range of each item, for forms that check it before the domain does.
ITEM_RANGES: dict[str, tuple[int, int]] = {
    rule.field: (rule.low, rule.high) for rule in (_AGE, _CCI_IMWG, _ADL, _IADL, _ECOG)
}


def _checked(rule: _ItemRule, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not rule.low <= value <= rule.high:
        raise InvalidInput(
            rule.field,
            f"{rule.name} must be a whole number from {rule.low} to {rule.high}; got {value!r}.",
        )
    return value


def _imwg_category(total: int) -> FrailtyCategory:
    """F1: 0 ⇒ fit; 1 ⇒ intermediate; ≥ 2 ⇒ frail."""
    if total == 0:
        return FrailtyCategory.FIT
    if total == 1:
        return FrailtyCategory.INTERMEDIATE
    return FrailtyCategory.FRAIL


def _simplified_category(total: int) -> FrailtyCategory:
    """F2: 0–1 ⇒ non-frail; ≥ 2 ⇒ frail."""
    return FrailtyCategory.NON_FRAIL if total <= 1 else FrailtyCategory.FRAIL


_CATEGORY_ORDER = (
    FrailtyCategory.FIT,
    FrailtyCategory.INTERMEDIATE,
    FrailtyCategory.NON_FRAIL,
    FrailtyCategory.FRAIL,
)
_IMWG_OS = {FrailtyCategory.FIT: 84, FrailtyCategory.INTERMEDIATE: 76, FrailtyCategory.FRAIL: 57}


def _range_words(points: Sequence[int]) -> str:
    low, high = min(points), max(points)
    return f"{low} or {high} point" if high - low == 1 and high == 1 else f"{low} to {high} points"


def _category_words(categories: Sequence[FrailtyCategory]) -> str:
    return " or ".join(c.value.replace("_", "-") for c in categories)


def _score(
    *,
    system: str,
    rules: Sequence[_ItemRule],
    values: Sequence[int | None],
    categorise: Callable[[int], FrailtyCategory],
    source: str,
    verified: bool,
    note: str,
) -> FrailtyResult:
    checked = [_checked(rule, value) for rule, value in zip(rules, values, strict=True)]
    items = tuple(
        FrailtyItem(
            name=rule.name,
            value=value,
            points=None if value is None else rule.points(value),
            rule=rule.rule,
        )
        for rule, value in zip(rules, checked, strict=True)
    )
    domains = [
        rule.possible_points if item.points is None else (item.points,)
        for rule, item in zip(rules, items, strict=True)
    ]
    outcomes = [(combo, categorise(sum(combo))) for combo in itertools.product(*domains)]
    totals = [sum(combo) for combo, _ in outcomes]
    low, high = min(totals), max(totals)
    possible = tuple(c for c in _CATEGORY_ORDER if any(c is got for _, got in outcomes))
    missing = []
    for index, rule in enumerate(rules):
        if len(domains[index]) < 2:
            continue
        first_seen: dict[tuple[int, ...], FrailtyCategory] = {}
        for combo, got in outcomes:
            rest = combo[:index] + combo[index + 1 :]
            if first_seen.setdefault(rest, got) is not got:
                missing.append(rule.field)
                break
    category: FrailtyCategory | None = possible[0] if len(possible) == 1 else None
    reasons = [
        f"{item.name} {item.value}{rule.unit}: {item.points} point{'' if item.points == 1 else 's'}"
        if item.value is not None
        else f"{item.name} not assessed: {_range_words(rule.possible_points)}"
        for rule, item in zip(rules, items, strict=True)
    ]
    if low == high:
        reasons.append(f"Total {low} ⇒ {_category_words(possible)}")
    elif category is not None:
        reasons.append(
            f"Total {low} to {high} ⇒ {_category_words(possible)} whatever the items not assessed"
        )
    else:
        names = ", ".join(rule.name for rule in rules if rule.field in missing)
        reasons.append(f"Total {low} to {high} ⇒ {_category_words(possible)} — depends on {names}")
    return FrailtyResult(
        system=system,
        score=low if low == high else None,
        score_range=(low, high),
        category=category,
        possible_categories=possible,
        items=items,
        missing=tuple(missing),
        reasons=tuple(reasons),
        source=source,
        cut_points_verified=verified,
        verification_note=note,
    )


def imwg_frailty(
    *,
    age_years: int | None,
    charlson_comorbidity_index: int | None,
    katz_adl: int | None,
    lawton_iadl: int | None,
) -> FrailtyResult:
    """IMWG frailty score (Palumbo, Blood 2015;125:2068) — domain-reference §8.1 F1.

    Age ≤ 75 / 76–80 / > 80 = 0 / 1 / 2; CCI ≤ 1 / ≥ 2 = 0 / 1; Katz ADL > 4 / ≤ 4 = 0 / 1;
    Lawton IADL > 5 / ≤ 5 = 0 / 1. Total 0 fit, 1 intermediate, ≥ 2 frail. The per-item
    cut-points are UNVERIFIED (§8.1, §20): the result says so (``cut_points_verified`` False).
    """
    result = _score(
        system="IMWG frailty score",
        rules=(_AGE, _CCI_IMWG, _ADL, _IADL),
        values=(age_years, charlson_comorbidity_index, katz_adl, lawton_iadl),
        categorise=_imwg_category,
        source=IMWG_SOURCE,
        verified=False,
        note=IMWG_VERIFICATION_NOTE,
    )
    if result.category is not None:
        extra = (
            f"3-year overall survival in the IMWG cohort: {_IMWG_OS[result.category]} % "
            f"({result.category.value})",
        )
        return _with_reasons(result, extra)
    return result


def simplified_frailty(
    *,
    age_years: int | None,
    charlson_comorbidity_index: int | None,
    ecog_performance_status: int | None,
) -> FrailtyResult:
    """Simplified frailty score (Facon, Leukemia 2020;34:224) — domain-reference §8.2 F2.

    Age ≤ 75 / 76–80 / > 80 = 0 / 1 / 2; CCI ≤ 1 / > 1 = 0 / 1; ECOG 0 / 1 / ≥ 2 = 0 / 1 / 2.
    Total 0–1 non-frail, ≥ 2 frail (the MAIA analysis splits non-frail into 0 fit, 1
    intermediate).
    """
    result = _score(
        system="Simplified frailty score",
        rules=(_AGE, _CCI_SIMPLIFIED, _ECOG),
        values=(age_years, charlson_comorbidity_index, ecog_performance_status),
        categorise=_simplified_category,
        source=SIMPLIFIED_SOURCE,
        verified=True,
        note=SIMPLIFIED_VERIFICATION_NOTE,
    )
    if result.category is FrailtyCategory.NON_FRAIL:
        score = result.score
        split = (
            f": this score ({score}) is {'fit' if score == 0 else 'intermediate'}"
            if score is not None
            else ""
        )
        note = (
            "The MAIA frailty analysis splits non-frail into fit (0 points) and intermediate "
            f"(1 point){split}",
        )
        return _with_reasons(result, note)
    return result


def _with_reasons(result: FrailtyResult, extra: tuple[str, ...]) -> FrailtyResult:
    return replace(result, reasons=result.reasons + extra)
