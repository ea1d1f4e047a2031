"""Day lists written as ranges, the way a chemotherapy chart writes them ("C1–6 D1–21").

Presentation of already computed schedules only: no clinical rule lives here. A schedule of
406 lenalidomide days reads as two ranges instead of 406 "C1 D1, C1 D2, …" entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

EN_DASH = "–"


def number_ranges(numbers: Iterable[int]) -> str:
    """Sorted distinct numbers, consecutive runs of three or more joined by an en dash.

    ``[1, 2, 3, 8, 15]`` → ``"1–3, 8, 15"``; a run of two stays a list (``"1, 2"``), as charts do.
    """
    values = sorted(set(numbers))
    parts: list[str] = []
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and values[end + 1] == values[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{values[start]}{EN_DASH}{values[end]}")
        else:
            parts.extend(str(value) for value in values[start : end + 1])
        start = end + 1
    return ", ".join(parts)


def cycle_day_ranges(cycle_days: Iterable[tuple[int, int]]) -> str:
    """(cycle, day) pairs as "C1–6 D1–21; C7 D1, 15": consecutive cycles with the same days merge.

    Cycles with different day sets, or a gap between cycles, start a new group, so nothing is
    implied that the schedule does not hold.
    """
    days_by_cycle: dict[int, set[int]] = defaultdict(set)
    for cycle, day in cycle_days:
        days_by_cycle[cycle].add(day)
    groups: list[tuple[int, int, frozenset[int]]] = []
    for cycle in sorted(days_by_cycle):
        days = frozenset(days_by_cycle[cycle])
        if groups and groups[-1][1] == cycle - 1 and groups[-1][2] == days:
            groups[-1] = (groups[-1][0], cycle, days)
        else:
            groups.append((cycle, cycle, days))
    return "; ".join(
        f"C{first}{'' if first == last else EN_DASH + str(last)} D{number_ranges(days)}"
        for first, last, days in groups
    )
