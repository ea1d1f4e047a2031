"""Named benchmark cases. Each feature adds its own; targets are median ratios to the bare view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    name: str
    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    json_body: bool = False
    htmx: bool = False
    target_ratio: float | None = None


CASES: list[Case] = [
    Case(name="home page", method="GET", path="/"),
]
