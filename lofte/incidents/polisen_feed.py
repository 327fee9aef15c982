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
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import importer

API = "https://polisen.se/api/events"
MIN_SECONDS = 10
MAX_PER_HOUR = 60
TIMEOUT_SECONDS = 30


class TooSoon(Exception):
    """Another call now would break the feed's terms; `wait` says for how many seconds."""

    def __init__(self, message, wait):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Fetched:
    events: int  # in the response
    new: int  # not in the archive before
    archive: Path
    run: object | None  # the ImportRun of the new events (None when there were none)


def _calls(folder, now):
    path = folder / "calls.json"
    calls = json.loads(path.read_text()) if path.exists() else []
    return [t for t in calls if now - t < 3600]


def _write(path, text):
    """Write `text` to `path` whole or not at all (a temporary file renamed over it)."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as out:
        out.write(text)
    os.replace(out.name, path)


def fetch(archive, *, county=None, url=API, user_agent, now=None):
    """Call the feed once (refusing with TooSoon when the terms say wait), archive the response and
    every event in it, and import the events not seen before."""
    folder = Path(archive)
    (folder / "responses").mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    calls = _calls(folder, now)
    if calls and now - calls[-1] < MIN_SECONDS:
        wait = MIN_SECONDS - (now - calls[-1])
        raise TooSoon(f"the last call was {now - calls[-1]:.0f} s ago; the feed asks for {MIN_SECONDS} s", wait)
    if len(calls) >= MAX_PER_HOUR:
        raise TooSoon(f"{MAX_PER_HOUR} calls in the last hour, as many as the feed allows", 3600 - (now - calls[0]))
    query = f"?{urllib.parse.urlencode({'locationname': county})}" if county else ""
    request = urllib.request.Request(url + query, headers={"User-Agent": user_agent, "Accept": "application/json"})
    _write(folder / "calls.json", json.dumps([*calls, now]))
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (an https URL we set)
        body = answer.read().decode("utf-8")
    events = json.loads(body)
    if not isinstance(events, list):
        raise ValueError(f"{url}: expected a list of events, got {type(events).__name__}")
    stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ")
    _write(folder / "responses" / f"{stamp}.json", body)
    seen_path = folder / "events.json"
    seen = {str(e["id"]): e for e in json.loads(seen_path.read_text(encoding="utf-8"))} if seen_path.exists() else {}
    new = [e for e in events if isinstance(e, dict) and str(e.get("id")) not in seen]
    run = None
    if new:
        batch = folder / "responses" / f"{stamp}-new.json"
        _write(batch, json.dumps(new, ensure_ascii=False))
        run = importer.run(batch, format="polisen", source="polisen")
        seen |= {str(e["id"]): e for e in new}
        _write(seen_path, json.dumps(list(seen.values()), ensure_ascii=False))
    return Fetched(len(events), len(new), folder, run)
