"""Patient and staff notes that are clinical content: what they say, in which languages, where
they are printed and for which treatments (issue 12).

A note is one governed document (content/patient_notes/<id>.yaml): a warning such as the
isatuximab blood-transfusion interference (SARCLISA SmPC 18.07.2025, 4.4 and 4.5; domain
reference §13.9), contraception for 5 months after the last dose (§14.6 X29), shingles
prevention with anti-CD38 antibodies (§13.7), the anti-CD38 interference on SPE/IFE (§21 R12),
or the I2TEAMM assessment points at 9 and 12 months (§11.2). Each names its source and
verification; patient notes carry the text of every calendar language with its review status.

``note_applies`` decides for which treatment a note is printed; ``assessment_points`` dates the
I2TEAMM points of a plan. Both are pure: the apps only read the published notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from myeloma_core.regimen import PatientNote
from myeloma_core.response_mrd import add_months
from myeloma_core.treatment import DRUG_HISTORY_ITEM
from myeloma_core.vocabulary import Setting, Verification

SOURCE_LANGUAGE = "en"
REVIEWED = "reviewed"
NOT_YET_REVIEWED = "not yet reviewed"
# Drug classes a note may name, e.g. anti_cd38 → daratumumab, isatuximab (one definition: the
# treatment history's, myeloma_core.treatment).
DRUG_CLASSES: Mapping[str, frozenset[str]] = {
    item: frozenset(drug for drug, of in DRUG_HISTORY_ITEM.items() if of == item)
    for item in sorted(set(DRUG_HISTORY_ITEM.values()) - set(DRUG_HISTORY_ITEM))
}
MAX_ASSESSMENT_MONTHS = 120
INN = re.compile(r"[a-z][a-z-]*[a-z]")
NOTE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,58}[a-z0-9]")


class NoteContentError(ValueError):
    """A note document that does not validate; ``path`` names the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class Audience(StrEnum):
    PATIENT = "patient"
    STAFF = "staff"


class Place(StrEnum):
    """Where a note is printed or shown. The calendar's "Important information" page has three
    places around its fixed parts (the clinic's phone box, the premedication box), and the
    "Planned check points" list; staff notes go on the infusion worksheet or the staging page."""

    CALENDAR_BEFORE_CONTACT = "calendar_before_contact"
    CALENDAR_AFTER_CONTACT = "calendar_after_contact"
    CALENDAR_AFTER_PREMEDICATION = "calendar_after_premedication"
    CALENDAR_CHECK_POINTS = "calendar_check_points"
    WORKSHEET_FIRST_INFUSION = "worksheet_first_infusion"
    STAGING_RESULT = "staging_result"


PATIENT_PLACES = frozenset(
    {
        Place.CALENDAR_BEFORE_CONTACT,
        Place.CALENDAR_AFTER_CONTACT,
        Place.CALENDAR_AFTER_PREMEDICATION,
        Place.CALENDAR_CHECK_POINTS,
    }
)
# Places printed as a box with a heading; the others are one line of a list.
TITLED_PLACES = PATIENT_PLACES - {Place.CALENDAR_CHECK_POINTS}


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentFacts:
    """What a note's conditions are read against: the plan's drugs (lower-case INNs), the
    regimen's settings and the patient texts its supportive care names."""

    drugs: frozenset[str]
    settings: frozenset[Setting] = frozenset()
    supportive_care: frozenset[PatientNote] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Conditions:
    """When a note applies: every condition given must hold; within one, any value will do.
    No condition at all: the note applies wherever its place is shown."""

    drugs: frozenset[str] = frozenset()
    drug_classes: frozenset[str] = frozenset()
    settings: frozenset[Setting] = frozenset()
    supportive_care: frozenset[PatientNote] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteText:
    """A note in one language; ``reviewed`` is False for a translation not yet reviewed by a
    native clinical speaker (the English text is the verified source text)."""

    language: str
    title: str
    paragraphs: tuple[str, ...]
    reviewed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    id: str
    audience: Audience
    place: Place
    conditions: Conditions
    texts: Mapping[str, NoteText]
    assessment_months: tuple[int, ...] = ()
    source: str
    verification: Verification
    verification_note: str = ""
    author: str

    @property
    def pending(self) -> bool:
        return self.verification is Verification.PENDING

    def text(self, language: str) -> NoteText:
        """The note in ``language``; English where it has no translation (staff notes)."""
        return self.texts.get(language) or self.texts[SOURCE_LANGUAGE]


@dataclass(frozen=True, slots=True)
class AssessmentPoint:
    months: int
    date: dt.date


