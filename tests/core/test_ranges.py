"""Day lists compressed into ranges (myeloma_core.ranges); expected strings written by hand."""

from __future__ import annotations

from myeloma_core.ranges import cycle_day_ranges, number_ranges


def test_a_run_of_three_or_more_is_a_range() -> None:
    assert number_ranges(range(1, 22)) == "1–21"
    assert number_ranges([1, 2, 3, 8, 15]) == "1–3, 8, 15"


def test_weekly_days_stay_a_list_and_a_pair_is_not_a_range() -> None:
    assert number_ranges([22, 1, 15, 8]) == "1, 8, 15, 22"
    assert number_ranges([1, 2, 8, 9]) == "1, 2, 8, 9"


def test_duplicates_and_empty() -> None:
    assert number_ranges([3, 3, 4, 5]) == "3–5"
    assert number_ranges([]) == ""
    assert cycle_day_ranges([]) == ""


def test_identical_consecutive_cycles_merge() -> None:
    pairs = [(cycle, day) for cycle in range(1, 7) for day in range(1, 22)]
    assert cycle_day_ranges(pairs) == "C1–6 D1–21"


def test_different_days_or_a_gap_between_cycles_start_a_new_group() -> None:
    # IMROZ-like lenalidomide: D1–14 and D22–35 of 42-day cycles 1–4, then D1–21 from cycle 5.
    induction = [(c, d) for c in range(1, 5) for d in [*range(1, 15), *range(22, 36)]]
    continuation = [(c, d) for c in (5, 6) for d in range(1, 22)]
    assert cycle_day_ranges(induction + continuation) == "C1–4 D1–14, 22–35; C5–6 D1–21"
    assert cycle_day_ranges([(1, 1), (3, 1)]) == "C1 D1; C3 D1"


def test_a_single_cycle_is_not_written_as_a_range() -> None:
    assert cycle_day_ranges([(2, 1), (2, 8)]) == "C2 D1, 8"
