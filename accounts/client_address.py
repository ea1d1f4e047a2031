"""The client's IP address, for the login lockout (django-axes) and the login audit log.

Behind reverse proxies every connection comes from the proxy, so ``REMOTE_ADDR`` alone would
let anyone lock any account out for everyone. Each proxy appends the address it received the
connection from to ``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` = N proxies in front of
the app, the client is the N-th entry from the right. Entries further left were sent by the
client and are never trusted. N = 0 (the default) ignores the header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address to lock out and log; the connection's address when the header is unusable."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    entries = [entry.strip() for entry in header.split(",")]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote
