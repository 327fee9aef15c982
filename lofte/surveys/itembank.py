"""The standard item bank (data/itembank.toml) and copying its items into a survey."""

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from lofte.surveys.models import Item, Survey

BANK = Path(__file__).parent / "data" / "itembank.toml"


@cache
def bank() -> dict[str, Any]:
    return tomllib.loads(BANK.read_text(encoding="utf-8"))


def _texts(entry: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """{language: text} from keys such as sv/en (or indicator_sv/indicator_en with `prefix`)."""
    return {
        key[len(prefix) :]: value
        for key, value in entry.items()
        if key.startswith(prefix) and len(key) == len(prefix) + 2 and isinstance(value, str)
    }


def items(codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The bank's items as dicts ready for `Item(**fields)`, in bank order."""
    data = bank()
    out = []
    for position, entry in enumerate(data["items"]):
        if codes is not None and entry["code"] not in codes:
            continue
        scale = data["scales"].get(entry.get("scale", ""), {})
        options = entry.get("options") or scale.get("options", [])
        out.append(
            {
                "code": entry["code"],
                "position": position,
                "section": entry["section"],
                "section_texts": _texts(data["sections"].get(entry["section"], {})),
                "texts": _texts(entry),
                "options": [dict(o) for o in options],
                "indicator": list(entry.get("indicator", scale.get("indicator", []))),
                "indicator_texts": _texts(entry, "indicator_") or _texts(scale, "indicator_"),
                "better": entry.get("better", scale.get("better", "")),
                "background": entry.get("background", False),
            }
        )
    if codes is not None:
        unknown = set(codes) - {item["code"] for item in out}
        if unknown:
            raise KeyError(f"not in the item bank: {', '.join(sorted(unknown))}")
    return out


def problem_index() -> dict[str, Any]:
    """The bank's problem-index definition (items, scores, weights, min_answered, texts)."""
    return dict(bank()["index"])


def add_to(survey: Survey, codes: Iterable[str] | None = None) -> list[Item]:
    """Copy bank items (all, or `codes`) into `survey`, after its existing items."""
    from .models import Item

    start = max((i.position for i in survey.items.all()), default=-1) + 1
    created = [Item(survey=survey, **{**fields, "position": start + k}) for k, fields in enumerate(items(codes))]
    Item.objects.bulk_create(created)
    if not survey.problem_index:
        survey.problem_index = problem_index()
        survey.save(update_fields=["problem_index"])
    return created
