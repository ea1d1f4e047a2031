"""Domain errors. Forms and the JSON API turn them into field errors (HTTP 422), never a 500."""

from __future__ import annotations


class InvalidInput(ValueError):
    """An input the rules cannot use: wrong unit, out of the plausible range, not a number, …

    ``field`` is the API field path (``"albumin"``,
    ``"cytogenetics.del_17p_clonal_fraction_percent"``); ``message`` is plain English naming the
    field, the unit and the accepted range.

    Two inputs that contradict each other are one error at both fields: ``also`` names the
    other field(s); ``fields`` is all of them, the first being ``field``.
    """

    field: str
    message: str
    also: tuple[str, ...]

    def __init__(self, field: str, message: str, *, also: tuple[str, ...] = ()) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.also = also

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *self.also)
