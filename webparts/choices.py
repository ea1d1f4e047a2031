"""Django choices built from the domain's enums, so that each domain value is defined once
(issue 18): the values and their order come from ``myeloma_core``, the apps add only the
translated label shown on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import cast

from django.db import models
from django.utils.functional import Promise


class DomainTextChoices(models.TextChoices):
    """The base of every choices class made by ``text_choices`` (tests find them by it)."""


def text_choices(
    domain_enum: type[StrEnum], *, labels: Mapping[StrEnum, str | Promise]
) -> type[DomainTextChoices]:
    """``domain_enum``'s values, in its order, each with its label from ``labels``.

    A member without a label, or a label for a value the enum does not have, fails at import,
    so a value added to the domain cannot reach a form or the admin unlabelled.
    """
    missing = [member.value for member in domain_enum if member not in labels]
    foreign = [str(key) for key in labels if key not in set(domain_enum)]
    if missing or foreign:
        raise ValueError(
            f"Labels of {domain_enum.__name__}: missing for {missing}, not in the enum: {foreign}."
        )
    members = [(member.name, (member.value, labels[member])) for member in domain_enum]
    # Enum's functional API: the class called with a name and members makes a subclass.
    make = cast("Callable[..., type[DomainTextChoices]]", DomainTextChoices)
    return make(domain_enum.__name__, members, module=__name__)
