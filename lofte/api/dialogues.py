"""Citizen dialogues as open data: the events, the areas' themes and the statements members have
published. Statements waiting for moderation, or rejected, are seen only by members of the area's
organisations."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from lofte.dialogues.models import Statement
from lofte.dialogues.permissions import dialogues as dialogue_policy
from lofte.dialogues.permissions import statements as statement_policy
from lofte.dialogues.permissions import themes as theme_policy

from .auth import current_user

router = Router(tags=["dialogues"])


class DialogueOut(Schema):
    id: int
    area: str = Field(description="The area's code")
    held_on: date
    place: str
    format: str = Field(description="meeting, safety_walk, school_visit, online or other")
    languages: str
    interpreted: bool
    participants: dict[str, int] = Field(description="Rough counts by group")
    organisations: list[str]


class ThemeOut(Schema):
    id: int
    area: str
    name: str
    name_en: str


class StatementOut(Schema):
    id: int
    area: str
    dialogue: int | None = Field(description="Null: written on the public form")
    text: str
    status: str = Field(description="published; for members also pending or rejected")
    themes: list[int]
    created_at: str


@router.get("/", response=list[DialogueOut], summary="Citizen dialogues")
def list_dialogues(request: HttpRequest, area: str | None = None) -> list[dict[str, Any]]:
    rows = dialogue_policy.visible(current_user(request)).select_related("area").prefetch_related("organisations")
    if area:
        rows = rows.filter(area__code=area)
    return [
        {"id": d.pk, "area": d.area.code, "held_on": d.held_on, "place": d.place, "format": d.format,
         "languages": d.languages, "interpreted": d.interpreted, "participants": d.participants,
         "organisations": [o.name for o in d.organisations.all()]}
        for d in rows
    ]  # fmt: skip


@router.get("/themes", response=list[ThemeOut], summary="The areas' themes")
def list_themes(request: HttpRequest, area: str | None = None) -> list[dict[str, Any]]:
    rows = theme_policy.visible(current_user(request)).select_related("area")
    if area:
        rows = rows.filter(area__code=area)
    return [{"id": t.pk, "area": t.area.code, "name": t.name, "name_en": t.name_en} for t in rows]


@router.get("/statements", response=list[StatementOut], summary="Residents' statements")
def list_statements(request: HttpRequest, area: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    rows = statement_policy.visible(current_user(request)).select_related("area").prefetch_related("themes")
    if area:
        rows = rows.filter(area__code=area)
    if status in Statement.Status.values:
        rows = rows.filter(status=status)
    return [
        {"id": s.pk, "area": s.area.code, "dialogue": s.dialogue_id, "text": s.text, "status": s.status,
         "themes": [t.pk for t in s.themes.all()], "created_at": s.created_at.isoformat()}
        for s in rows
    ]  # fmt: skip
