"""Reads for cost: the site's country, its price lists, and a plan's cost and waste per drug.

The numbers come from ``myeloma_core.cost`` (X6 vials with cost as tie-breaker); this module
only picks the plan's administrations and the country's prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from costs.models import DrugPrice, ReimbursementNote
from dosing.models import TreatmentPlan
from governance.models import ContentStatus
from myeloma_core.cost import (
    AdministrationCost,
    PlanCost,
    PriceList,
    administration_cost,
    plan_cost,
)

OMITTED = "omitted"


def site_country() -> str:
    """``CLINIC_COUNTRY`` (ISO 3166-1 alpha-2), or "" when the site has not set one."""
    return str(getattr(settings, "CLINIC_COUNTRY", "") or "").upper()


def price_lists_published() -> list[PriceList]:
    """Every price list in force: the published version of each drug and country."""
    return [row.to_domain() for row in DrugPrice.objects.filter(status=ContentStatus.PUBLISHED)]


def price_lists(*, country: str) -> dict[str, PriceList]:
    """The country's published price list of each drug that has one, by INN."""
    if not country:
        return {}
    published = DrugPrice.objects.filter(country=country, status=ContentStatus.PUBLISHED)
    return {row.drug: row.to_domain() for row in published}


def reimbursement_notes(*, drugs: set[str] | None = None) -> QuerySet[ReimbursementNote]:
    """The published reimbursement notes (of ``drugs``, when given)."""
    notes = ReimbursementNote.objects.filter(status=ContentStatus.PUBLISHED)
    if drugs is not None:
        notes = notes.filter(drug__in=drugs)
    return notes.order_by("drug", "country")


@dataclass(frozen=True, slots=True, kw_only=True)
class DrugCost:
    """One drug of a plan: its cost and waste, or no price (``prices`` is None)."""

    drug: str
    country: str
    prices: PriceList | None
    total: PlanCost | None
    administrations: tuple[tuple[dict[str, Any], AdministrationCost], ...] = ()


def _costed(adm: dict[str, Any]) -> bool:
    return adm.get("status") != OMITTED and adm["dose"]["unit"] == "mg"


def plan_drug_costs(*, plan: TreatmentPlan, country: str) -> list[DrugCost]:
    """Each drug of the plan in order of first use; omitted doses cost nothing."""
    administrations = plan.computed.get("administrations", [])
    drugs = list(dict.fromkeys(adm["drug"] for adm in administrations))
    prices = price_lists(country=country)
    out = []
    for drug in drugs:
        drug_prices = prices.get(drug)
        given = [a for a in administrations if a["drug"] == drug and _costed(a)]
        if drug_prices is None or not given:
            out.append(DrugCost(drug=drug, country=country, prices=None, total=None))
            continue
        total = plan_cost([a["dose"]["value"] for a in given], drug_prices)
        out.append(
            DrugCost(
                drug=drug,
                country=country,
                prices=drug_prices,
                total=total,
                administrations=tuple(zip(given, total.administrations, strict=True)),
            )
        )
    return out


def _vials_text(vials: list[dict[str, Any]] | None) -> str:
    if not vials:
        return ""
    return " + ".join(f"{v['count']} × {v['strength_mg']} mg" for v in vials)


def administration_rows(*, plan: TreatmentPlan, country: str) -> list[dict[str, Any]]:
    """Every administration of the plan as one flat row: the API's and the CSV's fields.

    Cost fields are empty when the drug has no price in ``country`` or the dose is omitted.
    """
    prices = price_lists(country=country)
    version = plan.regimen_version
    rows = []
    for adm in plan.computed.get("administrations", []):
        drug_prices = prices.get(adm["drug"])
        cost = (
            administration_cost(adm["dose"]["value"], drug_prices)
            if drug_prices is not None and _costed(adm)
            else None
        )
        rows.append(
            {
                "plan_id": str(plan.pk),
                "patient_reference": plan.patient_reference,
                "regimen": version.regimen.slug,
                "regimen_version": version.number,
                "cycle": adm["cycle"],
                "day": adm["day"],
                "date": adm["date"],
                "planned_date": adm["planned_date"],
                "status": adm["status"],
                "drug": adm["drug"],
                "dose_value": adm["dose"]["value"],
                "dose_unit": adm["dose"]["unit"],
                "route": adm["route"],
                "calculation": adm["calculation"],
                "volume_ml": adm.get("volume_ml"),
                "vials": _vials_text(adm.get("vials")),
                "vials_total_mg": adm.get("vials_total_mg"),
                "vials_waste_mg": adm.get("vials_waste_mg"),
                "price_country": country if cost else "",
                "currency": cost.currency if cost else "",
                "cost_vials": (
                    " + ".join(f"{v.count} × {v.strength_mg} mg" for v in cost.vials)
                    if cost
                    else ""
                ),
                "cost": f"{cost.cost:.2f}" if cost else "",
                "discarded_mg": str(cost.discarded_mg) if cost else "",
                "discarded_percent": f"{cost.discarded_percent:.1f}" if cost else "",
                "price_source": (
                    f"{drug_prices.source} ({drug_prices.source_date})"
                    if cost and drug_prices
                    else ""
                ),
            }
        )
    return rows
