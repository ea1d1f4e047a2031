"""Treatment options: a patient's setting matched against guideline content — domain-reference §12.

Content (a guideline and its recommendations, shipped as ``content/guidelines/*.yaml``) is passed
in, never queried. Each recommendation carries *criteria* (prior lines, exposure, refractoriness,
transplant eligibility, frailty) that are matched generically here; no regimen is named in code.

Unknown inputs are not defaults (G1): a criterion that depends on an unknown input makes the option
"possible — depends on X" and the result names what is missing. Only a verified guideline
recommendation may carry a grade or be labelled a guideline recommendation (§12.1, §20); approved
indications are labelled with their pivotal trial, never with a guideline grade.

Beyond its criteria, an option is never offered for disease refractory to one of its drugs (the
drugs of its regimen, passed in by the caller, or the ``drugs`` of a recommendation without a
regimen). Refractoriness counts per drug for the immunomodulatory drugs and proteasome inhibitors
— the seed's §12.5 example offers carfilzomib regimens (DKd, Isa-Kd) for bortezomib-refractory
disease — and per class where the treatment history only knows the class: anti-CD38 antibodies
(daratumumab-refractory excludes isatuximab and the reverse) and BCMA-directed therapy. Options
left out are returned with their reasons in words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.verification_record import VerificationRecord, record_from, record_to_dict
from myeloma_core.vocabulary import Basis, Setting, Verification


class Frailty(StrEnum):
    FIT = "fit"
    INTERMEDIATE = "intermediate"
    FRAIL = "frail"


class Match(StrEnum):
    MATCHES = "matches"
    POSSIBLE = "possible"  # no criterion fails, at least one depends on an unknown input


# Treatment-history vocabulary: lower-case INNs and classes (api-v1).
HISTORY_ITEMS = ("lenalidomide", "bortezomib", "carfilzomib", "pomalidomide", "anti_cd38", "bcma")
# INNs accepted as synonyms of their class.
HISTORY_SYNONYMS = {"daratumumab": "anti_cd38", "isatuximab": "anti_cd38"}
# Groups usable in content criteria: "any of".
HISTORY_GROUPS = {"proteasome_inhibitor": ("bortezomib", "carfilzomib")}
CRITERION_ITEMS = frozenset(HISTORY_ITEMS) | frozenset(HISTORY_GROUPS)
# The history item a drug's refractoriness is recorded as (drugs are lower-case INNs, as in the
# regimen content). Drug level for IMiDs and PIs (bortezomib-refractory disease may still get
# carfilzomib: the seed's §12.5 example); class level for anti-CD38 antibodies and BCMA-directed
# therapy (§12.6), which the history vocabulary records only as a class. Drugs not listed here
# (dexamethasone, …) have no refractoriness in the history.
DRUG_HISTORY_ITEM: Mapping[str, str] = {
    "lenalidomide": "lenalidomide",
    "bortezomib": "bortezomib",
    "carfilzomib": "carfilzomib",
    "pomalidomide": "pomalidomide",
    "daratumumab": "anti_cd38",
    "isatuximab": "anti_cd38",
    "belantamab-mafodotin": "bcma",
    "ciltacabtagene-autoleucel": "bcma",
    "idecabtagene-vicleucel": "bcma",
    "teclistamab": "bcma",
    "elranatamab": "bcma",
}
# How a history item or criterion group reads in a reason ("refractory to …").
ITEM_LABELS: Mapping[str, str] = {
    "lenalidomide": "lenalidomide",
    "bortezomib": "bortezomib",
    "carfilzomib": "carfilzomib",
    "pomalidomide": "pomalidomide",
    "anti_cd38": "an anti-CD38 antibody",
    "bcma": "a BCMA-directed therapy",
    "proteasome_inhibitor": "a proteasome inhibitor",
}
_CLASS_ITEMS = frozenset({"anti_cd38", "bcma"})

PRIOR_LINES_MAX = 20

F_SETTING = "setting"
F_TRANSPLANT = "transplant_eligible"
F_FRAILTY = "frailty"
F_PRIOR_LINES = "prior_lines"
F_EXPOSED = "exposed_to"
F_REFRACTORY = "refractory_to"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INN_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class TreatmentContentError(ValueError):
    """Guideline content that does not validate; ``path`` locates the offending value."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


