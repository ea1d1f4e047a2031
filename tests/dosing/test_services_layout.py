"""Writes in services, reads in selectors, each named ``entity_action`` (HackSoft styleguide,
issue 18)."""

from __future__ import annotations

import inspect

from dosing import selectors, services


def test_the_newer_version_of_a_plan_is_read_by_a_selector() -> None:
    assert inspect.getmodule(selectors.plan_newer_version) is selectors
    assert "plan_newer_version" not in vars(services) or (
        inspect.getmodule(services.plan_newer_version) is selectors
    )


def test_the_plan_computation_is_named_entity_action() -> None:
    assert callable(services.plan_compute)
    assert not hasattr(services, "preview_data")
