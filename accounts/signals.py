"""Audit log of logins on logger ``myeloma.auth``: who, from where; never the password."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.client_address import client_ip

logger = logging.getLogger("myeloma.auth")


def _client_ip(request: HttpRequest | None) -> str:
    """The same address the lockout uses (``accounts.client_address``)."""
    if request is None:
        return "-"
    return client_ip(request) or "-"


@receiver(user_logged_in, dispatch_uid="myeloma_auth_login_succeeded")
def login_succeeded(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    logger.info("login succeeded user=%r ip=%s", user.get_username(), _client_ip(request))


@receiver(user_login_failed, dispatch_uid="myeloma_auth_login_failed")
def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks sensitive credentials; only the username is ever logged.
    username = str(credentials.get("username", ""))[:150]
    logger.warning("login failed user=%r ip=%s", username, _client_ip(request))
