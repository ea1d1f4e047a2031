"""Hypothesis strategies for hostile input: plausible values mixed with junk of every kind."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# 2,000 examples per endpoint and form by default (the quality gate's CI profile); the suite runs
# with pytest-xdist on 2 workers. FUZZ_EXAMPLES for a larger profile (e.g. 10000) or a smaller
# one while developing (e.g. 100).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM", "") == "",
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

UNITS = [
    "mg/L",
    "g/L",
    "g/dL",
    "umol/L",
    "µmol/L",
    "μmol/L",
    "mg/dL",
    "mmol/L",
    "U/L",
    "mol/L",
    "kg",
    "MG/DL",
    " g/L ",
    "",
]
FINDINGS = ["present", "absent", "unknown", "monoallelic", "biallelic", "normal", "high", "PRESENT"]
NUMBER_TEXT = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-320",
    "-0",
    "0",
    "1,5",
    "1.5",
    "1 000",
    "١٢",
    "0x10",
    "1_000",
    "99999999999999999999999999999",
    "",
    " ",
]

nasty_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([0, -1, 1, 10**18, 2**63, -(2**63), 1e308, -1e308, 5e-324]),
)
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.sampled_from(NUMBER_TEXT + UNITS + FINDINGS),
    st.just("x" * 10_000),
    st.just("\x00"),
    st.just("<script>alert(1)</script>"),
)
nasty_scalar = st.one_of(st.none(), st.booleans(), nasty_numbers, nasty_text)
nasty_json = st.recursive(
    nasty_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=8,
)


def plausible_or_junk(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value of the right shape (so the domain is reached), sometimes any junk."""
    return st.one_of(plausible, plausible, nasty_json)


def lab(units: list[str] | None = None) -> st.SearchStrategy[Any]:
    unit = st.sampled_from(units or UNITS) | nasty_text
    return st.fixed_dictionaries(
        {},
        optional={
            "value": plausible_or_junk(nasty_numbers),
            "unit": plausible_or_junk(unit),
            "upper_limit_normal": nasty_numbers,
        },
    )


def body(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """A JSON object with any subset of the known fields (and unknown keys), or junk."""
    known = st.fixed_dictionaries({}, optional={k: plausible_or_junk(v) for k, v in fields.items()})
    extra = st.dictionaries(st.text(max_size=12), nasty_json, max_size=3)
    with_extra = st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})
    return st.one_of(known, known, with_extra, nasty_json)


def form_value() -> st.SearchStrategy[Any]:
    """A form field as a browser (or an attacker) might send it: text, or several values."""
    text = st.one_of(
        st.sampled_from(NUMBER_TEXT + UNITS + FINDINGS),
        nasty_numbers.map(str),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=10),
    )
    return st.one_of(text, text, text, st.lists(text, min_size=2, max_size=3))
