"""One length limit for every free-text reason, note or comment a user writes.

A reason is a sentence or two for the audit trail, never a document: 500 characters. Forms, API
schemas (422) and model fields use the same validator, so every refusal reads the same way and
states the limit and the length received ("Reason: at most 500 characters (got 2,000,000).").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

REASON_MAX_LENGTH = 500


def text_too_long_message(
    length: int, *, label: str = "Reason", limit: int = REASON_MAX_LENGTH
) -> str:
    return _("%(label)s: at most %(limit)s characters (got %(length)s).") % {
        "label": _(label),
        "limit": f"{limit:,}",
        "length": f"{length:,}",
    }


@deconstructible
class TextLengthValidator:
    """Refuses text longer than ``limit`` characters, naming the field, the limit and the length.

    A validator, not a database ``max_length``: rows written before the limit stay valid.
    """

    def __init__(self, label: str = "Reason", limit: int = REASON_MAX_LENGTH) -> None:
        self.label = label
        self.limit = limit

    def __call__(self, value: Any) -> None:
        length = len(str(value or ""))
        if length > self.limit:
            raise ValidationError(
                text_too_long_message(length, label=self.label, limit=self.limit),
                code="max_length",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLengthValidator) and (self.label, self.limit) == (
            other.label,
            other.limit,
        )

    def __hash__(self) -> int:
        return hash((self.label, self.limit))
