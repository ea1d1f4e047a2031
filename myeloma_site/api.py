"""The JSON API (django-ninja) at /api/v1/: session auth, 422 for every invalid input.

Each app adds its router here; the contract is docs/api.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from accounts.access import clinician_auth
from costs.api import router as costs_router
from dosing.api import router as dosing_router
from followup.api import plans_router as response_plans_router
from followup.api import router as response_router
from followup.toxicity_api import plans_router as toxicity_plans_router
from followup.toxicity_api import router as toxicity_router
from interop.api import router as fhir_router
from myeloma_core.errors import InvalidInput
from staging.api import router as staging_router
from treatment.api import router as treatment_router


class NulCharacterError(ValueError):
    """Text with a NUL (0x00) character: PostgreSQL cannot store it, so it is invalid input."""

    def __init__(self, loc: list[str | int]) -> None:
        super().__init__("NUL character")
        self.loc = loc


def _refuse_nul(value: Any, loc: list[str | int]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacterError(loc)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, [*loc, key])
            _refuse_nul(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, [*loc, index])


class StrictJsonParser(Parser):
    """JSON bodies whose text could not be stored are refused before any view runs."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        _refuse_nul(data, ["body"])
        return data


api = NinjaAPI(
    title="myeloma-clinic API",
    version="1",
    description=(
        "Clinical decision support for multiple myeloma. Every result names its source; "
        "an omitted lab or finding is unknown, never normal."
    ),
    auth=django_auth,
    urls_namespace="api-v1",
    # The schema and the interactive docs need a login like every other page.
    docs_decorator=login_required,
    parser=StrictJsonParser(),
)

# Clinical endpoints (staging, treatment options, regimens, dosing, plans, response, toxicity,
# cost, FHIR): the clinician role.
api.add_router("/staging", staging_router, auth=clinician_auth)
api.add_router("/treatment", treatment_router, auth=clinician_auth)
api.add_router("/", dosing_router, auth=clinician_auth)
api.add_router("/response", response_router, auth=clinician_auth)
api.add_router("/", response_plans_router, auth=clinician_auth)
api.add_router("/toxicity", toxicity_router, auth=clinician_auth)
api.add_router("/", toxicity_plans_router, auth=clinician_auth)
api.add_router("/", costs_router, auth=clinician_auth)
api.add_router("/", fhir_router, auth=clinician_auth)


class Health(Schema):
    status: str
    user: str


@api.get("/whoami", response=Health, summary="Who is calling (a smoke test for auth)")
def whoami(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "user": request.user.get_username()}


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


def _public_loc(loc: Any) -> list[Any]:
    """Ninja names the body parameter (``["body", "payload", …]``); clients see ``["body", …]``."""
    parts = list(loc)
    if parts[:2] == ["body", "payload"]:
        del parts[1]
    return parts


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with ``{"detail": [{"loc": [...], "msg": "..."}]}`` (api-v1 conventions)."""
    detail = [
        {"loc": _public_loc(error.get("loc", [])), "msg": str(error.get("msg", "Invalid value."))}
        | ({"type": error["type"]} if "type" in error else {})
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(InvalidInput)
def domain_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    """A domain rule refused a value: 422 naming the field path, its unit and accepted range.

    Two inputs that contradict each other give one entry per field, with the same message.
    """
    detail = [{"loc": ["body", *field.split(".")], "msg": exc.message} for field in exc.fields]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A body that is not JSON is invalid input too: 422 naming the body, never a 500."""
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        if isinstance(exc.__cause__, NulCharacterError):
            msg = "Text must not contain NUL (0x00) characters."
            detail = [{"loc": exc.__cause__.loc, "msg": msg}]
        else:
            detail = [{"loc": ["body"], "msg": "The request body is not valid JSON."}]
        return api.create_response(request, {"detail": detail}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
