"""English: "Mon 5 Jan 2026", "Mon 5 Jan 2026 14:30"."""

DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y H:i"
