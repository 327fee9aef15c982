"""Where the shared real-data folder is: $LOFTE_SHARED_DATA, else ../shared/data beside the repository."""

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def shared_data() -> Path | None:
    """The shared data folder, or None when it is not on this machine."""
    configured = os.environ.get("LOFTE_SHARED_DATA")
    candidate = Path(configured) if configured else REPOSITORY.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None