def note_applies(note: Note, facts: TreatmentFacts) -> bool:
    """Whether the note is printed for this treatment (every given condition holds)."""
    wanted = note.conditions
    classes = {name for name, drugs in DRUG_CLASSES.items() if drugs & facts.drugs}
    return (
        (not wanted.drugs or bool(wanted.drugs & facts.drugs))
        and (not wanted.drug_classes or bool(wanted.drug_classes & classes))
        and (not wanted.settings or bool(wanted.settings & facts.settings))
        and (not wanted.supportive_care or bool(wanted.supportive_care & facts.supportive_care))
    )


def assessment_points(note: Note, start: dt.date) -> tuple[AssessmentPoint, ...]:
    """The note's assessment points, ``months`` calendar months after the first day of
    treatment (31 January + 1 month = the last day of February; I2TEAMM, §11.2)."""
    return tuple(
        AssessmentPoint(months, add_months(start, months)) for months in note.assessment_months
    )


# ---------------------------------------------------------------------------------------------
# The document


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise NoteContentError(path, "must be a non-empty text")
    return " ".join(value.split())


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise NoteContentError(path, "must be a mapping")
    return value


def _known_keys(data: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        prefix = f"{path}." if path else ""
        raise NoteContentError(f"{prefix}{unknown[0]}", "unknown field")


def _values(
    data: Mapping[str, Any], key: str, path: str, allowed: Iterable[str] | None
) -> frozenset[str]:
    """A list of names; each one of ``allowed`` or, when None, a lower-case INN."""
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise NoteContentError(f"{path}.{key}", "must be a list of names")
    accepted = None if allowed is None else set(allowed)
    for value in raw:
        if accepted is None and not INN.fullmatch(value):
            raise NoteContentError(f"{path}.{key}", f"{value!r} is not a lower-case INN")
        if accepted is not None and value not in accepted:
            raise NoteContentError(
                f"{path}.{key}", f"{value!r} is not one of {', '.join(sorted(accepted))}"
            )
    return frozenset(raw)


def _conditions(data: Any) -> Conditions:
    path = "applies_when"
    data = _mapping(data or {}, path)
    _known_keys(data, ("drugs", "drug_classes", "settings", "supportive_care"), path)
    return Conditions(
        drugs=_values(data, "drugs", path, None),
        drug_classes=_values(data, "drug_classes", path, DRUG_CLASSES),
        settings=frozenset(Setting(v) for v in _values(data, "settings", path, Setting)),
        supportive_care=frozenset(
            PatientNote(v) for v in _values(data, "supportive_care", path, PatientNote)
        ),
    )


def _note_text(data: Any, language: str, *, titled: bool) -> NoteText:
    path = f"text.{language}"
    data = _mapping(data, path)
    _known_keys(data, ("title", "paragraphs", "review_status"), path)
    if titled:
        title = _text(data.get("title"), f"{path}.title")
    elif "title" in data:
        raise NoteContentError(f"{path}.title", "this place prints no heading")
    else:
        title = ""
    paragraphs = data.get("paragraphs")
    if not isinstance(paragraphs, list) or not paragraphs:
        raise NoteContentError(f"{path}.paragraphs", "must be a list of at least one text")
    status = data.get("review_status")
    if language == SOURCE_LANGUAGE:
        if status is not None:
            raise NoteContentError(
                f"{path}.review_status", "the English text is the source text: no review status"
            )
        reviewed = True
    elif status in (REVIEWED, NOT_YET_REVIEWED):
        reviewed = status == REVIEWED
    else:
        raise NoteContentError(
            f"{path}.review_status", f"must be {REVIEWED!r} or {NOT_YET_REVIEWED!r}"
        )
    return NoteText(
        language=language,
        title=title,
        paragraphs=tuple(_text(p, f"{path}.paragraphs[{i}]") for i, p in enumerate(paragraphs)),
        reviewed=reviewed,
    )


def _texts(
    data: Any, *, languages: Sequence[str], audience: Audience, titled: bool
) -> dict[str, NoteText]:
    data = _mapping(data, "text")
    _known_keys(data, languages, "text")
    required = languages if audience is Audience.PATIENT else (SOURCE_LANGUAGE,)
    for language in required:
        if language not in data:
            raise NoteContentError(
                f"text.{language}", "missing: a patient note is printed in every calendar language"
            )
    texts = {code: _note_text(data[code], code, titled=titled) for code in data}
    count = len(texts[SOURCE_LANGUAGE].paragraphs)
    for code, text in texts.items():
        if len(text.paragraphs) != count:
            raise NoteContentError(
                f"text.{code}.paragraphs", f"must have as many paragraphs as English ({count})"
            )
    return texts


def _months(data: Mapping[str, Any], place: Place) -> tuple[int, ...]:
    raw = data.get("assessment_months")
    if place is not Place.CALENDAR_CHECK_POINTS:
        if raw is not None:
            raise NoteContentError("assessment_months", f"only a {place.value!r} note has them")
        return ()
    if not isinstance(raw, list) or not raw:
        raise NoteContentError("assessment_months", "must list the months after the start")
    months = []
    for index, value in enumerate(raw):
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= MAX_ASSESSMENT_MONTHS
        ):
            raise NoteContentError(
                f"assessment_months[{index}]",
                f"must be a whole number of months, 1–{MAX_ASSESSMENT_MONTHS}",
            )
        months.append(value)
    if months != sorted(set(months)):
        raise NoteContentError("assessment_months", "must be increasing, without repeats")
    return tuple(months)


