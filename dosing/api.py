"""Dosing endpoints of the JSON API (shared/docs/api-v1.md)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["dosing"])
