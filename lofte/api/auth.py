"""API authentication: a bearer token, or the browser session (with CSRF)."""

from ninja.security import HttpBearer, django_auth

from lofte.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
writer_auth = [token_auth, django_auth]


def current_user(request):
    """The token's user when a valid bearer token is sent, else the session's user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiToken.authenticate(header[7:].strip())
        if user is not None:
            return user
    return request.user