NOTE_KEYS = (
    "kind",
    "id",
    "audience",
    "place",
    "applies_when",
    "assessment_months",
    "text",
    "source",
    "verification",
    "verification_note",
    "author",
)


def note_from_dict(data: Mapping[str, Any], *, languages: Sequence[str]) -> Note:
    """Validate a note document; ``languages`` are the calendar's (a patient note needs each).
    Raises NoteContentError naming the field."""
    data = _mapping(data, "note")
    _known_keys(data, NOTE_KEYS, "")
    if data.get("kind") != "patient_note":
        raise NoteContentError("kind", "must be patient_note")
    note_id = _text(data.get("id"), "id")
    if not NOTE_ID.fullmatch(note_id):
        raise NoteContentError("id", "lower-case letters, digits and hyphens only")
    try:
        audience = Audience(str(data.get("audience")))
    except ValueError:
        raise NoteContentError("audience", "must be patient or staff") from None
    try:
        place = Place(str(data.get("place")))
    except ValueError:
        places = ", ".join(p.value for p in Place)
        raise NoteContentError("place", f"must be one of {places}") from None
    expected = Audience.PATIENT if place in PATIENT_PLACES else Audience.STAFF
    if audience is not expected:
        raise NoteContentError("audience", f"a {place.value!r} note is for the {expected.value}")
    try:
        verification = Verification(str(data.get("verification")))
    except ValueError:
        raise NoteContentError("verification", "must be verified or pending") from None
    conditions = _conditions(data.get("applies_when"))
    if place is Place.STAGING_RESULT and not (conditions.drugs or conditions.drug_classes):
        raise NoteContentError(
            "applies_when", "a staging note names the drugs (or classes) it is shown for"
        )
    note = str(data.get("verification_note") or "")
    if verification is Verification.PENDING and not note.strip():
        raise NoteContentError("verification_note", "say what is not yet verified")
    return Note(
        id=note_id,
        audience=audience,
        place=place,
        conditions=conditions,
        texts=_texts(
            data.get("text"), languages=languages, audience=audience, titled=place in TITLED_PLACES
        ),
        assessment_months=_months(data, place),
        source=_text(data.get("source"), "source"),
        verification=verification,
        verification_note=" ".join(note.split()),
        author=_text(data.get("author"), "author"),
    )


# ---------------------------------------------------------------------------------------------
# Golden cases: treatments for which a note must (or must not) be printed, with its dates


def _facts(data: Any) -> TreatmentFacts:
    data = _mapping(data, "treatment")
    return TreatmentFacts(
        drugs=frozenset(str(d) for d in data.get("drugs") or []),
        settings=frozenset(Setting(s) for s in data.get("settings") or []),
        supportive_care=frozenset(PatientNote(p) for p in data.get("supportive_care") or []),
    )


def note_golden_case_failures(note: Note, cases: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Plain-language failures; empty when every case gives its expected result.

    A case: ``name``, ``treatment`` (drugs, settings, supportive_care), ``applies`` and, for
    assessment points, ``start_date`` with the expected ``dates`` (worked out by hand)."""
    failures: list[str] = []
    for index, case in enumerate(cases):
        name = str(case.get("name") or f"case {index + 1}")
        try:
            facts = _facts(case.get("treatment"))
            expected = bool(case["applies"])
            start = dt.date.fromisoformat(str(case["start_date"])) if "dates" in case else None
        except (KeyError, ValueError) as error:
            failures.append(f"{name}: the case cannot be read ({error}).")
            continue
        applies = note_applies(note, facts)
        if applies is not expected:
            failures.append(
                f"{name}: expected {_printed(expected)}, but it is {_printed(applies)}."
            )
        elif start is not None:
            dates = [point.date.isoformat() for point in assessment_points(note, start)]
            wanted = [str(d) for d in case["dates"]]
            if dates != wanted:
                failures.append(
                    f"{name}: expected the dates {', '.join(wanted)}, got {', '.join(dates)}."
                )
    if not any(case.get("applies") is True for case in cases):
        failures.append("no golden case shows a treatment the note is printed for.")
    return tuple(failures)


def _printed(printed: bool) -> str:
    return "printed" if printed else "not printed"
