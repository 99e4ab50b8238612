"""A lean WSGI path for a few hot endpoints, in front of Django's handler.

Django's request cycle (WSGIRequest, ten middleware, URL resolving, django-ninja's
operation, pydantic, the template engine) costs about 1 ms of CPU per request on
these machines before a view runs; the hall queue's hot endpoints (issue, call
next, the phone's ticket poll, the board poll) do one or two statements of work.
An app can register handlers for such endpoints in ``<app>/lean.py``
(``ROUTES``: a list of :class:`Route`); :func:`wrap` puts them in front of the
Django application (``terpadu/wsgi.py``). Everything else goes to Django untouched.

What the lean path keeps from the full stack (tests compare the answers):

* the same security headers (CSP, nosniff, referrer policy, COOP, permissions
  policy, X-Frame-Options, HSTS over HTTPS) and ``Content-Language``;
* ``ALLOWED_HOSTS``, and the HTTPS redirect: a request Django would refuse or
  redirect is left to Django;
* the language choice (``?lang=`` or the language cookie, Indonesian otherwise);
* the database connection's life cycle (``close_old_connections`` before and
  after, as Django's request signals do, with its health check; the connection
  is dropped after any error, which raw cursors do not report to Django) and
  error logging (``django.request``).

A handler returns a :class:`Answer`, or ``None`` to hand the request to Django
(for anything unusual: no bearer token, a body it does not expect). It must not
hand over after it has written anything; the request body is given back to Django
when it does.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.http.request import split_domain_port, validate_host
from django.utils import translation

from terpadu.core.middleware import CSP, LANGUAGE_COOKIE

log = logging.getLogger("django.request")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Request:
    """The little a lean handler reads from the WSGI environ."""

    __slots__ = ("_body", "environ", "language", "method", "path")

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method: str = environ["REQUEST_METHOD"]
        self.path: str = environ.get("PATH_INFO", "")
        self._body: bytes | None = None
        self.language = settings.LANGUAGE_CODE

    def header(self, name: str) -> str:
        """A request header by its WSGI name, e.g. ``HTTP_IF_NONE_MATCH``."""
        return str(self.environ.get(name, ""))

    def bearer(self) -> str | None:
        auth = self.header("HTTP_AUTHORIZATION")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def body(self) -> bytes:
        if self._body is None:
            try:
                length = int(self.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            self._body = self.environ["wsgi.input"].read(length) if length > 0 else b""
        return self._body

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None (Django then answers with its 422)."""
        if "json" not in self.header("CONTENT_TYPE") and self.body():
            return None
        try:
            data = json.loads(self.body() or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def restore_body(self) -> None:
        """Give the body back to Django when the request is handed over after reading it."""
        if self._body is not None:
            self.environ["wsgi.input"] = io.BytesIO(self._body)


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_answer(
    data: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Answer:
    return Answer(
        status=status,
        body=json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode(),
        headers=headers or [],
    )


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., Answer | None]


_REASONS = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}


def _static_headers() -> list[tuple[str, str]]:
    """The headers Django's middleware adds to every answer (SecurityHeadersMiddleware and co.)."""
    headers = [("Content-Security-Policy", CSP)]
    headers.append(
        ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
    )
    coop = getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
    headers.append(("Cross-Origin-Opener-Policy", coop or "same-origin"))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", str(settings.SECURE_REFERRER_POLICY)))
    headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY")))
    return headers


def _is_secure(environ: dict[str, Any]) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, value = header
        if environ.get(name):
            return str(environ[name]).split(",")[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _hsts() -> str:
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


class LeanDispatcher:
    """Answer the registered hot endpoints directly; pass everything else to Django."""

    def __init__(self, app: WSGIApp, routes: list[Route]) -> None:
        self.app = app
        self.routes: dict[str, list[Route]] = {}
        for route in routes:
            self.routes.setdefault(route.method, []).append(route)
        self.static = _static_headers()
        self.languages = {code for code, _name in settings.LANGUAGES}
        self.hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not self.hosts:
            self.hosts = [".localhost", "127.0.0.1", "[::1]"]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        routes = self.routes.get(environ["REQUEST_METHOD"])
        if routes:
            path = environ.get("PATH_INFO", "")
            for route in routes:
                match = route.pattern.fullmatch(path)
                if match is not None:
                    answered = self.handle(route, match, environ, start_response)
                    if answered is not None:
                        return answered
                    break
        return self.app(environ, start_response)

    def _language(self, environ: dict[str, Any]) -> str:
        query = environ.get("QUERY_STRING", "")
        if "lang=" in query:
            for part in query.split("&"):
                name, _, value = part.partition("=")
                if name == "lang" and value in self.languages:
                    return value
        cookies = environ.get("HTTP_COOKIE", "")
        if LANGUAGE_COOKIE in cookies:
            for part in cookies.split(";"):
                name, _, value = part.strip().partition("=")
                if name == LANGUAGE_COOKIE and value in self.languages:
                    return value
        return str(settings.LANGUAGE_CODE)

    def handle(
        self,
        route: Route,
        match: re.Match[str],
        environ: dict[str, Any],
        start_response: StartResponse,
    ) -> list[bytes] | None:
        secure = _is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None  # Django redirects to HTTPS
        domain, _port = split_domain_port(environ.get("HTTP_HOST", ""))
        if not domain or not validate_host(domain, self.hosts):
            return None  # Django answers 400 (DisallowedHost)
        if "lang=" in environ.get("QUERY_STRING", ""):
            return None  # Django sets the language cookie
        request = Request(environ)
        request.language = self._language(environ)
        close_old_connections()
        translation.activate(request.language)
        try:
            answer = route.handler(request, **match.groupdict())
        except Exception:
            log.exception("Internal Server Error: %s", request.path)
            # Statements on raw cursors do not mark Django's connection as failed:
            # drop it, the next request connects afresh.
            connection.close()
            answer = json_answer(
                {"code": "server_error", "detail": "Terjadi kesalahan pada server.", "errors": []},
                status=500,
            )
        finally:
            translation.deactivate()
            close_old_connections()
        if answer is None:
            request.restore_body()
            return None
        headers = [
            ("Content-Type", answer.content_type),
            ("Content-Length", str(len(answer.body))),
            *answer.headers,
            *self.static,
            ("Content-Language", request.language),
        ]
        if secure and settings.SECURE_HSTS_SECONDS:
            headers.append(("Strict-Transport-Security", _hsts()))
        start_response(_REASONS.get(answer.status, str(answer.status)), headers)
        return [answer.body]


def collect_routes() -> list[Route]:
    """Every Terpadu app's ``lean.ROUTES``."""
    from terpadu.core.discovery import app_modules

    routes: list[Route] = []
    for _label, module in app_modules("lean"):
        routes.extend(getattr(module, "ROUTES", []))
    return routes


def wrap(app: Any) -> Any:
    """Django's WSGI application with the apps' lean routes in front (``TERPADU_LEAN=0`` turns it off)."""
    import os

    if os.environ.get("TERPADU_LEAN", "1") == "0":
        return app
    routes = collect_routes()
    return LeanDispatcher(app, routes) if routes else app
