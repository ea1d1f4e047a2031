"""Render time and memory of the patient calendar PDF (dosing.calendar_pdf.plan_calendar_pdf).

Usage: python -m benchmarks.pdf [--renders N] [--leak-renders N]
Saves a 12-cycle Isa-Pd plan and an 18-cycle Isa-VRd (IMROZ) plan in a temporary SQLite
database, times N renders of each after one warm-up render, then measures RSS growth over
consecutive renders. Writes var/bench-pdf.json and adds it to var/bench.json as "pdf" (`make
bench` runs the view cases, then this). Measured here, never asserted in tests.

Each case is also timed against a floor rendered in the same run: WeasyPrint laying out bare
7-column month tables with the same number of day cells, each holding only its day number and one
plain line — no cover, list, footer or marks. The ratio says how much the calendar costs beyond
WeasyPrint's own price for a month grid of that size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = ROOT / "var" / "bench-pdf.sqlite3"
# D1 patient (domain-reference §18.3); 68 y, 72 kg, 178 cm, creatinine 0.9 mg/dL.
PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
CASES = (
    # (regimen slug, cycles, target median seconds)
    ("isa-pd", 12, 0.6),
    ("isa-vrd-imroz", 18, 1.0),
)
RSS_GROWTH_TARGET_MB = 20.0


def _rss_mb() -> float:
    """Current resident set size (VmRSS) in MB; Linux only."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _floor_html(month_count: int) -> str:
    """Bare month tables: 7 columns × 5 weeks, every cell a day number and one plain line."""
    cells = "".join(
        f"<td>{day}\nmedicine 4 mg</td>" + ("</tr><tr>" if day % 7 == 0 else "")
        for day in range(1, 36)
    )
    month = (
        '<table style="width:100%;table-layout:fixed;border-collapse:collapse;'
        f'white-space:pre-line;page-break-before:always"><tr>{cells}</tr></table>'
    )
    return f"<!DOCTYPE html><html><body>{month * month_count}</body></html>"


def _timings(render: Callable[[], object], renders: int) -> list[float]:
    times = []
    for _ in range(renders):
        t0 = time.perf_counter()
        render()
        times.append(time.perf_counter() - t0)
    return times


def _setup_django() -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    DB_PATH.unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "myeloma_site.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ["AXES_ENABLED"] = "false"
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--leak-renders", type=int, default=30)
    args = parser.parse_args(argv)

    _setup_django()
    import weasyprint
    from django.contrib.auth.models import User
    from pypdf import PdfReader  # a dev dependency, like the benchmark harness itself

    from dosing.calendar_pdf import plan_calendar_pdf
    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    user = User.objects.create_user(username="bench-pdf", password="bench-not-a-secret")
    results = []
    plans = []
    for slug, cycles, target in CASES:
        plan = plan_create(
            user=user,
            version=regimen_version_published(slug=slug),
            patient=PATIENT,
            start_date=dt.date(2026, 1, 5),
            cycles=cycles,
            patient_reference=f"BENCH-{slug}",
        )
        plans.append(plan)
        pdf = plan_calendar_pdf(plan=plan, language="en", patient_name="Bench Patient")
        times = _timings(
            partial(plan_calendar_pdf, plan=plan, language="en", patient_name="Bench Patient"),
            args.renders,
        )
        months = len({adm["date"][:7] for adm in plan.computed["administrations"]})
        floor_html = _floor_html(months)
        floor = statistics.median(_timings(weasyprint.HTML(string=floor_html).write_pdf, 5))
        median = statistics.median(times)
        results.append(
            {
                "case": f"{slug} × {cycles} cycles",
                "renders": args.renders,
                "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                "bytes": len(pdf),
                "median_s": round(median, 3),
                "min_s": round(min(times), 3),
                "max_s": round(max(times), 3),
                "floor_months": months,
                "floor_median_s": round(floor, 3),
                "ratio_to_floor": round(median / floor, 2),
                "target_s": target,
                "meets_target": median <= target,
            }
        )

    rss_before = _rss_mb()
    for index in range(args.leak_renders):
        plan_calendar_pdf(plan=plans[index % len(plans)], language="en")
    rss_after = _rss_mb()
    growth = rss_after - rss_before
    memory = {
        "renders": args.leak_renders,
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "growth_mb": round(growth, 1),
        "target_mb": RSS_GROWTH_TARGET_MB,
        "meets_target": growth <= RSS_GROWTH_TARGET_MB,
    }

    print(
        f"{'case':<28} {'pages':>5} {'median s':>9} {'min s':>7} {'max s':>7} "
        f"{'floor s':>8} {'×floor':>7} {'target':>7}"
    )
    for row in results:
        flag = " ok" if row["meets_target"] else " MISSED"
        print(
            f"{row['case']:<28} {row['pages']:>5} {row['median_s']:>9.3f} {row['min_s']:>7.3f} "
            f"{row['max_s']:>7.3f} {row['floor_median_s']:>8.3f} {row['ratio_to_floor']:>7.2f} "
            f"{'≤' + format(row['target_s'], 'g'):>7}{flag}"
        )
    flag = " ok" if memory["meets_target"] else " MISSED"
    print(
        f"RSS over {memory['renders']} renders: {memory['rss_before_mb']} → "
        f"{memory['rss_after_mb']} MB (growth {memory['growth_mb']} MB, "
        f"target ≤{RSS_GROWTH_TARGET_MB:g}){flag}"
    )
    report = {"results": results, "memory": memory}
    out = ROOT / "var" / "bench-pdf.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    # `make bench` runs the view cases first: their var/bench.json gains a "pdf" section.
    combined = ROOT / "var" / "bench.json"
    data = json.loads(combined.read_text(encoding="utf-8")) if combined.exists() else {}
    combined.write_text(json.dumps({**data, "pdf": report}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)} and {combined.relative_to(ROOT)} (pdf)")
    DB_PATH.unlink(missing_ok=True)
    ok = all(r["meets_target"] for r in results) and memory["meets_target"]
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
