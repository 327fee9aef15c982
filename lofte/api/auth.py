"""API authentication: a bearer token, or the browser session (with CSRF)."""

from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from lofte.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session, with Django's CSRF check for logged-in users.

    Without a logged-in session there is nothing to protect, so the request fails
    as unauthenticated (401) instead of as a CSRF failure (403).
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


token_auth = TokenAuth()
writer_auth = [token_auth, SessionAuth()]


def current_user(request):
    """The token's user when a valid bearer token is sent, else the session's user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header[7:].strip())
        if user is not None:
            return user
    return request.user
