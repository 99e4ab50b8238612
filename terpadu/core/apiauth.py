"""API authentication: the browser's session, or a bearer token for machine clients."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from terpadu.accounts.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """Django's session; CSRF is enforced for unsafe methods."""


AUTH = [BearerToken(), Session()]
