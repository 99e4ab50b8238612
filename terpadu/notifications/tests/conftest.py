"""A real SMTP sink and webhook receiver on 127.0.0.1 (tests/servers.py) for every test here."""

from __future__ import annotations

import pytest

from tests.servers import start_smtp_sink, start_webhook_receiver


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    server = start_smtp_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    yield server
    server.stop()


@pytest.fixture
def gateway(settings):  # type: ignore[no-untyped-def]
    server = start_webhook_receiver()
    settings.TERPADU_GATEWAY_URL = server.url + "kirim"
    settings.TERPADU_GATEWAY_SECRET = "rahasia-gateway"
    yield server
    server.stop()


@pytest.fixture
def hook(db):  # type: ignore[no-untyped-def]
    from terpadu.notifications.models import WebhookEndpoint

    server = start_webhook_receiver()
    endpoint = WebhookEndpoint.objects.create(
        key="siak", url=server.url + "hook", secret="rahasia-siak"
    )
    server.endpoint = endpoint  # type: ignore[attr-defined]
    yield server
    server.stop()
