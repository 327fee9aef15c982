"""What both police.uk readers (the line reader `policeuk` and the Arrow fast path
`policeuk_arrow`) need to agree on: the columns and how a month becomes a period."""

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

REQUIRED = ("Crime ID", "Month", "Longitude", "Latitude", "Crime type")
LONDON = ZoneInfo("Europe/London")
ASB = "anti-social behaviour"
RAW = ("Reported by", "Falls within", "LSOA code", "LSOA name", "Last outcome category", "Context")


def month_period(text: str, tz: tzinfo = LONDON) -> tuple[datetime, datetime]:
    """'2024-09' to the first and last instant of that month in local time."""
    year, month = (int(part) for part in text.strip().split("-"))
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz) - timedelta(microseconds=1)
    return start, end
