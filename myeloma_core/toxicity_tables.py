"""Toxicity rule content, validated — domain-reference §22 (T1, T3, T4–T5, T7).

The CTCAE threshold tables, the isatuximab actions and the partner-drug dose levels and holds are
shipped as content (content/toxicity/) and validated here, together, into ``ToxicityContent``;
every error names the offending key. A pending version is never the default CTCAE table and a
pending partner-drug rule holds nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import Verification
from myeloma_core.toxicity_counts import COUNT_UNIT, HAEMOGLOBIN_UNIT, Term
from myeloma_core.units import exact

# --------------------------------------------------------------------------------------------------
# CTCAE tables (content) and grading (T1–T3)
# --------------------------------------------------------------------------------------------------


class ToxicityContentError(ValueError):
    """A toxicity content file that does not validate: ``path`` names the offending key."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _req(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ToxicityContentError(path, "must be a mapping")
    if key not in data:
        raise ToxicityContentError(f"{path}.{key}", "is required")
    return data[key]


def _text(data: Mapping[str, Any], key: str, path: str, *, blank: bool = False) -> str:
    value = _req(data, key, path)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise ToxicityContentError(f"{path}.{key}", "must be a non-empty text")
    return value.strip()


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ToxicityContentError(path, "must be a number")
    return exact(value)


def _verification(data: Mapping[str, Any], path: str) -> Verification:
    value = _req(data, "verification", path)
    try:
        return Verification(value)
    except ValueError:
        raise ToxicityContentError(f"{path}.verification", "must be verified or pending") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Governance:
    """Who wrote a rule table and who checked it (the governed-content workflow fills these)."""

    source: str
    verification: Verification
    verification_note: str
    author: str
    checker: str | None


