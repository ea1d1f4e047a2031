"""Each domain value is defined once (issue 18): the apps' Django choices for a value of the domain
are generated from its enum in ``myeloma_core``, never typed again."""

from __future__ import annotations

import importlib
import pkgutil
from enum import Enum, StrEnum
from typing import Literal, get_args, get_origin

import pytest
from django.apps import apps
from django.db import models
from django.utils.functional import Promise

import myeloma_core
from myeloma_core.body import Sex
from myeloma_core.schedule import RescheduleScope
from myeloma_core.vocabulary import Basis, Setting, Verification
from webparts.choices import DomainTextChoices, text_choices

APPS = ("accounts", "governance", "staging", "treatment", "dosing", "followup", "costs", "interop")


def _core_enums() -> list[type[Enum]]:
    enums: list[type[Enum]] = []
    for module_info in pkgutil.iter_modules(myeloma_core.__path__):
        module = importlib.import_module(f"myeloma_core.{module_info.name}")
        enums.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Enum)
            and value.__module__ == module.__name__
        )
    return enums


def _subclasses(cls: type[models.TextChoices]) -> list[type[models.TextChoices]]:
    found: list[type[models.TextChoices]] = []
    for subclass in cls.__subclasses__():
        found.extend([subclass, *_subclasses(subclass)])
    return found


def _related(values: set[str], enum: type[Enum]) -> bool:
    """The same domain value, or a copy of it that drifted (one set holds the other)."""
    enum_values = {str(member.value) for member in enum}
    return values <= enum_values or enum_values <= values


def test_every_choices_class_of_a_domain_value_is_generated_from_its_core_enum() -> None:
    app_choices = [
        cls
        for cls in _subclasses(models.TextChoices)
        if cls.__module__.split(".")[0] in {*APPS, "webparts"} and cls is not DomainTextChoices
    ]
    typed_again = [
        f"{cls.__module__}.{cls.__qualname__} ~ {enum.__module__}.{enum.__name__}"
        for cls in app_choices
        for enum in _core_enums()
        if _related({str(c.value) for c in cls}, enum) and not issubclass(cls, DomainTextChoices)
    ]
    assert typed_again == []


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        ("dosing.RegimenVersion", "verification", Verification),
        ("dosing.PlanAdjustment", "scope", RescheduleScope),
        ("treatment.Recommendation", "verification", Verification),
        ("treatment.Recommendation", "setting", Setting),
        ("treatment.Recommendation", "basis", Basis),
        ("followup.ToxicityRuleTable", "verification", Verification),
        ("costs.DrugPrice", "verification", Verification),
        ("costs.ReimbursementNote", "verification", Verification),
    ],
)
def test_model_field_choices_are_the_core_enum_values(
    model: str, field: str, enum: type[StrEnum]
) -> None:
    choices = apps.get_model(model)._meta.get_field(field).choices
    assert choices is not None
    assert [value for value, _label in choices] == [member.value for member in enum]
    assert all(isinstance(label, Promise) for _value, label in choices)


def test_every_model_field_with_domain_values_has_exactly_the_core_enum_values() -> None:
    drifted = [
        f"{model._meta.label}.{field.name}"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and field.choices
        for enum in _core_enums()
        if _related({str(value) for value, _label in field.choices}, enum)
        and [value for value, _label in field.choices] != [member.value for member in enum]
    ]
    assert drifted == [], drifted


def test_a_domain_value_without_a_label_fails_at_import() -> None:
    with pytest.raises(ValueError, match="missing for \\['rrmm'\\]"):
        text_choices(Setting, labels={Setting.NDMM: "n", Setting.SMOULDERING_HIGH_RISK: "s"})


def _literal_values(annotation: object) -> list[tuple[str, ...]]:
    """The value tuples of every ``Literal`` inside an annotation (Optional, Annotated, lists)."""
    if get_origin(annotation) is Literal:
        return [tuple(str(value) for value in get_args(annotation))]
    return [values for arg in get_args(annotation) for values in _literal_values(arg)]


@pytest.mark.parametrize(
    ("schema", "field", "enum"),
    [
        ("dosing.api.RegimenOut", "verification", Verification),
        ("dosing.api.RegimenRefOut", "verification", Verification),
        ("dosing.api.MilestoneOut", "verification", Verification),
        ("dosing.api.SupportiveCareOut", "verification", Verification),
        ("dosing.api.PatientIn", "sex", Sex),
        ("dosing.api.AdjustmentOut", "scope", RescheduleScope),
        ("dosing.api.RescheduleIn", "scope", RescheduleScope),
        ("treatment.api.OptionsIn", "setting", Setting),
        ("treatment.api.OptionOut", "basis", Basis),
        ("treatment.api.OptionOut", "verification", Verification),
        ("followup.toxicity_api.TermGradeOut", "verification", Verification),
        ("followup.toxicity_api.GradeOut", "verification", Verification),
        ("followup.toxicity_api.DecisionOut", "verification", Verification),
        ("followup.toxicity_api.RestartOut", "verification", Verification),
    ],
)
def test_every_api_literal_of_a_domain_value_spells_exactly_the_core_enum(
    schema: str, field: str, enum: type[StrEnum]
) -> None:
    """The JSON schemas spell a domain value as a ``Literal`` (their OpenAPI shape, api-v1); each
    lists exactly the enum's values, so the contract cannot drift from the domain."""
    module_name, class_name = schema.rsplit(".", 1)
    annotation = getattr(importlib.import_module(module_name), class_name).model_fields[field]
    assert [set(values) for values in _literal_values(annotation.annotation)] == [
        {member.value for member in enum}
    ]
