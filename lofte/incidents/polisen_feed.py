"""The polisen.se events feed, polled as its terms ask: a User-Agent that names the installation, at
least MIN_SECONDS between calls and at most MAX_PER_HOUR calls an hour (the calls are remembered in
the archive folder, so separate runs from cron keep to it too).

The feed holds only the latest ~500 events, so every response is kept (`responses/`), and every event
ever seen is merged into `events.json` by its id. The new events of a call go through the incident
importer like any polisen.se file: idempotent, atomic, rejects written beside the file."""

import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.request import Request

from . import importer
from .models import ImportRun

API = "https://polisen.se/api/events"
MIN_SECONDS = 10
MAX_PER_HOUR = 60
TIMEOUT_SECONDS = 30  # for each read from the socket
DEADLINE_SECONDS = 120  # for the whole response: a server sending a byte at a time is cut off
MAX_BYTES = 20_000_000  # the feed's ~500 events are about 300 kB


class OnlyWebRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (urllib's default also follows ftp://)."""

    def redirect_request(self, req: Request, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl!r} refused (http and https only)",
                                         headers, fp)  # fmt: skip
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class TooSoon(Exception):
    """Another call now would break the feed's terms; `wait` says for how many seconds."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Fetched:
    events: int  # in the response
    new: int  # not in the archive before
    archive: Path
    run: ImportRun | None  # the ImportRun of the new events (None when there were none)
    skipped: tuple[str, ...] = ()  # why events of the response were left out, one line each


def _calls(folder: Path, now: float) -> list[float]:
    path = folder / "calls.json"
    calls = json.loads(path.read_text()) if path.exists() else []
    return [t for t in calls if now - t < 3600]


def _write(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (a temporary file renamed over it)."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as out:
        out.write(text)
    os.replace(out.name, path)


def fetch(
    archive: str | Path,
    *,
    county: str | None = None,
    url: str = API,
    user_agent: str,
    now: float | None = None,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE_SECONDS,
) -> Fetched:
    """Call the feed once (refusing with TooSoon when the terms say wait), archive the response and
    every event in it, and import the events not seen before. The response is read up to `max_bytes`
    within `deadline` seconds, else refused with ValueError."""
    folder = Path(archive)
    (folder / "responses").mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    calls = _calls(folder, now)
    if calls and now - calls[-1] < MIN_SECONDS:
        wait = MIN_SECONDS - (now - calls[-1])
        raise TooSoon(f"the last call was {now - calls[-1]:.0f} s ago; the feed asks for {MIN_SECONDS} s", wait)
    if len(calls) >= MAX_PER_HOUR:
        raise TooSoon(f"{MAX_PER_HOUR} calls in the last hour, as many as the feed allows", 3600 - (now - calls[0]))
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"{url}: only http and https addresses are fetched")
    query = f"?{urllib.parse.urlencode({'locationname': county})}" if county else ""
    request = urllib.request.Request(url + query, headers={"User-Agent": user_agent, "Accept": "application/json"})
    _write(folder / "calls.json", json.dumps([*calls, now]))
    body = _read_capped(request, max_bytes=max_bytes, deadline=deadline)
    try:
        events = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{url}: not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(events, list):
        raise ValueError(f"{url}: expected a list of events, got {type(events).__name__}")
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ")
    _write(folder / "responses" / f"{stamp}.json", body)
    events, skipped = _usable(events)
    seen_path = folder / "events.json"
    seen = {str(e["id"]): e for e in json.loads(seen_path.read_text(encoding="utf-8"))} if seen_path.exists() else {}
    new = [e for e in events if str(e["id"]) not in seen]
    run = None
    if new:
        batch = folder / "responses" / f"{stamp}-new.json"
        # ASCII escapes: a lone surrogate in the feed stays valid JSON instead of failing the write.
        _write(batch, json.dumps(new))
        run = importer.run(batch, format="polisen", source="polisen")
        seen |= {str(e["id"]): e for e in new}
        _write(seen_path, json.dumps(list(seen.values())))
    return Fetched(len(events) + len(skipped), len(new), folder, run, tuple(skipped))


def _read_capped(request: urllib.request.Request, *, max_bytes: int, deadline: float) -> str:
    """The response's text: at most `max_bytes`, read within `deadline` seconds, redirects only to the web."""
    opener = urllib.request.build_opener(OnlyWebRedirects)
    seconds, deadline = deadline, time.monotonic() + deadline
    chunks, size = [], 0
    with opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
        while chunk := answer.read(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise ValueError(f"the response is larger than {max_bytes} bytes; stopped reading")
            if time.monotonic() > deadline:
                raise ValueError(f"the response took longer than {seconds} s; stopped reading")
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the response is not UTF-8 ({exc})") from None


def _usable(events: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The events that are objects with an id, and a line naming each one left out."""
    usable, skipped = [], []
    for position, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            skipped.append(f"event {position}: not an object")
        elif not isinstance(event.get("id"), (int, str)) or isinstance(event.get("id"), bool) or event["id"] == "":
            skipped.append(f"event {position}: id: missing or not a number or text")
        else:
            usable.append(event)
    return usable, skipped
