"""Golden cases stored with the shipped content pass, and a broken regimen fails them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from myeloma_core.dosing import DosingSettings
from myeloma_core.golden import golden_case_failures
from myeloma_core.regimen_schema import regimen_spec_from_dict

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _load(slug: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    definition = yaml.safe_load((CONTENT / "regimens" / f"{slug}.yaml").read_text("utf-8"))
    cases = yaml.safe_load((CONTENT / "golden" / f"{slug}.yaml").read_text("utf-8"))
    return definition, cases


def test_every_shipped_golden_case_passes() -> None:
    for path in sorted((CONTENT / "golden").glob("*.yaml")):
        definition, cases = _load(path.stem)
        spec = regimen_spec_from_dict(definition)
        assert golden_case_failures(spec, cases, DosingSettings()) == (), path.stem


def test_a_changed_dose_fails_the_golden_case() -> None:
    definition, cases = _load("isa-pd")
    for component in definition["components"]:
        if component["drug"] == "isatuximab":
            component["dose"]["amount"] = 8  # not the SmPC's 10 mg/kg
    failures = golden_case_failures(regimen_spec_from_dict(definition), cases, DosingSettings())
    assert any("isatuximab on 2026-01-05 is 576" in f and "expected 720" in f for f in failures)


def test_a_moved_day_fails_the_golden_case() -> None:
    definition, cases = _load("isa-kd")
    for component in definition["components"]:
        if component["drug"] == "carfilzomib":
            component["schedule"][0]["days"] = [1, 2, 8, 9, 15]
    failures = golden_case_failures(regimen_spec_from_dict(definition), cases, DosingSettings())
    assert any("no carfilzomib on 2026-04-14" in f for f in failures)  # C2 D16 dropped
