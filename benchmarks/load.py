"""`make load`: gunicorn on loopback with a temporary SQLite database and a task worker beside
it, then locust headless (30 users, spawn rate 2/s, 60 s); prints p50/p95/p99 per step and the
failures, for the single-process default and for 2 app processes + 1 worker (issue 13).

Usage: python -m benchmarks.load [--users 30] [--spawn-rate 2] [--run-time 60] [--steady]
       [--workers N --task-workers M]  (one set-up instead of both)

Each user logs in once (PBKDF2, ~0.3 s CPU) and then repeats a clinic visit ending with a
2-cycle Isa-Pd calendar PDF. The staff of a clinic arrive over minutes, not in one second:
the default spawn rate of 2 users/s logs the 30 users in over 15 s. --spawn-rate 10 shows the
burst of 30 simultaneous logins queueing on the workers; --steady resets the statistics 20 s
in, after the ramp-up. App processes run 4 threads each (gthread, as the README deploys them).
Saving a plan enqueues its calendar body; `manage.py db_worker` processes render it
(dosing.calendar_print), so the print request renders only the cover. Every virtual user is the
same account: the per-user PDF rate limit is lifted for the run (CALENDAR_PDF_PER_MINUTE).
After the locust run, a burst: 12 plans saved and their 12 calendar PDFs asked for at once
(most bodies not rendered yet) while a 13th client posts the htmx staging form every 50 ms;
prints the htmx p95 during the burst (target ≤ 100 ms) and the slowest PDF.
Loopback only, bounded in time, never part of `make test`. Exit 0 when no request failed.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only: never point this at a shared server
HTMX_P95_TARGET_MS = 50
PDF_P95_TARGET_MS = 500
SETUPS = ((1, 1), (2, 1))  # (app processes, task workers): the default, and the scale-out
BURST_PDFS = 12
BURST_HTMX_P95_TARGET_MS = 100
STEPS = ["login", "staging htmx", "preview", "plan create", "plan page", "calendar pdf"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _environment(db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_ALLOWED_HOSTS=HOST,
        AXES_ENABLED="false",
        CALENDAR_PDF_PER_MINUTE="100000",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def _prepare(env: dict[str, str], password: str) -> None:
    def manage(*args: str) -> None:
        subprocess.run(  # noqa: S603  (fixed argv: this interpreter, manage.py)
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300
        )

    manage("migrate", "--noinput", "--verbosity", "0")
    script = (
        "import os; from django.contrib.auth.models import Group, User; "
        "from accounts.roles import CLINICIAN; "
        "u = User.objects.create_user(username='load', password=os.environ['LOAD_PASSWORD']); "
        "u.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])"
    )
    subprocess.run(  # noqa: S603  (fixed argv)
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**env, "LOAD_PASSWORD": password},
        check=True,
        timeout=120,
    )


def _wait_healthy(url: str, server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")


def _report(stats_csv: Path) -> int:
    with stats_csv.open(newline="", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    print(
        f"\n{'step':<14} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    failures = 0
    for name in [*STEPS, "Aggregated"]:
        row = rows.get(name)
        if row is None:
            continue
        failures += int(row["Failure Count"]) if name != "Aggregated" else 0
        print(
            f"{name:<14} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
        )
    print()
    for name, target in (("staging htmx", HTMX_P95_TARGET_MS), ("calendar pdf", PDF_P95_TARGET_MS)):
        row = rows.get(name)
        if row is not None and row["95%"] not in ("", "N/A"):
            p95 = float(row["95%"])
            verdict = "ok" if p95 <= target else "MISSED"
            print(f"{name} p95 {p95:g} ms (target ≤ {target} ms): {verdict}")
    return failures


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _session(url: str, password: str) -> object:
    """A logged-in requests session (requests comes with locust)."""
    import requests

    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=30)
    response = session.post(
        f"{url}/accounts/login/",
        data={
            "username": "load",
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise SystemExit(f"burst: login answered {response.status_code}")
    return session


def _burst(url: str, password: str) -> int:
    """12 PDFs of freshly saved plans at once while htmx requests keep coming; failures."""
    import requests

    from benchmarks.cases import PREVIEW, STAGING_FORM

    session: Any = _session(url, password)
    csrf = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
    plan_ids = []
    for index in range(BURST_PDFS):
        response = session.post(
            f"{url}/api/v1/plans",
            json={**PREVIEW, "patient_reference": f"BURST-{index}"},
            headers=csrf,
            timeout=60,
        )
        if response.status_code != 201:
            raise SystemExit(f"burst: plan create answered {response.status_code}")
        plan_ids.append(response.json()["id"])
    htmx_ms: list[float] = []
    pdf_ms: list[float] = []
    failures: list[str] = []
    done = threading.Event()

    def htmx() -> None:
        client: Any = _session(url, password)
        headers = {
            "X-CSRFToken": client.cookies.get("csrftoken", ""),
            "HX-Request": "true",
            "HX-Current-URL": f"{url}/staging/",
        }
        while not done.is_set():
            start = time.perf_counter()
            response = client.post(
                f"{url}/staging/", data=STAGING_FORM, headers=headers, timeout=120
            )
            htmx_ms.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                failures.append(f"htmx {response.status_code}")
            time.sleep(0.05)

    token = csrf["X-CSRFToken"]
    # One connection per PDF, so the 12 requests really are concurrent.
    session.mount(url, requests.adapters.HTTPAdapter(pool_maxsize=BURST_PDFS))

    def pdf(plan_id: str) -> None:
        start = time.perf_counter()
        response = session.post(
            f"{url}/plans/{plan_id}/calendar.pdf",
            data={"lang": "en", "name": "Burst Patient", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/plans/{plan_id}/"},
            timeout=300,
        )
        pdf_ms.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            failures.append(f"pdf {response.status_code}")

    poller = threading.Thread(target=htmx)
    poller.start()
    time.sleep(1)  # the htmx client's own login and first requests, before the burst
    htmx_ms.clear()
    pdfs = [threading.Thread(target=pdf, args=(plan_id,)) for plan_id in plan_ids]
    for thread in pdfs:
        thread.start()
    for thread in pdfs:
        thread.join()
    done.set()
    poller.join()
    p95 = _p95(htmx_ms) if htmx_ms else float("nan")
    verdict = "ok" if p95 <= BURST_HTMX_P95_TARGET_MS else "MISSED"
    print(
        f"burst of {BURST_PDFS} PDFs: htmx p95 {p95:.0f} ms over {len(htmx_ms)} requests "
        f"(target ≤ {BURST_HTMX_P95_TARGET_MS} ms): {verdict}; slowest PDF "
        f"{max(pdf_ms):.0f} ms; {len(failures)} failure(s) {failures[:3]}"
    )
    return len(failures)


def _run(args: argparse.Namespace, workers: int, task_workers: int) -> int:
    with tempfile.TemporaryDirectory(prefix="myeloma-load-") as tmp:
        tmp_path = Path(tmp)
        env = _environment(tmp_path / "load.sqlite3")
        password = secrets.token_urlsafe(16)
        print("load: migrating a temporary SQLite database …", flush=True)
        _prepare(env, password)
        port = _free_port()
        url = f"http://{HOST}:{port}"
        task_processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--queue-name",
                    "default,calendar",
                    "--no-reload",
                    "--interval",
                    "0.2",
                ],
                cwd=ROOT,
                env=env,
            )
            for _ in range(task_workers)
        ]
        server = subprocess.Popen(  # noqa: S603  (the venv's gunicorn, loopback)
            [
                str(BIN / "gunicorn"),
                "myeloma_site.wsgi",
                "--workers",
                str(workers),
                "--threads",
                str(args.threads),
                # Longer than the 1–3 s think time, so the server does not close a kept-alive
                # connection just as the client reuses it (a reset, not a server failure).
                "--keep-alive",
                "5",
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_healthy(url, server)
            print(
                f"load: gunicorn ({workers} processes × {args.threads} threads) and "
                f"{task_workers} task worker(s) on {url}; locust {args.users} users, "
                f"spawn rate {args.spawn_rate:g}/s, {args.run_time} s",
                flush=True,
            )
            prefix = tmp_path / "locust"
            subprocess.run(  # noqa: S603  (the venv's locust)
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.run_time}s",
                    "--stop-timeout",
                    "5",
                    "--host",
                    url,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={
                    **env,
                    "LOAD_USERNAME": "load",
                    "LOAD_PASSWORD": password,
                    "LOAD_RESET_STATS_AFTER": "20" if args.steady else "0",
                },
                timeout=args.run_time + 120,
                check=False,
            )
            failures = _report(Path(f"{prefix}_stats.csv"))
            if not args.no_burst:
                failures += _burst(url, password)
        finally:
            for process in [server, *task_processes]:
                process.terminate()
            for process in [server, *task_processes]:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(f"\nload: {failures} failed request(s)")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--run-time", type=int, default=60, help="seconds (at most 600)")
    parser.add_argument("--workers", type=int, help="gunicorn processes (one set-up only)")
    parser.add_argument("--task-workers", type=int, default=1, help="with --workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per app process (gthread)",
    )
    parser.add_argument(
        "--steady",
        action="store_true",
        help="reset the statistics 20 s in, after the ramp-up and its logins (steady state)",
    )
    parser.add_argument("--no-burst", action="store_true", help="leave the 12-PDF burst out")
    args = parser.parse_args(argv)
    if not 1 <= args.run_time <= 600:
        parser.error("--run-time must be between 1 and 600 seconds")
    setups = SETUPS if args.workers is None else ((args.workers, args.task_workers),)
    failures = sum(_run(args, workers, task_workers) for workers, task_workers in setups)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
