"""pytest plugin for `make mutation` only: mutmut runs each test many times in one process, which
Hypothesis' differing-executors health check would refuse; derandomised so a mutant's verdict is
reproducible."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutmut",
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors],
)
settings.load_profile("mutmut")
