"""The address a request came from, for the limits on guessing (login throttling, survey codes) and on
public inputs (`limits`).

Behind a reverse proxy every request comes from the proxy; the proxy then writes the client's
address into a header (nginx: `proxy_set_header X-Forwarded-For $remote_addr;`). Name that header in
`LOFTE_CLIENT_IP_HEADER` (e.g. `HTTP_X_FORWARDED_FOR`) and only then is it read: a client could write
it too, so it is trusted only when the proxy always sets it. The rightmost address is the one the
proxy added.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    header = settings.LOFTE_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    if forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")
