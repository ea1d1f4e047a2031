"""French: "lun 5 janvier 2026", "lun 5 janvier 2026 14:30"."""

DATE_FORMAT = "D j F Y"
DATETIME_FORMAT = "D j F Y H:i"
