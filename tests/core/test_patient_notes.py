"""Patient and staff notes (issue 12): when a note is printed, the dates of the I2TEAMM
assessment points, and the validation of a note document.

Dates are worked out by hand: "N months after the start" is the same day N calendar months
later, or the month's last day when that month is shorter (I2TEAMM 9 and 12 months, §11.2).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from myeloma_core.patient_notes import (
    DRUG_CLASSES,
    Note,
    NoteContentError,
    Place,
    TreatmentFacts,
    assessment_points,
    note_applies,
    note_from_dict,
    note_golden_case_failures,
)
from myeloma_core.regimen import PatientNote
from myeloma_core.vocabulary import Setting, Verification

LANGUAGES = ("en", "nl", "fr", "da", "nb", "sv", "fi")


def _text(language: str, *, title: bool = True) -> dict[str, Any]:
    text: dict[str, Any] = {"paragraphs": [f"Paragraph in {language}."]}
    if title:
        text["title"] = f"Title in {language}"
    if language != "en":
        text["review_status"] = "not yet reviewed"
    return text


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "kind": "patient_note",
        "id": "i2teamm-assessment-points",
        "audience": "patient",
        "place": "calendar_check_points",
        "applies_when": {"drugs": ["isatuximab"], "settings": ["ndmm"]},
        "assessment_months": [9, 12],
        "text": {code: _text(code, title=False) for code in LANGUAGES},
        "source": "I2TEAMM, JCO 2025 (§11.2)",
        "verification": "verified",
        "verification_note": "",
        "author": "test",
    }
    document.update(changes)
    return document


def _note(**changes: Any) -> Note:
    return note_from_dict(_document(**changes), languages=LANGUAGES)


ISA_VRD = TreatmentFacts(
    drugs=frozenset({"isatuximab", "bortezomib", "lenalidomide", "dexamethasone"}),
    settings=frozenset({Setting.NDMM}),
)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 31 Jan 2026 + 9 months = 31 Oct 2026; + 12 months = 31 Jan 2027.
        (dt.date(2026, 1, 31), [(9, dt.date(2026, 10, 31)), (12, dt.date(2027, 1, 31))]),
        # 31 May 2027 + 9 months: February 2028 has 29 days → 29 Feb 2028; + 12 → 31 May 2028.
        (dt.date(2027, 5, 31), [(9, dt.date(2028, 2, 29)), (12, dt.date(2028, 5, 31))]),
        # 30 May 2026 + 9 months: February 2027 has 28 days → 28 Feb 2027.
        (dt.date(2026, 5, 30), [(9, dt.date(2027, 2, 28)), (12, dt.date(2027, 5, 30))]),
        # 5 Jan 2026 (worked example D1's start) + 9 → 5 Oct 2026; + 12 → 5 Jan 2027.
        (dt.date(2026, 1, 5), [(9, dt.date(2026, 10, 5)), (12, dt.date(2027, 1, 5))]),
    ],
)
def test_assessment_points_are_calendar_months_after_the_start(
    start: dt.date, expected: list[tuple[int, dt.date]]
) -> None:
    points = assessment_points(_note(), start)
    assert [(p.months, p.date) for p in points] == expected


def test_the_months_come_from_the_content() -> None:
    points = assessment_points(_note(assessment_months=[6]), dt.date(2026, 8, 31))
    assert [(p.months, p.date) for p in points] == [(6, dt.date(2027, 2, 28))]


def test_every_given_condition_must_hold() -> None:
    note = _note()
    assert note_applies(note, ISA_VRD)
    # Isa-Pd: isatuximab, but relapsed myeloma.
    isa_pd = TreatmentFacts(
        drugs=frozenset({"isatuximab", "pomalidomide", "dexamethasone"}),
        settings=frozenset({Setting.RRMM}),
    )
    assert not note_applies(note, isa_pd)
    # D-VRd: newly diagnosed, but daratumumab.
    d_vrd = TreatmentFacts(
        drugs=frozenset({"daratumumab", "bortezomib", "lenalidomide", "dexamethasone"}),
        settings=frozenset({Setting.NDMM}),
    )
    assert not note_applies(note, d_vrd)
    # A regimen with both settings (DRd) satisfies "any of".
    both = TreatmentFacts(
        drugs=frozenset({"isatuximab"}), settings=frozenset({Setting.NDMM, Setting.RRMM})
    )
    assert note_applies(note, both)


def test_a_drug_class_matches_each_of_its_drugs() -> None:
    assert DRUG_CLASSES["anti_cd38"] == frozenset({"daratumumab", "isatuximab"})
    note = _note(applies_when={"drug_classes": ["anti_cd38"]})
    assert note_applies(note, TreatmentFacts(drugs=frozenset({"daratumumab"})))
    assert note_applies(note, TreatmentFacts(drugs=frozenset({"isatuximab"})))
    assert not note_applies(note, TreatmentFacts(drugs=frozenset({"pomalidomide"})))


def test_a_note_named_by_the_regimens_supportive_care() -> None:
    note = _note(
        place="calendar_after_premedication",
        applies_when={"supportive_care": ["herpes_zoster"]},
        assessment_months=None,
        text={code: _text(code) for code in LANGUAGES},
    )
    named = TreatmentFacts(
        drugs=frozenset({"daratumumab"}), supportive_care=frozenset({PatientNote.HERPES_ZOSTER})
    )
    assert note_applies(note, named)
    assert not note_applies(note, TreatmentFacts(drugs=frozenset({"daratumumab"})))


def test_no_condition_applies_wherever_the_place_is_shown() -> None:
    note = _note(applies_when={})
    assert note_applies(note, TreatmentFacts(drugs=frozenset()))


def test_a_translation_keeps_its_review_status_and_english_is_the_fallback() -> None:
    document = _document(
        audience="staff",
        place="worksheet_first_infusion",
        assessment_months=None,
        text={"en": _text("en", title=False)},
    )
    note = note_from_dict(document, languages=LANGUAGES)
    assert note.text("nl").paragraphs == ("Paragraph in en.",)
    patient = _note()
    assert patient.text("nl").reviewed is False
    assert patient.text("en").reviewed is True
    assert patient.verification is Verification.VERIFIED
    assert patient.place is Place.CALENDAR_CHECK_POINTS


def _without(document: dict[str, Any], *path: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return document


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        (_without(_document(), "text", "sv"), "text.sv", "missing"),
        (_document(audience="staff"), "audience", "for the patient"),
        (_document(place="somewhere"), "place", "must be one of"),
        (_document(assessment_months=[12, 9]), "assessment_months", "increasing"),
        (_document(assessment_months=[0]), "assessment_months[0]", "whole number"),
        (_document(assessment_months=[9.5]), "assessment_months[0]", "whole number"),
        (_document(applies_when={"drugs": ["Isatuximab"]}), "applies_when.drugs", "INN"),
        (_document(applies_when={"settings": ["newly diagnosed"]}), "applies_when.settings", ""),
        (_document(applies_when={"drug_classes": ["cd38"]}), "applies_when.drug_classes", ""),
        (_document(applies_when={"drug": ["isatuximab"]}), "applies_when.drug", "unknown"),
        (_document(verification="pending"), "verification_note", "not yet verified"),
        (_document(verification="checked"), "verification", "verified or pending"),
        (_document(colour="red"), "colour", "unknown field"),
        (_document(id="Blood Tests"), "id", "lower-case"),
        (_document(source=" "), "source", "non-empty"),
        (
            _document(
                audience="staff",
                place="staging_result",
                assessment_months=None,
                applies_when={"settings": ["ndmm"]},
            ),
            "applies_when",
            "names the drugs",
        ),
    ],
)
def test_a_document_that_does_not_validate_names_the_field(
    document: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(NoteContentError) as refused:
        note_from_dict(document, languages=LANGUAGES)
    assert refused.value.path == path
    assert message in refused.value.message


def test_translations_must_match_the_english_text() -> None:
    text = {code: _text(code, title=False) for code in LANGUAGES}
    text["fr"]["paragraphs"] = ["Un.", "Deux."]
    with pytest.raises(NoteContentError) as refused:
        note_from_dict(_document(text=text), languages=LANGUAGES)
    assert refused.value.path == "text.fr.paragraphs"
    text = {code: _text(code, title=False) for code in LANGUAGES}
    text["da"]["review_status"] = "machine-drafted"
    with pytest.raises(NoteContentError) as refused:
        note_from_dict(_document(text=text), languages=LANGUAGES)
    assert refused.value.path == "text.da.review_status"
    text = {code: _text(code) for code in LANGUAGES}
    with pytest.raises(NoteContentError) as refused:  # a check point prints no heading
        note_from_dict(_document(text=text), languages=LANGUAGES)
    assert refused.value.path == "text.en.title"


ISA_VRD_CASE = {
    "treatment": {"drugs": ["isatuximab", "lenalidomide"], "settings": ["ndmm"]},
    "start_date": "2026-01-31",
    "applies": True,
    "dates": ["2026-10-31", "2027-01-31"],
}


def test_golden_cases_pass_or_say_what_differs() -> None:
    note = _note()
    assert note_golden_case_failures(note, [ISA_VRD_CASE]) == ()
    wrong_dates = ISA_VRD_CASE | {"name": "dates", "dates": ["2026-10-01", "2027-01-01"]}
    assert note_golden_case_failures(note, [wrong_dates]) == (
        "dates: expected the dates 2026-10-01, 2027-01-01, got 2026-10-31, 2027-01-31.",
    )
    relapsed = {"name": "Isa-Pd", "treatment": {"drugs": ["isatuximab"], "settings": ["rrmm"]}}
    assert note_golden_case_failures(note, [ISA_VRD_CASE, relapsed | {"applies": True}]) == (
        "Isa-Pd: expected printed, but it is not printed.",
    )
    unreadable = {"name": "bad", "treatment": {"settings": ["later"]}, "applies": True}
    failures = note_golden_case_failures(note, [ISA_VRD_CASE, unreadable])
    assert failures[0].startswith("bad: the case cannot be read")


def test_a_note_needs_a_golden_case_it_is_printed_for() -> None:
    relapsed = {"treatment": {"drugs": ["isatuximab"], "settings": ["rrmm"]}, "applies": False}
    assert note_golden_case_failures(_note(), [relapsed]) == (
        "no golden case shows a treatment the note is printed for.",
    )
