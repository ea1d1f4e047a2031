"""Regimen spec → document: the canonical, JSON-ready form of a
:class:`~myeloma_core.regimen.RegimenSpec` (what :func:`regimen_spec_from_dict` reads back).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from myeloma_core.regimen import (
    Component,
    NumberRange,
    PremedicationTiming,
    RegimenSpec,
)
from myeloma_core.verification_record import VerificationRecord, record_to_dict
from myeloma_core.vocabulary import Verification

__all__ = ["regimen_spec_to_dict"]


def _range_out(value: NumberRange) -> list[int | None]:
    return [value.first, value.last]


def _days_out(days: Sequence[int]) -> list[int | str]:
    """Canonical day list: runs of three or more consecutive days are written ``"a-b"``."""
    out: list[int | str] = []
    index = 0
    while index < len(days):
        end = index
        while end + 1 < len(days) and days[end + 1] == days[end] + 1:
            end += 1
        if end - index >= 2:
            out.append(f"{days[index]}-{days[end]}")
        else:
            out.extend(days[index : end + 1])
        index = end + 1
    return out


def _verification_out(
    verification: Verification, note: str, record: VerificationRecord | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"verification": verification.value}
    if note:
        out["verification_note"] = note
    return out | record_to_dict(record)


def _component_out(c: Component) -> dict[str, Any]:
    out: dict[str, Any] = {"drug": c.drug}
    if c.route_rule is None:
        out["route"] = c.route.value
    else:
        out["route"] = {
            "default": c.route.value,
            "on_days_with": list(c.route_rule.on_days_with),
            "route": c.route_rule.route.value,
        }
    out["dose"] = {"basis": c.dose.basis.value, "amount": c.dose.amount}
    out["schedule"] = [
        {"cycles": _range_out(r.cycles), "days": _days_out(r.days)} for r in c.schedule
    ]
    if c.dose_overrides:
        out["dose_overrides"] = [
            {
                "cycles": _range_out(o.cycles),
                "days": _days_out(o.days),
                "amount": o.amount,
                "label": o.label,
            }
            for o in c.dose_overrides
        ]
    if c.age_rule is not None:
        a = c.age_rule
        age: dict[str, Any] = {"operator": a.operator.value, "years": a.years, "amount": a.amount}
        if (a.from_cycle, a.from_day) != (1, 1):
            age["from"] = {"cycle": a.from_cycle, "day": a.from_day}
        if a.schedule:
            age["schedule"] = [
                {"cycles": _range_out(r.cycles), "days": _days_out(r.days)} for r in a.schedule
            ]
        age["source"] = a.source
        age.update(_verification_out(a.verification, a.verification_note, a.record))
        out["age_rule"] = age
    if c.renal_rule is not None:
        jurisdictions: dict[str, Any] = {}
        for j in c.renal_rule.jurisdictions:
            bands: list[dict[str, Any]] = []
            for b in j.bands:
                band: dict[str, Any] = {}
                if b.dialysis:
                    band["dialysis"] = True
                else:
                    band["crcl_min"] = b.crcl_min
                    band["crcl_max"] = b.crcl_max
                band.update({"amount": b.amount, "frequency": b.frequency.value, "text": b.text})
                if b.note:
                    band["note"] = b.note
                bands.append(band)
            jurisdictions[j.jurisdiction.value] = {
                "label": j.label,
                "source": j.source,
                **_verification_out(j.verification, j.verification_note, j.record),
                "bands": bands,
            }
        out["renal_rule"] = {"rule": c.renal_rule.rule, "jurisdictions": jurisdictions}
    if c.bsa_cap is not None:
        out["bsa_cap"] = {
            "m2": c.bsa_cap.m2,
            "source": c.bsa_cap.source,
            **_verification_out(
                c.bsa_cap.verification, c.bsa_cap.verification_note, c.bsa_cap.record
            ),
        }
    if c.min_interval_hours is not None:
        out["min_interval_hours"] = c.min_interval_hours
    if c.presentations is not None:
        p = c.presentations
        strengths: list[dict[str, Any]] = []
        for item in p.items:
            entry: dict[str, Any] = {"mg": item.strength_mg}
            if item.volume_ml is not None:
                entry["ml"] = item.volume_ml
            strengths.append(entry)
        out["presentations"] = {
            "form": p.form.value,
            "strengths": strengths,
            "source": p.source,
            **_verification_out(p.verification, p.verification_note, p.record),
        }
    if c.concentration_mg_ml is not None:
        out["concentration_mg_ml"] = c.concentration_mg_ml
    if c.number_infusions:
        out["number_infusions"] = True
    if c.infusion is not None:
        i = c.infusion
        out["infusion"] = {
            "volume_ml": i.volume_ml,
            "diluent": i.diluent,
            "note": i.note,
            "source": i.source,
            **_verification_out(i.verification, i.verification_note, i.record),
            "steps_source": i.steps_source,
            "steps_verification": i.steps_verification.value,
            "by_infusion": [
                {
                    "infusions": _range_out(r.infusions),
                    "total_minutes": r.total_minutes,
                    "steps": [{"rate_ml_h": s.rate_ml_h, "minutes": s.minutes} for s in r.steps],
                }
                for r in i.by_infusion
            ],
        }
    if c.premedication is not None:
        pm = c.premedication
        items_out: list[dict[str, Any]] = []
        for item_pm in pm.items:
            entry_pm: dict[str, Any] = {
                "name": item_pm.name,
                "dose": item_pm.dose,
                "route": item_pm.route,
                "rule": item_pm.rule,
                "text": item_pm.text,
            }
            if item_pm.cycles is not None:
                entry_pm["cycles"] = _range_out(item_pm.cycles)
            if item_pm.when is not PremedicationTiming.BEFORE:
                entry_pm["when"] = item_pm.when.value
            items_out.append(entry_pm)
        out["premedication"] = {
            "timing": pm.timing,
            **(
                {}
                if pm.before_minutes is None
                else {"before_minutes": _range_out(pm.before_minutes)}
            ),
            **({"timing_after": pm.timing_after} if pm.timing_after else {}),
            "backbone_steroid": pm.backbone_steroid,
            "note": pm.note,
            "source": pm.source,
            **_verification_out(pm.verification, pm.verification_note, pm.record),
            "items": items_out,
        }
    if c.administration_note:
        out["administration_note"] = c.administration_note
    out["patient_instructions"] = c.patient_instructions
    out["source"] = c.source
    out.update(_verification_out(c.verification, c.verification_note, c.record))
    return out


def regimen_spec_to_dict(spec: RegimenSpec) -> dict[str, Any]:
    """The canonical JSON-ready definition; ``regimen_spec_from_dict`` reads it back unchanged."""
    out: dict[str, Any] = {
        "slug": spec.slug,
        "name": spec.name,
        "indication": spec.indication,
        "source": spec.source,
        "author": spec.author,
        "checker": spec.checker,
        **_verification_out(spec.verification, spec.verification_note, spec.record),
    }
    if spec.jurisdiction_notes:
        out["jurisdiction_notes"] = {n.jurisdiction.value: n.text for n in spec.jurisdiction_notes}
    out["cycle_rules"] = [
        {"cycles": _range_out(r.cycles), "length_days": r.length_days} for r in spec.cycle_rules
    ]
    out["max_cycles"] = spec.max_cycles
    if spec.order_on_shared_days is not None:
        o = spec.order_on_shared_days
        out["order_on_shared_days"] = {
            "drugs": list(o.drugs),
            "source": o.source,
            "verification": o.verification.value,
        } | record_to_dict(o.record)
    out["components"] = [_component_out(c) for c in spec.components]
    if spec.milestones:
        out["milestones"] = [
            {
                "after_cycle": m.after_cycle,
                "label": m.label,
                **({"transplant": True} if m.transplant else {}),
                "source": m.source,
                "verification": m.verification.value,
            }
            | record_to_dict(m.record)
            for m in spec.milestones
        ]
    if spec.notes:
        out["notes"] = list(spec.notes)
    if spec.settings:
        out["settings"] = [s.value for s in spec.settings]
    if spec.supportive_care:
        out["supportive_care"] = [
            {
                "text": n.text,
                **({"patient_note": n.patient_note.value} if n.patient_note else {}),
                "source": n.source,
                **_verification_out(n.verification, n.verification_note, n.record),
            }
            for n in spec.supportive_care
        ]
    return out
