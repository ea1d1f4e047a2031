"""Finnish: "ma 5. tammikuuta 2026", "ma 5. tammikuuta 2026 14:30"."""

DATE_FORMAT = "D j. E Y"
DATETIME_FORMAT = "D j. E Y H:i"
