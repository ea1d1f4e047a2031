"""Shared values and builders for the response tests (tests/core/test_response*.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from myeloma_core.response_series import assess_response
from myeloma_core.response_types import (
    AntiCd38,
    Assessment,
    AssessmentResult,
    Category,
    HeavyChain,
    Isotype,
    LightChain,
    MrdCategory,
    ResponseAssessment,
    assessment,
)

IGG_K = Isotype(heavy_chain=HeavyChain.IGG, light_chain=LightChain.KAPPA)
IGA_K = Isotype(heavy_chain=HeavyChain.IGA, light_chain=LightChain.KAPPA)
LAMBDA = Isotype(heavy_chain=HeavyChain.NONE, light_chain=LightChain.LAMBDA)
KAPPA_LC = Isotype(heavy_chain=HeavyChain.NONE, light_chain=LightChain.KAPPA)
START = dt.date(2026, 1, 5)
BASELINE_DAY = "2026-01-02"
CR_FINDINGS: dict[str, Any] = {
    "serum_m_protein": (0, "g/L"),
    "serum_ife": "negative",
    "urine_ife": "negative",
    "bone_marrow_plasma_cells_percent": 2,
    "plasmacytoma": "absent",
}
NORMAL_FLC: dict[str, Any] = {"involved_flc": (12, "mg/L"), "uninvolved_flc": (10, "mg/L")}
# Neither serum (< 10 g/L) nor urine (< 200 mg/24 h) measurable at baseline.
FISH_FREE: dict[str, Any] = {"serum_m_protein": (5, "g/L"), "urine_m_protein": (100, "mg/24h")}


def a(day: str, baseline: bool = False, /, **values: Any) -> Assessment:
    return assessment(date=dt.date.fromisoformat(day), baseline=baseline, **values)


def base(**values: Any) -> Assessment:
    values.setdefault("plasmacytoma", "absent")
    return a(BASELINE_DAY, True, **values)


def run(
    *assessments: Assessment,
    isotype: Isotype | None = IGG_K,
    anti_cd38: AntiCd38 | None = None,
    window: int = 30,
) -> ResponseAssessment:
    return assess_response(
        assessments=assessments,
        treatment_start=START,
        isotype=isotype,
        anti_cd38=anti_cd38,
        landmark_window_days=window,
    )


def categories(result: ResponseAssessment) -> list[str | None]:
    return [r.category.value if r.category else None for r in result.assessments]


def second(result: ResponseAssessment) -> Any:
    return result.assessments[1]


def mrd_of(item: AssessmentResult) -> MrdCategory:
    assert item.mrd is not None
    return item.mrd.category


def depth(category: Category | None) -> int:
    """Smaller is deeper (sCR first); PD and NE come after SD."""
    assert category is not None
    return list(Category).index(category)


def serum_baseline() -> Assessment:
    return base(
        serum_m_protein=(40, "g/L"),
        urine_m_protein=(0, "mg/24h"),
        involved_flc=(300, "mg/L"),
        uninvolved_flc=(10, "mg/L"),
    )


def serum_series(*points: tuple[str, dict[str, Any]]) -> ResponseAssessment:
    return run(serum_baseline(), *(a(day, **values) for day, values in points))


def s(value: float) -> dict[str, Any]:
    return {"serum_m_protein": (value, "g/L")}


def mrd_values(result: str = "negative", method: str = "ngs", sensitivity: float = 1e-5) -> Any:
    return {"result": result, "method": method, "sensitivity": sensitivity}
