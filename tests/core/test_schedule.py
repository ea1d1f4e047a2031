"""Calendars (reference §16 C1–C5, §14.3 X9–X11, §14.5 X21–X22, §14.6 X27; worked examples D1, D2).

Every expected date below is written from the reference text (or counted by hand with the C1 rule
"day n of cycle k = start + (n − 1)"), not read from the program's output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from myeloma_core.body import BsaFormula, Sex
from myeloma_core.dosing import DosingInputError, DosingSettings, Jurisdiction, Patient
from myeloma_core.regimen import RegimenContentError, RegimenSpec, Route
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.schedule import (
    Administration,
    AdministrationStatus,
    RescheduleScope,
    Schedule,
    administration_warnings,
    expand,
    reschedule,
    schedule_to_dict,
)

REGIMENS = Path(__file__).resolve().parents[2] / "content" / "regimens"
SLUGS = sorted(p.stem for p in REGIMENS.glob("*.yaml"))


@cache
def spec(slug: str) -> RegimenSpec:
    return regimen_spec_from_dict(yaml.safe_load((REGIMENS / f"{slug}.yaml").read_text("utf-8")))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def dates(*texts: str) -> list[dt.date]:
    return [d(t) for t in texts]


def of(schedule: Schedule | tuple[Administration, ...], drug: str) -> list[Administration]:
    items = schedule.administrations if isinstance(schedule, Schedule) else schedule
    return [a for a in items if a.drug == drug]


D1_PATIENT = Patient(age_years=68, sex=Sex.MALE, weight_kg=72, height_cm=178, creatinine_mg_dl=0.9)
D2_PATIENT = Patient(age_years=61, sex=Sex.MALE, weight_kg=85, height_cm=178, creatinine_mg_dl=0.9)


def d1(cycles: int = 2, **changes: Any) -> Schedule:
    patient = dataclasses.replace(D1_PATIENT, **changes)
    return expand(spec("isa-pd"), patient=patient, start_date=d("2026-01-05"), cycles=cycles)


def d2(cycles: int = 2, formula: BsaFormula = BsaFormula.MOSTELLER) -> Schedule:
    return expand(
        spec("isa-kd"),
        patient=D2_PATIENT,
        start_date=d("2026-03-02"),
        cycles=cycles,
        settings=DosingSettings(bsa_formula=formula),
    )


class TestWorkedExampleD1IsaPd:
    def test_cycles(self) -> None:
        schedule = d1()
        assert [(c.number, c.start_date, c.length_days) for c in schedule.cycles] == [
            (1, d("2026-01-05"), 28),
            (2, d("2026-02-02"), 28),
        ]

    def test_isatuximab_dates_infusions_and_doses(self) -> None:
        isa = of(d1(), "isatuximab")
        assert [a.date for a in isa] == dates(
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-16"
        )
        assert [(a.cycle, a.day) for a in isa] == [
            (1, 1),
            (1, 8),
            (1, 15),
            (1, 22),
            (2, 1),
            (2, 15),
        ]
        assert [a.infusion_number for a in isa] == [1, 2, 3, 4, 5, 6]
        # X22: 3 h 20 min, 1 h 53 min (112.5 min), then 75 min
        assert [a.infusion_minutes for a in isa] == [200, 112.5, 75, 75, 75, 75]
        for adm in isa:
            assert adm.dose.value == 720
            assert adm.dose.volume_ml == 36.0
            assert adm.dose.calculation == "10 mg/kg × 72 kg"
            assert adm.dose.vials is not None
            assert [(v.strength_mg, v.count) for v in adm.dose.vials.vials] == [(500, 1), (100, 3)]
            assert adm.dose.vials.waste_mg == 80
            assert adm.route is Route.IV
            assert adm.status is AdministrationStatus.PLANNED

    def test_pomalidomide_days_1_to_21(self) -> None:
        pom = of(d1(), "pomalidomide")
        first = [d("2026-01-05") + dt.timedelta(days=n) for n in range(21)]  # 01-05 → 01-25
        second = [d("2026-02-02") + dt.timedelta(days=n) for n in range(21)]  # 02-02 → 02-22
        assert [a.date for a in pom] == first + second
        assert pom[20].date == d("2026-01-25") and pom[-1].date == d("2026-02-22")
        assert {a.dose.value for a in pom} == {4}
        assert {a.route for a in pom} == {Route.PO}

    def test_dexamethasone_40_mg_weekly(self) -> None:
        dex = of(d1(), "dexamethasone")
        assert [a.date for a in dex] == dates(
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26",
            "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23",
        )  # fmt: skip
        assert {a.dose.value for a in dex} == {40}

    @pytest.mark.parametrize("age,expected", [(74, 40), (75, 20)])
    def test_dexamethasone_age_rule(self, age: int, expected: float) -> None:
        dex = of(d1(age_years=age), "dexamethasone")
        assert {a.dose.value for a in dex} == {expected}

    def test_premedication_and_single_dexamethasone(self) -> None:
        schedule = d1()
        for adm in of(schedule, "isatuximab"):
            names = [p.name for p in adm.premedication]
            assert "dexamethasone" not in " ".join(names)  # X12: counted once, as backbone
            assert ("montelukast" in names) == (adm.cycle == 1)  # X13: at least cycle 1
            assert {p.rule for p in adm.premedication} >= {"X14", "X15", "X16"}
        per_day: dict[tuple[str, dt.date], int] = {}
        for adm in schedule.administrations:
            per_day[(adm.drug, adm.date)] = per_day.get((adm.drug, adm.date), 0) + 1
        assert set(per_day.values()) == {1}

    def test_order_dexamethasone_before_isatuximab(self) -> None:
        schedule = d1()
        for adm in of(schedule, "isatuximab"):
            same_day = {a.drug: a.order for a in schedule.administrations if a.date == adm.date}
            assert same_day["dexamethasone"] == 1
            assert same_day["isatuximab"] == 2
            if adm.day <= 21:  # pomalidomide D1–21: present, but no source orders it
                assert same_day["pomalidomide"] is None

    def test_no_weekend_flags_for_home_tablets(self) -> None:
        schedule = d1()
        assert not [w for w in schedule.warnings if "weekend" in w]
        assert any("weigh the patient before each cycle" in n for n in schedule.notes)


class TestWorkedExampleD2IsaKd:
    def test_patient_values(self) -> None:
        schedule = d2()
        assert schedule.patient_bsa_m2 == 2.05
        assert schedule.bsa_formula is BsaFormula.MOSTELLER
        assert schedule.crcl.formula == "cockcroft-gault"

    def test_isatuximab(self) -> None:
        isa = of(d2(), "isatuximab")
        assert [a.date for a in isa] == dates(
            "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-13"
        )
        assert {a.dose.value for a in isa} == {850}
        assert {a.dose.volume_ml for a in isa} == {42.5}
        vials = isa[0].dose.vials
        assert vials is not None
        assert [(v.strength_mg, v.count) for v in vials.vials] == [(500, 1), (100, 4)]
        assert (vials.total_mg, vials.waste_mg) == (900, 50)

    @pytest.mark.parametrize(
        "formula,priming,full",
        [(BsaFormula.MOSTELLER, 41.0, 114.8), (BsaFormula.DUBOIS, 40.6, 113.8)],
    )
    def test_carfilzomib(self, formula: BsaFormula, priming: float, full: float) -> None:
        carf = of(d2(formula=formula), "carfilzomib")
        assert [a.date for a in carf] == dates(
            "2026-03-02", "2026-03-03", "2026-03-09", "2026-03-10", "2026-03-16", "2026-03-17",
            "2026-03-30", "2026-03-31", "2026-04-06", "2026-04-07", "2026-04-13", "2026-04-14",
        )  # fmt: skip
        assert [a.dose.value for a in carf] == [priming, priming] + [full] * 10
        assert {a.route for a in carf} == {Route.IV}

    def test_dexamethasone_iv_and_po_days(self) -> None:
        dex = of(d2(), "dexamethasone")
        assert [(a.date, a.route) for a in dex] == [
            (d("2026-03-02"), Route.IV),
            (d("2026-03-03"), Route.IV),
            (d("2026-03-09"), Route.IV),
            (d("2026-03-10"), Route.IV),
            (d("2026-03-16"), Route.IV),
            (d("2026-03-17"), Route.IV),
            (d("2026-03-23"), Route.IV),  # isatuximab day
            (d("2026-03-24"), Route.PO),
            (d("2026-03-30"), Route.IV),
            (d("2026-03-31"), Route.IV),
            (d("2026-04-06"), Route.IV),
            (d("2026-04-07"), Route.IV),
            (d("2026-04-13"), Route.IV),
            (d("2026-04-14"), Route.IV),
            (d("2026-04-20"), Route.PO),
            (d("2026-04-21"), Route.PO),
        ]
        assert {a.dose.value for a in dex} == {20}

    def test_order_on_shared_days(self) -> None:
        # X21: dexamethasone → isatuximab → carfilzomib
        schedule = d2()
        day_one = [a.drug for a in schedule.administrations if a.date == d("2026-03-02")]
        assert day_one == ["dexamethasone", "isatuximab", "carfilzomib"]
        assert [a.order for a in schedule.administrations if a.date == d("2026-03-02")] == [1, 2, 3]
        day_two = [a.drug for a in schedule.administrations if a.date == d("2026-03-03")]
        assert day_two == ["dexamethasone", "carfilzomib"]

    def test_no_warnings_for_this_patient(self) -> None:
        assert d2().warnings == ()

    def test_api_shape(self) -> None:
        out = schedule_to_dict(d2())
        json.dumps(out)
        first = out["administrations"][1]
        assert first["date"] == "2026-03-02"
        assert first["drug"] == "isatuximab"
        assert first["dose"] == {"value": 850, "unit": "mg"}
        assert first["route"] == "iv"
        assert first["calculation"] == "10 mg/kg × 85 kg"
        assert first["vials"] == [
            {"strength_mg": 500, "count": 1},
            {"strength_mg": 100, "count": 4},
        ]
        assert out["patient"]["bsa_m2"] == 2.05
        assert out["patient"]["bsa_formula"] == "mosteller"
        assert out["cycles"][1] == {"number": 2, "start_date": "2026-03-30", "length_days": 28}


class TestImroz:
    def test_cycle_starts_42_then_28(self) -> None:
        schedule = expand(
            spec("isa-vrd-imroz"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=19
        )
        starts = [c.start_date for c in schedule.cycles]
        assert starts[:6] == dates(
            "2026-01-05", "2026-02-16", "2026-03-30", "2026-05-11", "2026-06-22", "2026-07-20"
        )
        assert [c.length_days for c in schedule.cycles] == [42] * 4 + [28] * 15
        assert starts[16] == d("2027-05-24")  # C17
        assert starts[17] == d("2027-06-21")  # C18 = C5 + 13 × 28 days

    def test_isatuximab_days_per_cycle(self) -> None:
        schedule = expand(
            spec("isa-vrd-imroz"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=19
        )
        days: dict[int, list[int]] = {}
        for adm in of(schedule, "isatuximab"):
            days.setdefault(adm.cycle, []).append(adm.day)
        assert days[1] == [1, 8, 15, 22, 29]
        assert days[2] == days[3] == days[4] == [1, 15, 29]
        assert all(days[c] == [1, 15] for c in range(5, 18))
        assert days[18] == days[19] == [1]  # X10: C18+ every 4 weeks
        isa = {(a.cycle, a.day): a.date for a in of(schedule, "isatuximab")}
        # [DERIVED] C1 D29 → C2 D1 is 14 days; C17 D15 → C18 D1 is 14 days; then every 28 days
        assert (isa[(2, 1)] - isa[(1, 29)]).days == 14
        assert isa[(17, 15)] == d("2027-06-07")
        assert (isa[(18, 1)] - isa[(17, 15)]).days == 14
        assert (isa[(19, 1)] - isa[(18, 1)]).days == 28

    def test_partner_drugs_flagged_pending(self) -> None:
        schedule = expand(
            spec("isa-vrd-imroz"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=1
        )
        assert schedule.warnings[0].startswith("Pending verification — regimen isa-vrd-imroz")
        for drug in ("bortezomib", "lenalidomide", "dexamethasone"):
            assert any(w.startswith(f"Pending verification — {drug}") for w in schedule.warnings)
        assert not any(w.startswith("Pending verification — isatuximab") for w in schedule.warnings)


class TestGmmgHd7:
    def test_three_cycle_maximum(self) -> None:
        with pytest.raises(DosingInputError) as info:
            expand(
                spec("isa-vrd-gmmg-hd7"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=4
            )
        assert info.value.field == "cycles"
        assert "at most 3" in info.value.message

    def test_induction_calendar(self) -> None:
        schedule = expand(
            spec("isa-vrd-gmmg-hd7"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=3
        )
        assert [c.start_date for c in schedule.cycles] == dates(
            "2026-01-05", "2026-02-16", "2026-03-30"
        )
        assert [a.date for a in of(schedule, "isatuximab")] == dates(
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02",
            "2026-02-16", "2026-03-02", "2026-03-16",
            "2026-03-30", "2026-04-13", "2026-04-27",
        )  # fmt: skip
        assert [a.date for a in of(schedule, "bortezomib") if a.cycle == 1] == dates(
            "2026-01-05", "2026-01-08", "2026-01-12", "2026-01-15",
            "2026-01-26", "2026-01-29", "2026-02-02", "2026-02-05",
        )  # fmt: skip
        # D2-style BSA for D1's patient: √(178 × 72 / 3600) = 1.887 m² → 1.3 × 1.887 = 2.5 mg
        assert {a.dose.value for a in of(schedule, "bortezomib")} == {2.5}
        assert [a.day for a in of(schedule, "lenalidomide") if a.cycle == 1] == [
            *range(1, 15),
            *range(22, 36),
        ]
        dex_c1 = [a for a in of(schedule, "dexamethasone") if a.cycle == 1]
        assert [a.day for a in dex_c1] == [
            1,
            2,
            4,
            5,
            8,
            9,
            11,
            12,
            15,
            22,
            23,
            25,
            26,
            29,
            30,
            32,
            33,
        ]
        iv_days = [a.day for a in dex_c1 if a.route is Route.IV]
        assert iv_days == [1, 8, 15, 22, 29]  # X12: IV on isatuximab days only
        assert schedule.warnings == ()

    def test_end_of_induction_milestone(self) -> None:
        schedule = expand(
            spec("isa-vrd-gmmg-hd7"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=3
        )
        # C3 starts 2026-03-30 and lasts 42 days: the next day is 2026-05-11
        assert {m.date for m in schedule.milestones} == {d("2026-05-11")}
        assert any("intensification" in m.label for m in schedule.milestones)

    def test_renal_every_other_day(self) -> None:
        # 80 y man, 60 kg, creatinine 3.0: (140 − 80) × 60 / (72 × 3) = 16.7 mL/min < 30
        patient = Patient(
            age_years=80, sex=Sex.MALE, weight_kg=60, height_cm=170, creatinine_mg_dl=3.0
        )
        schedule = expand(
            spec("isa-vrd-gmmg-hd7"), patient=patient, start_date=d("2026-01-05"), cycles=1
        )
        assert schedule.crcl.ml_min_rounded == 16.7
        lenalidomide = of(schedule, "lenalidomide")
        assert [a.day for a in lenalidomide] == [1, 3, 5, 7, 9, 11, 13, 22, 24, 26, 28, 30, 32, 34]
        assert {a.dose.value for a in lenalidomide} == {15}
        assert any("15 mg every other day (EU SmPC)" in w for w in schedule.warnings)
        us = expand(
            spec("isa-vrd-gmmg-hd7"),
            patient=patient,
            start_date=d("2026-01-05"),
            cycles=1,
            settings=DosingSettings(jurisdiction=Jurisdiction.US),
        )
        assert any("15 mg every 48 hours (US label)" in w for w in us.warnings)

    def test_renal_dialysis_daily(self) -> None:
        patient = Patient(
            age_years=70,
            sex=Sex.FEMALE,
            weight_kg=60,
            height_cm=160,
            creatinine_mg_dl=6.0,
            on_dialysis=True,
        )
        schedule = expand(
            spec("isa-vrd-gmmg-hd7"), patient=patient, start_date=d("2026-01-05"), cycles=1
        )
        lenalidomide = of(schedule, "lenalidomide")
        assert len(lenalidomide) == 28
        assert {a.dose.value for a in lenalidomide} == {5}


class TestCycleInput:
    @pytest.mark.parametrize("cycles", [0, -1, 61])
    def test_out_of_range(self, cycles: int) -> None:
        with pytest.raises(DosingInputError) as info:
            expand(spec("isa-pd"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=cycles)
        assert info.value.field == "cycles"
        assert "1 to 60" in info.value.message

    def test_invalid_patient_names_the_field(self) -> None:
        patient = Patient(
            age_years=68, sex=Sex.MALE, weight_kg=20, height_cm=178, creatinine_mg_dl=1
        )
        with pytest.raises(DosingInputError) as info:
            expand(spec("isa-pd"), patient=patient, start_date=d("2026-01-05"), cycles=1)
        assert info.value.field == "weight_kg"


class TestWeekendsAndIntervals:
    def test_weekend_flagged_not_moved(self) -> None:
        saturday = d("2026-03-07")
        schedule = expand(spec("isa-kd"), patient=D2_PATIENT, start_date=saturday, cycles=1)
        assert of(schedule, "isatuximab")[0].date == saturday
        assert (
            "2026-03-07 (Saturday): isatuximab C1 D1 falls on a weekend"
            " — the date is not moved (C4)" in schedule.warnings
        )
        assert any(
            w.startswith("2026-03-08 (Sunday): carfilzomib C1 D2") for w in schedule.warnings
        )

    def test_bortezomib_72_hours_across_cycles(self) -> None:
        data = yaml.safe_load((REGIMENS / "isa-vrd-gmmg-hd7.yaml").read_text("utf-8"))
        data["cycle_rules"] = [{"cycles": [1, 3], "length_days": 33}]
        bortezomib = next(c for c in data["components"] if c["drug"] == "bortezomib")
        bortezomib["schedule"][0]["days"] = [1, 4, 8, 11, 22, 25, 29, 32]
        for component in data["components"]:
            for rule in component["schedule"]:
                rule["days"] = [x for x in rule["days"] if not isinstance(x, int) or x <= 33]
        lenalidomide = next(c for c in data["components"] if c["drug"] == "lenalidomide")
        lenalidomide["schedule"][0]["days"] = ["1-14", "22-33"]
        shortened = regimen_spec_from_dict(data)
        # C1 D32 → C2 D1 is 2 days (day 32 → day 34): < 72 h
        with pytest.raises(RegimenContentError) as info:
            expand(shortened, patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=2)
        assert "72 h" in info.value.message


class TestRest:
    def test_dexamethasone_only_cycles_1_and_2_and_flags(self) -> None:
        schedule = expand(
            spec("isa-vrd-rest"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=3
        )
        dex = of(schedule, "dexamethasone")
        assert [(a.cycle, a.day) for a in dex] == [
            (c, day) for c in (1, 2) for day in (1, 8, 15, 22)
        ]
        assert {a.dose.value for a in dex} == {20}
        assert {a.route for a in dex} == {Route.PO}
        # C3 starts 2026-03-02: isatuximab D1 has no dexamethasone that day
        assert any(
            w.startswith("2026-03-02: isatuximab C3 D1 has no dexamethasone")
            for w in schedule.warnings
        )
        assert schedule.warnings[0].startswith("Pending verification — regimen isa-vrd-rest")


class TestReschedule:
    def test_late_dose_scope_drug_keeps_interval(self) -> None:
        schedule = d1(cycles=3)  # C3 starts 2026-03-02
        result = reschedule(
            schedule.administrations,
            drug="isatuximab",
            planned_date=d("2026-02-16"),
            actual_date=d("2026-02-18"),
            scope="drug",
        )
        isa = of(result, "isatuximab")
        moved = next(a for a in isa if a.planned_date == d("2026-02-16"))
        assert moved.date == d("2026-02-18")
        assert moved.status is AdministrationStatus.GIVEN
        later = [a.date for a in isa if a.cycle == 3]
        assert later == dates("2026-03-04", "2026-03-18")  # 03-02 and 03-16, + 2 days
        assert [a.planned_date for a in isa if a.cycle == 3] == dates("2026-03-02", "2026-03-16")
        # other drugs do not move with scope "drug" — except the dexamethasone that is the
        # premedication of a moved infusion (X12): 02-16 → 02-18, 03-02 → 03-04, 03-16 → 03-18
        assert of(result, "pomalidomide") == of(schedule, "pomalidomide")
        assert [a.date for a in of(result, "dexamethasone")] == dates(
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26",
            "2026-02-02", "2026-02-09", "2026-02-18", "2026-02-23",
            "2026-03-04", "2026-03-09", "2026-03-18", "2026-03-23",
        )  # fmt: skip
        assert not any("has no dexamethasone" in w for w in administration_warnings(result))

    def test_late_dose_scope_cycle_moves_everything_later(self) -> None:
        schedule = d1(cycles=3)
        result = reschedule(
            schedule.administrations,
            drug="isatuximab",
            planned_date=d("2026-02-16"),
            actual_date=d("2026-02-18"),
            scope=RescheduleScope.CYCLE,
        )
        before = {(a.drug, a.cycle, a.day): a.date for a in schedule.administrations}
        for adm in result:
            original = before[(adm.drug, adm.cycle, adm.day)]
            expected = original + dt.timedelta(days=2) if original >= d("2026-02-16") else original
            assert adm.date == expected, adm
        dex = next(a for a in of(result, "dexamethasone") if a.planned_date == d("2026-02-16"))
        assert dex.date == d("2026-02-18")
        assert administration_warnings(result) == ()

    def test_omitted_is_kept_and_nothing_moves(self) -> None:
        schedule = d1()
        result = reschedule(
            schedule.administrations,
            drug="isatuximab",
            planned_date=d("2026-01-12"),
            actual_date=None,
            scope="drug",
        )
        assert [a.date for a in result] == [a.date for a in schedule.administrations]
        isa = of(result, "isatuximab")
        assert [a.status for a in isa] == [
            AdministrationStatus.PLANNED,
            AdministrationStatus.OMITTED,
            *[AdministrationStatus.PLANNED] * 4,
        ]
        # the third planned infusion is the patient's 2nd: 112.5 min (X22)
        assert [a.infusion_number for a in isa] == [1, None, 2, 3, 4, 5]
        assert [a.infusion_minutes for a in isa] == [200, None, 112.5, 75, 75, 75]

    def test_route_follows_the_moved_infusion(self) -> None:
        # Isa-Kd C1 D22 isatuximab (03-23) given on D23 (03-24): dexamethasone 03-24 becomes IV,
        # dexamethasone 03-23 (no isatuximab or carfilzomib left that day) becomes PO.
        result = reschedule(
            d2().administrations,
            drug="isatuximab",
            planned_date=d("2026-03-23"),
            actual_date=d("2026-03-24"),
            scope="drug",
        )
        dex = {a.date: a.route for a in of(result, "dexamethasone")}
        assert dex[d("2026-03-23")] is Route.PO
        assert dex[d("2026-03-24")] is Route.IV
        day = [a for a in result if a.date == d("2026-03-24")]
        assert [(a.drug, a.order) for a in day] == [("dexamethasone", 1), ("isatuximab", 2)]

    def test_isa_pd_premedication_moves_with_late_infusion(self) -> None:
        # Isa-Pd from Mon 2026-01-05: C1 D8 isatuximab (01-12) given 3 days late on 01-15.
        result = reschedule(
            d1(cycles=3).administrations,
            drug="isatuximab",
            planned_date=d("2026-01-12"),
            actual_date=d("2026-01-15"),
            scope="drug",
        )
        isatuximab = [a.date for a in of(result, "isatuximab")]
        assert isatuximab == dates(
            "2026-01-05", "2026-01-15", "2026-01-22", "2026-01-29",
            "2026-02-05", "2026-02-19", "2026-03-05", "2026-03-19",
        )  # fmt: skip
        dexamethasone = [a.date for a in of(result, "dexamethasone")]
        # X12: each infusion's dexamethasone moves with it; C2/C3 D8 and D22 keep their day.
        assert dexamethasone == dates(
            "2026-01-05", "2026-01-15", "2026-01-22", "2026-01-29",
            "2026-02-05", "2026-02-09", "2026-02-19", "2026-02-23",
            "2026-03-05", "2026-03-09", "2026-03-19", "2026-03-23",
        )  # fmt: skip
        assert set(isatuximab) <= set(dexamethasone)
        assert all(
            a.status is AdministrationStatus.PLANNED for a in of(result, "dexamethasone")
        )  # moved, not recorded as given
        assert not any("has no dexamethasone" in w for w in administration_warnings(result))
        day = [(a.drug, a.order) for a in result if a.date == d("2026-01-15")]
        assert day[:2] == [("dexamethasone", 1), ("isatuximab", 2)]

    def test_isa_kd_premedication_moves_with_late_infusion(self) -> None:
        # Isa-Kd from Mon 2026-03-02: C1 D8 isatuximab (03-09) given 3 days late on 03-12.
        result = reschedule(
            d2().administrations,
            drug="isatuximab",
            planned_date=d("2026-03-09"),
            actual_date=d("2026-03-12"),
            scope="drug",
        )
        isatuximab = [a.date for a in of(result, "isatuximab")]
        assert isatuximab == dates(
            "2026-03-02", "2026-03-12", "2026-03-19", "2026-03-26", "2026-04-02", "2026-04-16"
        )
        dexamethasone = {a.date: a.route for a in of(result, "dexamethasone")}
        assert sorted(dexamethasone) == dates(
            "2026-03-02", "2026-03-03", "2026-03-10", "2026-03-12",
            "2026-03-17", "2026-03-19", "2026-03-24", "2026-03-26",
            "2026-03-31", "2026-04-02", "2026-04-06", "2026-04-07",
            "2026-04-14", "2026-04-16", "2026-04-20", "2026-04-21",
        )  # fmt: skip
        assert all(dexamethasone[date] is Route.IV for date in isatuximab)
        assert [a.date for a in of(result, "carfilzomib")] == [
            a.date for a in of(d2(), "carfilzomib")
        ]
        warnings = administration_warnings(result)
        assert not any("has no dexamethasone" in w for w in warnings)
        # Carfilzomib stays on the days whose dexamethasone moved with isatuximab (C1 D8, D15;
        # C2 D1, D15 — C1 D22 has no carfilzomib): flagged for confirmation (X28).
        flagged = [w for w in warnings if "is without the dexamethasone" in w]
        assert [w[:31] for w in flagged] == [
            "2026-03-09: carfilzomib C1 D8 i",
            "2026-03-16: carfilzomib C1 D15 ",
            "2026-03-30: carfilzomib C2 D1 i",
            "2026-04-13: carfilzomib C2 D15 ",
        ]
        assert flagged[0].endswith(
            "is without the dexamethasone the regimen gives with it that day (moved or omitted);"
            " confirm the dexamethasone for carfilzomib with the protocol (X28)"
        )
        assert not any("is without" in w for w in d2().warnings)  # none before the move

    def test_premedication_uses_the_dose_already_on_the_new_day(self) -> None:
        # Isa-Pd C2 D1 isatuximab (02-02) given a week late (02-09): the weekly dexamethasone
        # of 02-09, 02-23, 03-09, 03-23 is each moved infusion's premedication; none moves.
        schedule = d1(cycles=3)
        result = reschedule(
            schedule.administrations,
            drug="isatuximab",
            planned_date=d("2026-02-02"),
            actual_date=d("2026-02-09"),
            scope="drug",
        )
        isatuximab = [a.date for a in of(result, "isatuximab") if a.cycle >= 2]
        assert isatuximab == dates("2026-02-09", "2026-02-23", "2026-03-09", "2026-03-23")
        assert [a.date for a in of(result, "dexamethasone")] == [
            a.date for a in of(schedule, "dexamethasone")
        ]
        assert not any("has no dexamethasone" in w for w in administration_warnings(result))

    def test_late_premedication_steroid_leaves_later_infusion_days(self) -> None:
        # Isa-Pd C1 D22 dexamethasone (01-26) taken on 01-27: later dexamethasone on isatuximab
        # days (02-02, 02-16) stays with its infusion; the other days move one day (X27).
        result = reschedule(
            d1().administrations,
            drug="dexamethasone",
            planned_date=d("2026-01-26"),
            actual_date=d("2026-01-27"),
            scope="drug",
        )
        assert [a.date for a in of(result, "dexamethasone")] == dates(
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-27",
            "2026-02-02", "2026-02-10", "2026-02-16", "2026-02-24",
        )  # fmt: skip

    def test_bortezomib_72_hours_rechecked(self) -> None:
        schedule = expand(
            spec("isa-vrd-gmmg-hd7"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=1
        )
        # C1 D4 (01-08) given early on 01-07: later doses move −1 day, D1 → D4 becomes 48 h
        with pytest.raises(DosingInputError) as info:
            reschedule(
                schedule.administrations,
                drug="bortezomib",
                planned_date=d("2026-01-08"),
                actual_date=d("2026-01-07"),
                scope="drug",
            )
        assert info.value.field == "actual_date"
        assert "72 h" in info.value.message

    @pytest.mark.parametrize(
        "kwargs,field",
        [
            ({"drug": "melphalan"}, "drug"),
            ({"planned_date": d("2026-01-06")}, "planned_date"),
            ({"actual_date": d("2026-01-05")}, "actual_date"),  # not after the previous dose
            ({"scope": "week"}, "scope"),
        ],
    )
    def test_invalid_requests(self, kwargs: dict[str, Any], field: str) -> None:
        request: dict[str, Any] = {
            "drug": "isatuximab",
            "planned_date": d("2026-01-12"),
            "actual_date": d("2026-01-13"),
            "scope": "drug",
        }
        request.update(kwargs)
        with pytest.raises(DosingInputError) as info:
            reschedule(d1().administrations, **request)
        assert info.value.field == field

    def test_cannot_record_twice(self) -> None:
        once = reschedule(
            d1().administrations,
            drug="isatuximab",
            planned_date=d("2026-01-12"),
            actual_date=d("2026-01-12"),
            scope="drug",
        )
        assert of(once, "isatuximab")[1].status is AdministrationStatus.GIVEN
        with pytest.raises(DosingInputError) as info:
            reschedule(
                once,
                drug="isatuximab",
                planned_date=d("2026-01-12"),
                actual_date=d("2026-01-13"),
                scope="drug",
            )
        assert info.value.field == "planned_date"

    def test_early_cycle_shift_cannot_double_a_daily_drug(self) -> None:
        with pytest.raises(DosingInputError) as info:
            reschedule(
                d1().administrations,
                drug="isatuximab",
                planned_date=d("2026-01-19"),
                actual_date=d("2026-01-18"),
                scope="cycle",
            )
        assert info.value.field == "actual_date"
        assert "pomalidomide twice" in info.value.message

    @settings(max_examples=40, deadline=None)
    @given(
        index=st.integers(min_value=0, max_value=8), delay=st.integers(min_value=1, max_value=10)
    )
    def test_scope_drug_keeps_every_later_interval(self, index: int, delay: int) -> None:
        schedule = d1(cycles=4)
        isa = of(schedule, "isatuximab")  # 10 infusions in 4 cycles
        target = isa[index]
        result = of(
            reschedule(
                schedule.administrations,
                drug="isatuximab",
                planned_date=target.date,
                actual_date=target.date + dt.timedelta(days=delay),
                scope="drug",
            ),
            "isatuximab",
        )
        before = [a.date for a in isa[index:]]
        after = [a.date for a in result[index:]]
        assert [b - a for a, b in itertools.pairwise(before)] == [
            b - a for a, b in itertools.pairwise(after)
        ]
        assert after[0] - before[0] == dt.timedelta(days=delay)
        assert [a.date for a in result[:index]] == [a.date for a in isa[:index]]

    @settings(max_examples=60, deadline=None)
    @given(
        slug=st.sampled_from(SLUGS),
        index=st.integers(min_value=0, max_value=8),
        delay=st.integers(min_value=-3, max_value=28),
        scope=st.sampled_from(list(RescheduleScope)),
    )
    def test_a_moved_infusion_keeps_its_premedication(
        self, slug: str, index: int, delay: int, scope: RescheduleScope
    ) -> None:
        regimen = spec(slug)
        schedule = expand(
            regimen,
            patient=D1_PATIENT,
            start_date=d("2026-01-05"),
            cycles=min(3, regimen.max_cycles or 3),
        )
        infusions = [
            a
            for a in schedule.administrations
            if a.component.premedication is not None
            and a.component.premedication.backbone_steroid is not None
        ]
        if not infusions:
            return
        target = infusions[index % len(infusions)]
        try:
            result = reschedule(
                schedule.administrations,
                drug=target.drug,
                planned_date=target.date,
                actual_date=target.date + dt.timedelta(days=delay),
                scope=scope,
            )
        except DosingInputError:
            return  # refused (interval, previous dose, a daily drug twice): nothing to check

        def missing(items: tuple[Administration, ...]) -> int:
            return sum("has no dexamethasone" in w for w in administration_warnings(items))

        assert missing(result) <= missing(schedule.administrations)


PATIENTS = st.builds(
    Patient,
    age_years=st.integers(min_value=18, max_value=110),
    sex=st.sampled_from(list(Sex)),
    weight_kg=st.floats(min_value=30, max_value=250),
    height_cm=st.floats(min_value=120, max_value=230),
    creatinine_mg_dl=st.floats(min_value=0.2, max_value=22.6),
    on_dialysis=st.booleans(),
)


class TestProperties:
    @settings(max_examples=60, deadline=None)
    @given(
        slug=st.sampled_from(SLUGS),
        start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
        cycles=st.integers(min_value=1, max_value=8),
        patient=PATIENTS,
        formula=st.sampled_from(list(BsaFormula)),
    )
    def test_calendar_invariants(
        self, slug: str, start: dt.date, cycles: int, patient: Patient, formula: BsaFormula
    ) -> None:
        regimen = spec(slug)
        cycles = min(cycles, regimen.max_cycles or cycles)
        schedule = expand(
            regimen,
            patient=patient,
            start_date=start,
            cycles=cycles,
            settings=DosingSettings(bsa_formula=formula),
        )
        assert schedule.cycles[0].start_date == start
        for previous, current in itertools.pairwise(schedule.cycles):
            assert current.start_date == previous.start_date + dt.timedelta(
                days=previous.length_days
            )
        seen: set[tuple[str, dt.date]] = set()
        for adm in schedule.administrations:
            assert adm.date >= start
            info = schedule.cycles[adm.cycle - 1]
            assert adm.date == info.start_date + dt.timedelta(days=adm.day - 1)
            assert (adm.drug, adm.date) not in seen
            seen.add((adm.drug, adm.date))
            assert adm.dose.value > 0
        json.dumps(schedule_to_dict(schedule))


@pytest.mark.parametrize("start", ["1989-12-31", "2100-01-01", "9999-12-01"])
def test_start_date_outside_1990_2099_is_refused(start: str) -> None:
    with pytest.raises(DosingInputError) as caught:
        expand(spec("isa-pd"), patient=D1_PATIENT, start_date=d(start), cycles=2)
    assert caught.value.field == "start_date"
    assert "1990-01-01" in caught.value.message


def test_start_date_at_the_edges_is_accepted() -> None:
    for start in ("1990-01-01", "2099-12-31"):
        schedule = expand(spec("isa-pd"), patient=D1_PATIENT, start_date=d(start), cycles=1)
        assert schedule.cycles[0].start_date == d(start)


def test_actual_date_far_in_the_future_is_refused() -> None:
    with pytest.raises(DosingInputError) as caught:
        reschedule(
            d1().administrations,
            drug="isatuximab",
            planned_date=d("2026-01-19"),
            actual_date=d("9999-12-31"),
            scope=RescheduleScope.DRUG,
        )
    assert caught.value.field == "actual_date"


class TestCepheus:
    """§12.4 P23b: 8 cycles of D-VRd, then D-Rd; no transplant. 21-day cycles C1–8 (pending)."""

    def plan(self, cycles: int) -> Schedule:
        return expand(
            spec("d-vrd-cepheus"), patient=D1_PATIENT, start_date=d("2026-01-05"), cycles=cycles
        )

    def test_d_rd_from_cycle_nine_and_no_transplant_milestone(self) -> None:
        schedule = self.plan(9)
        # 8 × 21 days after Mon 5 Jan 2026 = Mon 22 Jun 2026
        assert schedule.cycles[8].start_date == d("2026-06-22")
        assert schedule.cycles[8].length_days == 28
        assert {a.cycle for a in of(schedule, "bortezomib")} == set(range(1, 9))
        assert [a.date for a in of(schedule, "daratumumab") if a.cycle == 9] == [d("2026-06-22")]
        lenalidomide_c9 = [a.day for a in of(schedule, "lenalidomide") if a.cycle == 9]
        assert lenalidomide_c9 == list(range(1, 22))
        (milestone,) = schedule.milestones
        assert (milestone.date, milestone.after_cycle) == (d("2026-06-22"), 8)
        assert "ASCT" not in milestone.label and "melphalan" not in milestone.label

    def test_daratumumab_day_without_dexamethasone_cites_the_daratumumab_rule(self) -> None:
        """C1 D15 (Mon 19 Jan) and C2 D15 (Mon 9 Feb) have daratumumab but no dexamethasone
        (D1, 2, 4, 5, 8, 9, 11, 12): flagged with the daratumumab source, not SARCLISA's X12."""
        warnings = [w for w in self.plan(2).warnings if "has no dexamethasone" in w]
        rule = (
            " has no dexamethasone the same day — the daratumumab premedication includes a"
            " corticosteroid (DARZALEX SmPC section 4.2, pending verification); confirm"
            " premedication with the protocol"
        )
        assert warnings == [
            f"2026-01-19: daratumumab C1 D15{rule}",
            f"2026-02-09: daratumumab C2 D15{rule}",
        ]

    def test_supportive_care_and_premedication_timing_in_the_api_shape(self) -> None:
        out = schedule_to_dict(self.plan(1))
        (care,) = out["supportive_care"]
        assert "herpes" in care["text"].lower() and care["verification"] == "pending"
        first = next(a for a in out["administrations"] if a["drug"] == "daratumumab")
        assert first["premedication_timing"]["before_minutes"] == [60, 180]
        assert first["premedication_timing"]["source"] == "DARZALEX SmPC section 4.2"
        assert [p["when"] for p in first["premedication"]] == ["before", "before", "after"]
