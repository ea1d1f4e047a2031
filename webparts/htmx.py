"""The request type of views that read django-htmx's ``request.htmx``, defined once for all apps."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An ``HttpRequest`` as ``django_htmx.middleware.HtmxMiddleware`` leaves it."""

    htmx: HtmxDetails
