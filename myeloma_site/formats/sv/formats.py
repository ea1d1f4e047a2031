"""Swedish: "mån 5 januari 2026", "mån 5 januari 2026 14:30"."""

DATE_FORMAT = "D j F Y"
DATETIME_FORMAT = "D j F Y H:i"
