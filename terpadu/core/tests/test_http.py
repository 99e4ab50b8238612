"""The client's address behind a reverse proxy: login throttling is per citizen, not per proxy."""

from __future__ import annotations

import ipaddress
import re

import pytest
from django.test import Client, RequestFactory

from terpadu.core.http import client_address, parse_networks

PROXY = "10.0.0.5"


def request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_header_counts_only_from_a_trusted_proxy(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = parse_networks(f"{PROXY}, 172.16.0.0/12")
    # from the proxy: the last hop that is not ours (a client may prepend anything)
    assert client_address(request(PROXY, "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_address(request(PROXY, "203.0.113.7, 172.16.3.4")) == "203.0.113.7"
    # straight from the internet: the header is the sender's word, ignored
    assert client_address(request("198.51.100.2", "203.0.113.7")) == "198.51.100.2"
    # a malformed or missing header: the proxy's own address, no guessing
    assert client_address(request(PROXY, "not-an-ip")) == PROXY
    assert client_address(request(PROXY)) == PROXY


def test_without_the_setting_the_header_is_ignored(settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = ()
    assert client_address(request(PROXY, "203.0.113.7")) == PROXY


def test_a_bad_setting_names_the_entry():
    with pytest.raises(ValueError, match=re.escape("'10.0.0.300'")):
        parse_networks("10.0.0.1, 10.0.0.300")
    assert parse_networks(" 10.0.0.1 ,, ") == (ipaddress.ip_network("10.0.0.1"),)


@pytest.mark.django_db
def test_login_throttling_behind_the_proxy_is_per_citizen(people, settings):  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = parse_networks(PROXY)

    def via_proxy(citizen: str) -> Client:
        return Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=citizen)

    guesser = via_proxy("203.0.113.7")  # guessing many accounts from one address
    for i in range(3 * 4):
        guesser.post("/masuk/", {"username": f"tebak{i}", "password": "salah"})
    assert guesser.post("/masuk/", {"username": "lain", "password": "y"}).status_code == 429
    # another citizen behind the same proxy can still log in
    other = via_proxy("198.51.100.2")
    ok = other.post("/masuk/", {"username": "warga", "password": "kata-sandi-uji-123"})
    assert ok.status_code == 302