def _governance(data: Mapping[str, Any], path: str) -> Governance:
    checker = _req(data, "checker", path)
    if checker is not None and (not isinstance(checker, str) or not checker.strip()):
        raise ToxicityContentError(f"{path}.checker", "must be a name or null")
    return Governance(
        source=_text(data, "source", path),
        verification=_verification(data, path),
        verification_note=_text(data, "verification_note", path, blank=True),
        author=_text(data, "author", path),
        checker=checker,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeThreshold:
    grade: int
    below: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class TermThresholds:
    term: Term
    name: str
    unit: str
    grade_1_below_lln: bool
    thresholds: tuple[GradeThreshold, ...]  # ascending grade, descending ``below``


@dataclass(frozen=True, slots=True, kw_only=True)
class FebrileNeutropeniaRule:
    grade: int
    neutrophils_below: Decimal
    single_temperature_above: Decimal
    sustained_temperature_at_least: Decimal
    sustained_minutes_more_than: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CtcaeTable:
    version: str
    default: bool
    governance: Governance
    terms: Mapping[Term, TermThresholds]
    febrile_neutropenia: FebrileNeutropeniaRule


def _term_thresholds(term: Term, data: Any, path: str) -> TermThresholds:
    unit = _text(data, "unit", path)
    expected_unit = HAEMOGLOBIN_UNIT if term is Term.HAEMOGLOBIN else COUNT_UNIT
    if unit != expected_unit:
        raise ToxicityContentError(f"{path}.unit", f"must be {expected_unit}")
    below_lln = _req(data, "grade_1_below_lln", path)
    if not isinstance(below_lln, bool):
        raise ToxicityContentError(f"{path}.grade_1_below_lln", "must be true or false")
    raw = _req(data, "grades", path)
    if not isinstance(raw, list) or not raw:
        raise ToxicityContentError(f"{path}.grades", "must be a non-empty list")
    thresholds: list[GradeThreshold] = []
    for index, item in enumerate(raw):
        item_path = f"{path}.grades.{index}"
        grade = _req(item, "grade", item_path)
        if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
            raise ToxicityContentError(f"{item_path}.grade", "must be a whole number 1–4")
        below = _decimal(_req(item, "below", item_path), f"{item_path}.below")
        if below <= 0:
            raise ToxicityContentError(f"{item_path}.below", "must be more than 0")
        if thresholds and (grade <= thresholds[-1].grade or below >= thresholds[-1].below):
            raise ToxicityContentError(
                item_path, "grades must rise while the thresholds fall (a higher grade is lower)"
            )
        thresholds.append(GradeThreshold(grade=grade, below=below))
    if below_lln and thresholds[0].grade != 2:
        raise ToxicityContentError(f"{path}.grades", "grade 1 is below the LLN: start at grade 2")
    if not below_lln and thresholds[0].grade != 1:
        raise ToxicityContentError(f"{path}.grades", "without an LLN rule start at grade 1")
    return TermThresholds(
        term=term,
        name=_text(data, "term", path),
        unit=unit,
        grade_1_below_lln=below_lln,
        thresholds=tuple(thresholds),
    )


def ctcae_table_from_dict(data: Any, path: str = "ctcae") -> CtcaeTable:
    """Validate one CTCAE content record (content/toxicity/ctcae-*.yaml)."""
    if _req(data, "kind", path) != "ctcae_thresholds":
        raise ToxicityContentError(f"{path}.kind", "must be ctcae_thresholds")
    version = _text(data, "ctcae_version", path)
    default = _req(data, "default", path)
    if not isinstance(default, bool):
        raise ToxicityContentError(f"{path}.default", "must be true or false")
    governance = _governance(data, path)
    if default and governance.verification is not Verification.VERIFIED:
        raise ToxicityContentError(f"{path}.default", "a pending version is never the default")
    raw_terms = _req(data, "terms", path)
    if not isinstance(raw_terms, Mapping) or not raw_terms:
        raise ToxicityContentError(f"{path}.terms", "must name at least one term")
    terms: dict[Term, TermThresholds] = {}
    for key, value in raw_terms.items():
        try:
            term = Term(key)
        except ValueError:
            names = ", ".join(t.value for t in Term)
            raise ToxicityContentError(f"{path}.terms.{key}", f"must be one of {names}") from None
        terms[term] = _term_thresholds(term, value, f"{path}.terms.{key}")
    fn = _req(data, "febrile_neutropenia", path)
    fn_path = f"{path}.febrile_neutropenia"
    minutes = _req(fn, "sustained_minutes_more_than", fn_path)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ToxicityContentError(f"{fn_path}.sustained_minutes_more_than", "must be minutes > 0")
    grade = _req(fn, "grade", fn_path)
    if grade not in (3, 4):
        raise ToxicityContentError(f"{fn_path}.grade", "must be 3 or 4")
    return CtcaeTable(
        version=version,
        default=default,
        governance=governance,
        terms=terms,
        febrile_neutropenia=FebrileNeutropeniaRule(
            grade=grade,
            neutrophils_below=_decimal(
                _req(fn, "neutrophils_below", fn_path), f"{fn_path}.neutrophils_below"
            ),
            single_temperature_above=_decimal(
                _req(fn, "single_temperature_above_celsius", fn_path),
                f"{fn_path}.single_temperature_above_celsius",
            ),
            sustained_temperature_at_least=_decimal(
                _req(fn, "sustained_temperature_at_least_celsius", fn_path),
                f"{fn_path}.sustained_temperature_at_least_celsius",
            ),
            sustained_minutes_more_than=minutes,
        ),
    )


def ctcae_tables(tables: Sequence[CtcaeTable]) -> dict[str, CtcaeTable]:
    """The tables by version; exactly one default, and it is verified (T1, T3)."""
    by_version: dict[str, CtcaeTable] = {}
    for table in tables:
        if table.version in by_version:
            raise ToxicityContentError("ctcae_version", f"{table.version} is defined twice")
        by_version[table.version] = table
    defaults = [t.version for t in tables if t.default]
    if len(defaults) != 1:
        raise ToxicityContentError("default", "exactly one CTCAE version must be the default")
    return by_version


def default_version(tables: Mapping[str, CtcaeTable]) -> str:
    return next(version for version, table in tables.items() if table.default)


# --------------------------------------------------------------------------------------------------
# Decisions before a dose (T4, T5, T7)
# --------------------------------------------------------------------------------------------------


class Action(StrEnum):
    GIVE = "give"
    DELAY = "delay"
    DISCONTINUE = "discontinue"
    REVIEW = "review"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryValue:
    value: Decimal
    text: str
    source: str
    verification: Verification


@dataclass(frozen=True, slots=True, kw_only=True)
class IsatuximabRules:
    """content/toxicity/isatuximab-actions.yaml, validated."""

    governance: Governance
    no_dose_reduction_text: str
    neutropenia_delay_at_grade: int
    delay_for_febrile_neutropenia: bool
    delay_for_neutropenic_infection: bool
    neutropenia_text: str
    neutropenia_source: str
    recovery: RecoveryValue
    reaction_interrupt_at_grade: int
    reaction_discontinue_at_grade: int
    reaction_text: str
    reaction_source: str
    half_rate_minutes: float
    half_rate_text: str
    half_rate_verification: Verification


def _grade_value(data: Mapping[str, Any], key: str, path: str) -> int:
    value = _req(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ToxicityContentError(f"{path}.{key}", "must be a grade 1–4")
    return value


def _flag(data: Mapping[str, Any], key: str, path: str) -> bool:
    value = _req(data, key, path)
    if not isinstance(value, bool):
        raise ToxicityContentError(f"{path}.{key}", "must be true or false")
    return value


def isatuximab_rules_from_dict(data: Any, path: str = "isatuximab") -> IsatuximabRules:
    """Validate the isatuximab action table; it can never allow a dose reduction (X7)."""
    if _req(data, "kind", path) != "isatuximab_actions":
        raise ToxicityContentError(f"{path}.kind", "must be isatuximab_actions")
    if _req(data, "dose_reduction", path) is not False:
        raise ToxicityContentError(
            f"{path}.dose_reduction", "must be false: isatuximab is never dose-reduced (X7)"
        )
    neutropenia = _req(data, "neutropenia", path)
    n_path = f"{path}.neutropenia"
    recovery = _req(neutropenia, "recovery_anc", n_path)
    r_path = f"{n_path}.recovery_anc"
    if _req(recovery, "unit", r_path) != COUNT_UNIT:
        raise ToxicityContentError(f"{r_path}.unit", f"must be {COUNT_UNIT}")
    reaction = _req(data, "infusion_reaction", path)
    i_path = f"{path}.infusion_reaction"
    interrupt = _grade_value(reaction, "interrupt_at_grade", i_path)
    discontinue = _grade_value(reaction, "discontinue_at_grade", i_path)
    if discontinue <= interrupt:
        raise ToxicityContentError(
            f"{i_path}.discontinue_at_grade", "must be above interrupt_at_grade"
        )
    half_rate = _req(reaction, "half_rate_restart", i_path)
    h_path = f"{i_path}.half_rate_restart"
    half_minutes = _decimal(_req(half_rate, "minutes", h_path), f"{h_path}.minutes")
    if half_minutes <= 0:
        raise ToxicityContentError(f"{h_path}.minutes", "must be more than 0")
    return IsatuximabRules(
        governance=_governance(data, path),
        no_dose_reduction_text=_text(data, "no_dose_reduction_text", path),
        neutropenia_delay_at_grade=_grade_value(neutropenia, "delay_at_grade", n_path),
        delay_for_febrile_neutropenia=_flag(neutropenia, "delay_for_febrile_neutropenia", n_path),
        delay_for_neutropenic_infection=_flag(
            neutropenia, "delay_for_neutropenic_infection", n_path
        ),
        neutropenia_text=_text(neutropenia, "text", n_path),
        neutropenia_source=_text(neutropenia, "source", n_path),
        recovery=RecoveryValue(
            value=_decimal(_req(recovery, "value", r_path), f"{r_path}.value"),
            text=_text(recovery, "text", r_path),
            source=_text(recovery, "source", r_path),
            verification=_verification(recovery, r_path),
        ),
        reaction_interrupt_at_grade=interrupt,
        reaction_discontinue_at_grade=discontinue,
        reaction_text=_text(reaction, "text", i_path),
        reaction_source=_text(reaction, "source", i_path),
        half_rate_minutes=float(half_minutes),
        half_rate_text=_text(half_rate, "text", h_path),
        half_rate_verification=_verification(half_rate, h_path),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldRule:
    """A label-verified hold: ``term`` at ``grade_at_least`` or worse → ``action``."""

    term: Term
    grade_at_least: int
    action: Action
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerDrugRules:
    drug: str
    dose_levels: tuple[str, ...]
    dose_levels_source: str
    dose_levels_verification: Verification
    holds: tuple[HoldRule, ...]
    governance: Governance


def partner_drug_rules_from_dict(
    data: Any, path: str = "partner_drugs"
) -> dict[str, PartnerDrugRules]:
    """Validate content/toxicity/partner-drugs.yaml: drug → rules (T7)."""
    if _req(data, "kind", path) != "partner_drug_rules":
        raise ToxicityContentError(f"{path}.kind", "must be partner_drug_rules")
    raw = _req(data, "drugs", path)
    if not isinstance(raw, list):
        raise ToxicityContentError(f"{path}.drugs", "must be a list")
    rules: dict[str, PartnerDrugRules] = {}
    for index, item in enumerate(raw):
        d_path = f"{path}.drugs.{index}"
        drug = _text(item, "drug", d_path).lower()
        if drug in rules:
            raise ToxicityContentError(f"{d_path}.drug", f"{drug} is listed twice")
        if drug == "isatuximab":
            raise ToxicityContentError(f"{d_path}.drug", "isatuximab has its own action table")
        levels = _req(item, "dose_levels", d_path)
        l_path = f"{d_path}.dose_levels"
        values = _req(levels, "values", l_path)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ToxicityContentError(f"{l_path}.values", "must be a list of doses as text")
        governance = _governance(item, d_path)
        holds: list[HoldRule] = []
        raw_holds = _req(item, "holds", d_path)
        if not isinstance(raw_holds, list):
            raise ToxicityContentError(f"{d_path}.holds", "must be a list")
        for h_index, hold in enumerate(raw_holds):
            h_path = f"{d_path}.holds.{h_index}"
            try:
                term = Term(_req(hold, "term", h_path))
                action = Action(_req(hold, "action", h_path))
            except ValueError:
                raise ToxicityContentError(h_path, "term or action is not known") from None
            if action is Action.GIVE:
                raise ToxicityContentError(f"{h_path}.action", "a hold cannot be 'give'")
            holds.append(
                HoldRule(
                    term=term,
                    grade_at_least=_grade_value(hold, "grade_at_least", h_path),
                    action=action,
                    text=_text(hold, "text", h_path),
                )
            )
        if holds and governance.verification is not Verification.VERIFIED:
            # A pending rule decides nothing (T7); it must not look as if it did.
            raise ToxicityContentError(f"{d_path}.holds", "holds need a verified label source")
        rules[drug] = PartnerDrugRules(
            drug=drug,
            dose_levels=tuple(values),
            dose_levels_source=_text(levels, "source", l_path),
            dose_levels_verification=_verification(levels, l_path),
            holds=tuple(holds),
            governance=governance,
        )
    return rules


# --------------------------------------------------------------------------------------------------
# The whole rule content, validated together (the governed-content adapter's entry point)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxicityContent:
    ctcae: Mapping[str, CtcaeTable]
    isatuximab: IsatuximabRules
    partner_drugs: Mapping[str, PartnerDrugRules]

    @property
    def default_ctcae_version(self) -> str:
        return default_version(self.ctcae)

    def ctcae_table(self, version: str | None) -> CtcaeTable:
        """The table of ``version`` (None → the default); an unknown version is an input error."""
        chosen = self.default_ctcae_version if version is None else version
        table = self.ctcae.get(chosen)
        if table is None:
            offered = ", ".join(
                f"'{v}'"
                + (
                    " (pending verification)"
                    if t.governance.verification is Verification.PENDING
                    else " (default)"
                    if t.default
                    else ""
                )
                for v, t in self.ctcae.items()
            )
            raise InvalidInput(
                "ctcae_version", f"CTCAE version must be one of {offered}; got {version!r}."
            )
        return table


def toxicity_content_from_documents(
    *, ctcae: Sequence[Any], isatuximab: Any, partner_drugs: Any
) -> ToxicityContent:
    """Validate every toxicity document (as loaded from YAML) into the domain rule content."""
    tables = [
        ctcae_table_from_dict(document, path=f"ctcae[{index}]")
        for index, document in enumerate(ctcae)
    ]
    return ToxicityContent(
        ctcae=ctcae_tables(tables),
        isatuximab=isatuximab_rules_from_dict(isatuximab),
        partner_drugs=partner_drug_rules_from_dict(partner_drugs),
    )
