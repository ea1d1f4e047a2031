"""Load profile for `make load` (benchmarks/load.py starts the server and runs this headless).

Each simulated clinician logs in once, then repeats: staging form via htmx → dosing preview
(API) → save a plan (API) → open the saved plan page → print its patient calendar (PDF),
thinking 1–3 s between requests.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

from benchmarks.cases import PREVIEW, STAGING_FORM

USERNAME = os.environ.get("LOAD_USERNAME", "load")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")


@events.test_start.add_listener
def _reset_after_ramp_up(environment: Environment, **kwargs: Any) -> None:
    """`load.py --steady`: forget the ramp-up (30 logins queueing on the workers)."""
    delay = float(os.environ.get("LOAD_RESET_STATS_AFTER", "0"))
    if delay > 0:
        # locust monkey-patches threading with gevent: this timer is a greenlet.
        timer = threading.Timer(delay, environment.stats.reset_all)
        timer.daemon = True
        timer.start()


class Clinician(HttpUser):
    wait_time = between(1, 3)

    def _csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    @task
    def clinic_visit(self) -> None:
        headers = {"X-CSRFToken": self._csrf()}
        with self.client.post(
            "/staging/",
            data=STAGING_FORM,
            headers={**headers, "HX-Request": "true", "HX-Current-URL": f"{self.host}/staging/"},
            name="staging htmx",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "R2-ISS" not in response.text:
                response.failure(f"staging answered {response.status_code}")
        self.wait()
        self.client.post("/api/v1/dosing/preview", json=PREVIEW, headers=headers, name="preview")
        self.wait()
        with self.client.post(
            "/api/v1/plans",
            json={**PREVIEW, "patient_reference": "LOAD-1"},
            headers=headers,
            name="plan create",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"plan create answered {response.status_code}")
                return
            plan_id = response.json()["id"]
        self.wait()
        self.client.get(f"/plans/{plan_id}/", name="plan page")
        self.wait()
        with self.client.post(
            f"/plans/{plan_id}/calendar.pdf",
            data={"lang": "en", "name": "Load Patient", "csrfmiddlewaretoken": self._csrf()},
            headers={"Referer": f"{self.host}/plans/{plan_id}/"},
            name="calendar pdf",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"calendar answered {response.status_code}")
