"""The client's address behind ``DJANGO_TRUSTED_PROXY_COUNT`` reverse proxies (lockout, login log).

Each trusted proxy appends the address it received the connection from to X-Forwarded-For, so
with N trusted proxies the client is the N-th entry from the right; anything before it was
written by the client and is never trusted.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from accounts.client_address import client_ip

PROXY = "192.0.2.10"


def _request(forwarded_for: str | None, remote: str = PROXY) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


def test_without_trusted_proxies_the_header_is_ignored(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.5")) == PROXY


def test_one_proxy_uses_the_address_it_appended(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"


def test_an_entry_prepended_by_the_client_is_not_used(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("198.51.100.99, 203.0.113.5")) == "203.0.113.5"


def test_two_proxies_use_the_second_entry_from_the_right(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("198.51.100.99, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


@pytest.mark.parametrize("header", [None, "", "not-an-address"])
def test_a_missing_or_malformed_header_falls_back_to_the_connection(
    settings: Settings, header: str | None
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(header)) == PROXY


def test_fewer_entries_than_trusted_proxies_falls_back_to_the_connection(
    settings: Settings,
) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.5")) == PROXY


def test_ipv6_addresses_are_kept(settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("2001:db8::1")) == "2001:db8::1"