# --------------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Criteria:
    """What a patient must have for a recommendation. ``None``/empty means "any"."""

    prior_lines_min: int | None = None
    prior_lines_max: int | None = None
    requires_exposed: frozenset[str] = frozenset()
    excludes_exposed: frozenset[str] = frozenset()
    requires_refractory: frozenset[str] = frozenset()
    excludes_refractory: frozenset[str] = frozenset()
    transplant_eligible: bool | None = None
    frailty: frozenset[Frailty] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Guideline:
    slug: str
    name: str
    version: int
    source: str
    author: str
    checker: str | None
    setting_notes: Mapping[Setting, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    key: str
    regimen: str | None  # a regimen slug in content/regimens/, or None when there is no file
    name: str
    setting: Setting
    criteria: Criteria
    rank: int
    evidence: str
    grade: str | None
    basis: Basis
    pivotal_trial: str | None
    source: str
    notes: tuple[str, ...]
    verification: Verification
    verification_note: str
    # What or who checked a verified option against its source, and when (issue 12).
    record: VerificationRecord | None = None
    # Only without a regimen (its components are the drugs otherwise): lower-case INNs.
    drugs: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------------
# Patient input
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientSetting:
    """``None`` is unknown. ``exposed_to``/``refractory_to`` given as a set are complete lists."""

    setting: Setting
    transplant_eligible: bool | None = None
    frailty: Frailty | None = None
    prior_lines: int | None = None
    exposed_to: frozenset[str] | None = None
    refractory_to: frozenset[str] | None = None


def _history(raw: Any, path: str) -> frozenset[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        raise InvalidInput(path, f"{path} must be a list of drugs or classes.")
    items = set()
    for index, item in enumerate(raw):
        name = str(item).strip().lower() if isinstance(item, str) else None
        name = HISTORY_SYNONYMS.get(name or "", name)
        if name not in HISTORY_ITEMS:
            accepted = ", ".join(HISTORY_ITEMS)
            raise InvalidInput(
                f"{path}.{index}",
                f"Unknown drug or class {item!r} in {path}; accepted: {accepted} "
                "(daratumumab and isatuximab count as anti_cd38).",
            )
        items.add(name)
    return frozenset(items)


def patient_setting_from_dict(data: Mapping[str, Any]) -> PatientSetting:
    """Validate the API-shaped input (api-v1 ``POST /treatment/options``); raises InvalidInput."""
    raw_setting = data.get(F_SETTING)
    if raw_setting not in {s.value for s in Setting}:
        accepted = ", ".join(s.value for s in Setting)
        raise InvalidInput(
            F_SETTING, f"Choose the setting: one of {accepted} (got {raw_setting!r})."
        )
    setting = Setting(str(raw_setting))

    transplant = data.get(F_TRANSPLANT)
    if transplant is not None and not isinstance(transplant, bool):
        raise InvalidInput(F_TRANSPLANT, "transplant_eligible must be true, false or null.")

    raw_frailty = data.get(F_FRAILTY)
    frailty = None
    if raw_frailty is not None:
        try:
            frailty = Frailty(raw_frailty)
        except ValueError:
            accepted = ", ".join(f.value for f in Frailty)
            raise InvalidInput(
                F_FRAILTY, f"frailty must be one of {accepted} or null (got {raw_frailty!r})."
            ) from None

    prior_lines = data.get(F_PRIOR_LINES)
    if prior_lines is not None:
        if isinstance(prior_lines, bool) or not isinstance(prior_lines, int):
            raise InvalidInput(
                F_PRIOR_LINES,
                f"prior_lines must be a whole number from 0 to {PRIOR_LINES_MAX} "
                f"(got {prior_lines!r}).",
            )
        if not 0 <= prior_lines <= PRIOR_LINES_MAX:
            raise InvalidInput(
                F_PRIOR_LINES,
                f"prior_lines must be from 0 to {PRIOR_LINES_MAX} (got {prior_lines}).",
            )
        if setting is Setting.RRMM and prior_lines < 1:
            raise InvalidInput(
                F_PRIOR_LINES,
                "Relapsed/refractory myeloma has at least 1 prior line (prior_lines from 1 to "
                f"{PRIOR_LINES_MAX}).",
            )
        if setting is not Setting.RRMM and prior_lines > 0:
            raise InvalidInput(
                F_PRIOR_LINES,
                "Newly diagnosed and smouldering myeloma have no prior line of therapy "
                "(prior_lines 0); choose relapsed/refractory myeloma instead.",
            )

    return PatientSetting(
        setting=setting,
        transplant_eligible=transplant,
        frailty=frailty,
        prior_lines=prior_lines,
        exposed_to=_history(data.get(F_EXPOSED), F_EXPOSED),
        refractory_to=_history(data.get(F_REFRACTORY), F_REFRACTORY),
    )


# --------------------------------------------------------------------------------------------------
# Matching (three-valued: True, False, None = depends on an unknown input)
# --------------------------------------------------------------------------------------------------


def _exposed(patient: PatientSetting, item: str) -> bool | None:
    if item in HISTORY_GROUPS:
        return _any(_exposed(patient, member) for member in HISTORY_GROUPS[item])
    if patient.refractory_to is not None and item in patient.refractory_to:
        return True  # refractory implies exposed
    if patient.exposed_to is None:
        return None
    return item in patient.exposed_to


def _refractory(patient: PatientSetting, item: str) -> bool | None:
    if item in HISTORY_GROUPS:
        return _any(_refractory(patient, member) for member in HISTORY_GROUPS[item])
    if patient.refractory_to is not None:
        return item in patient.refractory_to
    if _exposed(patient, item) is False:
        return False  # never exposed, so not refractory
    return None


def _any(values: Iterable[bool | None]) -> bool | None:
    seen = list(values)
    if any(v is True for v in seen):
        return True
    return False if all(v is False for v in seen) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Check:
    passed: bool | None
    field: str
    reason: str  # why the option is not offered when ``passed`` is False


def _lines(count: int) -> str:
    return f"{count} prior line{'' if count == 1 else 's'}"


def _checks(criteria: Criteria, patient: PatientSetting) -> list[_Check]:
    checks: list[_Check] = []
    lines = patient.prior_lines
    if criteria.prior_lines_min is not None:
        ok = None if lines is None else lines >= criteria.prior_lines_min
        reason = f"needs at least {_lines(criteria.prior_lines_min)} (entered: {lines})"
        checks.append(_Check(passed=ok, field=F_PRIOR_LINES, reason=reason))
    if criteria.prior_lines_max is not None:
        ok = None if lines is None else lines <= criteria.prior_lines_max
        reason = f"for at most {_lines(criteria.prior_lines_max)} (entered: {lines})"
        checks.append(_Check(passed=ok, field=F_PRIOR_LINES, reason=reason))
    for item in sorted(criteria.requires_exposed):
        checks.append(
            _Check(
                passed=_exposed(patient, item),
                field=F_EXPOSED,
                reason=f"needs prior exposure to {ITEM_LABELS[item]}",
            )
        )
    for item in sorted(criteria.excludes_exposed):
        exposed = _exposed(patient, item)
        checks.append(
            _Check(
                passed=None if exposed is None else not exposed,
                field=F_EXPOSED,
                reason=f"not after exposure to {ITEM_LABELS[item]}",
            )
        )
    for item in sorted(criteria.requires_refractory):
        checks.append(
            _Check(
                passed=_refractory(patient, item),
                field=F_REFRACTORY,
                reason=f"for disease refractory to {ITEM_LABELS[item]}",
            )
        )
    for item in sorted(criteria.excludes_refractory):
        refractory = _refractory(patient, item)
        checks.append(
            _Check(
                passed=None if refractory is None else not refractory,
                field=F_REFRACTORY,
                reason=f"not for disease refractory to {ITEM_LABELS[item]}",
            )
        )
    if criteria.transplant_eligible is not None:
        te = patient.transplant_eligible
        checks.append(
            _Check(
                passed=None if te is None else te is criteria.transplant_eligible,
                field=F_TRANSPLANT,
                reason="for transplant-eligible patients"
                if criteria.transplant_eligible
                else "for transplant-ineligible patients",
            )
        )
    if criteria.frailty is not None:
        frailty = patient.frailty
        labels = " or ".join(
            {"intermediate": "intermediate-fitness"}.get(f.value, f.value)
            for f in Frailty
            if f in criteria.frailty
        )
        checks.append(
            _Check(
                passed=None if frailty is None else frailty in criteria.frailty,
                field=F_FRAILTY,
                reason=f"for {labels} patients",
            )
        )
    return checks


def _refractory_to_drug_item(patient: PatientSetting, item: str) -> bool | None:
    refractory = _refractory(patient, item)
    if refractory is None and patient.setting is not Setting.RRMM:
        # Newly diagnosed and smouldering myeloma have had no therapy (prior_lines 0).
        return False
    return refractory


def _drug_checks(
    recommendation: Recommendation,
    patient: PatientSetting,
    regimen_drugs: Mapping[str, Collection[str]],
) -> list[_Check]:
    """The option's drugs against the patient's refractoriness (per drug or per class)."""
    if recommendation.regimen is None:
        drugs: Collection[str] = recommendation.drugs
    elif recommendation.regimen in regimen_drugs:
        drugs = regimen_drugs[recommendation.regimen]
    else:
        reason = (
            f"the drugs of regimen {recommendation.regimen} are not in the published regimen "
            "content, so refractoriness cannot be checked"
        )
        return [_Check(passed=False, field=F_REFRACTORY, reason=reason)]
    by_item: dict[str, list[str]] = {}
    for drug in drugs:
        item = DRUG_HISTORY_ITEM.get(drug)
        if item is not None and drug not in by_item.setdefault(item, []):
            by_item[item].append(drug)
    checks = []
    for item, names in sorted(by_item.items()):
        refractory = _refractory_to_drug_item(patient, item)
        label = ITEM_LABELS[item]
        reason = (
            f"refractory to {label} ({', '.join(names)})"
            if item in _CLASS_ITEMS
            else f"refractory to {label}"
        )
        checks.append(
            _Check(
                passed=None if refractory is None else not refractory,
                field=F_REFRACTORY,
                reason=reason,
            )
        )
    return checks


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    recommendation: Recommendation
    match: Match
    depends_on: tuple[str, ...]  # input fields that would decide a "possible" option


@dataclass(frozen=True, slots=True, kw_only=True)
class Excluded:
    """A recommendation of the patient's setting that is not offered, and why (in words)."""

    recommendation: Recommendation
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionsResult:
    setting: PatientSetting
    options: tuple[Option, ...]  # guideline recommendations and approved indications
    investigational: tuple[Option, ...]  # trial regimens shown apart, never as options
    notes: tuple[str, ...]
    missing: tuple[str, ...]
    excluded: tuple[Excluded, ...] = ()  # one per regimen not offered, with its reasons


NO_MATCH_NOTE = (
    "No recommendation in the shipped guideline content matches this situation. The full EHA-EMN "
    "2025 recommendations have not been entered yet (domain-reference §17 #15): decide with the "
    "guideline text and the treating team."
)
POSSIBLE_NOTE = (
    "Options marked “possible” depend on information not entered; add it to decide "
    "(an unknown is never assumed)."
)

_FIELD_ORDER = (F_PRIOR_LINES, F_EXPOSED, F_REFRACTORY, F_TRANSPLANT, F_FRAILTY)


def _identity(recommendation: Recommendation) -> str:
    """Recommendations naming the same regimen are one option (without a regimen: the key)."""
    return recommendation.regimen or f"key:{recommendation.key}"


def treatment_options(
    patient: PatientSetting,
    recommendations: Sequence[Recommendation],
    *,
    regimen_drugs: Mapping[str, Collection[str]],
    setting_notes: Sequence[str] = (),
) -> OptionsResult:
    """The recommendations for ``patient.setting`` whose criteria the patient meets or may meet.

    ``recommendations`` is the guideline content (any settings; others are ignored);
    ``regimen_drugs`` maps each regimen slug to its drugs (lower-case INNs) — an option whose
    regimen is missing there is not offered, since its refractoriness cannot be checked;
    ``setting_notes`` are the guideline's notes for this setting, shown with the result.

    One option per regimen: when several recommendations name it, the first in order (matches
    before possible, then rank) is shown. ``excluded`` lists every other regimen of the setting
    with the reasons of its recommendation that fails the fewest criteria.
    """
    matched: list[Option] = []
    failed: list[Excluded] = []
    for recommendation in recommendations:
        if recommendation.setting is not patient.setting:
            continue
        # Refractoriness to the option's own drugs first: it is the reason a clinician reads first.
        checks = _drug_checks(recommendation, patient, regimen_drugs) + _checks(
            recommendation.criteria, patient
        )
        reasons = tuple(dict.fromkeys(c.reason for c in checks if c.passed is False))
        if reasons:
            failed.append(Excluded(recommendation=recommendation, reasons=reasons))
            continue
        unknown = {check.field for check in checks if check.passed is None}
        depends_on = tuple(f for f in _FIELD_ORDER if f in unknown)
        matched.append(
            Option(
                recommendation=recommendation,
                match=Match.POSSIBLE if depends_on else Match.MATCHES,
                depends_on=depends_on,
            )
        )
    matched.sort(
        key=lambda o: (o.match is Match.POSSIBLE, o.recommendation.rank, o.recommendation.key)
    )
    shown: dict[str, Option] = {}
    for option in matched:
        shown.setdefault(_identity(option.recommendation), option)
    unique = tuple(shown.values())
    closest: dict[str, Excluded] = {}
    for item in sorted(
        failed, key=lambda e: (len(e.reasons), e.recommendation.rank, e.recommendation.key)
    ):
        identity = _identity(item.recommendation)
        if identity not in shown:
            closest.setdefault(identity, item)
    excluded = tuple(
        sorted(closest.values(), key=lambda e: (e.recommendation.rank, e.recommendation.key))
    )
    options = tuple(o for o in unique if o.recommendation.basis is not Basis.INVESTIGATIONAL)
    investigational = tuple(o for o in unique if o.recommendation.basis is Basis.INVESTIGATIONAL)
    missing_set = {f for o in unique for f in o.depends_on}
    missing = tuple(f for f in _FIELD_ORDER if f in missing_set)
    notes = list(setting_notes)
    if not options:
        notes.append(NO_MATCH_NOTE)
    if any(o.match is Match.POSSIBLE for o in unique):
        notes.append(POSSIBLE_NOTE)
    return OptionsResult(
        setting=patient,
        options=options,
        investigational=investigational,
        notes=tuple(notes),
        missing=missing,
        excluded=excluded,
    )


# --------------------------------------------------------------------------------------------------
# Content validation (YAML / database JSON -> domain)
# --------------------------------------------------------------------------------------------------

_CRITERIA_KEYS = {
    "prior_lines",
    "requires_exposed",
    "excludes_exposed",
    "requires_refractory",
    "excludes_refractory",
    "transplant_eligible",
    "frailty",
}
_RECOMMENDATION_KEYS = {
    "key",
    "regimen",
    "name",
    "setting",
    "criteria",
    "rank",
    "evidence",
    "grade",
    "basis",
    "pivotal_trial",
    "source",
    "notes",
    "verification",
    "verification_note",
    "checked_by",
    "date_reviewed",
    "drugs",
}


def _text(value: Any, path: str, *, optional: bool = False) -> str | None:
    if optional and (value is None or value == ""):
        return None
    if not isinstance(value, str) or not value.strip():
        raise TreatmentContentError(path, "must be non-empty text")
    return " ".join(value.split())


def _req_text(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TreatmentContentError(f"{path}{key}", "must be non-empty text")
    return " ".join(value.split())


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TreatmentContentError(path, "must be a mapping")
    return value


def _items(value: Any, path: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise TreatmentContentError(path, "must be a list")
    for index, item in enumerate(value):
        if item not in CRITERION_ITEMS:
            accepted = ", ".join(sorted(CRITERION_ITEMS))
            raise TreatmentContentError(f"{path}.{index}", f"unknown {item!r}; use {accepted}")
    return frozenset(value)


def _whole(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TreatmentContentError(path, "must be a whole number ≥ 0 or null")
    return value


def criteria_from_dict(data: Any, path: str = "criteria") -> Criteria:
    data = _mapping(data or {}, path)
    unknown = set(data) - _CRITERIA_KEYS
    if unknown:
        raise TreatmentContentError(path, f"unknown criteria {sorted(unknown)}")
    lines = _mapping(data.get("prior_lines") or {}, f"{path}.prior_lines")
    if set(lines) - {"min", "max"}:
        raise TreatmentContentError(f"{path}.prior_lines", "only min and max are allowed")
    lines_min = _whole(lines.get("min"), f"{path}.prior_lines.min")
    lines_max = _whole(lines.get("max"), f"{path}.prior_lines.max")
    if lines_min is not None and lines_max is not None and lines_min > lines_max:
        raise TreatmentContentError(f"{path}.prior_lines", "min is larger than max")
    transplant = data.get("transplant_eligible")
    if transplant is not None and not isinstance(transplant, bool):
        raise TreatmentContentError(f"{path}.transplant_eligible", "must be true, false or null")
    raw_frailty = data.get("frailty")
    frailty = None
    if raw_frailty is not None:
        if not isinstance(raw_frailty, list) or not raw_frailty:
            raise TreatmentContentError(f"{path}.frailty", "must be a non-empty list or null")
        try:
            frailty = frozenset(Frailty(item) for item in raw_frailty)
        except ValueError:
            accepted = ", ".join(f.value for f in Frailty)
            raise TreatmentContentError(f"{path}.frailty", f"use {accepted}") from None
    return Criteria(
        prior_lines_min=lines_min,
        prior_lines_max=lines_max,
        requires_exposed=_items(data.get("requires_exposed"), f"{path}.requires_exposed"),
        excludes_exposed=_items(data.get("excludes_exposed"), f"{path}.excludes_exposed"),
        requires_refractory=_items(data.get("requires_refractory"), f"{path}.requires_refractory"),
        excludes_refractory=_items(data.get("excludes_refractory"), f"{path}.excludes_refractory"),
        transplant_eligible=transplant,
        frailty=frailty,
    )


def criteria_to_dict(criteria: Criteria) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if criteria.prior_lines_min is not None or criteria.prior_lines_max is not None:
        data["prior_lines"] = {
            k: v
            for k, v in (("min", criteria.prior_lines_min), ("max", criteria.prior_lines_max))
            if v is not None
        }
    for name in ("requires_exposed", "excludes_exposed", "requires_refractory"):
        if getattr(criteria, name):
            data[name] = sorted(getattr(criteria, name))
    if criteria.excludes_refractory:
        data["excludes_refractory"] = sorted(criteria.excludes_refractory)
    if criteria.transplant_eligible is not None:
        data["transplant_eligible"] = criteria.transplant_eligible
    if criteria.frailty is not None:
        data["frailty"] = [f.value for f in Frailty if f in criteria.frailty]
    return data


def _enum(enum: type[StrEnum], value: Any, path: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        accepted = ", ".join(member.value for member in enum)
        raise TreatmentContentError(path, f"use {accepted} (got {value!r})") from None


def _drugs(value: Any, path: str, *, regimen: str | None) -> tuple[str, ...]:
    """A recommendation without a regimen names its drugs, so refractoriness can be checked."""
    if regimen is not None:
        if value:
            raise TreatmentContentError(
                path, "leave empty when a regimen is named: the regimen's components are its drugs"
            )
        return ()
    if not isinstance(value, list) or not value:
        raise TreatmentContentError(
            path, "a recommendation without a regimen must list its drugs (lower-case INNs)"
        )
    for index, drug in enumerate(value):
        if not isinstance(drug, str) or not _INN_RE.match(drug):
            raise TreatmentContentError(
                f"{path}.{index}", f"must be a lower-case INN (got {drug!r})"
            )
    if len(set(value)) != len(value):
        raise TreatmentContentError(path, "a drug is listed twice")
    return tuple(value)


def recommendation_from_dict(
    data: Any, path: str = "", *, regimen_slugs: frozenset[str] | None = None
) -> Recommendation:
    """Validate one recommendation. ``regimen_slugs``, when given, are the regimens that exist."""
    obj = _mapping(data, path or "recommendation")
    prefix = f"{path}." if path else ""
    unknown = set(obj) - _RECOMMENDATION_KEYS
    if unknown:
        raise TreatmentContentError(path, f"unknown keys {sorted(unknown)}")
    key = _req_text(obj, "key", prefix)
    if not _SLUG_RE.match(key):
        raise TreatmentContentError(f"{prefix}key", "must be lower-case words joined by '-'")
    regimen = _text(obj.get("regimen"), f"{prefix}regimen", optional=True)
    if regimen is not None and regimen_slugs is not None and regimen not in regimen_slugs:
        raise TreatmentContentError(f"{prefix}regimen", f"no regimen {regimen!r} in content")
    basis = _enum(Basis, obj.get("basis"), f"{prefix}basis")
    verification = _enum(Verification, obj.get("verification"), f"{prefix}verification")
    if basis is Basis.GUIDELINE and verification is not Verification.VERIFIED:
        # §12.1, §20: the guideline badge says "this is an EHA-EMN 2025 recommendation"; an
        # unverified one is what it is — an approved indication with its pivotal trial, or a trial.
        raise TreatmentContentError(
            f"{prefix}basis",
            "only a verified recommendation may be labelled a guideline recommendation; use "
            "basis label (approved indication, with its pivotal trial) or investigational",
        )
    grade = _text(obj.get("grade"), f"{prefix}grade", optional=True)
    if grade is not None and (
        basis is not Basis.GUIDELINE or verification is not Verification.VERIFIED
    ):
        # §12.1: never display a grade unless it is confirmed from the guideline.
        raise TreatmentContentError(
            f"{prefix}grade", "only a verified guideline recommendation may carry a grade"
        )
    pivotal_trial = _text(obj.get("pivotal_trial"), f"{prefix}pivotal_trial", optional=True)
    if basis is Basis.LABEL and pivotal_trial is None:
        raise TreatmentContentError(
            f"{prefix}pivotal_trial", "an approved indication must name its pivotal trial"
        )
    rank = obj.get("rank")
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise TreatmentContentError(f"{prefix}rank", "must be a whole number")
    notes = obj.get("notes") or []
    if not isinstance(notes, list):
        raise TreatmentContentError(f"{prefix}notes", "must be a list")
    verification_note = _text(
        obj.get("verification_note"), f"{prefix}verification_note", optional=True
    )
    if verification is Verification.PENDING and verification_note is None:
        raise TreatmentContentError(
            f"{prefix}verification_note", "pending content must say what is unverified"
        )
    record = record_from(obj)
    if record is None and (obj.get("checked_by") or obj.get("date_reviewed")):
        raise TreatmentContentError(
            f"{prefix}checked_by",
            "a verification record needs both checked_by (text of at most 200 characters) and "
            "date_reviewed (YYYY-MM-DD)",
        )
    return Recommendation(
        key=key,
        regimen=regimen,
        drugs=_drugs(obj.get("drugs"), f"{prefix}drugs", regimen=regimen),
        name=_req_text(obj, "name", prefix),
        setting=_enum(Setting, obj.get("setting"), f"{prefix}setting"),
        criteria=criteria_from_dict(obj.get("criteria"), f"{prefix}criteria"),
        rank=rank,
        evidence=_req_text(obj, "evidence", prefix),
        grade=grade,
        basis=basis,
        pivotal_trial=pivotal_trial,
        source=_req_text(obj, "source", prefix),
        notes=tuple(str(_text(n, f"{prefix}notes.{i}")) for i, n in enumerate(notes)),
        verification=verification,
        verification_note=verification_note or "",
        record=record,
    )


def recommendation_to_dict(recommendation: Recommendation) -> dict[str, Any]:
    r = recommendation
    return {
        "key": r.key,
        "regimen": r.regimen,
        "name": r.name,
        "setting": r.setting.value,
        "criteria": criteria_to_dict(r.criteria),
        "rank": r.rank,
        "evidence": r.evidence,
        "grade": r.grade,
        "basis": r.basis.value,
        "pivotal_trial": r.pivotal_trial,
        "source": r.source,
        "notes": list(r.notes),
        "verification": r.verification.value,
        "verification_note": r.verification_note,
        "drugs": list(r.drugs) or None,
    } | record_to_dict(r.record)


def guideline_from_dict(
    data: Any, *, regimen_slugs: frozenset[str] | None = None
) -> tuple[Guideline, tuple[Recommendation, ...]]:
    """Validate a guideline file: its header and every recommendation (keys unique)."""
    obj = _mapping(data, "guideline")
    unknown = set(obj) - {
        "slug",
        "name",
        "version",
        "source",
        "author",
        "checker",
        "setting_notes",
        "recommendations",
    }
    if unknown:
        raise TreatmentContentError("", f"unknown keys {sorted(unknown)}")
    slug = _req_text(obj, "slug", "")
    if not _SLUG_RE.match(slug):
        raise TreatmentContentError("slug", "must be lower-case words joined by '-'")
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TreatmentContentError("version", "must be a whole number ≥ 1")
    raw_notes = _mapping(obj.get("setting_notes") or {}, "setting_notes")
    setting_notes: dict[Setting, tuple[str, ...]] = {}
    for raw_setting, notes in raw_notes.items():
        setting = _enum(Setting, raw_setting, f"setting_notes.{raw_setting}")
        if not isinstance(notes, list):
            raise TreatmentContentError(f"setting_notes.{raw_setting}", "must be a list")
        setting_notes[setting] = tuple(
            str(_text(n, f"setting_notes.{raw_setting}.{i}")) for i, n in enumerate(notes)
        )
    guideline = Guideline(
        slug=slug,
        name=_req_text(obj, "name", ""),
        version=version,
        source=_req_text(obj, "source", ""),
        author=_req_text(obj, "author", ""),
        checker=_text(obj.get("checker"), "checker", optional=True),
        setting_notes=setting_notes,
    )
    raw_recommendations = obj.get("recommendations")
    if not isinstance(raw_recommendations, list) or not raw_recommendations:
        raise TreatmentContentError("recommendations", "must be a non-empty list")
    recommendations = tuple(
        recommendation_from_dict(item, f"recommendations.{i}", regimen_slugs=regimen_slugs)
        for i, item in enumerate(raw_recommendations)
    )
    keys = [r.key for r in recommendations]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise TreatmentContentError("recommendations", f"duplicate keys {duplicates}")
    return guideline, recommendations
