"""Mutation score per module from ``mutmut results --all true`` on stdin (``make mutation``).

Score = killed / (killed + survived + no tests); a timeout or a type-check catch counts as killed,
mutants not yet run are listed separately.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout", "caught by type check", "segfault"}
NOT_KILLED = {"survived", "no tests"}
LINE = re.compile(r"^\s*(myeloma_core\.\w+)\.\S+: (.+?)\s*$")


def main() -> None:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in sys.stdin:
        match = LINE.match(line)
        if match:
            module, status = match.groups()
            counts[module][status] += 1
    for module, by_status in sorted(counts.items()):
        killed = sum(by_status[status] for status in KILLED)
        not_killed = sum(by_status[status] for status in NOT_KILLED)
        checked = killed + not_killed
        pending = sum(by_status.values()) - checked
        score = f"{100 * killed / checked:.1f} %" if checked else "n/a"
        print(f"{module}: {score} ({killed} killed, {not_killed} not killed, {pending} not run)")


if __name__ == "__main__":
    main()
