"""Run every case interleaved with the bare view (A B A B …) and report median ratios.

Usage: python -m benchmarks [--pairs N] [--warmup N] [--case NAME]
Writes var/bench.json. Not part of `make test`: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench.sqlite3"


def _setup_django() -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "myeloma_site.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["AXES_ENABLED"] = "false"
    os.environ.pop("DJANGO_DEBUG", None)
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "benchmarks.urls"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--case", action="append", help="run only the named case(s)")
    args = parser.parse_args(argv)
    if args.pairs < 200:
        parser.error("--pairs must be at least 200 for a stable median")

    _setup_django()
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from accounts.roles import CLINICIAN
    from benchmarks.cases import CASES, Case

    user = User.objects.create_user(username="bench", password="bench-not-a-secret")
    user.groups.add(Group.objects.get(name=CLINICIAN))
    client = Client()
    client.force_login(user)

    def request(case: Case) -> int:
        headers = {"HX-Request": "true"} if case.htmx else {}
        if case.method == "GET":
            response = client.get(case.path, case.data, headers=headers)
        elif case.json_body:
            response = client.post(
                case.path, json.dumps(case.data), content_type="application/json", headers=headers
            )
        else:
            response = client.post(case.path, case.data, headers=headers)
        return response.status_code

    bare = Case(name="bare", method="GET", path="/__bench__/bare")
    selected = [
        dataclasses.replace(case, path=case.prepare(user)) if case.prepare else case
        for case in CASES
        if not args.case or case.name in args.case
    ]
    results = []
    for case in selected:
        status = request(case)
        if status >= 400:
            print(f"case {case.name!r} answered HTTP {status}; fix the case first", file=sys.stderr)
            return 1
        for _ in range(args.warmup):
            request(bare)
            request(case)
        bare_times, case_times, ratios = [], [], []
        for _ in range(args.pairs):
            t0 = time.perf_counter()
            request(bare)
            t1 = time.perf_counter()
            request(case)
            t2 = time.perf_counter()
            bare_times.append(t1 - t0)
            case_times.append(t2 - t1)
            ratios.append((t2 - t1) / (t1 - t0))
        ratio = statistics.median(ratios)
        results.append(
            {
                "case": case.name,
                "pairs": args.pairs,
                "median_ms": round(statistics.median(case_times) * 1000, 3),
                "bare_median_ms": round(statistics.median(bare_times) * 1000, 3),
                "median_ratio": round(ratio, 2),
                "target_ratio": case.target_ratio,
                "meets_target": None if case.target_ratio is None else ratio <= case.target_ratio,
            }
        )

    print(f"{'case':<34} {'median ms':>10} {'bare ms':>9} {'ratio':>7} {'target':>7}")
    for row in results:
        target = "" if row["target_ratio"] is None else f"≤{row['target_ratio']:g}"
        flag = {True: " ok", False: " MISSED", None: ""}[row["meets_target"]]
        print(
            f"{row['case']:<34} {row['median_ms']:>10.2f} {row['bare_median_ms']:>9.3f} "
            f"{row['median_ratio']:>7.2f} {target:>7}{flag}"
        )
    out = ROOT / "var" / "bench.json"
    out.write_text(json.dumps({"results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if all(r["meets_target"] is not False for r in results) else 2


if __name__ == "__main__":
    sys.exit(main())
