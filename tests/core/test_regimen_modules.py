"""The regimen package split (issue 18): types, reading and writing in their own modules, the
reader and writer still reachable from ``myeloma_core.regimen`` for code not yet moved over."""

from __future__ import annotations

import pytest

import myeloma_core.regimen as regimen
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.regimen_serialise import regimen_spec_to_dict


def test_reader_and_writer_are_re_exported_unchanged() -> None:
    assert regimen.regimen_spec_from_dict is regimen_spec_from_dict
    assert regimen.regimen_spec_to_dict is regimen_spec_to_dict


def test_unknown_names_still_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="regimen_spec_from_yaml"):
        regimen.regimen_spec_from_yaml  # noqa: B018
