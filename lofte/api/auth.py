"""API authentication: a bearer token, or the browser session (with CSRF)."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from lofte.accounts.models import ApiToken
from lofte.core.requests import LoggedInRequest


class AuthenticatedRequest(LoggedInRequest):
    """The request ninja hands an endpoint declared with ``auth=``: ``auth`` holds the user the
    authenticator returned, who is also ``user`` (a type for mypy only; ninja sets the attribute)."""

    auth: User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session, with Django's CSRF check for logged-in users.

    Without a logged-in session there is nothing to protect, so the request fails
    as unauthenticated (401) instead of as a CSRF failure (403).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


token_auth = TokenAuth()
writer_auth = [token_auth, SessionAuth()]


def current_user(request: HttpRequest) -> User | AnonymousUser:
    """The token's user when a valid bearer token is sent, else the session's user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header[7:].strip())
        if user is not None:
            return user
    return request.user
