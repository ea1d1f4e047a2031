"""Render time and memory of the patient calendar PDF: the split render against today's.

Usage: python -m benchmarks.pdf [--rounds N] [--leak-renders N]
Saves a 12-cycle Isa-Pd plan and an 18-cycle Isa-VRd (IMROZ) plan in a temporary SQLite
database. Each round renders, one after the other (after a warm-up round):
- the full synchronous render as it was before the split (``_full_render_before``: template and
  WeasyPrint, no render levers), the baseline;
- the body render of the background task (``calendar_body_render``, nameless, with the levers);
- the first print after the save (``plan_calendar_print`` with a name, body stored): the
  stored body read, the named cover rendered and merged in;
- the cover merge alone, with pikepdf (used) and with pypdf (for comparison).
Ratios are medians over the rounds of each variant ÷ the same round's baseline, in CPU time
of this process (the machine is shared: wall time there measures the neighbours too; the
wall medians are recorded beside them). Targets (issue 13): first print ≤ 0.10×,
body ≤ 0.70×. Then RSS growth over consecutive prints. Writes var/bench-pdf.json and adds it
to var/bench.json as "pdf" (`make bench` runs the view cases, then this). Measured here,
never asserted in tests.
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
from typing import Any

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
CASES = (("isa-pd", 12), ("isa-vrd-imroz", 18))
PRINT_RATIO_TARGET = 0.10
BODY_RATIO_TARGET = 0.70
NAME = "Bench Patient"
RSS_GROWTH_TARGET_MB = 20.0


def _rss_mb() -> float:
    """Current resident set size (VmRSS) in MB; Linux only."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


def _full_render_before(plan: Any, language: str, patient_name: str) -> bytes:
    """The calendar as it was rendered before issue 13: one template, one WeasyPrint pass."""
    import weasyprint
    from django.template.loader import render_to_string
    from django.utils import translation

    from dosing import calendar_pdf

    with translation.override(language):
        html = render_to_string(
            calendar_pdf.TEMPLATE, calendar_pdf._context(plan, patient_name, cover_only=False)
        )
    document = weasyprint.HTML(
        string=html,
        base_url=calendar_pdf.STATIC_SCHEME,
        url_fetcher=calendar_pdf._static_url_fetcher(),
    )
    return bytes(document.write_pdf())


def _pypdf_merge(body: bytes, cover: bytes, cover_pages: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(cover)).pages:
        writer.add_page(page)
    for page in PdfReader(io.BytesIO(body)).pages[cover_pages:]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _seconds(call: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def _case(plan: Any, rounds: int) -> dict[str, Any]:
    from pypdf import PdfReader  # a dev dependency, like the benchmark harness itself

    from dosing.calendar_pdf import (
        calendar_body_render,
        calendar_cover_merge,
        calendar_cover_render,
    )
    from dosing.calendar_print import calendar_body_ensure, plan_calendar_print

    calendar_body_ensure(plan=plan, language="en")  # what the background task stored
    stored, ready = calendar_body_ensure(plan=plan, language="en")
    assert ready
    keys = ("full", "body", "print", "pikepdf", "pypdf")
    times: dict[str, list[float]] = {k: [] for k in keys}  # CPU seconds
    walls: dict[str, list[float]] = {k: [] for k in keys}
    named = calendar_cover_render(
        plan=plan, language="en", patient_name=NAME, page_total=stored.page_count
    )
    variants: dict[str, Callable[[], object]] = {
        "full": partial(_full_render_before, plan, "en", NAME),
        "body": partial(calendar_body_render, plan=plan, language="en"),
        "print": partial(plan_calendar_print, plan=plan, language="en", patient_name=NAME),
        "pikepdf": partial(
            calendar_cover_merge,
            body=stored.pdf,
            cover=named.pdf,
            cover_page_count=stored.cover_page_count,
        ),
        "pypdf": partial(_pypdf_merge, stored.pdf, named.pdf, stored.cover_page_count),
    }
    for call in variants.values():
        call()  # warm-up
    for _ in range(rounds):
        for key, call in variants.items():
            cpu, wall = _seconds(call)
            times[key].append(cpu)
            walls[key].append(wall)
    printed = plan_calendar_print(plan=plan, language="en", patient_name=NAME)
    assert printed.body_was_ready

    def ratio(key: str) -> float:
        return statistics.median(v / b for v, b in zip(times[key], times["full"], strict=True))

    return {
        "pages": len(PdfReader(io.BytesIO(printed.pdf)).pages),
        "cover_pages": stored.cover_page_count,
        "bytes_full": len(_full_render_before(plan, "en", NAME)),
        "bytes_print": len(printed.pdf),
        "rounds": rounds,
        "median_cpu_s": {k: round(statistics.median(v), 4) for k, v in times.items()},
        "min_cpu_s": {k: round(min(v), 4) for k, v in times.items()},
        "median_wall_s": {k: round(statistics.median(v), 4) for k, v in walls.items()},
        "first_print_ratio": round(ratio("print"), 3),
        "body_ratio": round(ratio("body"), 3),
        "first_print_target": PRINT_RATIO_TARGET,
        "body_target": BODY_RATIO_TARGET,
        "meets_target": ratio("print") <= PRINT_RATIO_TARGET and ratio("body") <= BODY_RATIO_TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--leak-renders", type=int, default=30)
    args = parser.parse_args(argv)

    _setup_django()
    from django.contrib.auth.models import User

    from dosing.calendar_print import plan_calendar_print
    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    user = User.objects.create_user(username="bench-pdf", password="bench-not-a-secret")
    results = []
    plans = []
    for slug, cycles in CASES:
        plan = plan_create(
            user=user,
            version=regimen_version_published(slug=slug),
            patient=PATIENT,
            start_date=dt.date(2026, 1, 5),
            cycles=cycles,
            patient_reference=f"BENCH-{slug}",
        )
        plans.append(plan)
        results.append({"case": f"{slug} × {cycles} cycles", **_case(plan, args.rounds)})

    rss_before = _rss_mb()
    for index in range(args.leak_renders):
        plan_calendar_print(plan=plans[index % len(plans)], language="en", patient_name=NAME)
    rss_after = _rss_mb()
    growth = rss_after - rss_before
    memory = {
        "prints": args.leak_renders,
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "growth_mb": round(growth, 1),
        "target_mb": RSS_GROWTH_TARGET_MB,
        "meets_target": growth <= RSS_GROWTH_TARGET_MB,
    }

    print(
        "CPU seconds (median)\n"
        f"{'case':<26} {'pages':>5} {'full s':>7} {'body s':>7} {'print s':>8} "
        f"{'pikepdf':>8} {'pypdf':>7} {'print×':>7} {'body×':>6}"
    )
    for row in results:
        m = row["median_cpu_s"]
        flag = " ok" if row["meets_target"] else " MISSED"
        print(
            f"{row['case']:<26} {row['pages']:>5} {m['full']:>7.3f} {m['body']:>7.3f} "
            f"{m['print']:>8.3f} {m['pikepdf']:>8.4f} {m['pypdf']:>7.4f} "
            f"{row['first_print_ratio']:>7.3f} {row['body_ratio']:>6.3f}{flag}"
        )
    print(
        f"targets: first print ≤{PRINT_RATIO_TARGET:g}× and body ≤{BODY_RATIO_TARGET:g}× "
        "the full render before the split (median of per-round ratios)"
    )
    flag = " ok" if memory["meets_target"] else " MISSED"
    print(
        f"RSS over {memory['prints']} prints: {memory['rss_before_mb']} → "
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
