"""Each domain value is defined once in myeloma_core (issue 18): no two enums share their values."""

from __future__ import annotations

import importlib
import pkgutil
from enum import Enum

import myeloma_core


def _core_enums() -> dict[frozenset[str], list[str]]:
    by_values: dict[frozenset[str], list[str]] = {}
    for module_info in pkgutil.iter_modules(myeloma_core.__path__):
        module = importlib.import_module(f"myeloma_core.{module_info.name}")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Enum)
                and value.__module__ == module.__name__
            ):
                values = frozenset(str(member.value) for member in value)
                by_values.setdefault(values, []).append(f"{module.__name__}.{name}")
    return by_values


def test_no_two_core_enums_define_the_same_values() -> None:
    duplicates = {values: names for values, names in _core_enums().items() if len(names) > 1}
    assert duplicates == {}


def test_verification_setting_and_basis_are_defined_in_the_vocabulary() -> None:
    names = {name for names in _core_enums().values() for name in names}
    assert {
        "myeloma_core.vocabulary.Verification",
        "myeloma_core.vocabulary.Setting",
        "myeloma_core.vocabulary.Basis",
    } <= names
    assert not any(
        name.rsplit(".", 1)[1] in {"Verification", "Setting", "Basis"}
        and not name.startswith("myeloma_core.vocabulary.")
        for name in names
    )
