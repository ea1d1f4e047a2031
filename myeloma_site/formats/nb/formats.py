"""Norwegian Bokmål: "man 5. januar 2026", "man 5. januar 2026 14:30"."""

DATE_FORMAT = "D j. F Y"
DATETIME_FORMAT = "D j. F Y H:i"
